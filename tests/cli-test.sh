#!/bin/sh
# council-cli as a user meets it: exit codes, passphrase sources, refusals,
# and what the sqlcipher shell sees in a store. Usage: cli-test.sh council-cli
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
unset COUNCIL_STORE COUNCIL_PASSPHRASE COUNCIL_NEW_PASSPHRASE
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

# -- usage errors: exit 2
expect 0 "help" -- "$CLI" --help;                 has "$T/out" "usage: council-cli" "help"
expect 0 "version" -- "$CLI" --version;           has "$T/out" "libcouncil" "version"
expect 2 "no command" -- "$CLI" --store "$S"
expect 2 "unknown command" -- "$CLI" --store "$S" frobnicate
has "$T/err" "unknown command" "unknown command message"
expect 2 "unknown option" -- "$CLI" --store "$S" info --frob
expect 2 "option without value" -- "$CLI" info --store
expect 2 "no store" -- "$CLI" info
has "$T/err" "COUNCIL_STORE" "no store message"
expect 2 "init without name" -- "$CLI" --store "$S" init --passphrase-file "$T/pass1"
expect 2 "bad kdf-ops" -- "$CLI" --store "$S" init --name X --kdf-ops abc
expect 2 "both credentials" -- "$CLI" --store "$S" info --passphrase-file "$T/pass1" --root-key-file "$T/pass1"
expect 2 "two commands" -- "$CLI" --store "$S" info init
# No passphrase source at all and no terminal.
expect 2 "no passphrase, no tty" -- setsid -w "$CLI" --store "$S" init --name X $CHEAP

# -- init
expect 0 "init" -- "$CLI" --store "$S" init --name "東市 孤立対策協議会" --passphrase-file "$T/pass1" $CHEAP
if grep -Eq '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' "$T/out"; then ok; else
    bad "init prints a v4 UUID"; cat "$T/out"; fi
ID=$(cat "$T/out")
has "$T/err" "created council" "init note"
expect 1 "init twice" -- "$CLI" --store "$S" init --name Y --passphrase-file "$T/pass1" $CHEAP
has "$T/err" "not empty" "init twice message"
expect 1 "init bad kdf" -- "$CLI" --store "$T/other" init --name Y --passphrase-file "$T/pass1" --kdf-ops 99
has "$T/err" "kdf_opslimit" "init bad kdf message"
expect 1 "init empty passphrase" -- "$CLI" --store "$T/other" init --name Y --passphrase-file /dev/null $CHEAP

# -- info, each passphrase source
expect 0 "info (file)" -- "$CLI" --store "$S" info --passphrase-file "$T/pass1"
has "$T/out" "$ID" "info id"
has "$T/out" "東市 孤立対策協議会" "info name"
has "$T/out" "sqlcipher version:  4\." "info cipher version"
has "$T/out" "log public key:     libcouncil/$ID+[0-9a-f]\{8\}+" "info verifier key"
expect 0 "info (env store, env pass)" -- env COUNCIL_STORE="$S" COUNCIL_PASSPHRASE="first passphrase" "$CLI" info --json
has "$T/out" "\"council_id\": \"$ID\"" "json id"
has "$T/out" "\"schema_version\": 5" "json schema"
"$CLI" --store "$S" info --passphrase-file - <"$T/pass1" >"$T/out" 2>"$T/err"
if [ $? -eq 0 ]; then ok; else bad "info (stdin)"; fi

# -- refusals: exit 1, no secrets in messages
expect 1 "wrong passphrase" -- env COUNCIL_PASSPHRASE="Tr0ub4dor" "$CLI" --store "$S" info
has "$T/err" "wrong passphrase" "wrong passphrase message"
hasnot "$T/err" "Tr0ub4dor" "passphrase not echoed in error"
expect 1 "missing passphrase file" -- "$CLI" --store "$S" info --passphrase-file "$T/nope"
expect 1 "missing store" -- "$CLI" --store "$T/nowhere" info --passphrase-file "$T/pass1"
has "$T/err" "no store directory" "missing store message"

