# transfer.sh - cases that move (case transfer, member cases, member
# withdraw --cases-to) and anonymous intake (case create --anonymous, case
# merge). Sourced by tests/cli-test.sh (after lib.sh and the scripts before
# it: member.sh made $T/mpass and $T/pledge.txt).
X=$T/transfer
XP="--passphrase-file $T/pass1"
XJ() { /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null; }
expect 0 "transfer store" -- "$CLI" --store "$X" init --name "東町 協議会" --passphrase-file "$T/pass1" $CHEAP
expect 0 "transfer: coordinating body" -- "$CLI" --store "$X" member add --name "東町 福祉課" --kind municipal_department \
    --roles secretariat,coordinating_body --scopes identity,wishes,situation $XP
XCB=$(cat "$T/out")
expect 0 "transfer: npo a" -- "$CLI" --store "$X" member add --name "NPO あおば" --kind npo --scopes identity,wishes,situation $XP
XA=$(cat "$T/out")
expect 0 "transfer: npo b" -- "$CLI" --store "$X" member add --name "NPO かえで" --kind npo --scopes identity,wishes,situation $XP
XB=$(cat "$T/out")
expect 0 "transfer: npo c (narrow ceiling)" -- "$CLI" --store "$X" member add --name "NPO すぎ" --kind npo --scopes wishes $XP
XC=$(cat "$T/out")
for m in "$XCB" "$XA" "$XB" "$XC"; do
    expect 0 "transfer: keys" -- "$CLI" --store "$X" member keygen "$m" --out "$T/x-$m.key" \
        --member-passphrase-file "$T/mpass" $CHEAP $XP
done
expect 0 "transfer: staff of a" -- "$CLI" --store "$X" staff add --member "$XA" --name "支援員 青木" $XP
XSA=$(cat "$T/out")
expect 0 "transfer: staff of b" -- "$CLI" --store "$X" staff add --member "$XB" --name "支援員 楓" $XP
XSB=$(cat "$T/out")
for s in "$XSA" "$XSB"; do
    expect 0 "transfer: pledge" -- "$CLI" --store "$X" staff pledge "$s" --text-version v2024_04 --text-file "$T/pledge.txt" $XP
done
XNA="--staff $XSA --keyfile $T/x-$XA.key"
XNB="--staff $XSB --keyfile $T/x-$XB.key"
export COUNCIL_MEMBER_PASSPHRASE="member secret"

# anonymous intake and a merge
expect 0 "case create --anonymous" -- "$CLI" --store "$X" case create --anonymous --json $XNA
XCASE=$(XJ "$T/out" 'd["case_id"]')
XANON=$(XJ "$T/out" 'd["person_id"]')
expect 0 "case info shows the anonymous person" -- "$CLI" --store "$X" case info "$XCASE" --json $XNA
[ "$(XJ "$T/out" '[p.get("anonymous", False) for p in d["persons"]]')" = "[True]" ] && ok || bad "anonymous person in json: $(cat "$T/out")"
expect 0 "case info (text)" -- "$CLI" --store "$X" case info "$XCASE" $XNA
has "$T/out" "anonymous intake (no name)" "anonymous person in text"
printf '{"identity": {"name": "チャットの相談者"}}' >"$T/x-nick.json"
expect 0 "the contact's nickname is written" -- "$CLI" --store "$X" case update "$XCASE" --scope identity --person "$XANON" --file "$T/x-nick.json" $XNA
expect 0 "and never found by name" -- "$CLI" --store "$X" case find --name "チャットの相談者" $XP
hasnot "$T/out" "$XCASE" "anonymous person not found"
expect 0 "case add-person" -- "$CLI" --store "$X" case add-person "$XCASE" --role family $XNA
XNAMED=$(cat "$T/out")
printf '{"identity": {"name": "ヤマダ タロウ", "birth_date": "1950-03-04"}, "text": "名乗った"}' >"$T/x-named.json"
expect 0 "the named person's identity" -- "$CLI" --store "$X" case update "$XCASE" --scope identity --person "$XNAMED" --file "$T/x-named.json" $XNA
printf '{"text": "状況 X-CANARY"}' >"$T/x-sit.json"
expect 0 "a situation" -- "$CLI" --store "$X" case update "$XCASE" --scope situation --person "$XANON" --file "$T/x-sit.json" $XNA
expect 4 "case merge by another member's staff" -- "$CLI" --store "$X" case merge "$XCASE" --keep "$XANON" --gone "$XNAMED" $XNB
expect 6 "case merge of an unknown person" -- "$CLI" --store "$X" case merge "$XCASE" --keep "$XANON" --gone "00000000-0000-4000-8000-000000000000" $XNA
expect 2 "case merge without the persons" -- "$CLI" --store "$X" case merge "$XCASE" $XNA
expect 0 "case merge" -- "$CLI" --store "$X" case merge "$XCASE" --keep "$XANON" --gone "$XNAMED" --json $XNA
[ "$(XJ "$T/out" '(d["kept"], d["merged"])')" = "('$XANON', '$XNAMED')" ] && ok || bad "case merge json: $(cat "$T/out")"
expect 1 "case merge twice" -- "$CLI" --store "$X" case merge "$XCASE" --keep "$XANON" --gone "$XNAMED" $XNA
expect 0 "case info after the merge" -- "$CLI" --store "$X" case info "$XCASE" --json $XNA
[ "$(XJ "$T/out" '[(p.get("anonymous", False), p.get("merged_into")) for p in d["persons"]]')" = "[(False, None), (False, '$XANON')]" ] \
    && ok || bad "merged person in json: $(cat "$T/out")"
