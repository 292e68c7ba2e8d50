# meeting.sh - meetings (会議) and the platform report.
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it).

# meetings (会議) and the platform report
MTADD="--scope identity --purpose meeting_discussion --basis appi_27_1_4_public_duty --reason 支援会議での検討"
expect 4 "before the meeting the npo cannot read the identity" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose meeting_discussion $NS
expect 0 "meeting create" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 --ends 2099-01-01T12:00:00Z \
    --member "$CNPO" $CP
[ "$(wc -l <"$T/out")" -eq 1 ] && ok || bad "meeting create prints one line"
has "$T/out" "^$UUID\$" "meeting create prints the bare meeting id"
MEET=$(cat "$T/out")
expect 0 "meeting add-case" -- "$CLI" --store "$C" meeting add-case "$MEET" "$CASE" --member "$CNPO" $MTADD $CP
has "$T/err" "on the agenda for member $CNPO: 1 scope, until the meeting ends" "add-case note"
expect 0 "the attendee's staff reads the scope" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose meeting_discussion $NS
has "$T/out" "スズキ ハナコ" "attendee's staff sees the identity"
expect 4 "but not a scope not on the agenda" -- "$CLI" --store "$C" case show "$CASE" --scope wishes --person "$PERSON" --purpose meeting_discussion $NS
expect 0 "the meeting's share ends with the meeting" -- "$CLI" --store "$C" case info "$CASE" $CP
has "$T/out" "^  $CNPO  identity  *active  purpose=meeting_discussion basis=appi_27_1_4_public_duty .* expires=2099-01-01T21:00:00+09:00  (NPO よりそい)\$" \
    "share expires at the meeting's end (the member's name after it)"
expect 0 "meeting show" -- "$CLI" --store "$C" meeting show "$MEET" $CP
has "$T/out" "^id:                 $MEET\$" "meeting show id"
has "$T/out" "^body:               council\$" "meeting show body"
has "$T/out" "^ends:               2099-01-01T21:00:00+09:00\$" "meeting show window"
has "$T/out" "^status:             open\$" "meeting open"
has "$T/out" "^attendees:          $CNPO (NPO よりそい)\$" "meeting show attendee, with its name"
has "$T/out" "^  case $CASE  member $CNPO  basis=appi_27_1_4_public_duty scopes=identity\$" "meeting show lists the item"
hasnot "$T/out" "支援会議での検討" "meeting show has no reason"
expect 0 "meeting show --json" -- "$CLI" --store "$C" meeting show "$MEET" --json $CP
isjson "$T/out" "meeting show --json"
[ "$(jcount "$T/out" 'd["id"], d["body"], d["status"], d["closed"], d["attendees"], [(i["case_id"], i["attendee"], i["scopes"], i["basis"]) for i in d["items"]]')" = \
  "('$MEET', 'council', 'open', None, ['$CNPO'], [('$CASE', '$CNPO', ['identity'], 'appi_27_1_4_public_duty')])" ] \
    && ok || bad "meeting show json: $(cat "$T/out")"
