# request.sh - cooperation requests (協力要請, Art. 16(3)).
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it):
# the store $C of case.sh, its npo's case $NCASE (owned by the npo, $NS its
# staff) and the coordinating body $CCB (the council passphrase's session
# acts as the secretariat).

# cooperation requests (協力要請)
printf '世帯の状況を教えてください。REQ-CANARY-71\n' >"$T/ask.txt"
printf '週1回の訪問が望ましい。OPN-CANARY-72\n' >"$T/opinion.txt"
expect 0 "request: a consent naming the coordinating body" -- "$CLI" --store "$C" consent record "$NCASE" --member "$CCB" \
    --scope identity --purpose support_coordination --method written $CP
RCONSENT=$(cat "$T/out")
RMAKE="request make $NCASE --member $CNPO --text-file $T/ask.txt --due 2099-01-01"
expect 4 "request make, art16 while the policy does not accept it" -- "$CLI" --store "$C" $RMAKE --kind opinion \
    --basis council_art16_exchange $CP
has "$T/err" "disclosure policy (basis_not_accepted)" "art16 refusal message"
expect 1 "request make, due date past" -- "$CLI" --store "$C" request make "$NCASE" --member "$CNPO" --text-file "$T/ask.txt" \
    --due 2020-01-01 --kind opinion --basis consent --consent "$RCONSENT" $CP
expect 2 "request make, unknown kind" -- "$CLI" --store "$C" $RMAKE --kind gossip --basis consent --consent "$RCONSENT" $CP
expect 2 "request make without --due" -- "$CLI" --store "$C" request make "$NCASE" --member "$CNPO" --text-file "$T/ask.txt" \
    --kind opinion --basis consent --consent "$RCONSENT" $CP
expect 4 "request make, the npo's staff (not the council)" -- "$CLI" --store "$C" $RMAKE --kind opinion \
    --basis consent --consent "$RCONSENT" $NS
expect 0 "request make" -- "$CLI" --store "$C" $RMAKE --kind information --scope identity --kind opinion \
    --basis consent --consent "$RCONSENT" $CP
has "$T/out" "^$UUID\$" "request make prints the bare id"
REQ=$(cat "$T/out")
expect 0 "request make --json" -- "$CLI" --store "$C" $RMAKE --kind other --basis consent --consent "$RCONSENT" --json $CP
isjson "$T/out" "request make --json"
REQ2=$(jcount "$T/out" 'd["request_id"]')
RDUE=$(($(date +%s) + 8))
expect 0 "request make, due in a few seconds" -- "$CLI" --store "$C" request make "$NCASE" --member "$CNPO" \
    --text-file "$T/ask.txt" --due "$RDUE" --kind other --basis consent --consent "$RCONSENT" $CP
REQ3=$(cat "$T/out")
expect 0 "request show" -- "$CLI" --store "$C" request show "$REQ" $CP
has "$T/out" "^id:                 $REQ\$" "request show id"
has "$T/out" "^status:             open\$" "request open"
has "$T/out" "^asks:               information,opinion\$" "request kinds"
has "$T/out" "^scopes:             identity\$" "request scopes"
hasnot "$T/out" "REQ-CANARY" "request show has no text"
expect 0 "request show --text asked, the member's staff" -- "$CLI" --store "$C" request show "$REQ" --text asked $NS
has "$T/out" "REQ-CANARY-71" "the member asked reads the text"
expect 2 "request show --text, unknown" -- "$CLI" --store "$C" request show "$REQ" --text all $CP
expect 6 "request show --text answer before the answer" -- "$CLI" --store "$C" request show "$REQ" --text answer $CP
expect 1 "request answer without the opinion asked" -- "$CLI" --store "$C" request answer "$REQ" --scope identity $NS
expect 4 "request answer, the council (not the member asked)" -- "$CLI" --store "$C" request answer "$REQ" \
    --scope identity --text-file "$T/opinion.txt" $CP
