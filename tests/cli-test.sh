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
has "$T/out" "\"schema_version\": 9" "json schema"
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
has "$T/err" "keep a checkpoint" "verify without --old says what it cannot show"
has "$T/err" "no witness was required" "verify without witnesses says so"
expect 0 "verify export against a kept checkpoint" -- "$CLI" audit verify "$T/export" --key @"$T/vkey" --old "$T/cp1"
hasnot "$T/err" "keep a checkpoint" "no note with --old"
expect 2 "reset-head needs a reason" -- "$CLI" --store "$A" audit reset-head --passphrase-file "$T/pass1"
expect 1 "reset-head takes a code, not text" -- "$CLI" --store "$A" audit reset-head --reason "from backup" --passphrase-file "$T/pass1"
expect 0 "reset-head" -- "$CLI" --store "$A" audit reset-head --reason restored_from_backup --passphrase-file "$T/pass1"
has "$T/err" "signer's head" "reset-head says what it did"
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

# -- scopes and cases (個別ケース)
isjson() { if /usr/bin/python3 -m json.tool "$1" >/dev/null 2>&1; then ok; else bad "$2: not JSON"; sed 's/^/  | /' "$1"; fi; }
jcount() { /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null; }
UUID='[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{12\}'
NOCASE=00000000-0000-4000-8000-000000000000
C=$T/cases
expect 0 "case store" -- "$CLI" --store "$C" init --name "南町 協議会" --passphrase-file "$T/pass1" $CHEAP
CP="--passphrase-file $T/pass1"
expect 0 "case: coordinating body" -- "$CLI" --store "$C" member add --name "南町 福祉課" --kind municipal_department \
    --roles secretariat,coordinating_body --scopes identity,wishes,health,support_plan,support_record $CP
CCB=$(cat "$T/out")
expect 0 "case: npo" -- "$CLI" --store "$C" member add --name "NPO よりそい" --kind npo --scopes identity,wishes $CP
CNPO=$(cat "$T/out")
expect 0 "case: npo keys" -- "$CLI" --store "$C" member keygen "$CNPO" --out "$T/cnpo.key" \
    --member-passphrase-file "$T/mpass" $CHEAP $CP
expect 0 "case: coordinating body keys" -- "$CLI" --store "$C" member keygen "$CCB" --out "$T/ccb.key" \
    --member-passphrase-file "$T/mpass" $CHEAP $CP
expect 0 "case: npo staff" -- "$CLI" --store "$C" staff add --member "$CNPO" --name "支援員 田中" $CP
NST=$(cat "$T/out")
expect 0 "case: npo staff pledge" -- "$CLI" --store "$C" staff pledge "$NST" --text-version v2024_04 --text-file "$T/pledge.txt" $CP
NS="--staff $NST --keyfile $T/cnpo.key"
export COUNCIL_MEMBER_PASSPHRASE="member secret"

# scopes
expect 0 "scope list" -- "$CLI" --store "$C" scope list $CP
has "$T/out" "^health  *yes  *yes" "health is a sensitive built-in scope"
has "$T/out" "^identity  *no" "identity listed"
expect 0 "scope list --json" -- "$CLI" --store "$C" scope list --json $CP
isjson "$T/out" "scope list --json"
expect 0 "scope list, staff session" -- "$CLI" --store "$C" scope list $NS
expect 0 "scope add" -- "$CLI" --store "$C" scope add mental_health --sensitive $CP
expect 0 "scope list shows the new scope" -- "$CLI" --store "$C" scope list $CP
has "$T/out" "^mental_health  *yes  *no" "added scope: sensitive, not built in"
expect 1 "scope add twice" -- "$CLI" --store "$C" scope add mental_health $CP
expect 1 "scope add bad code" -- "$CLI" --store "$C" scope add Mental-Health $CP
expect 2 "scope add without code" -- "$CLI" --store "$C" scope add $CP
expect 2 "sensitive on scope list" -- "$CLI" --store "$C" scope list --sensitive $CP
expect 2 "scope add, staff session" -- "$CLI" --store "$C" scope add x $NS
expect 0 "scope remove" -- "$CLI" --store "$C" scope remove mental_health $CP
expect 0 "scope list after remove" -- "$CLI" --store "$C" scope list $CP
hasnot "$T/out" "^mental_health " "removed scope not listed"
expect 1 "scope remove a scope in use" -- "$CLI" --store "$C" scope remove health $CP
expect 1 "scope remove unknown" -- "$CLI" --store "$C" scope remove mental_health $CP
expect 2 "unknown scope command" -- "$CLI" --store "$C" scope frob $CP

# create, persons
expect 0 "case create" -- "$CLI" --store "$C" case create --owner "$CCB" $CP
has "$T/out" "^case $UUID\$" "case create prints the case id"
has "$T/out" "^person $UUID\$" "case create prints the person id"
CASE=$(sed -n 's/^case //p' "$T/out"); PERSON=$(sed -n 's/^person //p' "$T/out")
expect 0 "case create --json" -- "$CLI" --store "$C" case create --owner "$CCB" --body support_meeting --json $CP
isjson "$T/out" "case create --json"
CASE2=$(jcount "$T/out" 'd["case_id"]')
[ -n "$CASE2" ] && ok || bad "case create json has case_id"
expect 2 "case create bad body" -- "$CLI" --store "$C" case create --owner "$CCB" --body bakery $CP
expect 2 "case create bad owner" -- "$CLI" --store "$C" case create --owner nobody $CP
expect 1 "case create unknown owner" -- "$CLI" --store "$C" case create --owner $NOCASE $CP
expect 0 "case create, staff session" -- "$CLI" --store "$C" case create $NS
NCASE=$(sed -n 's/^case //p' "$T/out")
expect 0 "case add-person" -- "$CLI" --store "$C" case add-person "$CASE" --role family $CP
has "$T/out" "^$UUID\$" "add-person prints a person id"
FAMILY=$(cat "$T/out")
expect 2 "case add-person supported" -- "$CLI" --store "$C" case add-person "$CASE" --role supported $CP
expect 2 "case add-person without role" -- "$CLI" --store "$C" case add-person "$CASE" $CP
expect 1 "case add-person unknown case" -- "$CLI" --store "$C" case add-person $NOCASE --role family $CP

# sections in, as JSON
cat >"$T/identity.json" <<'JSON'
{"identity": {"name": "スズキ ハナコ", "name_kana": "スズキ ハナコ", "birth_date": "1948-02-29",
              "address": "南町1-2-3", "contact_note": "午前中に\n電話で"},
 "text": "一人暮らし。"}