expect 0 "meeting packet" -- "$CLI" --store "$C" meeting packet "$MEET" --member "$CNPO" --out "$T/packet" $CP
has "$T/err" "meeting packet for member $CNPO written to" "packet note"
[ -s "$T/packet" ] && ok || bad "meeting packet is empty"
perm=$(stat -c %a "$T/packet"); [ "$perm" = 600 ] && ok || bad "packet mode $perm, want 600"
hasnot "$T/packet" "スズキ" "the packet is sealed"
cp "$T/packet" "$T/packet.before"
expect 1 "meeting packet over a file" -- "$CLI" --store "$C" meeting packet "$MEET" --member "$CNPO" --out "$T/packet" $CP
cmp -s "$T/packet" "$T/packet.before" && ok || bad "a refused packet changed the file"
expect 4 "meeting packet for a member not attending" -- "$CLI" --store "$C" meeting packet "$MEET" --member "$CCB" --out "$T/packet2" $CP
[ ! -e "$T/packet2" ] && ok || bad "a refused packet left a file"
expect 4 "meeting add-case for a member not attending" -- "$CLI" --store "$C" meeting add-case "$MEET" "$CASE" --member "$CCB" $MTADD $CP
has "$T/err" "does not attend" "non-attendee message"
expect 0 "meetings are audited" -- "$CLI" --store "$C" audit show $CP
has "$T/out" "meeting_opened .* reason=council" "meeting opened audited"
has "$T/out" "bundle_exported .* member=$(echo "$CNPO" | tr -d -) reason=meeting_packet" "packet audited"
has "$T/out" "disclosure_refused .* reason=not_an_attendee" "non-attendee refusal audited"
hasnot "$T/out" "支援会議での検討" "no reason in the log"
# the meeting's record: minutes and decisions (sealed memos)
printf '出席: NPO よりそい\n議題: 1件\n' >"$T/minutes.txt"
printf 'NPO よりそいが来週訪問する\n' >"$T/decision.txt"
printf '次回は来月\n' >"$T/decision2.txt"
expect 4 "meeting minutes, staff session (not the secretariat's)" -- "$CLI" --store "$C" meeting minutes "$MEET" --file "$T/minutes.txt" $NS
expect 0 "meeting minutes" -- "$CLI" --store "$C" meeting minutes "$MEET" --file "$T/minutes.txt" $CP
has "$T/err" "minutes recorded, sealed to the attendees" "minutes note"
expect 1 "meeting minutes twice" -- "$CLI" --store "$C" meeting minutes "$MEET" --file "$T/minutes.txt" --json $CP
expect 2 "meeting minutes without --file" -- "$CLI" --store "$C" meeting minutes "$MEET" $CP
expect 0 "meeting decide" -- "$CLI" --store "$C" meeting decide "$MEET" --case "$CASE" --file "$T/decision.txt" $CP
has "$T/out" "^$UUID\$" "meeting decide prints the bare decision id"
DEC=$(cat "$T/out")
expect 0 "meeting decide --json, about no case" -- "$CLI" --store "$C" meeting decide "$MEET" --file "$T/decision2.txt" --json $CP
isjson "$T/out" "meeting decide --json"
DEC2=$(jcount "$T/out" 'd["decision_id"]')
expect 4 "meeting decide, staff session (not the secretariat's)" -- "$CLI" --store "$C" meeting decide "$MEET" --file "$T/decision.txt" $NS
expect 6 "meeting decide, a case not on the agenda" -- "$CLI" --store "$C" meeting decide "$MEET" --case "$CASE2" --file "$T/decision.txt" $CP
expect 2 "meeting decide, bad case id" -- "$CLI" --store "$C" meeting decide "$MEET" --case 12 --file "$T/decision.txt" $CP
expect 2 "meeting decide without --file" -- "$CLI" --store "$C" meeting decide "$MEET" $CP
expect 0 "meeting decisions" -- "$CLI" --store "$C" meeting decisions "$MEET" $CP
has "$T/out" "^出席: NPO よりそい\$" "decisions show the minutes"
has "$T/out" "^decision $DEC  case $CASE  recorded " "decisions list the case decision"
has "$T/out" "^NPO よりそいが来週訪問する\$" "decision text"
expect 0 "meeting decisions --json" -- "$CLI" --store "$C" meeting decisions "$MEET" --json $CP
isjson "$T/out" "meeting decisions --json"
[ "$(jcount "$T/out" 'd["meeting_id"], d["minutes"], sorted((x["id"], x["case_id"]) for x in d["decisions"])')" = \
  "$(/usr/bin/python3 -c "print(repr(('$MEET', '出席: NPO よりそい\n議題: 1件\n', sorted([('$DEC', '$CASE'), ('$DEC2', None)]))))")" ] \
    && ok || bad "meeting decisions json: $(cat "$T/out")"
# The record's texts (minutes, decisions) are not left behind in freed
# memory: every buffer that held them is freed (and wiped), none lost.
if command -v valgrind >/dev/null 2>&1; then
    expect 0 "meeting decisions loses no buffer of the record (valgrind)" -- valgrind -q \
        --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
        "$CLI" --store "$C" meeting decisions "$MEET" --json $CP
