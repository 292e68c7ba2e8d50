# audit.sh - the audit log, as a secretariat and an auditor use it.
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it).

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
expect 5 "verify checkpoint, other key" -- "$CLI" audit verify "$T/cp1" --key @"$T/vkey2"
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
expect 5 "cosignature missing" -- "$CLI" audit verify "$T/cp2" --key @"$T/vkey" --witness @"$T/wvkey" --require 1
expect 1 "witness refuses a rollback" -- "$CLI" audit witness --old "$T/cp2" --new "$T/cp1" \
    --key @"$T/vkey" --witness-key "$T/wkey" --name witness.example/w1
expect 2 "require more than witnesses" -- "$CLI" audit verify "$T/cp2" --key @"$T/vkey" --require 1

# Proofs against checkpoints; a kept checkpoint; cosignatures stored back.
expect 0 "inclusion proof at cp2" -- "$CLI" --store "$A" audit prove --index 1 --size "$new" --passphrase-file "$T/pass1"
cp "$T/out" "$T/inclusion"
expect 0 "verify inclusion proof" -- "$CLI" audit verify "$T/inclusion" --checkpoint "$T/cp2" --key @"$T/vkey"
has "$T/out" "^verified proof:" "inclusion verified"
expect 5 "inclusion proof against the wrong checkpoint" -- "$CLI" audit verify "$T/inclusion" --checkpoint "$T/cp1" --key @"$T/vkey"
expect 2 "proof without checkpoint" -- "$CLI" audit verify "$T/inclusion" --key @"$T/vkey"
expect 0 "verify consistency proof" -- "$CLI" audit verify "$T/proof" --checkpoint "$T/cp2" --old "$T/cp1" --key @"$T/vkey"
expect 1 "consistency proof without the old checkpoint" -- "$CLI" audit verify "$T/proof" --checkpoint "$T/cp2" --key @"$T/vkey"
expect 5 "checkpoint older than the one kept" -- "$CLI" audit verify "$T/cp1" --old "$T/cp2" --key @"$T/vkey"
has "$T/err" "rolled back" "rollback message"
expect 2 "witness needs its options" -- "$CLI" audit witness --old "$T/cp1" --new "$T/cp2" --key @"$T/vkey"
expect 1 "witness without proof" -- "$CLI" audit witness --old "$T/cp1" --new "$T/cp2" \
    --key @"$T/vkey" --witness-key "$T/wkey" --name witness.example/w1
has "$T/err" "consistency proof is needed" "missing proof message"
expect 0 "store cosignatures" -- "$CLI" --store "$A" audit add-cosignatures "$T/cp2.cosigned" --passphrase-file "$T/pass1"
expect 5 "store another council's checkpoint" -- "$CLI" --store "$T/s2" audit add-cosignatures "$T/cp2.cosigned" --passphrase-file "$T/pass2"
expect 0 "export with cosignatures" -- "$CLI" --store "$A" audit export --out "$T/export2" --passphrase-file "$T/pass1"
expect 0 "verify export requiring a cosignature" -- "$CLI" audit verify "$T/export2" --key @"$T/vkey" --witness @"$T/wvkey" --require 1 --old "$T/cp2"
has "$T/out" "1 cosignatures on a checkpoint" "cosignature counted in export"
expect 5 "first export lacks the cosignature" -- "$CLI" audit verify "$T/export" --key @"$T/vkey" --witness @"$T/wvkey" --require 1