# -- passphrase change
expect 1 "passphrase change, wrong old" -- env COUNCIL_PASSPHRASE=nope "$CLI" --store "$S" passphrase --new-passphrase-file "$T/pass2" $CHEAP
expect 0 "passphrase change" -- "$CLI" --store "$S" passphrase --passphrase-file "$T/pass1" --new-passphrase-file "$T/pass2" $CHEAP
expect 1 "old passphrase after change" -- "$CLI" --store "$S" info --passphrase-file "$T/pass1"
expect 0 "new passphrase after change" -- "$CLI" --store "$S" info --passphrase-file "$T/pass2"
has "$T/out" "$ID" "same council after change"

# -- integrator-supplied root key
K=$T/kms
printf '%s\n' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f >"$T/key"
printf '%s\n' 100102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f >"$T/wrongkey"
printf 'not hex at all\n' >"$T/badkey"
expect 0 "init with root key" -- "$CLI" --store "$K" init --name KMS --root-key-file "$T/key"
expect 0 "info with root key" -- "$CLI" --store "$K" info --root-key-file "$T/key"
has "$T/out" "root key:           external" "external root key"
expect 1 "wrong root key" -- "$CLI" --store "$K" info --root-key-file "$T/wrongkey"
has "$T/err" "wrong root key" "wrong root key message"
expect 1 "malformed root key file" -- "$CLI" --store "$K" info --root-key-file "$T/badkey"
expect 1 "passphrase on a root-key council" -- "$CLI" --store "$K" info --passphrase-file "$T/pass1"
expect 2 "passphrase command with root key" -- "$CLI" --store "$K" passphrase --root-key-file "$T/key"

# -- what the sqlcipher shell sees: no database without the key
if command -v sqlcipher >/dev/null; then
    expect 26 "sqlcipher shell without key (SQLITE_NOTADB)" -- sqlcipher "$S/council.db" "SELECT count(*) FROM sqlite_master;"
    has "$T/err" "file is not a database" "sqlcipher shell refusal"
    expect 0 "sqlcipher shell cipher_version" -- sqlcipher "$S/council.db" "PRAGMA cipher_version;"
    has "$T/out" "^4\." "sqlcipher 4.x"
else
    bad "sqlcipher shell not installed (make deps installs it)"