JSON
expect 0 "case update identity" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/identity.json" $CP
has "$T/err" "version 1 written" "update reports the version"
printf '{"wishes": {"wants": ["話し相手がほしい"], "does_not_want": ["施設入所"]}}' >"$T/wishes.json"
"$CLI" --store "$C" case update "$CASE" --scope wishes $CP <"$T/wishes.json" >"$T/out" 2>"$T/err"
[ $? -eq 0 ] && ok || { bad "case update from standard input"; cat "$T/err"; }
printf '{"support_plan": {"tasks": [{"title": "見守り訪問", "responsible_member": "%s", "due": "2026-12-01", "state": "open"}, {"title": "食事支援"}]}}' "$CNPO" >"$T/plan.json"
expect 0 "case update support plan" -- "$CLI" --store "$C" case update "$CASE" --scope support_plan --file "$T/plan.json" $CP
printf '{"support_record": {"entries": [{"date": "2026-11-01", "member": "%s", "text": "訪問した。\\n元気そう。"}]}}' "$CCB" >"$T/record.json"
expect 0 "case update support record" -- "$CLI" --store "$C" case update "$CASE" --scope support_record --file "$T/record.json" $CP
printf '{"text": "長男、県外在住。"}' >"$T/family.json"
expect 0 "case update a related person" -- "$CLI" --store "$C" case update "$CASE" --scope family --person "$FAMILY" --file "$T/family.json" $CP
printf '{"identity": {"name": "スズキ ハナコ", "birth_date": "1948-02-29", "phone": "090-0000-0000"}}' >"$T/identity2.json"
expect 0 "case update, second version" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/identity2.json" $CP
has "$T/err" "version 2 written" "second version"
# bad input: refused, and the content is never echoed
printf '{"identity": {"name": "秘密太郎", "秘密の鍵": "x"}}' >"$T/bad1.json"
expect 1 "section JSON, unknown key" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/bad1.json" $CP
has "$T/err" "unknown key" "unknown key message"
hasnot "$T/err" "秘密" "unknown key not echoed"
printf '{"identity": {"name": "秘密太郎" "x"}}' >"$T/bad2.json"
expect 1 "section JSON, syntax" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/bad2.json" $CP
has "$T/err" "line 1, column" "syntax error position"
hasnot "$T/err" "秘密" "syntax error does not quote the input"
printf '{"identity": {"name": 42}}' >"$T/bad3.json"
expect 1 "section JSON, wrong type" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/bad3.json" $CP
has "$T/err" "'name' must be a string" "wrong type message"
printf '{"text": "秘密一", "text": "秘密二"}' >"$T/bad4.json"
expect 1 "section JSON, duplicate key" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/bad4.json" $CP
hasnot "$T/err" "秘密" "duplicate key not echoed"
printf '{"support_plan": {"tasks": [{"title": "秘密", "state": "秘密"}]}}' >"$T/bad5.json"
expect 1 "section JSON, bad task state" -- "$CLI" --store "$C" case update "$CASE" --scope support_plan --file "$T/bad5.json" $CP
hasnot "$T/err" "秘密" "bad state not echoed"
printf '["秘密"]' >"$T/bad6.json"
expect 1 "section JSON, not an object" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/bad6.json" $CP
printf '{"wishes": {"wants": ["秘密の願い"]}}' >"$T/bad7.json"
expect 1 "section content outside its scope" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/bad7.json" $CP
hasnot "$T/err" "秘密" "library refusal not echoed"
/usr/bin/python3 -c 'import sys; sys.stdout.write("{\"text\": \"" + "a" * 1048577 + "\"}")' >"$T/big.json"
expect 1 "section JSON too large" -- "$CLI" --store "$C" case update "$CASE" --scope situation --file "$T/big.json" $CP
has "$T/err" "larger than" "too large message"
expect 1 "case update unknown case" -- "$CLI" --store "$C" case update $NOCASE --scope identity --file "$T/identity.json" $CP
expect 1 "case update unknown scope" -- "$CLI" --store "$C" case update "$CASE" --scope nonsense --file "$T/family.json" $CP
expect 2 "case update without scope" -- "$CLI" --store "$C" case update "$CASE" --file "$T/identity.json" $CP
expect 2 "case update, two scopes" -- "$CLI" --store "$C" case update "$CASE" --scope identity --scope wishes --file "$T/identity.json" $CP
expect 2 "case update, stdin twice" -- "$CLI" --store "$C" case update "$CASE" --scope identity --passphrase-file -
expect 1 "case update, missing file" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/nope.json" $CP

