# retention.sh - the retention schedule and its passes (issue 16):
# retention show, set, due, apply. Its own store ($T/retention), so that a
# pass erases nothing the other parts use; sourced by tests/cli-test.sh
# (after lib.sh and the scripts before it: $NS and $C are case.sh's).

R=$T/retention
RP="--passphrase-file $T/pass1"
rj() { /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null; }
expect 0 "retention: store" -- "$CLI" --store "$R" init --name "北町 協議会" $RP $CHEAP
expect 0 "retention: secretariat" -- "$CLI" --store "$R" member add --name "北町 福祉課" \
    --kind municipal_department --roles secretariat,coordinating_body \
    --scopes identity,wishes,support_plan $RP
RCB=$(cat "$T/out")
expect 0 "retention: keys" -- "$CLI" --store "$R" member keygen "$RCB" --out "$T/rcb.key" \
    --member-passphrase-file "$T/mpass" $CHEAP $RP
printf '{"text": "残す記録"}\n' >"$T/ret-keep.json"
printf '{"text": "消える記録"}\n' >"$T/ret-gone.json"
newcase() { # BODY -> the case id in $RC
    expect 0 "retention: case ($1)" -- "$CLI" --store "$R" case create --owner "$RCB" --body "$1" $RP
    RC=$(head -1 "$T/out")
}
newcase council;         GONE=$RC
newcase support_meeting; OTHER=$RC
newcase council;         OPEN=$RC
expect 0 "retention: section (due)" -- "$CLI" --store "$R" case update "$GONE" --scope wishes --file "$T/ret-gone.json" $RP
expect 0 "retention: section (kept)" -- "$CLI" --store "$R" case update "$OTHER" --scope wishes --file "$T/ret-keep.json" $RP
expect 0 "retention: close" -- "$CLI" --store "$R" case status "$GONE" closed $RP
expect 0 "retention: close other body" -- "$CLI" --store "$R" case status "$OTHER" closed $RP

# the schedule
expect 0 "retention show (none)" -- "$CLI" --store "$R" retention show $RP
has "$T/out" "every case is kept" "no schedule: kept"
expect 0 "retention due (no schedule)" -- "$CLI" --store "$R" retention due $RP
has "$T/out" "no case is due" "nothing due without a schedule"
expect 2 "retention set without a period" -- "$CLI" --store "$R" retention set --body council --status closed $RP
has "$T/err" "retention set needs one of" "retention set names what it needs"
expect 2 "retention set, two periods" -- "$CLI" --store "$R" retention set --years 1 --days 3 $RP
expect 2 "retention set, bad body" -- "$CLI" --store "$R" retention set --body town --keep $RP
expect 2 "retention set, bad status" -- "$CLI" --store "$R" retention set --status erased --keep $RP
expect 2 "retention set, too long" -- "$CLI" --store "$R" retention set --years 1001 $RP
expect 0 "retention set: closed council cases, 0 days" -- "$CLI" --store "$R" retention set \
    --body council --status closed --days 0 $RP
expect 0 "retention set: closed support-meeting cases, 5 years" -- "$CLI" --store "$R" retention set \
    --body support_meeting --status closed --years 5 $RP
expect 0 "retention set: the default, keep" -- "$CLI" --store "$R" retention set --keep --json $RP
[ "$(rj "$T/out" 'len(d["rules"]), d["rules"][2]["unit"]')" = "(3, 'keep')" ] && ok || bad "retention set --json: $(cat "$T/out")"
expect 0 "retention set replaces the rule of a body and status" -- "$CLI" --store "$R" retention set \
    --body support_meeting --status closed --years 7 $RP
has "$T/out" "support_meeting.*7 years" "rule replaced"
hasnot "$T/out" "5 years" "old rule gone"
expect 6 "retention set --remove, no such rule" -- "$CLI" --store "$R" retention set --body council --status open --remove $RP
expect 0 "retention show --json" -- "$CLI" --store "$R" retention show --json $RP
[ "$(rj "$T/out" 'len(d["rules"]), d["schedule_id"] is not None')" = "(3, True)" ] && ok || bad "retention show --json: $(cat "$T/out")"
expect 0 "schedule changes are logged" -- "$CLI" --store "$R" audit show --action retention_schedule_changed $RP
[ "$(grep -c retention_schedule_changed "$T/out")" -ge 4 ] && ok || bad "retention_schedule_changed events: $(cat "$T/out")"

