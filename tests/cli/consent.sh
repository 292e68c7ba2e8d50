# consent.sh - consent (同意) records and disclose.
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it).

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
expect 4 "disclose --dry-run, scope not covered" -- "$CLI" --store "$C" $DISC --scope identity --scope wishes --basis consent --consent "$CONSENT" --dry-run $CP
has "$T/out" "^refused: scope_not_covered\$" "dry run refused"
expect 4 "disclose --dry-run --json, refused" -- "$CLI" --store "$C" $DISC --scope wishes --basis consent --consent "$CONSENT" --dry-run --json $CP
isjson "$T/out" "refused dry run --json"
[ "$(jcount "$T/out" 'd["allowed"], d["reason"]')" = "(False, 'scope_not_covered')" ] && ok || bad "refused dry run json: $(cat "$T/out")"
expect 4 "disclose --dry-run, purpose not covered" -- "$CLI" --store "$C" disclose "$CASE" --member "$CNPO" --scope identity --purpose referral \
    --basis consent --consent "$CONSENT" --dry-run $CP
has "$T/out" "^refused: purpose_not_covered\$" "purpose not covered"
expect 4 "disclose --dry-run, vital interest without a second approver" -- "$CLI" --store "$C" $DISC --scope identity \
    --basis appi_27_1_2_vital --reason "急病" --dry-run $CP
has "$T/out" "^refused: second_approver_required\$" "vital needs a second approver"
expect 0 "disclose --dry-run, vital interest with a second approver" -- "$CLI" --store "$C" $DISC --scope identity \
    --basis appi_27_1_2_vital --reason "急病" --second-approver "$NST" --dry-run $CP
has "$T/out" "^allowed: legal_basis_with_reason\$" "vital with a second approver"
expect 4 "a dry run shares nothing" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose support_coordination $NS
expect 0 "disclose" -- "$CLI" --store "$C" $DISC --scope identity --basis consent --consent "$CONSENT" $CP
has "$T/err" "shared 1 scope with member $CNPO" "disclose shares"
expect 0 "audit show names the consent of a disclosure" -- "$CLI" --store "$C" audit show --action share_granted $CP
has "$T/out" "share_granted .* consent=$CONSENT" "share_granted names its consent"
expect 0 "audit show --json names the consent" -- "$CLI" --store "$C" audit show --json --action share_granted $CP
[ "$(jcount "$T/out" '"'"$CONSENT"'" in [e.get("consent") for e in d]')" = True ] \
    && ok || bad "audit show json consent: $(tail -c 300 "$T/out")"
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
expect 0 "consent withdraw" -- "$CLI" --store "$C" consent withdraw "$CONSENT" --reason "本人の申し出" --yes $CP
has "$T/err" "consent withdrawn" "withdraw note"
expect 4 "staff read after the withdrawal" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose support_coordination $NS
expect 4 "consent withdraw twice" -- "$CLI" --store "$C" consent withdraw "$CONSENT" --reason again --yes $CP
expect 4 "disclose --dry-run after the withdrawal" -- "$CLI" --store "$C" $DISC --scope identity --basis consent --consent "$CONSENT" --dry-run $CP
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
expect 4 "disclose --dry-run after a refusal" -- "$CLI" --store "$C" $DISC --scope wishes --basis consent --consent "$CONSENT2" --dry-run $CP
has "$T/out" "^refused: consent_refused\$" "refusal overrides consent"
expect 4 "disclose after a refusal" -- "$CLI" --store "$C" $DISC --scope wishes --basis consent --consent "$CONSENT2" $CP
has "$T/err" "disclosure policy" "refused disclosure message"
expect 0 "the refusal leaves the other scope" -- "$CLI" --store "$C" $DISC --scope identity --basis consent --consent "$CONSENT2" --dry-run $CP
expect 0 "consent show, a refusal" -- "$CLI" --store "$C" consent show "$REFUSAL" $CP
has "$T/out" "^record:             refusal" "refusal record"
has "$T/out" "^purposes:           all\$" "refusal of every purpose"
expect 0 "consent show, a guardian's consent" -- "$CLI" --store "$C" consent show "$CONSENT2" $CP
has "$T/out" "^grantor:            guardian (後見人 山田)\$" "guardian named"
has "$T/out" "^valid:              from 2026-01-01T00:00:00+09:00 until 2099-01-02T00:00:00+09:00\$" "validity"
has "$T/out" "^obtained by:        $NST\$" "obtained by"
expect 4 "a refusal is not withdrawn" -- "$CLI" --store "$C" consent withdraw "$REFUSAL" --reason x --yes $CP
expect 0 "consent, staff session of the owner" -- "$CLI" --store "$C" consent record "$NCASE" --member "$CCB" --scope identity \
    --purpose referral --method electronic $NS
NCONSENT=$(cat "$T/out")
expect 0 "consent list, staff session" -- "$CLI" --store "$C" consent list "$NCASE" --json $NS
[ "$(jcount "$T/out" 'd[0]["id"], d[0]["recorded_by_staff"], d[0]["obtained_by"]')" = "('$NCONSENT', '$NST', '$NST')" ] \
    && ok || bad "staff consent list: $(cat "$T/out")"
expect 4 "consent, staff session of another member" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope identity \
    --purpose referral --method oral $NS
expect 4 "consent list, staff session of another member" -- "$CLI" --store "$C" consent list "$CASE" $NS
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
expect 6 "consent record, unknown scope" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope nonsense --purpose referral --method oral $CP
expect 6 "consent record, unknown case" -- "$CLI" --store "$C" consent record $NOCASE --member "$CNPO" --scope identity --purpose referral --method oral $CP
expect 6 "consent record, unknown member" -- "$CLI" --store "$C" consent record "$CASE" --member $NOCASE --scope identity --purpose referral --method oral $CP
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
expect 0 "consent record --json" -- "$CLI" --store "$C" consent record "$CASE" --member "$CNPO" --scope identity --purpose referral --method oral --json $CP
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert list(d) == ["consent_id"] and len(d["consent_id"]) == 36' "$T/out" 2>/dev/null && ok || bad "consent record --json: {\"consent_id\": ID}"
expect 6 "consent show, unknown id" -- "$CLI" --store "$C" consent show $NOCASE $CP
expect 6 "consent withdraw, unknown id" -- "$CLI" --store "$C" consent withdraw $NOCASE --reason x --yes $CP
expect 2 "consent show, bad id" -- "$CLI" --store "$C" consent show not-an-id $CP
expect 2 "consent withdraw without reason" -- "$CLI" --store "$C" consent withdraw "$CONSENT2" --yes $CP
expect 2 "consent withdraw, bad date" -- "$CLI" --store "$C" consent withdraw "$CONSENT2" --reason x --date soon --yes $CP
expect 2 "unknown consent command" -- "$CLI" --store "$C" consent frob $CP
expect 2 "consent without a command" -- "$CLI" --store "$C" consent $CP
expect 1 "disclose, unknown purpose" -- "$CLI" --store "$C" disclose "$CASE" --member "$CNPO" --scope identity --purpose gossip \
    --basis consent --consent "$CONSENT2" --dry-run $CP
expect 4 "disclose --dry-run, unknown consent record" -- "$CLI" --store "$C" $DISC --scope identity --basis consent --consent $NOCASE --dry-run $CP
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

