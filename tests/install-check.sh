#!/bin/sh
# Build and run a consumer against a staged install (DESTDIR, PREFIX=/usr)
# using only pkg-config. Usage: install-check.sh STAGE
set -eu
stage=$1
pc=$stage/usr/lib/pkgconfig
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
for f in usr/include/council.h usr/lib/libcouncil.so.0 usr/lib/libcouncil.so usr/lib/libcouncil.a \
         usr/lib/pkgconfig/libcouncil.pc usr/bin/council-cli usr/share/man/man3/council.3 \
         usr/share/man/man1/council-cli.1 usr/share/libcouncil/proto/council/v1/keyring.proto \
         usr/share/bash-completion/completions/council-cli; do
    [ -e "$stage/$f" ] || { echo "install-check: $f not installed"; exit 1; }
done
export PKG_CONFIG_PATH="$pc" PKG_CONFIG_SYSROOT_DIR="$stage"
cflags=$(pkg-config --cflags libcouncil)
libs=$(pkg-config --libs libcouncil)
${CC:-cc} -std=c11 -Wall -Wextra -Werror $cflags tests/consumer.c $libs -o "$t/consumer"
LD_LIBRARY_PATH="$stage/usr/lib" "$t/consumer"
# Static linking needs the private requirements too.
${CC:-cc} -std=c11 $cflags tests/consumer.c "$stage/usr/lib/libcouncil.a" \
    $(pkg-config --libs --static libcouncil | sed 's/-lcouncil//') -lpthread -o "$t/consumer-static"
"$t/consumer-static" >/dev/null
LD_LIBRARY_PATH="$stage/usr/lib" "$stage/usr/bin/council-cli" --version >/dev/null
soname=$(objdump -p "$stage/usr/lib/libcouncil.so" | sed -n 's/^ *SONAME *//p')
[ "$soname" = libcouncil.so.0 ] || { echo "install-check: SONAME is '$soname'"; exit 1; }
echo "install-check: staged install builds and runs a consumer (shared and static), SONAME $soname"