# due
expect 0 "retention due" -- "$CLI" --store "$R" retention due $RP
has "$T/out" "^$GONE  council, closed since" "the closed council case is due"
hasnot "$T/out" "$OTHER" "another body's case is not due"
hasnot "$T/out" "$OPEN" "an open case is not due"
expect 0 "retention due --json" -- "$CLI" --store "$R" retention due --json $RP
[ "$(rj "$T/out" '[c["case_id"] for c in d["cases"]] == ["'"$GONE"'"], d["tampered"]')" = "(True, 0)" ] \
    && ok || bad "retention due --json: $(cat "$T/out")"
expect 0 "retention due --at yesterday" -- "$CLI" --store "$R" retention due --at "$(($(date +%s) - 86400))" $RP
has "$T/out" "no case is due" "not due before it closed"
expect 2 "retention due --at a bad time" -- "$CLI" --store "$R" retention due --at soon $RP
expect 1 "retention due --at next week (refused: more than a day ahead)" -- "$CLI" --store "$R" retention due \
    --at "$(($(date +%s) + 7 * 86400))" $RP

# apply
expect 0 "retention apply --dry-run" -- "$CLI" --store "$R" retention apply --dry-run $RP
has "$T/out" "dry run: nothing was changed" "dry run says so"
has "$T/out" "would erase 1 case" "dry run counts"
expect 0 "dry run: the case is still read" -- "$CLI" --store "$R" case show "$GONE" --purpose support_coordination $RP
has "$T/out" "消える記録" "still readable after a dry run"
expect 2 "retention apply without a terminal and without --yes" -- "$CLI" --store "$R" retention apply $RP
has "$T/err" "give --yes" "says to give --yes"
expect 0 "nothing erased without confirmation" -- "$CLI" --store "$R" case show "$GONE" --purpose support_coordination $RP
expect 0 "retention apply --yes --json" -- "$CLI" --store "$R" retention apply --yes --json $RP
[ "$(rj "$T/out" '[c["case_id"] for c in d["erased"]] == ["'"$GONE"'"], d["dry_run"]')" = "(True, False)" ] \
    && ok || bad "retention apply --json: $(cat "$T/out")"
expect 4 "the erased case is not read" -- "$CLI" --store "$R" case show "$GONE" --purpose support_coordination $RP
expect 0 "the other body's case is read" -- "$CLI" --store "$R" case show "$OTHER" --purpose support_coordination $RP
has "$T/out" "残す記録" "kept case still readable"
expect 0 "the pass is logged" -- "$CLI" --store "$R" audit show --json $RP
[ "$(rj "$T/out" '[e["action"] for e in d].count("retention_applied"), len([e for e in d if e["action"] == "case_erased" and e.get("reason") == "retention"])')" = "(1, 1)" ] \
    && ok || bad "retention events: $(tail -c 600 "$T/out")"
expect 0 "retention apply again: nothing more" -- "$CLI" --store "$R" retention apply --yes $RP
has "$T/out" "^erased 0 case" "idempotent"
expect 0 "the log still verifies" -- "$CLI" --store "$R" audit export --out "$T/ret.cax" $RP
"$CLI" --store "$R" info $RP | sed -n 's/^log public key: *//p' >"$T/ret-vkey"
expect 0 "audit verify after the pass" -- "$CLI" audit verify "$T/ret.cax" --key @"$T/ret-vkey"

# only the secretariat
expect 4 "retention due by a member's staff (not the secretariat)" -- env COUNCIL_MEMBER_PASSPHRASE="member secret" "$CLI" --store "$C" retention due $NS
expect 4 "retention apply by a member's staff" -- env COUNCIL_MEMBER_PASSPHRASE="member secret" "$CLI" --store "$C" retention apply --dry-run $NS

