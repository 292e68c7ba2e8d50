#!/bin/sh
# Compile and link the EXAMPLES program of each man page in section 3.
# Usage: doc-check.sh BUILD_DIR page.3 ...
set -eu
b=$1; shift
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
for page in "$@"; do
    sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$page" | sed -n '/^\.Bd -literal/,/^\.Ed/p' |
        sed '1d;$d' | sed 's/\\e/\\/g' >"$t/ex.c"
    if [ ! -s "$t/ex.c" ]; then
        echo "doc-check: $page has no EXAMPLES program"; exit 1
    fi
    # As a consumer builds: council.h, and the decoders (libcouncil-proto).
    ${CC:-cc} -std=c11 -Wall -Wextra -Werror -Iinclude -I"$b/gen" "$t/ex.c" -L"$b" -lcouncil \
        "$b/libcouncil-proto.a" $(pkg-config --libs libprotobuf-c) -o "$t/ex" ||
        { echo "doc-check: the example in $page does not compile"; exit 1; }
    n=$((n + 1))
done
echo "doc-check: $n man page example(s) compile and link"
