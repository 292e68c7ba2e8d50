# report.sh - the platform report over a period: --from/--to and
# --fiscal-year (April to March in the council's time zone).
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it: the
# store $C of case.sh, its cases opened today, the zone Asia/Tokyo).

# The fiscal year today is in, in Tokyo.
FYNOW=$(TZ=Asia/Tokyo date +%Y); [ "$(TZ=Asia/Tokyo date +%m)" -lt 4 ] && FYNOW=$((FYNOW - 1))
expect 0 "report platform --fiscal-year" -- "$CLI" --store "$C" report platform --fiscal-year "$FYNOW" --k 3 --json $CP
isjson "$T/out" "report platform --fiscal-year --json"
[ "$(jcount "$T/out" 'd["period"]["fiscal_year"], d["period"]["time_zone"], len(d["tables"][2]["rows"]), d["tables"][2]["rows"][0], d["tables"][2]["rows"][11]')" = \
    "($FYNOW, 'Asia/Tokyo', 12, '$FYNOW-04', '$((FYNOW + 1))-03')" ] && ok || bad "fiscal year: twelve Tokyo months: $(cat "$T/out")"
# April 1 00:00 in Tokyo is March 31 15:00 UTC
[ "$(jcount "$T/out" 'd["period"]["from"]')" = "$(date -u -d "$FYNOW-03-31T15:00:00Z" +%s)" ] && ok || bad "fiscal year starts at 15:00 UTC"
if grep -Eq '[0-9]{4}-[0-9]{2}-[0-9]{2}' "$T/out"; then bad "period report has a date finer than a month"; else ok; fi
FYTOTAL=$(jcount "$T/out" 'd["tables"][2]["total"], d["tables"][0]["total"]')
expect 0 "report platform, all time" -- "$CLI" --store "$C" report platform --k 3 --json $CP
[ "$(jcount "$T/out" 'd["tables"][2]["total"], d["tables"][0]["total"]')" = "$FYTOTAL" ] && ok || bad "this fiscal year has every case (all opened today)"
[ "$(jcount "$T/out" '"period" in d')" = "False" ] && ok || bad "all time names no period"
expect 0 "report platform, last fiscal year" -- "$CLI" --store "$C" report platform --fiscal-year $((FYNOW - 1)) --k 3 --json $CP
[ "$(jcount "$T/out" 'd["tables"][2]["total"], d["tables"][0]["total"], d["tables"][4]["total"]')" = "(0, 0, 0)" ] && ok || bad "last fiscal year is empty: $(cat "$T/out")"
expect 0 "report platform --fiscal-year, CSV" -- "$CLI" --store "$C" report platform --fiscal-year "$FYNOW" $CP
has "$T/out" "^cases_by_month,cases,total\$" "fiscal year CSV"
has "$T/out" "^$((FYNOW + 1))-03," "fiscal year CSV has March"
# --from/--to: a date alone, --to includes its day; ten years are 120 rows
# (each period below overlaps the fiscal year issued above: issued with an override)
expect 4 "report platform --from --to, overlapping an issued report" -- "$CLI" --store "$C" report platform --from 2020-01-01 --to 2029-12-31 --json $CP
has "$T/err" "overlaps the report issued for" "an overlapping period is refused"
expect 0 "report platform --from --to" -- "$CLI" --store "$C" report platform --from 2020-01-01 --to 2029-12-31 --json --overlap-reason cli_test $CP
[ "$(jcount "$T/out" 'len(d["tables"][2]["rows"]), len(d["tables"][4]["rows"]), d["tables"][2]["rows"][119]')" = "(120, 120, '2029-12')" ] && ok || bad "120 months: $(head -c 300 "$T/out")"
[ "$(jcount "$T/out" 'd["period"]["to"] - d["period"]["from"]')" = "$(( $(date -u -d 2029-12-31T15:00:00Z +%s) - $(date -u -d 2019-12-31T15:00:00Z +%s) ))" ] && ok || bad "--to includes its day, in Tokyo"
expect 0 "report platform --from --to, times" -- "$CLI" --store "$C" report platform --from 2025-04-01T00:00:00Z --to 2025-04-02T00:00:00Z --json --overlap-reason cli_test $CP
[ "$(jcount "$T/out" 'd["period"]["from"], d["period"]["to"], d["tables"][2]["rows"]')" = "(1743465600, 1743552000, ['2025-04'])" ] && ok || bad "times as given: $(head -c 300 "$T/out")"
# refusals
expect 2 "--fiscal-year with --from" -- "$CLI" --store "$C" report platform --fiscal-year 2025 --from 2025-04-01 --to 2025-05-01 $CP
has "$T/err" "not both" "both forms: message"
expect 2 "--from without --to" -- "$CLI" --store "$C" report platform --from 2025-04-01 $CP
expect 2 "--to without --from" -- "$CLI" --store "$C" report platform --to 2025-04-01 $CP
expect 2 "--to before --from" -- "$CLI" --store "$C" report platform --from 2025-05-01 --to 2025-04-01 $CP
has "$T/err" "after --from" "--to before --from: message"
expect 2 "--from == --to" -- "$CLI" --store "$C" report platform --from 2025-05-01T00:00:00Z --to 2025-05-01T00:00:00Z $CP
expect 2 "--fiscal-year 1969" -- "$CLI" --store "$C" report platform --fiscal-year 1969 $CP
expect 2 "--fiscal-year x" -- "$CLI" --store "$C" report platform --fiscal-year 20x5 $CP
expect 2 "--from, an impossible date" -- "$CLI" --store "$C" report platform --from 2025-02-30 --to 2025-04-01 $CP
# no ceiling on the months (issue 16): 1970-01 .. 2080-01 in Tokyo
expect 0 "more than 1200 months" -- "$CLI" --store "$C" report platform --from 1970-01-01T00:00:00Z --to 2080-01-01 --json --overlap-reason cli_test $CP
[ "$(jcount "$T/out" 'len(d["tables"][2]["rows"]), d["tables"][2]["rows"][-1]')" = "(1321, '2080-01')" ] && ok || bad "1321 months: $(head -c 200 "$T/out")"
# the register of issued reports: each report's entry, the refusals, the override
expect 0 "audit show: report_issued entries" -- "$CLI" --store "$C" audit show --action report_issued --json $CP
[ "$(jcount "$T/out" 'sum(1 for e in d if e.get("reason", "").startswith("k3_json_"))')" -ge 3 ] && ok || bad "report_issued entries: $(head -c 300 "$T/out")"
[ "$(jcount "$T/out" 'sum(1 for e in d if e.get("reason") == "overlapping_period")')" -ge 1 ] && ok || bad "the refusal is on the record"
expect 1 "--overlap-reason not a code" -- "$CLI" --store "$C" report platform --fiscal-year 2024 --overlap-reason "Not a code" $CP
expect 4 "report platform --fiscal-year, staff session" -- "$CLI" --store "$C" report platform --fiscal-year 2025 $NS
has "$T/err" "report_platform" "staff period report refusal message"
# report list: the register as the log lists it; a published report's hash is in it
expect 0 "report platform, a fiscal year no issued period overlaps" -- "$CLI" --store "$C" report platform --fiscal-year 2100 --k 3 $CP
RH=$(sha256sum <"$T/out" | cut -d' ' -f1)
expect 0 "report list --json" -- "$CLI" --store "$C" report list --json $CP
[ "$(jcount "$T/out" 'd[-1]["sha256"], d[-1]["k"], d[-1]["format"], d[-1]["all_time"]')" = "('$RH', 3, 'csv', False)" ] && ok ||
    bad "report list: the last entry is the report just made: $(tail -c 400 "$T/out")"
[ "$(jcount "$T/out" 'sum(1 for e in d if e.get("overlap_reason") == "cli_test")')" -ge 3 ] && ok || bad "report list shows the overrides"
expect 0 "report list" -- "$CLI" --store "$C" report list $CP
has "$T/out" "sha256=$RH" "report list, text"
expect 4 "report list, staff session" -- "$CLI" --store "$C" report list $NS