# reading
expect 0 "case show --scope" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose support_coordination $CP
has "$T/out" "スズキ ハナコ" "show has the name"
has "$T/out" "version 2" "show has the latest version"
has "$T/out" "090-0000-0000" "show has the latest content"
expect 0 "case show --scope --json" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose support_coordination --json $CP
isjson "$T/out" "case show --json"
has "$T/out" "\"person_id\": \"$PERSON\"" "show json person"
has "$T/out" '"writer_member": null' "written by the secretariat"
expect 0 "case show, whole case" -- "$CLI" --store "$C" case show "$CASE" --purpose support_coordination $CP
has "$T/out" "話し相手がほしい" "whole case has the wishes"
has "$T/out" "見守り訪問" "whole case has the plan"
has "$T/out" "元気そう" "whole case has the record"
has "$T/out" "長男" "whole case has the related person"
expect 0 "case show, whole case --json" -- "$CLI" --store "$C" case show "$CASE" --purpose support_coordination --json $CP
isjson "$T/out" "case show whole --json"
n=$(jcount "$T/out" 'len(d["sections"])')
[ "$n" = 5 ] && ok || bad "whole case: $n sections, want 5"
expect 0 "case show, related person" -- "$CLI" --store "$C" case show "$CASE" --scope family --person "$FAMILY" --purpose support_coordination $CP
has "$T/out" "長男" "related person's section"
expect 2 "case show without purpose" -- "$CLI" --store "$C" case show "$CASE" --scope identity $CP
expect 2 "case show --person without --scope" -- "$CLI" --store "$C" case show "$CASE" --person "$PERSON" --purpose x $CP
expect 2 "case show bad id" -- "$CLI" --store "$C" case show not-a-case --purpose x $CP
expect 1 "case show unknown case" -- "$CLI" --store "$C" case show $NOCASE --purpose x $CP
expect 1 "case show unknown case, scope" -- "$CLI" --store "$C" case show $NOCASE --scope identity --person "$PERSON" --purpose x $CP
expect 1 "case show, no such section" -- "$CLI" --store "$C" case show "$CASE" --scope health --purpose x $CP
expect 0 "case history" -- "$CLI" --store "$C" case history "$CASE" --scope identity --purpose audit_check $CP
has "$T/out" "version 1" "history has version 1"
has "$T/out" "version 2" "history has version 2"
expect 0 "case history --json" -- "$CLI" --store "$C" case history "$CASE" --scope identity --purpose audit_check --json $CP
isjson "$T/out" "case history --json"
n=$(jcount "$T/out" 'len(d)')
[ "$n" = 2 ] && ok || bad "history: $n versions, want 2"
expect 2 "case history without scope" -- "$CLI" --store "$C" case history "$CASE" --purpose x $CP
expect 0 "case list" -- "$CLI" --store "$C" case list $CP
has "$T/out" "^$CASE  open  *council " "list has the case"
has "$T/out" "^$CASE2  open  *support_meeting " "list has the support meeting case"
expect 0 "case list --json" -- "$CLI" --store "$C" case list --json $CP
isjson "$T/out" "case list --json"
n=$(jcount "$T/out" '[c["sections"] for c in d if c["id"] == "'"$CASE"'"][0]')
[ "$n" = 5 ] && ok || bad "case list: $n sections, want 5"
expect 0 "case info" -- "$CLI" --store "$C" case info "$CASE" $CP
has "$T/out" "^status:             open" "info status"
has "$T/out" "^owner:              $CCB" "info owner"
has "$T/out" "$FAMILY  family" "info persons"
hasnot "$T/out" "スズキ" "info has no content"
expect 0 "case info --json" -- "$CLI" --store "$C" case info "$CASE" --json $CP
isjson "$T/out" "case info --json"
expect 1 "case info unknown case" -- "$CLI" --store "$C" case info $NOCASE $CP
expect 0 "case status" -- "$CLI" --store "$C" case status "$CASE" monitoring $CP
expect 0 "case info after status" -- "$CLI" --store "$C" case info "$CASE" $CP
has "$T/out" "^status:             monitoring" "status changed"
expect 2 "case status erased" -- "$CLI" --store "$C" case status "$CASE" erased $CP
expect 2 "case status without a status" -- "$CLI" --store "$C" case status "$CASE" $CP
expect 1 "case status unknown case" -- "$CLI" --store "$C" case status $NOCASE open $CP

# find: the blind index folds kana and width
for n in "すずき はなこ" "ｽｽﾞｷﾊﾅｺ" "スズキハナコ"; do
    expect 0 "case find $n" -- "$CLI" --store "$C" case find --name "$n" $CP
    has "$T/out" "^$CASE  $PERSON  $CCB  yes" "find $n"
done
expect 0 "case find by name and birth date --json" -- "$CLI" --store "$C" case find --name "すずき はなこ" --birth-date 1948-02-29 --json $CP
isjson "$T/out" "case find --json"
has "$T/out" "\"case_id\": \"$CASE\"" "find by name and birth date"
expect 2 "case find by birth date alone (no such token)" -- "$CLI" --store "$C" case find --birth-date 1948-02-29 $CP
expect 2 "case find without a key" -- "$CLI" --store "$C" case find $CP
expect 1 "case find bad date" -- "$CLI" --store "$C" case find --name "すずき" --birth-date 1948-13-45 $CP
expect 0 "searches are audited without the name" -- "$CLI" --store "$C" audit show --action case_searched $CP
has "$T/out" "case_searched" "search audited"
hasnot "$T/out" "すずき" "no name in the log"

# shares and staff sessions
expect 1 "share outside the member's ceiling" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope health \
    --purpose support_coordination --basis appi_27_1_2_vital --reason "緊急" $CP
has "$T/err" "not entitled" "ceiling refusal message"
expect 1 "share on consent without consent id" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope identity \
    --purpose support_coordination --basis consent $CP
expect 2 "share without basis" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope identity --purpose x $CP
expect 2 "share bad consent id" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope identity --purpose x --basis consent --consent 12 $CP
expect 2 "share bad expiry" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope identity --purpose x --basis consent --expires soon $CP
expect 1 "share on an unknown consent record (no disclosure without a basis)" -- "$CLI" --store "$C" case share "$CASE" \
    --member "$CNPO" --scope identity --scope wishes \
    --purpose support_coordination --basis consent --consent 11111111-2222-4333-8444-555555555555 --expires 2099-01-01 $CP
has "$T/err" "disclosure policy" "policy refusal message"
expect 0 "case share" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope identity --scope wishes \
    --purpose support_coordination --basis appi_27_1_4_public_duty --reason "見守りのため" --expires 2099-01-01 $CP
expect 1 "case share twice" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope identity \
    --purpose support_coordination --basis council_art16_exchange --reason "協議会の合意" $CP
expect 0 "case info shows shares" -- "$CLI" --store "$C" case info "$CASE" --json $CP
n=$(jcount "$T/out" 'sum(s["active"] for s in d["shares"])')
[ "$n" = 2 ] && ok || bad "$n active shares, want 2"
expect 0 "staff reads a shared scope" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose support_coordination $NS
has "$T/out" "スズキ ハナコ" "staff sees the shared identity"
expect 1 "staff cannot read a scope not shared" -- "$CLI" --store "$C" case show "$CASE" --scope health --person "$PERSON" --purpose support_coordination $NS
has "$T/err" "not entitled" "refusal message"
expect 1 "staff cannot read the plan" -- "$CLI" --store "$C" case show "$CASE" --scope support_plan --purpose support_coordination $NS
expect 0 "staff reads what it may of the case" -- "$CLI" --store "$C" case show "$CASE" --purpose support_coordination --json $NS
isjson "$T/out" "staff whole case --json"
hasnot "$T/out" "見守り訪問" "staff does not see the plan"
has "$T/out" "話し相手がほしい" "staff sees the wishes"
expect 0 "staff case list" -- "$CLI" --store "$C" case list $NS
has "$T/out" "^$CASE " "shared case listed for the staff"
has "$T/out" "^$NCASE " "own case listed for the staff"
hasnot "$T/out" "^$CASE2 " "other case not listed for the staff"
expect 1 "staff case info, not shared" -- "$CLI" --store "$C" case info "$CASE2" $NS
expect 0 "staff writes a shared scope" -- "$CLI" --store "$C" case update "$CASE" --scope wishes --file "$T/wishes.json" $NS
expect 1 "staff cannot write a scope not shared" -- "$CLI" --store "$C" case update "$CASE" --scope support_record --file "$T/record.json" $NS
expect 1 "staff cannot share a case it does not own" -- "$CLI" --store "$C" case share "$CASE" --member "$CCB" --scope identity \
    --purpose x --basis consent --consent 11111111-2222-4333-8444-555555555555 $NS
