# register.sh - the provision register (記録) and the disclosure to an
# outside party a consent names (issue 16).
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it: the
# store $C of case.sh, its npo $CNPO with staff session $NS, its
# coordinating body $CCB). Its own case, so no other part's counts move.
# The npo's member passphrase for $NS, as case.sh set it (restored after).
REG_MPASS_WAS=${COUNCIL_MEMBER_PASSPHRASE-unset}
export COUNCIL_MEMBER_PASSPHRASE="member secret"

expect 0 "register: a case of the npo" -- "$CLI" --store "$C" case create $NS
RCASE=$(sed -n 1p "$T/out")
expect 0 "register: its identity" -- "$CLI" --store "$C" case update "$RCASE" --scope identity --file "$T/identity.json" $NS
expect 0 "register: a share to the coordinating body" -- "$CLI" --store "$C" case share "$RCASE" --member "$CCB" \
    --scope wishes --purpose support_coordination --basis appi_27_1_4_public_duty --reason "要保護の判断" $NS
expect 0 "register: a consent naming an outside party" -- "$CLI" --store "$C" consent record "$RCASE" \
    --external-party "北市くらし相談センター" --scope identity --purpose support_coordination --method written $NS
RCONS=$(cat "$T/out")
expect 0 "register: a consent naming a member" -- "$CLI" --store "$C" consent record "$RCASE" \
    --member "$CCB" --scope identity --purpose support_coordination --method written $NS
RMCONS=$(cat "$T/out")

# outside disclose
expect 0 "outside disclose" -- "$CLI" --store "$C" outside disclose "$RCASE" --consent "$RCONS" --scope identity \
    --purpose support_coordination --out "$T/outside.json" $NS
has "$T/out" "wrote" "outside disclose says what it wrote"
isjson "$T/outside.json" "outside disclosure document"
[ "$(jcount "$T/outside.json" 'd["format"], d["external_party"], d["basis"], d["scopes"], len(d["sections"]) > 0')" = \
    "('council-outside-disclosure', '北市くらし相談センター', 'consent', ['identity'], True)" ] && ok || bad "outside document: $(head -c 300 "$T/outside.json")"
[ "$(stat -c %a "$T/outside.json")" = "600" ] && ok || bad "outside document is private (0600)"
expect 1 "outside disclose, the file exists" -- "$CLI" --store "$C" outside disclose "$RCASE" --consent "$RCONS" --scope identity \
    --purpose support_coordination --out "$T/outside.json" $NS
KEYHEX=$(/usr/bin/python3 -c 'print("11" * 32)')
expect 0 "outside disclose --seal-to --json" -- "$CLI" --store "$C" outside disclose "$RCASE" --consent "$RCONS" --scope identity \
    --purpose support_coordination --seal-to "$KEYHEX" --out "$T/outside.box" --json $NS
[ "$(jcount "$T/out" 'd["sealed"]')" = "True" ] && ok || bad "sealed: $(cat "$T/out")"
hasnot "$T/outside.box" "council-outside-disclosure" "a sealed document is not readable"
# refusals: exit 4 with the reason, no file left behind
expect 4 "outside disclose, scope not covered" -- "$CLI" --store "$C" outside disclose "$RCASE" --consent "$RCONS" --scope wishes \
    --purpose support_coordination --out "$T/no1.json" $NS
[ ! -e "$T/no1.json" ] && ok || bad "no file after a refusal"
expect 4 "outside disclose, a member's consent" -- "$CLI" --store "$C" outside disclose "$RCASE" --consent "$RMCONS" --scope identity \
    --purpose support_coordination --out "$T/no2.json" $NS
expect 4 "outside disclose, unknown consent" -- "$CLI" --store "$C" outside disclose "$RCASE" --consent "$NOCASE" --scope identity \
    --purpose support_coordination --out "$T/no3.json" $NS
expect 4 "outside disclose, another party" -- "$CLI" --store "$C" outside disclose "$RCASE" --consent "$RCONS" --scope identity \
    --purpose support_coordination --party "$NOCASE" --out "$T/no4.json" $NS
