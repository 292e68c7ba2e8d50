#!/bin/sh
# make demo: a council scenario on the embedded store, in a temporary
# directory that is removed afterwards. Usage: demo.sh path/to/council-cli
#
# For now (issue 2) the scenario is: the secretariat creates the council and
# shows what it is. Later issues extend it with members, staff, cases,
# consent, meetings, the audit log and the platform report.
set -eu
CLI=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export COUNCIL_STORE="$T/kita-city-council"
# A script's passphrase: from a file readable only by this user.
umask 077
printf 'demo passphrase: never use this one\n' >"$T/passphrase"

step() { printf '\n== %s\n' "$*"; }

step "The secretariat creates the council (Argon2id at the default MODERATE cost)"
"$CLI" init --name "北市 孤独・孤立対策地域協議会" --passphrase-file "$T/passphrase"

step "council-cli info"
"$CLI" info --passphrase-file "$T/passphrase"

step "What is on disk: an encrypted database and a wrapped keyring"
ls -l "$COUNCIL_STORE"
if command -v sqlcipher >/dev/null; then
    step "Without the key the sqlcipher shell sees no database"
    sqlcipher "$COUNCIL_STORE/council.db" "SELECT count(*) FROM sqlite_master;" 2>&1 || true
fi

step "A wrong passphrase is refused (exit status 1)"
printf 'not the passphrase\n' >"$T/wrong"
if "$CLI" info --passphrase-file "$T/wrong"; then
    echo "demo: a wrong passphrase was accepted" >&2
    exit 1
fi
echo
echo "demo: done"