fi
expect 0 "the attendee's staff reads the meeting's record" -- "$CLI" --store "$C" meeting decisions "$MEET" --json $NS
[ "$(jcount "$T/out" 'len(d["decisions"]), d["minutes"] is not None')" = "(2, True)" ] && ok || bad "attendee's record: $(cat "$T/out")"
expect 0 "decisions are audited" -- "$CLI" --store "$C" audit show $CP
has "$T/out" "decision_recorded .* object=$(echo "$DEC" | tr -d -)" "decision recorded with its id"
has "$T/out" "minutes_recorded" "minutes recorded audited"
has "$T/out" "meeting_record_read .* object=$(echo "$DEC" | tr -d -)" "decision read audited"
hasnot "$T/out" "来週訪問" "no decision text in the log"
# joint operation: a case collected under another body
expect 4 "meeting add-case, a support meeting's case at the council" -- "$CLI" --store "$C" meeting add-case "$MEET" "$CASE2" --member "$CNPO" $MTADD $CP
has "$T/err" "collected under another body" "cross-body message"
expect 1 "meeting add-case --body, a body the meeting is not held as" -- "$CLI" --store "$C" meeting add-case "$MEET" "$CASE" --member "$CNPO" $MTADD --body support_meeting $CP
expect 2 "meeting add-case --body joint_platform" -- "$CLI" --store "$C" meeting add-case "$MEET" "$CASE" --member "$CNPO" $MTADD --body joint_platform $CP
expect 0 "meeting close" -- "$CLI" --store "$C" meeting close "$MEET" --yes $CP
has "$T/err" "meeting closed" "close note"
expect 4 "after the close the attendee's staff cannot read" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose meeting_discussion $NS
expect 0 "meeting show after the close" -- "$CLI" --store "$C" meeting show "$MEET" $CP
has "$T/out" "^status:             closed\$" "meeting closed"
has "$T/out" "^closed:             " "closing time shown"
expect 4 "meeting close twice" -- "$CLI" --store "$C" meeting close "$MEET" --yes $CP
expect 4 "meeting add-case to a closed meeting" -- "$CLI" --store "$C" meeting add-case "$MEET" "$CASE" --member "$CNPO" $MTADD $CP
has "$T/err" "closed" "closed meeting message"
expect 4 "meeting decide on a closed meeting" -- "$CLI" --store "$C" meeting decide "$MEET" --file "$T/decision2.txt" $CP
expect 0 "a closed meeting's record is still read" -- "$CLI" --store "$C" meeting decisions "$MEET" $CP
# a meeting held as the council and as the support meeting in split slots
expect 0 "meeting create with slots" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 --ends 2099-01-01 \
    --slot council,2026-01-01T00:00:00Z,2050-01-01T00:00:00Z --slot support_meeting,2050-01-01T00:00:00Z,2099-01-01T00:00:00Z --member "$CNPO" $CP
SLOTS=$(cat "$T/out")
expect 0 "meeting add-case --body support_meeting --json" -- "$CLI" --store "$C" meeting add-case "$SLOTS" "$CASE2" --member "$CNPO" \
    --scope identity --purpose meeting_discussion --basis appi_27_1_4_public_duty --reason 支援会議 --body support_meeting --json $CP
isjson "$T/out" "meeting add-case --json"
expect 0 "meeting show: slots and item body" -- "$CLI" --store "$C" meeting show "$SLOTS" --json $CP
[ "$(jcount "$T/out" '[s["body"] for s in d["slots"]], [i["body"] for i in d["items"]]')" = "(['council', 'support_meeting'], ['support_meeting'])" ] \
    && ok || bad "slots json: $(cat "$T/out")"
expect 2 "meeting create, bad slot" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 --ends 2099-01-01 --slot council,2026-01-01 --member "$CNPO" $CP
expect 2 "meeting create, slot as the platform" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 --ends 2099-01-01 --slot joint_platform,2026-01-01,2027-01-01 --member "$CNPO" $CP
expect 1 "meeting create, slots out of order" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 --ends 2099-01-01 \
    --slot council,2030-01-01,2040-01-01 --slot support_meeting,2029-01-01,2031-01-01 --member "$CNPO" $CP
expect 4 "meeting packet of a closed meeting" -- "$CLI" --store "$C" meeting packet "$MEET" --member "$CNPO" --out "$T/packet3" $CP
[ ! -e "$T/packet3" ] && ok || bad "a refused packet left a file"
expect 0 "meeting create, joint meeting with the platform" -- "$CLI" --store "$C" meeting create --body joint_platform \
    --starts "$(date +%s)" --ends 2099-01-01 --member "$CNPO" --member "$CCB" --json $CP
isjson "$T/out" "meeting create --json"
JOINT=$(jcount "$T/out" 'd["meeting_id"]')
expect 0 "joint meeting shown" -- "$CLI" --store "$C" meeting show "$JOINT" --json $CP
[ "$(jcount "$T/out" 'd["body"], sorted(d["attendees"]) == sorted(["'"$CNPO"'", "'"$CCB"'"]), d["items"]')" = "('joint_platform', True, [])" ] \
    && ok || bad "joint meeting json: $(cat "$T/out")"