expect 2 "staff cannot erase" -- "$CLI" --store "$C" case erase "$NCASE" --reason x --yes $NS
expect 2 "staff cannot rekey" -- "$CLI" --store "$C" case rekey "$NCASE" $NS
expect 0 "refused reads are audited" -- "$CLI" --store "$C" audit show --action section_decrypted $CP
has "$T/out" "refused" "refused read audited"
has "$T/out" "purpose=support_coordination" "purpose audited"
expect 0 "case revoke one scope" -- "$CLI" --store "$C" case revoke "$CASE" --member "$CNPO" --scope identity --reason consent_withdrawn $CP
expect 1 "revoked: staff cannot read it" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose support_coordination $NS
expect 0 "revoked one: the other scope still readable" -- "$CLI" --store "$C" case show "$CASE" --scope wishes --purpose support_coordination $NS
expect 0 "case revoke the rest" -- "$CLI" --store "$C" case revoke "$CASE" --member "$CNPO" --reason consent_withdrawn $CP
expect 1 "revoked all: staff cannot read" -- "$CLI" --store "$C" case show "$CASE" --scope wishes --person "$PERSON" --purpose support_coordination $NS
expect 1 "case revoke with nothing to revoke" -- "$CLI" --store "$C" case revoke "$CASE" --member "$CNPO" --reason consent_withdrawn $CP
expect 2 "case revoke without reason" -- "$CLI" --store "$C" case revoke "$CASE" --member "$CNPO" $CP
expect 0 "secretariat still reads after revocation" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose support_coordination $CP

# consent (同意) and disclosure
printf 'signed consent form' >"$T/form.pdf"
EVID=$(sha256sum "$T/form.pdf" | cut -d' ' -f1)
DISC="disclose $CASE --member $CNPO --purpose support_coordination"
expect 0 "consent record" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope identity \
    --purpose support_coordination --purpose joint_support --method written --evidence-sha256 "$EVID" $CP
has "$T/out" "^$UUID\$" "consent record prints the record id"
CONSENT=$(cat "$T/out")
expect 0 "disclose --dry-run, covered" -- "$CLI" --store "$C" $DISC --scope identity --basis consent --consent "$CONSENT" --dry-run $CP
has "$T/out" "^allowed: consent_covers\$" "dry run allowed"
expect 0 "disclose --dry-run --json, covered" -- "$CLI" --store "$C" $DISC --scope identity --basis consent --consent "$CONSENT" --dry-run --json $CP
isjson "$T/out" "disclose --dry-run --json"
[ "$(jcount "$T/out" 'd["allowed"], d["reason"]')" = "(True, 'consent_covers')" ] && ok || bad "dry run json: $(cat "$T/out")"
expect 1 "disclose --dry-run, scope not covered" -- "$CLI" --store "$C" $DISC --scope identity --scope wishes --basis consent --consent "$CONSENT" --dry-run $CP
has "$T/out" "^refused: scope_not_covered\$" "dry run refused"
expect 1 "disclose --dry-run --json, refused" -- "$CLI" --store "$C" $DISC --scope wishes --basis consent --consent "$CONSENT" --dry-run --json $CP
isjson "$T/out" "refused dry run --json"
[ "$(jcount "$T/out" 'd["allowed"], d["reason"]')" = "(False, 'scope_not_covered')" ] && ok || bad "refused dry run json: $(cat "$T/out")"
expect 1 "disclose --dry-run, purpose not covered" -- "$CLI" --store "$C" disclose "$CASE" --member "$CNPO" --scope identity --purpose referral \
    --basis consent --consent "$CONSENT" --dry-run $CP
has "$T/out" "^refused: purpose_not_covered\$" "purpose not covered"
expect 1 "disclose --dry-run, vital interest without a second approver" -- "$CLI" --store "$C" $DISC --scope identity \
    --basis appi_27_1_2_vital --reason "急病" --dry-run $CP
has "$T/out" "^refused: second_approver_required\$" "vital needs a second approver"
expect 0 "disclose --dry-run, vital interest with a second approver" -- "$CLI" --store "$C" $DISC --scope identity \
    --basis appi_27_1_2_vital --reason "急病" --second-approver "$NST" --dry-run $CP
has "$T/out" "^allowed: legal_basis_with_reason\$" "vital with a second approver"
expect 1 "a dry run shares nothing" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose support_coordination $NS
expect 0 "disclose" -- "$CLI" --store "$C" $DISC --scope identity --basis consent --consent "$CONSENT" $CP
has "$T/err" "shared 1 scope with member $CNPO" "disclose shares"
expect 0 "case info shows the consent" -- "$CLI" --store "$C" case info "$CASE" $CP
has "$T/out" "active  purpose=support_coordination basis=consent .* consent=$CONSENT" "share rests on the consent"
expect 0 "staff reads the disclosed scope" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose support_coordination $NS
has "$T/out" "スズキ ハナコ" "staff sees the disclosed identity"
expect 0 "consent show" -- "$CLI" --store "$C" consent show "$CONSENT" $CP
has "$T/out" "^status:             active\$" "consent active"
has "$T/out" "^subject person:     $PERSON\$" "consent subject defaults to the person supported"
has "$T/out" "^recipients:         $CNPO\$" "consent recipient"
has "$T/out" "^purposes:           support_coordination,joint_support\$" "consent purposes"
has "$T/out" "^method:             written\$" "consent method"
has "$T/out" "^evidence sha256:    $EVID\$" "consent evidence hash"
has "$T/out" "^recorded:           .* by the secretariat\$" "recorded by the secretariat"
expect 0 "consent withdraw" -- "$CLI" --store "$C" consent withdraw "$CONSENT" --reason "本人の申し出" $CP
has "$T/err" "consent withdrawn" "withdraw note"
expect 1 "staff read after the withdrawal" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose support_coordination $NS
expect 1 "consent withdraw twice" -- "$CLI" --store "$C" consent withdraw "$CONSENT" --reason again $CP
expect 1 "disclose --dry-run after the withdrawal" -- "$CLI" --store "$C" $DISC --scope identity --basis consent --consent "$CONSENT" --dry-run $CP
has "$T/out" "^refused: consent_withdrawn\$" "withdrawn consent covers nothing"
expect 0 "consent list" -- "$CLI" --store "$C" consent list "$CASE" $CP
has "$T/out" "^$CONSENT  withdrawn  $PERSON " "list has the withdrawn record"
has "$T/out" "scopes=identity purposes=support_coordination,joint_support recipients=1" "list covers"
has "$T/out" "^  reason: *本人の申し出\$" "list has the withdrawal reason"
expect 0 "consent list --json" -- "$CLI" --store "$C" consent list "$CASE" --json $CP
isjson "$T/out" "consent list --json"
[ "$(jcount "$T/out" 'd[0]["status"], d[0]["withdrawal"]["reason"], d[0]["evidence_sha256"]')" = "('withdrawn', '本人の申し出', '$EVID')" ] \
    && ok || bad "consent list json: $(cat "$T/out")"