fi
for f in "$S"/*; do
    if grep -q "孤立対策協議会" "$f"; then bad "council name in clear in $(basename "$f")"; else ok; fi
done
perm=$(stat -c %a "$S/council.db"); [ "$perm" = 600 ] && ok || bad "council.db mode $perm, want 600"
perm=$(stat -c %a "$S/council.keyring"); [ "$perm" = 600 ] && ok || bad "council.keyring mode $perm, want 600"
perm=$(stat -c %a "$S"); [ "$perm" = 700 ] && ok || bad "store mode $perm, want 700"

# -- a swapped database: one clear line on stderr, nothing from SQLCipher itself
expect 0 "second store" -- "$CLI" --store "$T/s2" init --name Two --passphrase-file "$T/pass2" $CHEAP
cp "$S/council.db" "$T/s1.db"
cp "$T/s2/council.db" "$S/council.db"
expect 1 "swapped database" -- "$CLI" --store "$S" info --passphrase-file "$T/pass2"
has "$T/err" "does not belong" "swapped database message"
# Keep this store's salt (bytes 0-15) but the other store's pages: the
# salt check passes and SQLCipher's page HMAC check is what fails.
{ head -c 16 "$T/s1.db"; tail -c +17 "$T/s2/council.db"; } >"$S/council.db"
expect 1 "foreign pages" -- "$CLI" --store "$S" info --passphrase-file "$T/pass2"
has "$T/err" "database key does not open" "foreign pages message"
lines=$(wc -l <"$T/err")
[ "$lines" -eq 1 ] && ok || { bad "foreign pages: $lines lines on stderr, want 1"; cat "$T/err"; }

# -- the audit log, as a secretariat and an auditor use it
A=$T/audit
expect 0 "audit store" -- "$CLI" --store "$A" init --name Audit --passphrase-file "$T/pass1" $CHEAP
"$CLI" --store "$A" info --passphrase-file "$T/pass1" | sed -n 's/^log public key: *//p' >"$T/vkey"
expect 0 "audit show" -- "$CLI" --store "$A" audit show --passphrase-file "$T/pass1"
has "$T/out" "council_created" "show lists the creation"
has "$T/out" "session_opened" "show lists sessions"
expect 0 "audit show --json" -- "$CLI" --store "$A" audit show --json --action council_created --passphrase-file "$T/pass1"
has "$T/out" '"action": "council_created"' "show json"
hasnot "$T/out" "session_opened" "show filters by action"
expect 2 "audit show bad action" -- "$CLI" --store "$A" audit show --action nonsense --passphrase-file "$T/pass1"
expect 2 "audit show bad time" -- "$CLI" --store "$A" audit show --since yesterday --passphrase-file "$T/pass1"
expect 0 "audit show by date" -- "$CLI" --store "$A" audit show --until 2000-01-01 --passphrase-file "$T/pass1"
[ ! -s "$T/out" ] && ok || bad "no events before 2000"
expect 0 "audit checkpoint" -- "$CLI" --store "$A" audit checkpoint --passphrase-file "$T/pass1"
cp "$T/out" "$T/cp1"
has "$T/cp1" "^libcouncil/" "checkpoint origin line"
expect 0 "verify checkpoint" -- "$CLI" audit verify "$T/cp1" --key @"$T/vkey"
has "$T/out" "^verified checkpoint:" "verify checkpoint output"
"$CLI" --store "$T/s2" info --passphrase-file "$T/pass2" | sed -n 's/^log public key: *//p' >"$T/vkey2"
expect 1 "verify checkpoint, other key" -- "$CLI" audit verify "$T/cp1" --key @"$T/vkey2"
expect 2 "verify without key" -- "$CLI" audit verify "$T/cp1"
expect 2 "unknown audit command" -- "$CLI" --store "$A" audit frobnicate
expect 2 "json where it does not apply" -- "$CLI" --store "$A" audit checkpoint --json --passphrase-file "$T/pass1"
expect 2 "index on info" -- "$CLI" --store "$A" info --index 3 --passphrase-file "$T/pass1"

expect 0 "prove inclusion" -- "$CLI" --store "$A" audit prove --index 0 --passphrase-file "$T/pass1"
has "$T/out" "^inclusion-proof/v1" "inclusion proof header"
expect 2 "prove needs one form" -- "$CLI" --store "$A" audit prove --passphrase-file "$T/pass1"
expect 1 "prove beyond the log" -- "$CLI" --store "$A" audit prove --index 99999 --passphrase-file "$T/pass1"

expect 0 "audit export" -- "$CLI" --store "$A" audit export --out "$T/export" --passphrase-file "$T/pass1"
expect 1 "audit export over a file" -- "$CLI" --store "$A" audit export --out "$T/export" --passphrase-file "$T/pass1"
expect 0 "verify export" -- "$CLI" audit verify "$T/export" --key @"$T/vkey"
has "$T/out" "^verified: [0-9]* events" "verify export output"
# A flipped byte in the middle of the export is caught and reported.
size=$(stat -c %s "$T/export")
cp "$T/export" "$T/export.bad"
printf '\377' | dd of="$T/export.bad" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
expect 1 "verify tampered export" -- "$CLI" audit verify "$T/export.bad" --key @"$T/vkey"
has "$T/err" "audit verify:" "tamper message"
head -c $((size - 7)) "$T/export" >"$T/export.cut"
expect 1 "verify truncated export" -- "$CLI" audit verify "$T/export.cut" --key @"$T/vkey"

