# lib.sh - what every tests/cli/*.sh script uses: the scratch directory $T,
# the passphrase files, and the check helpers (ok, bad, expect, has, hasnot).
# Sourced by tests/cli-test.sh after it sets CLI; the scripts run in its
# shell, in its order (later ones use the stores earlier ones built).
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
unset COUNCIL_STORE COUNCIL_PASSPHRASE COUNCIL_NEW_PASSPHRASE COUNCIL_STAFF COUNCIL_KEYFILE
# English messages whatever the caller's locale (i18n.sh checks the Japanese ones).
unset LANGUAGE COUNCIL_LOCALEDIR
LC_ALL=C.UTF-8
export LC_ALL
# These scripts test commands one by one with the council passphrase: each
# such use says why (roles.sh tests the secretariat's people and refusals).
export COUNCIL_ROOT_REASON=setup COUNCIL_ROOT_NOTE="council-cli tests"
CHEAP="--kdf-ops 1 --kdf-mem 8192"
pass=0 fail=0

ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect CODE DESCRIPTION -- command...   (stdout in $T/out, stderr in $T/err)
expect() {
    want=$1 what=$2; shift 3
    "$@" >"$T/out" 2>"$T/err" </dev/null
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else
        bad "$what: exit $got, want $want"; sed 's/^/  | /' "$T/err"; fi
}
has()    { if grep -q -- "$2" "$1"; then ok; else bad "$3: '$2' not in $(basename "$1")"; fi; }
hasnot() { if grep -q -- "$2" "$1"; then bad "$3: '$2' found in $(basename "$1")"; else ok; fi; }

printf 'first passphrase\n' >"$T/pass1"
printf 'second passphrase\n' >"$T/pass2"
S=$T/store
