#!/bin/sh
# run.sh - `make bench`: bench (row 7), bench_audit (row 4), unlock.sh, then
# bench_case (rows 1, 2, 3, 5, 6, 8) with what is left of the time budget;
# the output is kept in $B/bench/last.txt and ends with the summary table
# (every SUMMARY line, by row), ready to paste into bench/RESULTS.md.
#
# Usage: sh bench/run.sh BUILD_DIR COUNCIL_CLI
#   BENCH_QUICK=1   smaller sizes, the same rows, under 2 minutes
#   BENCH_BUDGET    seconds for the whole run (default 870; quick 110): a
#                   size of bench_case projected past it is reported "not
#                   run" with its projection
#   BENCH_EVENTS, BENCH_CREATE, BENCH_FIND   comma-separated sizes
set -u
B=${1:-build}
CLI=${2:-$B/council-cli}
start=$(date +%s)
if [ "${BENCH_QUICK:-0}" = 1 ]; then
    budget=${BENCH_BUDGET:-110}
    events=${BENCH_EVENTS:-1000,10000,100000}
    create=${BENCH_CREATE:-250,500,1000}
    find=${BENCH_FIND:-1000,2500,5000}
    opens=50
    unlock=3
    set -- --batch 250 --reads 100 --lookups 200
else
    budget=${BENCH_BUDGET:-870}
    events=${BENCH_EVENTS:-1000,10000,100000,1000000}
    create=${BENCH_CREATE:-1000,10000,100000}
    find=${BENCH_FIND:-1000,10000,100000,1000000}
    opens=200
    unlock=10
    set --
fi
log=$B/bench/last.txt
mkdir -p "$B/bench"
: >"$log"

# Run a step, its output on the terminal and in the log; stop on failure.
step() {
    rcf=$B/bench/.rc
    { "$@"; echo $? >"$rcf"; } 2>&1 | tee -a "$log"
    rc=$(cat "$rcf")
    rm -f "$rcf"
    if [ "$rc" != 0 ]; then
        echo "bench: $1 failed (exit $rc)" >&2
        exit "$rc"
    fi
}

{
    echo "# make bench$( [ "${BENCH_QUICK:-0}" = 1 ] && echo ' (BENCH_QUICK=1)'), $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "# $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "# nproc $(nproc); $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1);" \
         "RAM $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo);" \
         "load average at start $(cut -d ' ' -f 1-3 /proc/loadavg)"
    echo "# budget $budget s; events $events; create $create; find $find"
} | tee -a "$log"

step "$B/bench/bench" "$opens"
step "$B/bench/bench_audit" "$events"
step sh bench/unlock.sh "$CLI" "$unlock"
deadline=$((start + budget))
BENCH_DEADLINE=$deadline step "$B/bench/bench_case" "$@" "$create" "$find"

end=$(date +%s)
{
    echo
    echo "## Summary ($((end - start)) s in all; load average at the end $(cut -d ' ' -f 1-3 /proc/loadavg))"
    echo
    echo "| row | size | figure | ratio | target | met |"
    echo "|---|---|---|---|---|---|"
    grep '^SUMMARY |' "$log" | sed 's/^SUMMARY //' | sort -t '|' -k 2,2n -s
} | tee -a "$log.summary"
cat "$log.summary" >>"$log"
rm -f "$log.summary"