expect 0 "consent show --json" -- "$CLI" --store "$C" consent show "$CONSENT" --json $CP
isjson "$T/out" "consent show --json"
[ "$(jcount "$T/out" 'd["id"], d["person_id"], d["recipient_members"]')" = "('$CONSENT', '$PERSON', ['$CNPO'])" ] \
    && ok || bad "consent show json: $(cat "$T/out")"
expect 0 "consent record again" -- "$CLI" --store "$C" consent record "$CASE" --person "$PERSON" --member "$CNPO" --member "$CCB" \
    --scope identity --scope wishes --purpose support_coordination --grantor guardian --grantor-name "後見人 山田" \
    --method oral --valid-from 2026-01-01 --valid-until 2099-01-01 --obtained-by "$NST" $CP
CONSENT2=$(cat "$T/out")
expect 0 "covered by the new consent" -- "$CLI" --store "$C" $DISC --scope identity --scope wishes --basis consent --consent "$CONSENT2" --dry-run $CP
has "$T/out" "^allowed: consent_covers\$" "new consent covers"
expect 0 "consent refuse" -- "$CLI" --store "$C" consent refuse "$CASE" --member "$CNPO" --scope wishes --method oral $CP
has "$T/out" "^$UUID\$" "consent refuse prints the record id"
REFUSAL=$(cat "$T/out")
expect 1 "disclose --dry-run after a refusal" -- "$CLI" --store "$C" $DISC --scope wishes --basis consent --consent "$CONSENT2" --dry-run $CP
has "$T/out" "^refused: consent_refused\$" "refusal overrides consent"
expect 1 "disclose after a refusal" -- "$CLI" --store "$C" $DISC --scope wishes --basis consent --consent "$CONSENT2" $CP
has "$T/err" "disclosure policy" "refused disclosure message"
expect 0 "the refusal leaves the other scope" -- "$CLI" --store "$C" $DISC --scope identity --basis consent --consent "$CONSENT2" --dry-run $CP
expect 0 "consent show, a refusal" -- "$CLI" --store "$C" consent show "$REFUSAL" $CP
has "$T/out" "^record:             refusal" "refusal record"
has "$T/out" "^purposes:           all\$" "refusal of every purpose"
expect 0 "consent show, a guardian's consent" -- "$CLI" --store "$C" consent show "$CONSENT2" $CP
has "$T/out" "^grantor:            guardian (後見人 山田)\$" "guardian named"
has "$T/out" "^valid:              from 2026-01-01T00:00:00Z until 2099-01-01T00:00:00Z\$" "validity"
has "$T/out" "^obtained by:        $NST\$" "obtained by"
expect 1 "a refusal is not withdrawn" -- "$CLI" --store "$C" consent withdraw "$REFUSAL" --reason x $CP
expect 0 "consent, staff session of the owner" -- "$CLI" --store "$C" consent record "$NCASE" --member "$CCB" --scope identity \
    --purpose referral --method electronic $NS
NCONSENT=$(cat "$T/out")
expect 0 "consent list, staff session" -- "$CLI" --store "$C" consent list "$NCASE" --json $NS
[ "$(jcount "$T/out" 'd[0]["id"], d[0]["recorded_by_staff"], d[0]["obtained_by"]')" = "('$NCONSENT', '$NST', '$NST')" ] \
    && ok || bad "staff consent list: $(cat "$T/out")"
expect 1 "consent, staff session of another member" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope identity \
    --purpose referral --method oral $NS
expect 1 "consent list, staff session of another member" -- "$CLI" --store "$C" consent list "$CASE" $NS
expect 0 "consents are audited" -- "$CLI" --store "$C" audit show --action consent_withdrawn $CP
has "$T/out" "consent_withdrawn" "withdrawal audited"
hasnot "$T/out" "本人の申し出" "no reason in the log"
# bad input
expect 1 "consent record, unknown purpose" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope identity --purpose gossip --method oral $CP
expect 1 "consent record, other without its text" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope identity --purpose other --method oral $CP
expect 1 "consent record, guardian without a name" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope identity \
    --purpose referral --grantor guardian --method oral $CP
expect 1 "consent record, validity over" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope identity \
    --purpose referral --valid-until 2001-01-01 --method oral $CP
expect 1 "consent record, unknown scope" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope nonsense --purpose referral --method oral $CP
expect 1 "consent record, unknown case" -- "$CLI" --store "$C" consent record $NOCASE --member "$CNPO" --scope identity --purpose referral --method oral $CP
expect 1 "consent record, unknown member" -- "$CLI" --store "$C" consent record "$CASE" --member $NOCASE --scope identity --purpose referral --method oral $CP
expect 2 "consent record without --method" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope identity --purpose referral $CP
has "$T/err" "needs --method" "method message"
expect 2 "consent record, unknown method" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope identity --purpose referral --method telepathy $CP
expect 2 "consent record without recipient" -- "$CLI" --store "$C" consent record "$CASE" --scope identity --purpose referral --method oral $CP
expect 2 "consent record without scope" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --purpose referral --method oral $CP
expect 2 "consent record, unknown grantor" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope identity --purpose referral --grantor friend --method oral $CP
expect 2 "consent record, short evidence hash" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope identity --purpose referral --method oral --evidence-sha256 abcd $CP
has "$T/err" "64 hex digits" "evidence hash message"
expect 2 "consent record, evidence hash not hex" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope identity --purpose referral --method oral \
    --evidence-sha256 "$(printf 'g%.0s' $(seq 64))" $CP