# A witness: keeps the old checkpoint, checks consistency, cosigns.
expect 0 "witness keygen" -- "$CLI" audit witness-keygen --name witness.example/w1 --out "$T/wkey"
cp "$T/out" "$T/wvkey"
perm=$(stat -c %a "$T/wkey"); [ "$perm" = 600 ] && ok || bad "witness key mode $perm"
expect 1 "witness keygen over a file" -- "$CLI" audit witness-keygen --name w --out "$T/wkey"
expect 0 "second checkpoint" -- "$CLI" --store "$A" audit checkpoint --passphrase-file "$T/pass1"
cp "$T/out" "$T/cp2"
old=$(sed -n 2p "$T/cp1"); new=$(sed -n 2p "$T/cp2")
expect 0 "consistency proof" -- "$CLI" --store "$A" audit prove --from "$old" --to "$new" --passphrase-file "$T/pass1"
cp "$T/out" "$T/proof"
expect 0 "witness cosigns" -- "$CLI" audit witness --old "$T/cp1" --new "$T/cp2" --proof "$T/proof" \
    --key @"$T/vkey" --witness-key "$T/wkey" --name witness.example/w1
cp "$T/out" "$T/cp2.cosigned"
expect 0 "verify with one cosignature required" -- "$CLI" audit verify "$T/cp2.cosigned" --key @"$T/vkey" --witness @"$T/wvkey" --require 1
has "$T/out" "1 cosignatures" "cosignature counted"
expect 1 "cosignature missing" -- "$CLI" audit verify "$T/cp2" --key @"$T/vkey" --witness @"$T/wvkey" --require 1
expect 1 "witness refuses a rollback" -- "$CLI" audit witness --old "$T/cp2" --new "$T/cp1" \
    --key @"$T/vkey" --witness-key "$T/wkey" --name witness.example/w1
expect 2 "require more than witnesses" -- "$CLI" audit verify "$T/cp2" --key @"$T/vkey" --require 1

# Proofs against checkpoints; a kept checkpoint; cosignatures stored back.
expect 0 "inclusion proof at cp2" -- "$CLI" --store "$A" audit prove --index 1 --size "$new" --passphrase-file "$T/pass1"
cp "$T/out" "$T/inclusion"
expect 0 "verify inclusion proof" -- "$CLI" audit verify "$T/inclusion" --checkpoint "$T/cp2" --key @"$T/vkey"
has "$T/out" "^verified proof:" "inclusion verified"
expect 1 "inclusion proof against the wrong checkpoint" -- "$CLI" audit verify "$T/inclusion" --checkpoint "$T/cp1" --key @"$T/vkey"
expect 2 "proof without checkpoint" -- "$CLI" audit verify "$T/inclusion" --key @"$T/vkey"
expect 0 "verify consistency proof" -- "$CLI" audit verify "$T/proof" --checkpoint "$T/cp2" --old "$T/cp1" --key @"$T/vkey"
expect 1 "consistency proof without the old checkpoint" -- "$CLI" audit verify "$T/proof" --checkpoint "$T/cp2" --key @"$T/vkey"
expect 1 "checkpoint older than the one kept" -- "$CLI" audit verify "$T/cp1" --old "$T/cp2" --key @"$T/vkey"
has "$T/err" "rolled back" "rollback message"
expect 2 "witness needs its options" -- "$CLI" audit witness --old "$T/cp1" --new "$T/cp2" --key @"$T/vkey"
expect 1 "witness without proof" -- "$CLI" audit witness --old "$T/cp1" --new "$T/cp2" \
    --key @"$T/vkey" --witness-key "$T/wkey" --name witness.example/w1
has "$T/err" "consistency proof is needed" "missing proof message"
expect 0 "store cosignatures" -- "$CLI" --store "$A" audit add-cosignatures "$T/cp2.cosigned" --passphrase-file "$T/pass1"
expect 1 "store another council's checkpoint" -- "$CLI" --store "$T/s2" audit add-cosignatures "$T/cp2.cosigned" --passphrase-file "$T/pass2"
expect 0 "export with cosignatures" -- "$CLI" --store "$A" audit export --out "$T/export2" --passphrase-file "$T/pass1"
expect 0 "verify export requiring a cosignature" -- "$CLI" audit verify "$T/export2" --key @"$T/vkey" --witness @"$T/wvkey" --require 1 --old "$T/cp2"
has "$T/out" "1 cosignatures on a checkpoint" "cosignature counted in export"
expect 1 "first export lacks the cosignature" -- "$CLI" audit verify "$T/export" --key @"$T/vkey" --witness @"$T/wvkey" --require 1