expect 0 "request answer" -- "$CLI" --store "$C" request answer "$REQ" --scope identity --text-file "$T/opinion.txt" --json $NS
isjson "$T/out" "request answer --json"
[ "$(jcount "$T/out" 'd["request_id"], d["status"]')" = "('$REQ', 'answered')" ] && ok || bad "answer json: $(cat "$T/out")"
expect 4 "request answer twice (a final state)" -- "$CLI" --store "$C" request answer "$REQ" --text-file "$T/opinion.txt" $NS
expect 0 "request show --json after the answer" -- "$CLI" --store "$C" request show "$REQ" --json $CP
isjson "$T/out" "request show --json"
[ "$(jcount "$T/out" 'd["status"], d["provided"], d["has_answer_text"], [t["status"] for t in d["transitions"]], d["transitions"][1]["by_staff"]')" = \
  "('answered', ['identity'], True, ['open', 'answered'], '$NST')" ] && ok || bad "request show json: $(cat "$T/out")"
expect 0 "request show --text answer" -- "$CLI" --store "$C" request show "$REQ" --text answer --json $CP
[ "$(jcount "$T/out" 'd["text"].strip()')" = "週1回の訪問が望ましい。OPN-CANARY-72" ] && ok || bad "opinion text: $(cat "$T/out")"
expect 1 "request decline, bad reason code" -- "$CLI" --store "$C" request decline "$REQ2" --reason "No!" $NS
expect 2 "request decline without a reason" -- "$CLI" --store "$C" request decline "$REQ2" $NS
expect 0 "request decline" -- "$CLI" --store "$C" request decline "$REQ2" --reason no_capacity --text-file "$T/opinion.txt" $NS
has "$T/err" "is now declined" "decline note"
expect 4 "request withdraw after the decline" -- "$CLI" --store "$C" request withdraw "$REQ2" $CP
expect 4 "request withdraw, the npo's staff" -- "$CLI" --store "$C" request withdraw "$REQ3" $NS
while [ "$(date +%s)" -le "$RDUE" ]; do sleep 1; done
expect 0 "request list --overdue" -- "$CLI" --store "$C" request list --overdue --json $CP
isjson "$T/out" "request list --overdue --json"
[ "$(jcount "$T/out" '[(r["id"], r["overdue"]) for r in d]')" = "[('$REQ3', True)]" ] && ok || bad "overdue list: $(cat "$T/out")"
expect 0 "request list --overdue, text" -- "$CLI" --store "$C" request list --overdue $CP
has "$T/out" "^$REQ3  $CNPO  open  .*  overdue\$" "overdue line"
expect 0 "request withdraw" -- "$CLI" --store "$C" request withdraw "$REQ3" --reason resolved $CP
expect 0 "request list, no overdue left" -- "$CLI" --store "$C" request list --overdue $CP
has "$T/err" "no requests" "empty list note"
expect 0 "request list --status declined, the member's staff" -- "$CLI" --store "$C" request list --status declined --json $NS
[ "$(jcount "$T/out" '[r["id"] for r in d]')" = "['$REQ2']" ] && ok || bad "declined list: $(cat "$T/out")"
expect 2 "request list --status, unknown" -- "$CLI" --store "$C" request list --status lost $CP
expect 6 "request show, unknown" -- "$CLI" --store "$C" request show "$NOCASE" $CP
expect 2 "request show, bad id" -- "$CLI" --store "$C" request show 12 $CP
expect 0 "requests are audited" -- "$CLI" --store "$C" audit show $CP
has "$T/out" "request_made .*object=" "request made audited with its object"
has "$T/out" "request_answered" "answer audited"
has "$T/out" "request_declined .* reason=no_capacity" "decline audited"
has "$T/out" "request_withdrawn .* reason=resolved" "withdrawal audited"
has "$T/out" "request_read .* reason=request_text" "read audited"
hasnot "$T/out" "CANARY" "no text in the log"