expect 2 "consent record, bad time" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope identity --purpose referral --method oral --valid-until soon $CP
expect 2 "consent record, bad member id" -- "$CLI" --store "$C" consent record "$CASE" --member 12 --scope identity --purpose referral --method oral $CP
expect 2 "consent refuse without --method" -- "$CLI" --store "$C" consent refuse "$CASE" $CP
expect 2 "consent record, json" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope identity --purpose referral --method oral --json $CP
expect 1 "consent show, unknown id" -- "$CLI" --store "$C" consent show $NOCASE $CP
expect 1 "consent withdraw, unknown id" -- "$CLI" --store "$C" consent withdraw $NOCASE --reason x $CP
expect 2 "consent show, bad id" -- "$CLI" --store "$C" consent show not-an-id $CP
expect 2 "consent withdraw without reason" -- "$CLI" --store "$C" consent withdraw "$CONSENT2" $CP
expect 2 "consent withdraw, bad date" -- "$CLI" --store "$C" consent withdraw "$CONSENT2" --reason x --date soon $CP
expect 2 "unknown consent command" -- "$CLI" --store "$C" consent frob $CP
expect 2 "consent without a command" -- "$CLI" --store "$C" consent $CP
expect 1 "disclose, unknown purpose" -- "$CLI" --store "$C" disclose "$CASE" --member "$CNPO" --scope identity --purpose gossip \
    --basis consent --consent "$CONSENT2" --dry-run $CP
expect 1 "disclose --dry-run, unknown consent record" -- "$CLI" --store "$C" $DISC --scope identity --basis consent --consent $NOCASE --dry-run $CP
has "$T/out" "^refused: consent_not_found\$" "unknown consent record"
expect 2 "disclose without basis" -- "$CLI" --store "$C" $DISC --scope identity --dry-run $CP
expect 2 "disclose without a case" -- "$CLI" --store "$C" disclose --member "$CNPO" --scope identity --purpose referral --basis consent $CP
expect 2 "disclose --json without --dry-run" -- "$CLI" --store "$C" $DISC --scope identity --basis consent --consent "$CONSENT2" --json $CP
expect 2 "disclose, two members" -- "$CLI" --store "$C" $DISC --member "$CCB" --scope identity --basis consent --consent "$CONSENT2" --dry-run $CP
expect 2 "disclose, bad second approver" -- "$CLI" --store "$C" $DISC --scope identity --basis appi_27_1_2_vital --reason x --second-approver x --dry-run $CP
expect 2 "case share, two purposes" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope identity --purpose referral --purpose statistics \
    --basis consent --consent "$CONSENT2" $CP
expect 2 "case share --dry-run" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope identity --purpose referral \
    --basis consent --consent "$CONSENT2" --dry-run $CP
expect 2 "purpose-text on case show" -- "$CLI" --store "$C" case show "$CASE" --purpose other --purpose-text x $CP
expect 0 "case share --purpose-text" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope identity --purpose other \
    --purpose-text "見守りの調整" --basis appi_27_1_4_public_duty --reason "見守りのため" $CP
expect 0 "case revoke the share for other" -- "$CLI" --store "$C" case revoke "$CASE" --member "$CNPO" --reason support_ended $CP

# meetings (会議) and the platform report
MTADD="--scope identity --purpose meeting_discussion --basis appi_27_1_4_public_duty --reason 支援会議での検討"
expect 1 "before the meeting the npo cannot read the identity" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose meeting_discussion $NS
expect 0 "meeting create" -- "$CLI" --store "$C" meeting create --body support_meeting --starts 2026-01-01 --ends 2099-01-01T12:00:00Z \
    --member "$CNPO" $CP
has "$T/out" "^meeting $UUID\$" "meeting create prints the meeting id"
MEET=$(sed -n 's/^meeting //p' "$T/out")
expect 0 "meeting add-case" -- "$CLI" --store "$C" meeting add-case "$MEET" "$CASE" --member "$CNPO" $MTADD $CP
has "$T/err" "on the agenda for member $CNPO: 1 scope, until the meeting ends" "add-case note"
expect 0 "the attendee's staff reads the scope" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose meeting_discussion $NS
has "$T/out" "スズキ ハナコ" "attendee's staff sees the identity"
expect 1 "but not a scope not on the agenda" -- "$CLI" --store "$C" case show "$CASE" --scope wishes --person "$PERSON" --purpose meeting_discussion $NS
expect 0 "the meeting's share ends with the meeting" -- "$CLI" --store "$C" case info "$CASE" $CP
has "$T/out" "^  $CNPO  identity  *active  purpose=meeting_discussion basis=appi_27_1_4_public_duty .* expires=2099-01-01T12:00:00Z\$" \
    "share expires at the meeting's end"
expect 0 "meeting show" -- "$CLI" --store "$C" meeting show "$MEET" $CP
has "$T/out" "^id:                 $MEET\$" "meeting show id"
has "$T/out" "^body:               support_meeting\$" "meeting show body"
has "$T/out" "^ends:               2099-01-01T12:00:00Z\$" "meeting show window"
has "$T/out" "^status:             open\$" "meeting open"
has "$T/out" "^attendees:          $CNPO\$" "meeting show attendee"
has "$T/out" "^  case $CASE  member $CNPO  basis=appi_27_1_4_public_duty scopes=identity\$" "meeting show lists the item"
hasnot "$T/out" "支援会議での検討" "meeting show has no reason"
expect 0 "meeting show --json" -- "$CLI" --store "$C" meeting show "$MEET" --json $CP
isjson "$T/out" "meeting show --json"
[ "$(jcount "$T/out" 'd["id"], d["body"], d["status"], d["closed"], d["attendees"], [(i["case_id"], i["attendee"], i["scopes"], i["basis"]) for i in d["items"]]')" = \
  "('$MEET', 'support_meeting', 'open', None, ['$CNPO'], [('$CASE', '$CNPO', ['identity'], 'appi_27_1_4_public_duty')])" ] \
    && ok || bad "meeting show json: $(cat "$T/out")"