# The insider (a row written with the database key, which every member with
# keys holds): an older signed schedule put back is refused (exit 5); a case
# made "closed" by its row is not due; the secretariat sets a schedule again.
if command -v sqlcipher >/dev/null && [ -x /usr/bin/python3 ]; then
    RF=$T/retforge
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$T/rfkey"
    RFK="--root-key-file $T/rfkey"
    expect 0 "init a store to forge its schedule" -- "$CLI" --store "$RF" init --name RF $RFK
    rfdb=$(/usr/bin/python3 -c 'import hashlib,sys
r = bytes.fromhex(open(sys.argv[1]).read().strip())
print(hashlib.blake2b(b"", digest_size=32, key=r, salt=(1).to_bytes(8, "little") + bytes(8),
                      person=b"cncl-db_" + bytes(8)).hexdigest())' "$T/rfkey")
    rfsql() { sqlcipher "$RF/council.db" "PRAGMA key = \"x'$rfdb'\"; PRAGMA cipher_compatibility = 4;
        PRAGMA cipher_page_size = 4096; $1" 2>/dev/null | grep -v '^ok$'; }
    expect 0 "forge: member" -- "$CLI" --store "$RF" member add --name "西町 福祉課" --kind municipal_department \
        --roles secretariat,coordinating_body --scopes identity,wishes $RFK
    RFM=$(cat "$T/out")
    expect 0 "forge: keys" -- "$CLI" --store "$RF" member keygen "$RFM" --out "$T/rfm.key" \
        --member-passphrase-file "$T/mpass" $CHEAP $RFK
    expect 0 "forge: an open case" -- "$CLI" --store "$RF" case create --owner "$RFM" $RFK
    RFC=$(head -1 "$T/out")
    expect 0 "forge: closed cases due at once" -- "$CLI" --store "$RF" retention set --status closed --days 0 $RFK
    old=$(rfsql "SELECT hex(value) FROM setting WHERE key = 'retention';")
    oldsig=$(rfsql "SELECT hex(value) FROM setting WHERE key = 'retention_sig';")
    [ -n "$old" ] && [ -n "$oldsig" ] && ok || bad "the schedule's rows were not read"
    # The row says closed (long ago); the log says open: refused (a due
    # case could hide among changed rows), a finding; put right, not due.
    rfsql "UPDATE case_record SET status = 3, updated = 1000 WHERE lower(hex(id)) = '$(echo "$RFC" | tr -d -)';" >/dev/null
    expect 5 "a case closed by its row: no list" -- "$CLI" --store "$RF" retention due $RFK
    has "$T/err" "changed outside the library" "the forged closing is said"
    expect 5 "a case closed by its row: no pass" -- "$CLI" --store "$RF" retention apply --yes $RFK
    expect 0 "the forged status is on the record" -- "$CLI" --store "$RF" audit show --action tamper_detected $RFK
    has "$T/out" "reason=forged_case_status" "forged_case_status logged"
    rfsql "UPDATE case_record SET status = 1 WHERE lower(hex(id)) = '$(echo "$RFC" | tr -d -)';" >/dev/null
    expect 0 "put right, the list again" -- "$CLI" --store "$RF" retention due $RFK
    has "$T/out" "no case is due" "the open case is not due"
    # An older signed schedule put back.
    expect 0 "forge: a newer schedule keeps everything" -- "$CLI" --store "$RF" retention set --status closed --keep $RFK
    rfsql "UPDATE setting SET value = x'$old' WHERE key = 'retention';
        UPDATE setting SET value = x'$oldsig' WHERE key = 'retention_sig';" >/dev/null
    expect 5 "an older schedule put back is refused (due)" -- "$CLI" --store "$RF" retention due $RFK
    expect 5 "an older schedule put back is refused (apply)" -- "$CLI" --store "$RF" retention apply --yes $RFK
    expect 5 "an older schedule put back is refused (show)" -- "$CLI" --store "$RF" retention show $RFK
    expect 0 "the secretariat sets a schedule again" -- "$CLI" --store "$RF" retention set --keep $RFK
    has "$T/err" "changed outside the library" "set over a forged schedule says so"
    expect 0 "then it reads" -- "$CLI" --store "$RF" retention show --json $RFK
    [ "$(rj "$T/out" 'len(d["rules"])')" = "1" ] && ok || bad "schedule set again: $(cat "$T/out")"
else
    echo "retention.sh: sqlcipher or /usr/bin/python3 missing: the forged-schedule checks are skipped"
fi
