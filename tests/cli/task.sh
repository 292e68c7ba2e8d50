# task.sh - who supports whom (伴走): case assign, workers, review, reviews,
# handover, handover-list; task add, list, show, done, cancel.
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it).

# A second staff member of the NPO's, and one of the coordinating body's.
expect 0 "task: second npo staff" -- "$CLI" --store "$C" staff add --member "$CNPO" --name "支援員 佐藤" $CP
NST2=$(cat "$T/out")
expect 0 "task: second npo staff pledge" -- "$CLI" --store "$C" staff pledge "$NST2" --text-version v2024_04 --text-file "$T/pledge.txt" $CP
expect 0 "task: coordinating body staff" -- "$CLI" --store "$C" staff add --member "$CCB" --name "職員 山本" $CP
CST=$(cat "$T/out")
expect 0 "task: coordinating body staff pledge" -- "$CLI" --store "$C" staff pledge "$CST" --text-version v2024_04 --text-file "$T/pledge.txt" $CP

# assignment (the NPO's own case)
expect 0 "case workers, never assigned" -- "$CLI" --store "$C" case workers "$NCASE" $NS
has "$T/out" "^lead:               $CNPO\$" "the owner leads by default"
has "$T/out" "^workers:            -\$" "no workers yet"
expect 0 "case assign" -- "$CLI" --store "$C" case assign "$NCASE" --worker "$NST" $NS
has "$T/err" "$NCASE assigned" "assign note"
expect 0 "case workers" -- "$CLI" --store "$C" case workers "$NCASE" $NS
has "$T/out" "^workers:            $NST\$" "the worker is listed"
expect 0 "case workers --json" -- "$CLI" --store "$C" case workers "$NCASE" --json $NS
isjson "$T/out" "case workers --json"
[ "$(jcount "$T/out" 'd["lead"], d["workers"], d["review"]')" = "('$CNPO', ['$NST'], None)" ] && ok || bad "case workers json: $(cat "$T/out")"
expect 1 "case assign, a worker of a member without a share" -- "$CLI" --store "$C" case assign "$NCASE" --worker "$CST" $NS
expect 6 "case assign, unknown staff" -- "$CLI" --store "$C" case assign "$NCASE" --worker "$NOCASE" $NS
expect 4 "case assign, not the owner's staff" -- "$CLI" --store "$C" case assign "$CASE" --worker "$NST" $NS
expect 2 "case assign, bad worker id" -- "$CLI" --store "$C" case assign "$NCASE" --worker nobody $NS
expect 0 "case assign --json, by the secretariat" -- "$CLI" --store "$C" case assign "$NCASE" --worker "$NST" --worker "$NST2" --json $CP
[ "$(jcount "$T/out" 'd["case_id"], d["result"]')" = "('$NCASE', 'assigned')" ] && ok || bad "case assign json: $(cat "$T/out")"

# reviews
expect 0 "case review" -- "$CLI" --store "$C" case review "$NCASE" --at 2099-01-01 $NS
expect 0 "case reviews" -- "$CLI" --store "$C" case reviews --before 2099-12-31 $CP
has "$T/out" "^$NCASE  review 2099-01-01T00:00:00+09:00  lead $CNPO  workers 2\$" "the review is listed"
expect 0 "case reviews, the npo's staff" -- "$CLI" --store "$C" case reviews --before 2099-12-31 --json $NS
isjson "$T/out" "case reviews --json"
[ "$(jcount "$T/out" '[c["case_id"] for c in d]')" = "['$NCASE']" ] && ok || bad "case reviews json: $(cat "$T/out")"
expect 0 "case reviews, none before" -- "$CLI" --store "$C" case reviews --before 2098-01-01 $CP
has "$T/err" "no cases" "no review before"
expect 4 "case reviews, the npo's staff naming another member" -- "$CLI" --store "$C" case reviews --before 2099-12-31 --member "$CCB" $NS
expect 4 "case review, not the owner's staff" -- "$CLI" --store "$C" case review "$CASE" --at 2099-01-01 $NS
expect 2 "case review needs --at or --clear" -- "$CLI" --store "$C" case review "$NCASE" $NS
expect 2 "case reviews needs --before" -- "$CLI" --store "$C" case reviews $CP