expect 0 "meeting packet" -- "$CLI" --store "$C" meeting packet "$MEET" --member "$CNPO" --out "$T/packet" $CP
has "$T/err" "meeting packet for member $CNPO written to" "packet note"
[ -s "$T/packet" ] && ok || bad "meeting packet is empty"
perm=$(stat -c %a "$T/packet"); [ "$perm" = 600 ] && ok || bad "packet mode $perm, want 600"
hasnot "$T/packet" "スズキ" "the packet is sealed"
cp "$T/packet" "$T/packet.before"
expect 1 "meeting packet over a file" -- "$CLI" --store "$C" meeting packet "$MEET" --member "$CNPO" --out "$T/packet" $CP
cmp -s "$T/packet" "$T/packet.before" && ok || bad "a refused packet changed the file"
expect 1 "meeting packet for a member not attending" -- "$CLI" --store "$C" meeting packet "$MEET" --member "$CCB" --out "$T/packet2" $CP
[ ! -e "$T/packet2" ] && ok || bad "a refused packet left a file"
expect 1 "meeting add-case for a member not attending" -- "$CLI" --store "$C" meeting add-case "$MEET" "$CASE" --member "$CCB" $MTADD $CP
has "$T/err" "does not attend" "non-attendee message"
expect 0 "meetings are audited" -- "$CLI" --store "$C" audit show $CP
has "$T/out" "meeting_opened .* reason=support_meeting" "meeting opened audited"
has "$T/out" "bundle_exported .* member=$(echo "$CNPO" | tr -d -) reason=meeting_packet" "packet audited"
has "$T/out" "disclosure_refused .* reason=not_an_attendee" "non-attendee refusal audited"
hasnot "$T/out" "支援会議での検討" "no reason in the log"
expect 0 "meeting close" -- "$CLI" --store "$C" meeting close "$MEET" $CP
has "$T/err" "meeting closed" "close note"
expect 1 "after the close the attendee's staff cannot read" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose meeting_discussion $NS
expect 0 "meeting show after the close" -- "$CLI" --store "$C" meeting show "$MEET" $CP
has "$T/out" "^status:             closed\$" "meeting closed"
has "$T/out" "^closed:             " "closing time shown"
expect 1 "meeting close twice" -- "$CLI" --store "$C" meeting close "$MEET" $CP
expect 1 "meeting add-case to a closed meeting" -- "$CLI" --store "$C" meeting add-case "$MEET" "$CASE" --member "$CNPO" $MTADD $CP
has "$T/err" "closed" "closed meeting message"
expect 1 "meeting packet of a closed meeting" -- "$CLI" --store "$C" meeting packet "$MEET" --member "$CNPO" --out "$T/packet3" $CP
[ ! -e "$T/packet3" ] && ok || bad "a refused packet left a file"
expect 0 "meeting create, joint meeting with the platform" -- "$CLI" --store "$C" meeting create --body joint_platform \
    --starts "$(date +%s)" --ends 2099-01-01 --member "$CNPO" --member "$CCB" --json $CP
isjson "$T/out" "meeting create --json"
JOINT=$(jcount "$T/out" 'd["meeting_id"]')
expect 0 "joint meeting shown" -- "$CLI" --store "$C" meeting show "$JOINT" --json $CP
[ "$(jcount "$T/out" 'd["body"], sorted(d["attendees"]) == sorted(["'"$CNPO"'", "'"$CCB"'"]), d["items"]')" = "('joint_platform', True, [])" ] \
    && ok || bad "joint meeting json: $(cat "$T/out")"
expect 1 "a joint meeting with the platform takes no case" -- "$CLI" --store "$C" meeting add-case "$JOINT" "$CASE" --member "$CNPO" $MTADD $CP
has "$T/err" "takes no case" "joint meeting message"
expect 1 "meeting create, window over" -- "$CLI" --store "$C" meeting create --body council --starts 2020-01-01 --ends 2021-01-01 --member "$CNPO" $CP
expect 1 "meeting create, unknown member" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 --ends 2099-01-01 --member $NOCASE $CP
expect 1 "meeting show, unknown meeting" -- "$CLI" --store "$C" meeting show $NOCASE $CP
expect 1 "meeting add-case, unknown case" -- "$CLI" --store "$C" meeting add-case "$JOINT" $NOCASE --member "$CNPO" $MTADD $CP
expect 2 "meeting create without --ends" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 --member "$CNPO" $CP
expect 2 "meeting create without a member" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 --ends 2099-01-01 $CP
expect 2 "meeting create, unknown body" -- "$CLI" --store "$C" meeting create --body needs_of_poor_meeting --starts 2026-01-01 --ends 2099-01-01 --member "$CNPO" $CP
expect 2 "meeting create, bad time" -- "$CLI" --store "$C" meeting create --body council --starts soon --ends 2099-01-01 --member "$CNPO" $CP
expect 2 "meeting create, bad member id" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 --ends 2099-01-01 --member 12 $CP
expect 2 "meeting create, staff session" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 --ends 2099-01-01 --member "$CNPO" $NS
expect 2 "meeting add-case without a case" -- "$CLI" --store "$C" meeting add-case "$JOINT" --member "$CNPO" $MTADD $CP
expect 2 "meeting add-case without --basis" -- "$CLI" --store "$C" meeting add-case "$JOINT" "$CASE" --member "$CNPO" --scope identity --purpose meeting_discussion $CP
expect 2 "meeting add-case, two members" -- "$CLI" --store "$C" meeting add-case "$JOINT" "$CASE" --member "$CNPO" --member "$CCB" $MTADD $CP
expect 2 "meeting add-case --expires" -- "$CLI" --store "$C" meeting add-case "$JOINT" "$CASE" --member "$CNPO" $MTADD --expires 2099-01-01 $CP
expect 2 "meeting add-case, bad consent id" -- "$CLI" --store "$C" meeting add-case "$JOINT" "$CASE" --member "$CNPO" $MTADD --consent 12 $CP
expect 2 "meeting packet without --out" -- "$CLI" --store "$C" meeting packet "$JOINT" --member "$CNPO" $CP
expect 2 "meeting show, bad id" -- "$CLI" --store "$C" meeting show not-a-meeting $CP
expect 2 "meeting close --json" -- "$CLI" --store "$C" meeting close "$JOINT" --json $CP
expect 2 "unknown meeting command" -- "$CLI" --store "$C" meeting frob $CP
expect 2 "meeting without a command" -- "$CLI" --store "$C" meeting $CP
expect 0 "report platform" -- "$CLI" --store "$C" report platform $CP
has "$T/out" "^cases_by_age_band_and_status," "csv by default"
expect 0 "report platform --format json" -- "$CLI" --store "$C" report platform --format json $CP
isjson "$T/out" "report platform --format json"
[ "$(jcount "$T/out" 'd["report"], d["k"], len(d["tables"])')" = "('platform', 5, 5)" ] && ok || bad "report json: $(cat "$T/out")"
if grep -Eq '[0-9a-f]{8}-[0-9a-f]{4}' "$T/out"; then bad "report has an id"; else ok; fi
if grep -Eq '[0-9]{4}-[0-9]{2}-[0-9]{2}' "$T/out"; then bad "report has a date finer than a month"; else ok; fi
hasnot "$T/out" "スズキ" "report has no name"
expect 0 "report platform --k 10" -- "$CLI" --store "$C" report platform --k 10 --format json $CP
[ "$(jcount "$T/out" 'd["k"], d["tables"][0]["total"]')" = "(10, None)" ] && ok || bad "report --k 10: $(cat "$T/out")"
expect 2 "report platform --k 2" -- "$CLI" --store "$C" report platform --k 2 $CP
expect 2 "report platform --k 1001" -- "$CLI" --store "$C" report platform --k 1001 $CP
expect 2 "report platform --k x" -- "$CLI" --store "$C" report platform --k x $CP
expect 2 "report platform --format xml" -- "$CLI" --store "$C" report platform --format xml $CP
expect 2 "report platform --json" -- "$CLI" --store "$C" report platform --json $CP
expect 2 "unknown report" -- "$CLI" --store "$C" report frob $CP
expect 1 "report platform, staff session" -- "$CLI" --store "$C" report platform $NS
has "$T/err" "report_platform" "staff report refusal message"
expect 0 "reports are audited" -- "$CLI" --store "$C" audit show --action report_produced $CP
has "$T/out" "report_produced .* purpose=statistics" "report audited"