expect 0 "audit show: the refusals" -- "$CLI" --store "$C" audit show --json $CP
for why in scope_not_covered no_outside_party consent_not_found recipient_not_covered; do
    has "$T/out" "$why" "outside refusal logged: $why"
done
expect 2 "outside disclose without --out" -- "$CLI" --store "$C" outside disclose "$RCASE" --consent "$RCONS" --scope identity \
    --purpose support_coordination $NS
expect 2 "outside disclose, bad --seal-to" -- "$CLI" --store "$C" outside disclose "$RCASE" --consent "$RCONS" --scope identity \
    --purpose support_coordination --seal-to abcd --out "$T/no5.json" $NS

# register show
expect 0 "register show" -- "$CLI" --store "$C" register show $CP
has "$T/out" "^Provision register" "register show: its heading"
has "$T/out" "every member" "register show: every member"
has "$T/out" "outside party: 北市くらし相談センター" "register show: the outside party"
has "$T/out" "person (pseudonym): [0-9a-f]\{64\}" "register show: the person by pseudonym"
expect 0 "register show --json" -- "$CLI" --store "$C" register show --json $CP
isjson "$T/out" "register show --json"
[ "$(jcount "$T/out" 'sum(1 for r in d["rows"] if r["event"] == "outside_disclosure")')" = "2" ] && ok || bad "two outside disclosures in the register"
[ "$(jcount "$T/out" 'sum(1 for r in d["rows"] if r["direction"] == "received" and r["member_id"] == "'"$CCB"'" and r["scopes"] == ["wishes"])')" -ge 1 ] \
    && ok || bad "the coordinating body's receipt"
expect 0 "register show --csv" -- "$CLI" --store "$C" register show --csv $CP
has "$T/out" "^member_id,member,seq,time,direction," "register CSV header"
expect 0 "register show --member, own staff" -- "$CLI" --store "$C" register show --member "$CNPO" --json $NS
[ "$(jcount "$T/out" 'all(r["member_id"] == "'"$CNPO"'" for r in d["rows"]) and len(d["rows"]) >= 3')" = "True" ] && ok || bad "own member's rows only"
expect 4 "register show, another member's (staff)" -- "$CLI" --store "$C" register show --member "$CCB" $NS
expect 4 "register show, every member (staff)" -- "$CLI" --store "$C" register show $NS
FYNOW=$(TZ=Asia/Tokyo date +%Y); [ "$(TZ=Asia/Tokyo date +%m)" -lt 4 ] && FYNOW=$((FYNOW - 1))
expect 0 "register show --fiscal-year, last year" -- "$CLI" --store "$C" register show --fiscal-year $((FYNOW - 1)) --json $CP
[ "$(jcount "$T/out" 'len(d["rows"]), d["period"]["fiscal_year"]')" = "(0, $((FYNOW - 1)))" ] && ok || bad "last fiscal year: no rows"
expect 0 "register show --from --to" -- "$CLI" --store "$C" register show --from 2020-01-01 --to 2099-12-31 --json $CP
[ "$(jcount "$T/out" 'len(d["rows"]) > 0')" = "True" ] && ok || bad "the period holds today's rows"
expect 2 "register show --json --csv" -- "$CLI" --store "$C" register show --json --csv $CP
expect 2 "register show --fiscal-year with --from" -- "$CLI" --store "$C" register show --fiscal-year 2025 --from 2025-04-01 --to 2025-05-01 $CP
expect 2 "register show --from alone" -- "$CLI" --store "$C" register show --from 2025-04-01 $CP
expect 2 "register show, bad member" -- "$CLI" --store "$C" register show --member 12 $CP
expect 0 "audit show: the register produced" -- "$CLI" --store "$C" audit show --json $CP
has "$T/out" "provision_register_produced" "register produced is logged"
if [ "$REG_MPASS_WAS" = unset ]; then unset COUNCIL_MEMBER_PASSPHRASE; else COUNCIL_MEMBER_PASSPHRASE=$REG_MPASS_WAS; fi
