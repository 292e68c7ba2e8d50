# referral.sh - referrals (つなぐ): propose, accept, deliver, complete,
# decline, withdraw, the setting, show, list, note.
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it).

RFOFFER="--scope identity --basis appi_27_1_4_public_duty --reason 支援につなぐため"
expect 0 "referral setting (default off)" -- "$CLI" --store "$C" referral setting --json $CP
[ "$(jcount "$T/out" 'd["read_while_deciding"]')" = "False" ] && ok || bad "setting json: $(cat "$T/out")"
expect 4 "referral setting by a member's staff" -- "$CLI" --store "$C" referral setting --read-while-deciding on $NS
expect 2 "referral setting, bad value" -- "$CLI" --store "$C" referral setting --read-while-deciding maybe $CP
expect 0 "referral propose" -- "$CLI" --store "$C" referral propose "$CASE" --member "$CNPO" $RFOFFER \
    --note "火曜に電話をお願いします RF-NOTE-CANARY" $CP
has "$T/out" "^$UUID\$" "referral propose prints the bare id"
REF=$(cat "$T/out")
expect 4 "before acceptance the recipient cannot read" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose referral $NS
expect 0 "the recipient sees the referral" -- "$CLI" --store "$C" referral show "$REF" $NS
has "$T/out" "^state:              proposed\$" "referral proposed"
has "$T/out" "^to member:          $CNPO\$" "referral recipient"
has "$T/out" "^from member:        $CCB\$" "referral sender is the owner"
hasnot "$T/out" "RF-NOTE-CANARY" "show has no note text"
expect 0 "the recipient reads the note" -- "$CLI" --store "$C" referral note "$REF" $NS
has "$T/out" "RF-NOTE-CANARY" "note text"
expect 1 "complete before acceptance" -- "$CLI" --store "$C" referral complete "$REF" $NS
expect 0 "referral accept (the recipient's staff)" -- "$CLI" --store "$C" referral accept "$REF" $NS
has "$T/err" "referral accepted" "accept note"
expect 4 "accepted, not yet delivered: no read" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose referral $NS
expect 4 "the recipient cannot deliver" -- "$CLI" --store "$C" referral deliver "$REF" $NS
expect 0 "referral deliver (the secretariat)" -- "$CLI" --store "$C" referral deliver "$REF" --json $CP
[ "$(jcount "$T/out" 'd["state"], d["shared_scopes"], [s["state"] for s in d["steps"]]')" = "('accepted', ['identity'], ['proposed', 'accepted'])" ] \
    && ok || bad "deliver json: $(cat "$T/out")"
expect 0 "after delivery the recipient reads" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose referral $NS
has "$T/out" "スズキ ハナコ" "recipient reads the identity"
expect 0 "referral complete" -- "$CLI" --store "$C" referral complete "$REF" --code support_started $NS
expect 4 "completed: the share ended" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose referral $NS
expect 1 "a step from a final state" -- "$CLI" --store "$C" referral end "$REF" --code late $NS
expect 0 "referral list --state completed --json" -- "$CLI" --store "$C" referral list --state completed --json $CP
isjson "$T/out" "referral list --json"
[ "$(jcount "$T/out" '[r["id"] for r in d]')" = "['$REF']" ] && ok || bad "list json: $(cat "$T/out")"
expect 0 "referral decline after reading while deciding" -- "$CLI" --store "$C" referral setting --read-while-deciding on $CP
has "$T/out" "^read while deciding: on\$" "setting on"
expect 0 "referral propose (read while deciding)" -- "$CLI" --store "$C" referral propose "$CASE" --member "$CNPO" $RFOFFER --json $CP
REF2=$(jcount "$T/out" 'd["referral_id"]')
expect 0 "while deciding the recipient reads" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose referral $NS
expect 1 "decline needs a code" -- "$CLI" --store "$C" referral decline "$REF2" $NS
expect 0 "referral decline" -- "$CLI" --store "$C" referral decline "$REF2" --code no_capacity --text "定員超過 RF-REASON-CANARY" $NS
expect 4 "declined: the share ended" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose referral $NS
expect 0 "the sender reads the written reason" -- "$CLI" --store "$C" referral note "$REF2" --step 1 $CP
has "$T/out" "RF-REASON-CANARY" "reason text"
expect 0 "the secretariat rotates the declined referral's keys" -- "$CLI" --store "$C" referral deliver "$REF2" --json $CP
[ "$(jcount "$T/out" 'd["state"], d["shared_scopes"], d["steps"][1]["reason"]')" = "('declined', [], 'no_capacity')" ] \
    && ok || bad "declined json: $(cat "$T/out")"
expect 0 "referral setting off" -- "$CLI" --store "$C" referral setting --read-while-deciding off $CP
expect 0 "referral propose, then withdraw" -- "$CLI" --store "$C" referral propose "$CASE" --member "$CNPO" $RFOFFER $CP
REF3=$(cat "$T/out")
expect 4 "the recipient cannot withdraw" -- "$CLI" --store "$C" referral withdraw "$REF3" $NS
expect 0 "referral withdraw" -- "$CLI" --store "$C" referral withdraw "$REF3" $CP
expect 1 "accept after withdrawal" -- "$CLI" --store "$C" referral accept "$REF3" $NS
expect 0 "referral propose, accepted by the secretariat, ended" -- "$CLI" --store "$C" referral propose "$CASE" --member "$CNPO" $RFOFFER $CP
REF4=$(cat "$T/out")
expect 0 "referral accept (the secretariat, on the member's behalf)" -- "$CLI" --store "$C" referral accept "$REF4" $CP
expect 0 "accepted by the secretariat: the recipient reads" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose referral $NS
expect 0 "referral end" -- "$CLI" --store "$C" referral end "$REF4" --code moved_away --json $NS
[ "$(jcount "$T/out" 'd["state"]')" = "ended" ] && ok || bad "end json: $(cat "$T/out")"
expect 4 "ended: the share ended" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose referral $NS
expect 0 "referral list" -- "$CLI" --store "$C" referral list --case "$CASE" $NS
[ "$(wc -l <"$T/out")" -eq 4 ] && ok || bad "referral list: $(cat "$T/out")"
has "$T/out" "^$REF3  withdrawn " "list line"
expect 0 "referrals are audited" -- "$CLI" --store "$C" audit show $CP
has "$T/out" "referral_proposed .*object=$(echo "$REF" | tr -d -)" "proposal audited with the referral"
has "$T/out" "referral_declined .*reason=no_capacity" "decline audited"
has "$T/out" "referral_withdrawn .*refused" "refused withdrawal audited"
hasnot "$T/out" "CANARY" "no note in the log"
expect 6 "referral show, unknown referral" -- "$CLI" --store "$C" referral show $NOCASE $CP
expect 2 "referral show, bad id" -- "$CLI" --store "$C" referral show not-a-referral $CP
expect 2 "referral propose without --basis" -- "$CLI" --store "$C" referral propose "$CASE" --member "$CNPO" --scope identity $CP
expect 2 "referral propose without a member" -- "$CLI" --store "$C" referral propose "$CASE" $RFOFFER $CP
expect 2 "referral list, bad state" -- "$CLI" --store "$C" referral list --state open $CP
expect 2 "unknown referral command" -- "$CLI" --store "$C" referral frob $CP