# keys
expect 0 "case rekey" -- "$CLI" --store "$C" case rekey "$CASE" $CP
expect 0 "read after case rekey" -- "$CLI" --store "$C" case history "$CASE" --scope identity --purpose audit_check $CP
has "$T/out" "version 2" "history survives the rekey"
expect 1 "case rekey unknown case" -- "$CLI" --store "$C" case rekey $NOCASE $CP
expect 0 "rekey database" -- "$CLI" --store "$C" rekey database $CP
expect 0 "read after database rekey" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose support_coordination $CP
has "$T/out" "スズキ ハナコ" "content after database rekey"
expect 0 "rekey root" -- "$CLI" --store "$C" rekey root --new-passphrase-file "$T/pass2" $CHEAP $CP
expect 1 "old passphrase after rekey root" -- "$CLI" --store "$C" case list $CP
CP="--passphrase-file $T/pass2"
expect 0 "read after rekey root" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose support_coordination $CP
has "$T/out" "スズキ ハナコ" "content after rekey root"
expect 0 "staff session after rekey root" -- "$CLI" --store "$C" case list $NS
expect 2 "rekey root, no new passphrase source" -- setsid -w "$CLI" --store "$C" rekey root $CP
expect 2 "rekey root, new root key on a passphrase council" -- "$CLI" --store "$C" rekey root --new-root-key-file "$T/wrongkey" $CP
expect 2 "rekey database, staff session" -- "$CLI" --store "$C" rekey database $NS
expect 2 "unknown rekey command" -- "$CLI" --store "$C" rekey frob $CP
expect 2 "rekey root without new key file" -- "$CLI" --store "$K" rekey root --root-key-file "$T/key"
expect 0 "rekey root, integrator's key" -- "$CLI" --store "$K" rekey root --root-key-file "$T/key" --new-root-key-file "$T/wrongkey"
expect 1 "old root key after rekey root" -- "$CLI" --store "$K" info --root-key-file "$T/key"
expect 0 "new root key after rekey root" -- "$CLI" --store "$K" info --root-key-file "$T/wrongkey"

# nothing in clear on disk
for f in "$C"/*; do
    if grep -q "スズキ" "$f"; then bad "case content in clear in $(basename "$f")"; else ok; fi
done

# erasure
expect 2 "case erase without --yes" -- "$CLI" --store "$C" case erase "$CASE" --reason retention_expired $CP
has "$T/err" "cannot be undone" "erase asks for --yes"
expect 0 "case still there" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose support_coordination $CP
expect 2 "case erase without reason" -- "$CLI" --store "$C" case erase "$CASE" --yes $CP
expect 2 "--yes elsewhere" -- "$CLI" --store "$C" case list --yes $CP
expect 0 "case erase" -- "$CLI" --store "$C" case erase "$CASE" --reason retention_expired --yes $CP
expect 1 "show after erase" -- "$CLI" --store "$C" case show "$CASE" --purpose support_coordination $CP
expect 1 "show a section after erase" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose support_coordination $CP
expect 1 "erase twice" -- "$CLI" --store "$C" case erase "$CASE" --reason retention_expired --yes $CP
expect 1 "update after erase" -- "$CLI" --store "$C" case update "$CASE" --scope identity --person "$PERSON" --file "$T/identity.json" $CP
expect 0 "info after erase" -- "$CLI" --store "$C" case info "$CASE" $CP
has "$T/out" "^status:             erased" "erased status"
expect 0 "find after erase" -- "$CLI" --store "$C" case find --name "スズキ ハナコ" $CP
hasnot "$T/out" "$CASE" "erased case not found"
expect 0 "export after erasure" -- "$CLI" --store "$C" audit export --out "$T/cexport" $CP
"$CLI" --store "$C" info $CP | sed -n 's/^log public key: *//p' >"$T/cvkey"
expect 0 "the log still verifies after erasure" -- "$CLI" audit verify "$T/cexport" --key @"$T/cvkey"
expect 2 "unknown case command" -- "$CLI" --store "$C" case frob $CP
expect 2 "json on case share" -- "$CLI" --store "$C" case share "$CASE" --json $CP
expect 2 "purpose on case list" -- "$CLI" --store "$C" case list --purpose x $CP
unset COUNCIL_MEMBER_PASSPHRASE

# -- several processes at once: no call fails on a lock (each waits, boundedly)
conc() { # conc TAG N: N calls of info, failures' messages into $T/conc.TAG
    i=0; : >"$T/conc.$1"
    while [ "$i" -lt "$2" ]; do
        "$CLI" --store "$M" info $MP >/dev/null 2>"$T/conc.$1.err" ||
            { echo "exit $?: $(cat "$T/conc.$1.err")" >>"$T/conc.$1"; }
        i=$((i + 1))
    done
}
conc a 30 & p1=$!; conc b 30 & p2=$!; conc c 30 & p3=$!
wait $p1 $p2 $p3
cat "$T/conc.a" "$T/conc.b" "$T/conc.c" >"$T/conc"
[ ! -s "$T/conc" ] && ok || { bad "concurrent opens failed:"; sed 's/^/  | /' "$T/conc"; }

# -- a re-key while others work: they are told so, never "wrong key" or
#    "not a database"
conc a 25 & p1=$!; conc b 25 & p2=$!
j=0; : >"$T/rk"
while [ "$j" -lt 5 ]; do
    "$CLI" --store "$M" rekey database $MP >/dev/null 2>>"$T/rk" || echo "rekey exit $?" >>"$T/rk"
    j=$((j + 1))
done
wait $p1 $p2
cat "$T/conc.a" "$T/conc.b" >"$T/conc"
if grep -v "re-keyed by another session: open it again" "$T/conc" | grep -q .; then
    bad "a session during a re-key:"; sed 's/^/  | /' "$T/conc"; else ok; fi
hasnot "$T/rk" "rekey exit" "re-key beside other sessions"
expect 0 "the store after concurrent re-keys" -- "$CLI" --store "$M" info $MP

echo "cli-test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