expect 0 "the name finds the kept person" -- "$CLI" --store "$X" case find --name "ヤマダ タロウ" --json $XP
[ "$(XJ "$T/out" '[m["person_id"] for m in d]')" = "['$XANON']" ] && ok || bad "find after merge: $(cat "$T/out")"

# transfer
expect 0 "member cases" -- "$CLI" --store "$X" member cases "$XA" $XP
has "$T/out" "^$XCASE  open" "member cases lists the case"
expect 0 "member cases --json, own staff" -- "$CLI" --store "$X" member cases "$XA" --json $XNA
[ "$(XJ "$T/out" 'len(d)')" = 1 ] && ok || bad "member cases json: $(cat "$T/out")"
expect 4 "member cases of another member, staff" -- "$CLI" --store "$X" member cases "$XB" $XNA
expect 4 "b cannot read before" -- "$CLI" --store "$X" case show "$XCASE" --scope situation --person "$XANON" --purpose support_coordination $XNB
expect 4 "case transfer by staff" -- "$CLI" --store "$X" case transfer "$XCASE" --to "$XB" --basis appi_27_1_4_public_duty --reason "引継ぎ" $XNA
expect 2 "case transfer without --basis" -- "$CLI" --store "$X" case transfer "$XCASE" --to "$XB" $XP
expect 2 "case transfer without --to" -- "$CLI" --store "$X" case transfer "$XCASE" --basis appi_27_1_4_public_duty $XP
expect 4 "case transfer outside the ceiling" -- "$CLI" --store "$X" case transfer "$XCASE" --to "$XC" --basis appi_27_1_4_public_duty --reason "引継ぎ" $XP
expect 4 "case transfer refused by the decision" -- "$CLI" --store "$X" case transfer "$XCASE" --to "$XB" --basis council_art16_exchange --reason "引継ぎ" $XP
expect 0 "case transfer" -- "$CLI" --store "$X" case transfer "$XCASE" --to "$XB" --basis appi_27_1_4_public_duty --reason "引継ぎ" --json $XP
[ "$(XJ "$T/out" 'd["owner"]')" = "$XB" ] && ok || bad "case transfer json: $(cat "$T/out")"
expect 0 "b reads after" -- "$CLI" --store "$X" case show "$XCASE" --scope situation --person "$XANON" --purpose support_coordination $XNB
has "$T/out" "X-CANARY" "the new owner reads"
expect 4 "a no longer reads" -- "$CLI" --store "$X" case show "$XCASE" --scope situation --person "$XANON" --purpose support_coordination $XNA
expect 0 "audit show" -- "$CLI" --store "$X" audit show $XP
has "$T/out" "case_transferred .* member=$(echo "$XB" | tr -d -) .*reason=by_agreement" "transfer audited"
has "$T/out" "person_merged" "merge audited"
has "$T/out" "disclosure_refused" "refused transfer audited"
hasnot "$T/out" "引継ぎ" "no reason text in the log"

# withdrawal: the cases go where it says
expect 2 "withdraw --cases-to not an id" -- "$CLI" --store "$X" member withdraw "$XB" --reason "退会" --cases-to nobody --yes $XP
expect 4 "withdraw --cases-to a member outside the ceiling" -- "$CLI" --store "$X" member withdraw "$XB" --reason "退会" --cases-to "$XC" --yes $XP
expect 0 "b still owns it" -- "$CLI" --store "$X" member cases "$XB" --json $XP
[ "$(XJ "$T/out" 'len(d)')" = 1 ] && ok || bad "refused withdrawal moved the case"
expect 0 "withdraw to the coordinating body" -- "$CLI" --store "$X" member withdraw "$XB" --reason "退会" --cases-to coordinating-body --yes $XP
expect 0 "the coordinating body's member owns it" -- "$CLI" --store "$X" member cases "$XCB" --json $XP
[ "$(XJ "$T/out" '[c["id"] for c in d]')" = "['$XCASE']" ] && ok || bad "cases after withdrawal: $(cat "$T/out")"
expect 4 "case transfer to a withdrawn member" -- "$CLI" --store "$X" case transfer "$XCASE" --to "$XB" --basis appi_27_1_4_public_duty --reason "戻す" $XP
