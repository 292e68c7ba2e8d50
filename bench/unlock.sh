#!/bin/sh
# unlock.sh - a command's time after `council-cli unlock` against the same
# command with the passphrase, measured in turns in the same run, for the
# secretariat's person (a staff session with the member's keyfile) and for
# the council passphrase (a declared root use).
# Usage: bench/unlock.sh COUNCIL-CLI [N]   (N rounds, default 10)
# The store and the keyfile are made in a temporary directory with the
# default (MODERATE) Argon2id cost, as a real council's; everything is
# locked and removed at the end.
set -eu
CLI=$1 N=${2:-10}
t=$(mktemp -d)
trap '"$CLI" --store "$t/s" lock >/dev/null 2>&1 || true; rm -rf "$t"' EXIT
unset COUNCIL_STAFF COUNCIL_KEYFILE COUNCIL_ROOT_REASON COUNCIL_ROOT_NOTE
printf 'bench passphrase for unlock\n' >"$t/pass"
printf 'bench passphrase of the secretariat member\n' >"$t/spass"
printf 'pledge\n' >"$t/pledge"
R="--root-reason setup --root-note bench"
"$CLI" --store "$t/s" init --name bench --weak-passphrase-ok --passphrase-file "$t/pass" >/dev/null 2>&1
sec=$("$CLI" --store "$t/s" member add --name sec --kind municipal_department --roles secretariat \
      $R --passphrase-file "$t/pass" 2>/dev/null)
"$CLI" --store "$t/s" member keygen "$sec" --out "$t/sec.key" --member-passphrase-file "$t/spass" \
      --weak-passphrase-ok $R --passphrase-file "$t/pass" 2>/dev/null
st=$("$CLI" --store "$t/s" staff add --member "$sec" --name person $R --passphrase-file "$t/pass" 2>/dev/null)
"$CLI" --store "$t/s" staff pledge "$st" --text-version v1 --text-file "$t/pledge" $R \
      --passphrase-file "$t/pass" 2>/dev/null
P="--staff $st --keyfile $t/sec.key"
if ! "$CLI" --store "$t/s" unlock $P --passphrase-file "$t/spass" 2>/dev/null ||
   ! "$CLI" --store "$t/s" unlock $R --passphrase-file "$t/pass" 2>/dev/null; then
    echo "bench unlock: the kernel keyring is not available here: skipped"
    exit 0
fi
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
: >"$t/pl"; : >"$t/pu"; : >"$t/rl"; : >"$t/ru"
i=0
while [ "$i" -lt "$N" ]; do
    s=$(date +%s%N); "$CLI" --store "$t/s" member list $P --passphrase-file "$t/spass" >/dev/null; ms "$s" >>"$t/pl"
    s=$(date +%s%N); "$CLI" --store "$t/s" member list $P >/dev/null; ms "$s" >>"$t/pu"
    s=$(date +%s%N); "$CLI" --store "$t/s" member list $R --passphrase-file "$t/pass" >/dev/null 2>&1; ms "$s" >>"$t/rl"
    s=$(date +%s%N); "$CLI" --store "$t/s" member list $R >/dev/null 2>&1; ms "$s" >>"$t/ru"
    i=$((i + 1))
done
med() { sort -n "$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
x() { awk -v l="$1" -v u="$2" 'BEGIN { printf "%.0f", (u > 0 ? l / u : l) }'; }
pl=$(med "$t/pl") pu=$(med "$t/pu") rl=$(med "$t/rl") ru=$(med "$t/ru")
echo "bench unlock: member list as the secretariat's person, median of $N: with the keyfile's" \
     "passphrase $pl ms, after unlock $pu ms ($(x "$pl" "$pu")x faster)"
echo "bench unlock: member list with the council passphrase (declared), median of $N:" \
     "with the passphrase $rl ms, after unlock $ru ms ($(x "$rl" "$ru")x faster)"
echo "METRIC bench_unlock.person_passphrase_ms $pl ms"
echo "METRIC bench_unlock.person_unlocked_ms $pu ms"
echo "METRIC bench_unlock.root_passphrase_ms $rl ms"
echo "METRIC bench_unlock.root_unlocked_ms $ru ms"
