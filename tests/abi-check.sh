#!/bin/sh
# The public ABI three ways: what council.h declares COUNCIL_API, what
# council.map exports, and what the shared library actually exports.
# Usage: abi-check.sh council.h council.map libcouncil.so
set -eu
hdr=$1 map=$2 so=$3
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# Declarations: COUNCIL_API ... council_name( possibly across lines.
tr '\n' ' ' <"$hdr" | grep -o 'COUNCIL_API[^;(]*(' |
    sed -n 's/.*[^a-z0-9_]\(council_[a-z0-9_]*\) *($/\1/p' | sort -u >"$t/header"
sed -n 's/^ *\(council_[a-z0-9_]*\);.*/\1/p' "$map" | sort -u >"$t/map"
nm -D --defined-only "$so" | awk '$2 == "T" || $2 == "D" || $2 == "B" || $2 == "R" { print $3 }' |
    sed 's/@.*//' | sort -u >"$t/lib"

status=0
if ! diff -u "$t/header" "$t/map" >"$t/d1"; then
    echo "abi-check: council.h and council.map differ:"; cat "$t/d1"; status=1
fi
if ! diff -u "$t/map" "$t/lib" >"$t/d2"; then
    echo "abi-check: council.map and the library's exports differ:"; cat "$t/d2"; status=1
fi
if grep -q '^council__' "$t/lib"; then
    echo "abi-check: internal council__ symbols are exported"; status=1
fi
[ "$status" -eq 0 ] && echo "abi-check: $(wc -l <"$t/lib") symbols; header, map and library agree"
exit "$status"