# tasks
expect 0 "task add" -- "$CLI" --store "$C" task add --case "$NCASE" --text "就労支援の窓口へ同行" --due 2099-02-01 --assignee "$NST" $NS
has "$T/out" "^$UUID\$" "task add prints the bare id"
TASK=$(cat "$T/out")
expect 0 "task add --json" -- "$CLI" --store "$C" task add --case "$NCASE" --text "家計相談の予約" --due 2099-03-01 --assignee "$NST" --json $CP
TASK2=$(jcount "$T/out" 'd["task_id"]')
[ -n "$TASK2" ] && ok || bad "task add json has task_id"
expect 1 "task add, staff of another member" -- "$CLI" --store "$C" task add --case "$NCASE" --text x --due 2099-02-01 --assignee "$CST" $NS
expect 4 "task add, not the owner's staff" -- "$CLI" --store "$C" task add --case "$CASE" --text x --due 2099-02-01 $NS
expect 2 "task add needs --due" -- "$CLI" --store "$C" task add --case "$NCASE" --text x $NS
expect 0 "task list" -- "$CLI" --store "$C" task list $NS
has "$T/out" "^$TASK  case $NCASE  member $CNPO  due 2099-02-01T00:00:00+09:00  open\$" "task list line"
hasnot "$T/out" "就労支援" "task list has no text"
expect 0 "task list --json" -- "$CLI" --store "$C" task list --state open --json $CP
isjson "$T/out" "task list --json"
[ "$(jcount "$T/out" '[(t["id"], t["state"], t["staff"]) for t in d]')" = "[('$TASK', 'open', '$NST'), ('$TASK2', 'open', '$NST')]" ] \
    && ok || bad "task list json: $(cat "$T/out")"
expect 0 "task show" -- "$CLI" --store "$C" task show "$TASK" $NS
has "$T/out" "^text:               就労支援の窓口へ同行\$" "task show has the text"
expect 0 "task show --json, the secretariat" -- "$CLI" --store "$C" task show "$TASK" --json $CP
[ "$(jcount "$T/out" 'd["text"], d["state"]')" = "('就労支援の窓口へ同行', 'open')" ] && ok || bad "task show json: $(cat "$T/out")"
expect 0 "task done" -- "$CLI" --store "$C" task done "$TASK" $NS
expect 4 "task cancel after done" -- "$CLI" --store "$C" task cancel "$TASK" $NS
expect 6 "task done, unknown" -- "$CLI" --store "$C" task done "$NOCASE" $NS
expect 2 "task list, bad state" -- "$CLI" --store "$C" task list --state later $NS
expect 0 "task list --state done" -- "$CLI" --store "$C" task list --state done --json $NS
[ "$(jcount "$T/out" '[t["id"] for t in d]')" = "['$TASK']" ] && ok || bad "done list: $(cat "$T/out")"
expect 0 "audit show has the task's events" -- "$CLI" --store "$C" audit show $CP
has "$T/out" "task_added" "task_added logged"
has "$T/out" "task_read" "task_read logged"

# handover (within the NPO)
expect 0 "case handover-list" -- "$CLI" --store "$C" case handover-list "$NST" $CP
has "$T/out" "^$NCASE  review" "the case to hand over"
has "$T/out" "^$TASK2  case" "the open task to hand over"
hasnot "$T/out" "^$TASK " "a done task is not handed over"
expect 4 "case handover to another member's staff" -- "$CLI" --store "$C" case handover "$NCASE" --from "$NST" --to "$CST" $CP
expect 0 "case handover --json" -- "$CLI" --store "$C" case handover "$NCASE" --from "$NST" --to "$NST2" --json $CP
[ "$(jcount "$T/out" 'd["result"]')" = "handed over" ] && ok || bad "handover json: $(cat "$T/out")"
expect 0 "case handover-list after" -- "$CLI" --store "$C" case handover-list "$NST" --json $CP
[ "$(jcount "$T/out" 'len(d["cases"]), len(d["tasks"])')" = "(0, 0)" ] && ok || bad "handover-list json: $(cat "$T/out")"
expect 6 "case handover, nothing left" -- "$CLI" --store "$C" case handover "$NCASE" --from "$NST" --to "$NST2" $CP
expect 0 "task cancel" -- "$CLI" --store "$C" task cancel "$TASK2" --json $NS
[ "$(jcount "$T/out" 'd["result"]')" = "cancelled" ] && ok || bad "task cancel json: $(cat "$T/out")"