expect 4 "a joint meeting with the platform takes no case" -- "$CLI" --store "$C" meeting add-case "$JOINT" "$CASE" --member "$CNPO" $MTADD $CP
has "$T/err" "takes no case" "joint meeting message"
expect 1 "meeting create, window over" -- "$CLI" --store "$C" meeting create --body council --starts 2020-01-01 --ends 2021-01-01 --member "$CNPO" $CP
expect 6 "meeting create, unknown member" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 --ends 2099-01-01 --member $NOCASE $CP
expect 6 "meeting show, unknown meeting" -- "$CLI" --store "$C" meeting show $NOCASE $CP
expect 6 "meeting add-case, unknown case" -- "$CLI" --store "$C" meeting add-case "$JOINT" $NOCASE --member "$CNPO" $MTADD $CP
expect 2 "meeting create without --ends" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 --member "$CNPO" $CP
expect 2 "meeting create without a member" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 --ends 2099-01-01 $CP
expect 2 "meeting create, unknown body" -- "$CLI" --store "$C" meeting create --body frob --starts 2026-01-01 --ends 2099-01-01 --member "$CNPO" $CP
expect 2 "meeting create, bad time" -- "$CLI" --store "$C" meeting create --body council --starts soon --ends 2099-01-01 --member "$CNPO" $CP
expect 2 "meeting create, bad member id" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 --ends 2099-01-01 --member 12 $CP
expect 4 "meeting create, staff session (not the secretariat's)" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 --ends 2099-01-01 --member "$CNPO" $NS
expect 2 "meeting add-case without a case" -- "$CLI" --store "$C" meeting add-case "$JOINT" --member "$CNPO" $MTADD $CP
expect 2 "meeting add-case without --basis" -- "$CLI" --store "$C" meeting add-case "$JOINT" "$CASE" --member "$CNPO" --scope identity --purpose meeting_discussion $CP
expect 2 "meeting add-case, two members" -- "$CLI" --store "$C" meeting add-case "$JOINT" "$CASE" --member "$CNPO" --member "$CCB" $MTADD $CP
expect 2 "meeting add-case --expires" -- "$CLI" --store "$C" meeting add-case "$JOINT" "$CASE" --member "$CNPO" $MTADD --expires 2099-01-01 $CP
expect 2 "meeting add-case, bad consent id" -- "$CLI" --store "$C" meeting add-case "$JOINT" "$CASE" --member "$CNPO" $MTADD --consent 12 $CP
expect 2 "meeting packet without --out" -- "$CLI" --store "$C" meeting packet "$JOINT" --member "$CNPO" $CP
expect 2 "meeting show, bad id" -- "$CLI" --store "$C" meeting show not-a-meeting $CP
expect 2 "meeting close --json" -- "$CLI" --store "$C" meeting close "$JOINT" --json --yes $CP
expect 2 "unknown meeting command" -- "$CLI" --store "$C" meeting frob $CP
expect 2 "meeting without a command" -- "$CLI" --store "$C" meeting $CP
expect 0 "report platform" -- "$CLI" --store "$C" report platform $CP
has "$T/out" "^cases_by_age_band_and_status," "csv by default"
expect 0 "report platform --format json" -- "$CLI" --store "$C" report platform --format json $CP
isjson "$T/out" "report platform --format json"
[ "$(jcount "$T/out" 'd["report"], d["k"], len(d["tables"])')" = "('platform', 5, 7)" ] && ok || bad "report json: $(cat "$T/out")"
if grep -Eq '[0-9a-f]{8}-[0-9a-f]{4}' "$T/out"; then bad "report has an id"; else ok; fi
if grep -Eq '[0-9]{4}-[0-9]{2}-[0-9]{2}' "$T/out"; then bad "report has a date finer than a month"; else ok; fi
hasnot "$T/out" "スズキ" "report has no name"
expect 0 "report platform --k 10" -- "$CLI" --store "$C" report platform --k 10 --format json $CP
[ "$(jcount "$T/out" 'd["k"], d["tables"][0]["total"]')" = "(10, None)" ] && ok || bad "report --k 10: $(cat "$T/out")"
expect 2 "report platform --k 2" -- "$CLI" --store "$C" report platform --k 2 $CP
expect 2 "report platform --k 1001" -- "$CLI" --store "$C" report platform --k 1001 $CP
expect 2 "report platform --k x" -- "$CLI" --store "$C" report platform --k x $CP
expect 2 "report platform --format xml" -- "$CLI" --store "$C" report platform --format xml $CP
expect 2 "report platform --json --format csv" -- "$CLI" --store "$C" report platform --json --format csv $CP
expect 2 "unknown report" -- "$CLI" --store "$C" report frob $CP
expect 4 "report platform, staff session" -- "$CLI" --store "$C" report platform $NS
has "$T/err" "report_platform" "staff report refusal message"
expect 0 "reports are audited" -- "$CLI" --store "$C" audit show --action report_produced $CP
has "$T/out" "report_produced .* purpose=statistics" "report audited"

