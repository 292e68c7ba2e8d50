#!/bin/sh
# unlock.sh - a command's time after `council-cli unlock` against the same
# command with the passphrase, measured in turns in the same run.
# Usage: bench/unlock.sh COUNCIL-CLI [N]   (N rounds, default 10)
# The store is made in a temporary directory with the default (MODERATE)
# Argon2id cost, as a real council's; it is locked and removed at the end.
set -eu
CLI=$1 N=${2:-10}
t=$(mktemp -d)
trap '"$CLI" --store "$t/s" lock >/dev/null 2>&1 || true; rm -rf "$t"' EXIT
printf 'bench passphrase for unlock\n' >"$t/pass"
"$CLI" --store "$t/s" init --name bench --weak-passphrase-ok --passphrase-file "$t/pass" >/dev/null 2>&1
if ! "$CLI" --store "$t/s" unlock --passphrase-file "$t/pass" 2>/dev/null; then
    echo "bench unlock: the kernel keyring is not available here: skipped"
    exit 0
fi
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
: >"$t/locked"; : >"$t/unlocked"
i=0
while [ "$i" -lt "$N" ]; do
    s=$(date +%s%N); "$CLI" --store "$t/s" info --passphrase-file "$t/pass" >/dev/null; ms "$s" >>"$t/locked"
    s=$(date +%s%N); "$CLI" --store "$t/s" info >/dev/null; ms "$s" >>"$t/unlocked"
    i=$((i + 1))
done
med() { sort -n "$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
l=$(med "$t/locked") u=$(med "$t/unlocked")
echo "bench unlock: info, median of $N: with the passphrase $l ms, after unlock $u ms" \
     "($(awk -v l="$l" -v u="$u" 'BEGIN { printf "%.0f", (u > 0 ? l / u : l) }')x faster)"
echo "METRIC bench_unlock.info_passphrase_ms $l ms"
echo "METRIC bench_unlock.info_unlocked_ms $u ms"