# -- members (構成機関等)
M=$T/members
expect 0 "member store" -- "$CLI" --store "$M" init --name "北市 協議会" --passphrase-file "$T/pass1" $CHEAP
MP="--passphrase-file $T/pass1"
expect 0 "member add" -- "$CLI" --store "$M" member add --name "北市 福祉課" --kind municipal_department \
    --roles secretariat,coordinating_body --scopes identity,wishes --contact "内線 123" $MP
CB=$(cat "$T/out")
if grep -Eq '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-' "$T/out"; then ok; else bad "member add prints an id"; fi
expect 0 "member add npo" -- "$CLI" --store "$M" member add --name "NPO つながり" --kind npo $MP
NPO=$(cat "$T/out")
expect 1 "second coordinating body" -- "$CLI" --store "$M" member add --name X --kind police --roles coordinating_body $MP
has "$T/err" "coordinating body" "coordinating body message"
expect 2 "member add without kind" -- "$CLI" --store "$M" member add --name X $MP
expect 2 "member add unknown kind" -- "$CLI" --store "$M" member add --name X --kind bakery $MP
expect 2 "member add unknown role" -- "$CLI" --store "$M" member add --name X --kind npo --roles king $MP
expect 1 "member add bad scope" -- "$CLI" --store "$M" member add --name X --kind npo --scopes Health $MP
expect 0 "member list" -- "$CLI" --store "$M" member list $MP
has "$T/out" "北市 福祉課" "list names"
has "$T/out" "CB" "list marks the coordinating body"
expect 0 "member show" -- "$CLI" --store "$M" member show "$CB" $MP
has "$T/out" "scope ceiling:      identity,wishes" "show scopes"
expect 0 "member update" -- "$CLI" --store "$M" member update "$NPO" --contact "代表 000" $MP
expect 0 "member show json" -- "$CLI" --store "$M" member show "$NPO" --json $MP
has "$T/out" '"contact": "代表 000"' "update kept and changed"
has "$T/out" '"name": "NPO つながり"' "update kept the name"
expect 2 "member show bad id" -- "$CLI" --store "$M" member show not-a-uuid $MP
expect 1 "member show unknown id" -- "$CLI" --store "$M" member show 00000000-0000-4000-8000-000000000000 $MP
printf 'member secret\n' >"$T/mpass"
expect 0 "member keygen" -- "$CLI" --store "$M" member keygen "$NPO" --out "$T/npo.key" \
    --member-passphrase-file "$T/mpass" $CHEAP $MP
perm=$(stat -c %a "$T/npo.key"); [ "$perm" = 600 ] && ok || bad "keyfile mode $perm"
cp "$T/npo.key" "$T/npo.key.before"
expect 1 "member keygen over a file" -- "$CLI" --store "$M" member keygen "$NPO" --out "$T/npo.key" \
    --member-passphrase-file "$T/mpass" $CHEAP $MP
cmp -s "$T/npo.key" "$T/npo.key.before" && ok || bad "keygen over a file changed it"
expect 0 "keys unchanged by the refused keygen" -- "$CLI" --store "$M" audit show --action member_key_registered $MP
[ "$(wc -l <"$T/out")" -eq 1 ] && ok || bad "a refused keygen registered keys"
has "$T/out" "member=" "register events name their member"
expect 0 "member show keys" -- "$CLI" --store "$M" member show "$NPO" $MP
has "$T/out" "cosigner key:       libcouncil/member/" "cosigner key shown"
expect 2 "register-key bad hex" -- "$CLI" --store "$M" member register-key "$NPO" --box-key zz --sign-key zz $MP
expect 0 "members announce" -- "$CLI" --store "$M" members announce $MP
has "$T/out" "北市 協議会" "announce council"
has "$T/out" "coordinating body): 北市 福祉課" "announce coordinating body"
hasnot "$T/out" "内線" "announce has no contacts"
expect 0 "member withdraw" -- "$CLI" --store "$M" member withdraw "$NPO" --reason "解散" --date 2026-12-01 $MP
expect 1 "member withdraw twice" -- "$CLI" --store "$M" member withdraw "$NPO" --reason again $MP
expect 1 "update a withdrawn member" -- "$CLI" --store "$M" member update "$NPO" --name Y $MP
expect 0 "withdrawn member still listed" -- "$CLI" --store "$M" member list $MP
has "$T/out" "withdrawn" "listed as withdrawn"
expect 0 "announce without the withdrawn" -- "$CLI" --store "$M" members announce --json $MP
hasnot "$T/out" "つながり" "withdrawn member not announced"
expect 0 "registry changes are audited" -- "$CLI" --store "$M" audit show $MP
has "$T/out" "member_withdrawn" "withdrawal audited"
has "$T/out" "member_key_registered" "key audited"
expect 2 "json on member add" -- "$CLI" --store "$M" member add --name X --kind npo --json $MP
expect 2 "unknown member command" -- "$CLI" --store "$M" member frob $MP

# -- staff and secrecy pledges
expect 0 "staff add" -- "$CLI" --store "$M" staff add --member "$CB" --name "相談員 佐藤" --role 相談支援 $MP
ST=$(cat "$T/out")
printf '私は秘密を漏らしません。\n' >"$T/pledge.txt"
expect 0 "staff pledge" -- "$CLI" --store "$M" staff pledge "$ST" --text-version v2024_04 --text-file "$T/pledge.txt" --witness-name 事務局長 $MP
expect 0 "staff list" -- "$CLI" --store "$M" staff list --member "$CB" $MP
has "$T/out" "active   yes" "pledged staff listed"
expect 0 "staff list json" -- "$CLI" --store "$M" staff list --json $MP
has "$T/out" '"text_version": "v2024_04"' "pledge in json"
expect 1 "staff add to withdrawn member" -- "$CLI" --store "$M" staff add --member "$NPO" --name X $MP
expect 2 "staff add without member" -- "$CLI" --store "$M" staff add --name X $MP
expect 1 "staff pledge bad version" -- "$CLI" --store "$M" staff pledge "$ST" --text-version "V 1" --text-file "$T/pledge.txt" $MP
expect 0 "staff retire" -- "$CLI" --store "$M" staff retire "$ST" --reason 人事異動 $MP
expect 1 "pledge after retirement" -- "$CLI" --store "$M" staff pledge "$ST" --text-version v2024_04 --text-file "$T/pledge.txt" $MP
expect 0 "retired staff still listed" -- "$CLI" --store "$M" staff list $MP
has "$T/out" "retired  yes" "former staff kept with pledge"

# -- staff sessions
expect 0 "staff for a session" -- "$CLI" --store "$M" staff add --member "$CB" --name "相談員 高橋" $MP
ST2=$(cat "$T/out")
expect 0 "its pledge" -- "$CLI" --store "$M" staff pledge "$ST2" --text-version v2024_04 --text-file "$T/pledge.txt" $MP
expect 0 "coordinating body keys" -- "$CLI" --store "$M" member keygen "$CB" --out "$T/cb.key" \
    --member-passphrase-file "$T/mpass" $CHEAP $MP
expect 0 "staff session info" -- env COUNCIL_MEMBER_PASSPHRASE="member secret" "$CLI" --store "$M" info --staff "$ST2" --keyfile "$T/cb.key"
has "$T/out" "北市 協議会" "staff session sees the council"
expect 1 "staff session, wrong member passphrase" -- env COUNCIL_MEMBER_PASSPHRASE=nope "$CLI" --store "$M" info --staff "$ST2" --keyfile "$T/cb.key"
has "$T/err" "wrong member passphrase" "member passphrase message"
expect 1 "former staff refused" -- env COUNCIL_MEMBER_PASSPHRASE="member secret" "$CLI" --store "$M" info --staff "$ST" --keyfile "$T/cb.key"
has "$T/err" "former staff" "former staff message"
expect 2 "staff session without keyfile" -- "$CLI" --store "$M" info --staff "$ST2"
expect 0 "refusal is audited" -- "$CLI" --store "$M" audit show --action session_refused $MP
has "$T/out" "reason=retired_staff" "session refusal audited"

echo "cli-test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
