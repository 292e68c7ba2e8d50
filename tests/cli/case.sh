# case.sh - scopes and cases (個別ケース): sections, reading, find, shares.
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it).

# -- scopes and cases (個別ケース)
isjson() { if /usr/bin/python3 -m json.tool "$1" >/dev/null 2>&1; then ok; else bad "$2: not JSON"; sed 's/^/  | /' "$1"; fi; }
jcount() { /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null; }
UUID='[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{12\}'
NOCASE=00000000-0000-4000-8000-000000000000
C=$T/cases
expect 0 "case store" -- "$CLI" --store "$C" init --name "南町 協議会" --passphrase-file "$T/pass1" $CHEAP
CP="--passphrase-file $T/pass1"
expect 0 "case: coordinating body" -- "$CLI" --store "$C" member add --name "南町 福祉課" --kind municipal_department \
    --roles secretariat,coordinating_body --scopes identity,wishes,health,support_plan,support_record $CP
CCB=$(cat "$T/out")
expect 0 "case: npo" -- "$CLI" --store "$C" member add --name "NPO よりそい" --kind npo --scopes identity,wishes $CP
CNPO=$(cat "$T/out")
expect 0 "case: npo keys" -- "$CLI" --store "$C" member keygen "$CNPO" --out "$T/cnpo.key" \
    --member-passphrase-file "$T/mpass" $CHEAP $CP
expect 0 "case: coordinating body keys" -- "$CLI" --store "$C" member keygen "$CCB" --out "$T/ccb.key" \
    --member-passphrase-file "$T/mpass" $CHEAP $CP
expect 0 "case: npo staff" -- "$CLI" --store "$C" staff add --member "$CNPO" --name "支援員 田中" $CP
NST=$(cat "$T/out")
expect 0 "case: npo staff pledge" -- "$CLI" --store "$C" staff pledge "$NST" --text-version v2024_04 --text-file "$T/pledge.txt" $CP
NS="--staff $NST --keyfile $T/cnpo.key"
export COUNCIL_MEMBER_PASSPHRASE="member secret"

# scopes
expect 0 "scope list" -- "$CLI" --store "$C" scope list $CP
has "$T/out" "^health  *yes  *yes" "health is a sensitive built-in scope"
has "$T/out" "^identity  *no" "identity listed"
expect 0 "scope list --json" -- "$CLI" --store "$C" scope list --json $CP
isjson "$T/out" "scope list --json"
expect 0 "scope list, staff session" -- "$CLI" --store "$C" scope list $NS
expect 0 "scope add" -- "$CLI" --store "$C" scope add mental_health --sensitive $CP
expect 0 "scope list shows the new scope" -- "$CLI" --store "$C" scope list $CP
has "$T/out" "^mental_health  *yes  *no" "added scope: sensitive, not built in"
expect 1 "scope add twice" -- "$CLI" --store "$C" scope add mental_health $CP
expect 1 "scope add bad code" -- "$CLI" --store "$C" scope add Mental-Health $CP
expect 2 "scope add without code" -- "$CLI" --store "$C" scope add $CP
expect 2 "sensitive on scope list" -- "$CLI" --store "$C" scope list --sensitive $CP
expect 4 "scope add, staff session (not the secretariat's)" -- "$CLI" --store "$C" scope add x $NS
expect 0 "scope remove" -- "$CLI" --store "$C" scope remove mental_health $CP
expect 0 "scope list after remove" -- "$CLI" --store "$C" scope list $CP
hasnot "$T/out" "^mental_health " "removed scope not listed"
expect 4 "scope remove a scope in use" -- "$CLI" --store "$C" scope remove health $CP
expect 6 "scope remove unknown" -- "$CLI" --store "$C" scope remove mental_health $CP
expect 2 "unknown scope command" -- "$CLI" --store "$C" scope frob $CP

# create, persons
expect 0 "case create" -- "$CLI" --store "$C" case create --owner "$CCB" $CP
[ "$(wc -l <"$T/out")" -eq 2 ] && ok || bad "case create prints two lines"
[ "$(grep -c "^$UUID\$" "$T/out")" -eq 2 ] && ok || bad "case create prints two bare ids"
CASE=$(sed -n 1p "$T/out"); PERSON=$(sed -n 2p "$T/out")
expect 0 "case create --json" -- "$CLI" --store "$C" case create --owner "$CCB" --body support_meeting --json $CP
isjson "$T/out" "case create --json"
CASE2=$(jcount "$T/out" 'd["case_id"]')
[ -n "$CASE2" ] && ok || bad "case create json has case_id"
expect 2 "case create bad body" -- "$CLI" --store "$C" case create --owner "$CCB" --body bakery $CP
expect 2 "case create bad owner" -- "$CLI" --store "$C" case create --owner nobody $CP
expect 6 "case create unknown owner" -- "$CLI" --store "$C" case create --owner $NOCASE $CP
expect 0 "case create, staff session" -- "$CLI" --store "$C" case create $NS
NCASE=$(sed -n 1p "$T/out")
expect 0 "case add-person" -- "$CLI" --store "$C" case add-person "$CASE" --role family $CP
has "$T/out" "^$UUID\$" "add-person prints a person id"
FAMILY=$(cat "$T/out")
expect 2 "case add-person supported" -- "$CLI" --store "$C" case add-person "$CASE" --role supported $CP
expect 2 "case add-person without role" -- "$CLI" --store "$C" case add-person "$CASE" $CP
expect 6 "case add-person unknown case" -- "$CLI" --store "$C" case add-person $NOCASE --role family $CP

# sections in, as JSON
cat >"$T/identity.json" <<'JSON'
{"identity": {"name": "スズキ ハナコ", "name_kana": "スズキ ハナコ", "birth_date": "1948-02-29",
              "address": "南町1-2-3", "contact_note": "午前中に\n電話で"},
 "text": "一人暮らし。"}
JSON
expect 0 "case update identity" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/identity.json" $CP
has "$T/err" "version 1 written" "update reports the version"
printf '{"wishes": {"wants": ["話し相手がほしい"], "does_not_want": ["施設入所"]}}' >"$T/wishes.json"
"$CLI" --store "$C" case update "$CASE" --scope wishes $CP <"$T/wishes.json" >"$T/out" 2>"$T/err"
[ $? -eq 0 ] && ok || { bad "case update from standard input"; cat "$T/err"; }
printf '{"support_plan": {"tasks": [{"title": "見守り訪問", "responsible_member": "%s", "due": "2026-12-01", "state": "open"}, {"title": "食事支援"}]}}' "$CNPO" >"$T/plan.json"
expect 0 "case update support plan" -- "$CLI" --store "$C" case update "$CASE" --scope support_plan --file "$T/plan.json" $CP
printf '{"support_record": {"entries": [{"date": "2026-11-01", "member": "%s", "text": "訪問した。\\n元気そう。"}]}}' "$CCB" >"$T/record.json"
expect 0 "case update support record" -- "$CLI" --store "$C" case update "$CASE" --scope support_record --file "$T/record.json" $CP
printf '{"text": "長男、県外在住。"}' >"$T/family.json"
expect 0 "case update a related person" -- "$CLI" --store "$C" case update "$CASE" --scope family --person "$FAMILY" --file "$T/family.json" $CP
printf '{"identity": {"name": "スズキ ハナコ", "birth_date": "1948-02-29", "phone": "090-0000-0000"}}' >"$T/identity2.json"
expect 0 "case update, second version" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/identity2.json" $CP
has "$T/err" "version 2 written" "second version"
# bad input: refused, and the content is never echoed
printf '{"identity": {"name": "秘密太郎", "秘密の鍵": "x"}}' >"$T/bad1.json"
expect 1 "section JSON, unknown key" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/bad1.json" $CP
has "$T/err" "unknown key" "unknown key message"
hasnot "$T/err" "秘密" "unknown key not echoed"
printf '{"identity": {"name": "秘密太郎" "x"}}' >"$T/bad2.json"
expect 1 "section JSON, syntax" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/bad2.json" $CP
has "$T/err" "line 1, column" "syntax error position"
hasnot "$T/err" "秘密" "syntax error does not quote the input"
printf '{"identity": {"name": 42}}' >"$T/bad3.json"
expect 1 "section JSON, wrong type" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/bad3.json" $CP
has "$T/err" "'name' must be a string" "wrong type message"
printf '{"text": "秘密一", "text": "秘密二"}' >"$T/bad4.json"
expect 1 "section JSON, duplicate key" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/bad4.json" $CP
hasnot "$T/err" "秘密" "duplicate key not echoed"
printf '{"support_plan": {"tasks": [{"title": "秘密", "state": "秘密"}]}}' >"$T/bad5.json"
expect 1 "section JSON, bad task state" -- "$CLI" --store "$C" case update "$CASE" --scope support_plan --file "$T/bad5.json" $CP
hasnot "$T/err" "秘密" "bad state not echoed"
printf '["秘密"]' >"$T/bad6.json"
expect 1 "section JSON, not an object" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/bad6.json" $CP
printf '{"wishes": {"wants": ["秘密の願い"]}}' >"$T/bad7.json"
expect 1 "section content outside its scope" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/bad7.json" $CP
hasnot "$T/err" "秘密" "library refusal not echoed"
/usr/bin/python3 -c 'import sys; sys.stdout.write("{\"text\": \"" + "a" * 1048577 + "\"}")' >"$T/big.json"
expect 1 "section JSON too large" -- "$CLI" --store "$C" case update "$CASE" --scope situation --file "$T/big.json" $CP
has "$T/err" "larger than" "too large message"
expect 6 "case update unknown case" -- "$CLI" --store "$C" case update $NOCASE --scope identity --file "$T/identity.json" $CP
expect 6 "case update unknown scope" -- "$CLI" --store "$C" case update "$CASE" --scope nonsense --file "$T/family.json" $CP
expect 2 "case update without scope" -- "$CLI" --store "$C" case update "$CASE" --file "$T/identity.json" $CP
expect 2 "case update, two scopes" -- "$CLI" --store "$C" case update "$CASE" --scope identity --scope wishes --file "$T/identity.json" $CP
expect 2 "case update, stdin twice" -- "$CLI" --store "$C" case update "$CASE" --scope identity --passphrase-file -
expect 1 "case update, missing file" -- "$CLI" --store "$C" case update "$CASE" --scope identity --file "$T/nope.json" $CP

# reading
expect 0 "case show --scope" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose support_coordination $CP
has "$T/out" "スズキ ハナコ" "show has the name"
has "$T/out" "version 2" "show has the latest version"
has "$T/out" "090-0000-0000" "show has the latest content"
expect 0 "case show --scope --json" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose support_coordination --json $CP
isjson "$T/out" "case show --json"
has "$T/out" "\"person_id\": \"$PERSON\"" "show json person"
has "$T/out" '"writer_member": null' "written by the secretariat"
# issue 17: several scopes of the person, read with one durable commit (all or nothing)
expect 0 "case show, two scopes" -- "$CLI" --store "$C" case show "$CASE" --scope identity --scope wishes --purpose support_coordination $CP
has "$T/out" "スズキ ハナコ" "two scopes: the identity"
has "$T/out" "話し相手がほしい" "two scopes: the wishes"
expect 0 "case show, two scopes --json" -- "$CLI" --store "$C" case show "$CASE" --scope identity --scope wishes --purpose support_coordination --json $CP
isjson "$T/out" "case show two scopes --json"
n=$(jcount "$T/out" 'len(d)')
[ "$n" = 2 ] && ok || bad "two scopes: $n sections, want 2"
expect 6 "case show, two scopes, one unknown" -- "$CLI" --store "$C" case show "$CASE" --scope identity --scope nonsense --purpose support_coordination $CP
hasnot "$T/out" "スズキ" "two scopes, one unknown: nothing printed"
expect 0 "case show, whole case" -- "$CLI" --store "$C" case show "$CASE" --purpose support_coordination $CP
has "$T/out" "話し相手がほしい" "whole case has the wishes"
has "$T/out" "見守り訪問" "whole case has the plan"
has "$T/out" "元気そう" "whole case has the record"
has "$T/out" "長男" "whole case has the related person"
expect 0 "case show, whole case --json" -- "$CLI" --store "$C" case show "$CASE" --purpose support_coordination --json $CP
isjson "$T/out" "case show whole --json"
n=$(jcount "$T/out" 'len(d["sections"])')
[ "$n" = 5 ] && ok || bad "whole case: $n sections, want 5"
expect 0 "case show, related person" -- "$CLI" --store "$C" case show "$CASE" --scope family --person "$FAMILY" --purpose support_coordination $CP
has "$T/out" "長男" "related person's section"
expect 2 "case show without purpose" -- "$CLI" --store "$C" case show "$CASE" --scope identity $CP
expect 2 "case show --person without --scope" -- "$CLI" --store "$C" case show "$CASE" --person "$PERSON" --purpose support_coordination $CP
expect 2 "case show bad id" -- "$CLI" --store "$C" case show not-a-case --purpose support_coordination $CP
expect 6 "case show unknown case" -- "$CLI" --store "$C" case show $NOCASE --purpose support_coordination $CP
expect 6 "case show unknown case, scope" -- "$CLI" --store "$C" case show $NOCASE --scope identity --person "$PERSON" --purpose support_coordination $CP
expect 6 "case show, no such section" -- "$CLI" --store "$C" case show "$CASE" --scope health --purpose support_coordination $CP
# A read names one of the council's purposes; an invented one is refused before anything is read or logged.
expect 1 "case show, a purpose that is not the council's" -- "$CLI" --store "$C" case show "$CASE" --purpose chatting $CP
has "$T/err" "one of support_coordination" "the refusal lists the purposes"
expect 1 "case show --purpose other: a read says why" -- "$CLI" --store "$C" case show "$CASE" --purpose other $CP
hasnot "$T/err" "statistics, other" "other is not offered for a read"
expect 0 "case history" -- "$CLI" --store "$C" case history "$CASE" --scope identity --purpose support_coordination $CP
has "$T/out" "version 1" "history has version 1"
has "$T/out" "version 2" "history has version 2"
expect 0 "case history --json" -- "$CLI" --store "$C" case history "$CASE" --scope identity --purpose support_coordination --json $CP
isjson "$T/out" "case history --json"
n=$(jcount "$T/out" 'len(d)')
[ "$n" = 2 ] && ok || bad "history: $n versions, want 2"
expect 2 "case history without scope" -- "$CLI" --store "$C" case history "$CASE" --purpose x $CP
expect 0 "case list" -- "$CLI" --store "$C" case list $CP
has "$T/out" "^$CASE  open  *council " "list has the case"
has "$T/out" "^$CASE2  open  *support_meeting " "list has the support meeting case"
expect 0 "case list --json" -- "$CLI" --store "$C" case list --json $CP
isjson "$T/out" "case list --json"
n=$(jcount "$T/out" '[c["sections"] for c in d if c["id"] == "'"$CASE"'"][0]')
[ "$n" = 5 ] && ok || bad "case list: $n sections, want 5"
expect 0 "case info" -- "$CLI" --store "$C" case info "$CASE" $CP
has "$T/out" "^status:             open" "info status"
has "$T/out" "^owner:              $CCB" "info owner"
has "$T/out" "$FAMILY  family" "info persons"
hasnot "$T/out" "スズキ" "info has no content"
expect 0 "case info --json" -- "$CLI" --store "$C" case info "$CASE" --json $CP
isjson "$T/out" "case info --json"
expect 6 "case info unknown case" -- "$CLI" --store "$C" case info $NOCASE $CP
expect 0 "case status" -- "$CLI" --store "$C" case status "$CASE" monitoring $CP
expect 0 "case info after status" -- "$CLI" --store "$C" case info "$CASE" $CP
has "$T/out" "^status:             monitoring" "status changed"
expect 2 "case status erased" -- "$CLI" --store "$C" case status "$CASE" erased $CP
expect 2 "case status without a status" -- "$CLI" --store "$C" case status "$CASE" $CP
expect 6 "case status unknown case" -- "$CLI" --store "$C" case status $NOCASE open $CP

# find: the blind index folds kana and width
for n in "すずき はなこ" "ｽｽﾞｷﾊﾅｺ" "スズキハナコ"; do
    expect 0 "case find $n" -- "$CLI" --store "$C" case find --name "$n" $CP
    has "$T/out" "^$CASE  $PERSON  $CCB  yes" "find $n"
done
expect 0 "case find by name and birth date --json" -- "$CLI" --store "$C" case find --name "すずき はなこ" --birth-date 1948-02-29 --json $CP
isjson "$T/out" "case find --json"
has "$T/out" "\"case_id\": \"$CASE\"" "find by name and birth date"
expect 2 "case find by birth date alone (no such token)" -- "$CLI" --store "$C" case find --birth-date 1948-02-29 $CP
expect 2 "case find without a key" -- "$CLI" --store "$C" case find $CP
expect 1 "case find bad date" -- "$CLI" --store "$C" case find --name "すずき" --birth-date 1948-13-45 $CP
expect 0 "searches are audited without the name" -- "$CLI" --store "$C" audit show --action case_searched $CP
has "$T/out" "case_searched" "search audited"
hasnot "$T/out" "すずき" "no name in the log"

# shares and staff sessions
expect 4 "share outside the member's ceiling" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope health \
    --purpose support_coordination --basis appi_27_1_2_vital --reason "緊急" $CP
has "$T/err" "not entitled" "ceiling refusal message"
expect 1 "share on consent without consent id" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope identity \
    --purpose support_coordination --basis consent $CP
expect 2 "share without basis" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope identity --purpose x $CP
expect 2 "share bad consent id" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope identity --purpose x --basis consent --consent 12 $CP
expect 2 "share bad expiry" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope identity --purpose x --basis consent --expires soon $CP
expect 4 "share on an unknown consent record (no disclosure without a basis)" -- "$CLI" --store "$C" case share "$CASE" \
    --member "$CNPO" --scope identity --scope wishes \
    --purpose support_coordination --basis consent --consent 11111111-2222-4333-8444-555555555555 --expires 2099-01-01 $CP
has "$T/err" "disclosure policy" "policy refusal message"
expect 0 "case share" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope identity --scope wishes \
    --purpose support_coordination --basis appi_27_1_4_public_duty --reason "見守りのため" --expires 2099-01-01 $CP
expect 1 "case share twice" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope identity \
    --purpose support_coordination --basis council_art16_exchange --reason "協議会の合意" $CP
expect 0 "case info shows shares" -- "$CLI" --store "$C" case info "$CASE" --json $CP
n=$(jcount "$T/out" 'sum(s["active"] for s in d["shares"])')
[ "$n" = 2 ] && ok || bad "$n active shares, want 2"
expect 0 "staff reads a shared scope" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose support_coordination $NS
has "$T/out" "スズキ ハナコ" "staff sees the shared identity"
expect 4 "staff cannot read a scope not shared" -- "$CLI" --store "$C" case show "$CASE" --scope health --person "$PERSON" --purpose support_coordination $NS
has "$T/err" "not entitled" "refusal message"
expect 4 "staff cannot read the plan" -- "$CLI" --store "$C" case show "$CASE" --scope support_plan --purpose support_coordination $NS
expect 0 "staff reads what it may of the case" -- "$CLI" --store "$C" case show "$CASE" --purpose support_coordination --json $NS
isjson "$T/out" "staff whole case --json"
hasnot "$T/out" "見守り訪問" "staff does not see the plan"
has "$T/out" "話し相手がほしい" "staff sees the wishes"
expect 0 "staff case list" -- "$CLI" --store "$C" case list $NS
has "$T/out" "^$CASE " "shared case listed for the staff"
has "$T/out" "^$NCASE " "own case listed for the staff"
hasnot "$T/out" "^$CASE2 " "other case not listed for the staff"
expect 4 "staff case info, not shared" -- "$CLI" --store "$C" case info "$CASE2" $NS
expect 0 "staff writes a shared scope" -- "$CLI" --store "$C" case update "$CASE" --scope wishes --file "$T/wishes.json" $NS
expect 4 "staff cannot write a scope not shared" -- "$CLI" --store "$C" case update "$CASE" --scope support_record --file "$T/record.json" $NS
expect 1 "staff cannot share a case it does not own" -- "$CLI" --store "$C" case share "$CASE" --member "$CCB" --scope identity \
    --purpose x --basis consent --consent 11111111-2222-4333-8444-555555555555 $NS
expect 4 "staff cannot erase" -- "$CLI" --store "$C" case erase "$NCASE" --reason x --yes $NS
expect 4 "staff cannot rekey" -- "$CLI" --store "$C" case rekey "$NCASE" $NS
expect 0 "refused reads are audited" -- "$CLI" --store "$C" audit show --action section_decrypted $CP
has "$T/out" "refused" "refused read audited"
has "$T/out" "purpose=support_coordination" "purpose audited"
expect 0 "case revoke one scope" -- "$CLI" --store "$C" case revoke "$CASE" --member "$CNPO" --scope identity --reason consent_withdrawn $CP
expect 4 "revoked: staff cannot read it" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose support_coordination $NS
expect 0 "revoked one: the other scope still readable" -- "$CLI" --store "$C" case show "$CASE" --scope wishes --purpose support_coordination $NS
expect 0 "case revoke the rest" -- "$CLI" --store "$C" case revoke "$CASE" --member "$CNPO" --reason consent_withdrawn $CP
expect 4 "revoked all: staff cannot read" -- "$CLI" --store "$C" case show "$CASE" --scope wishes --person "$PERSON" --purpose support_coordination $NS
expect 6 "case revoke with nothing to revoke" -- "$CLI" --store "$C" case revoke "$CASE" --member "$CNPO" --reason consent_withdrawn $CP
expect 2 "case revoke without reason" -- "$CLI" --store "$C" case revoke "$CASE" --member "$CNPO" $CP
expect 0 "secretariat still reads after revocation" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose support_coordination $CP


# -- the auditor's lookups: a case by its id or its pseudonym, an actor as listed, the newest N
expect 0 "case info shows the pseudonym" -- "$CLI" --store "$C" case info "$CASE" $CP
PSN=$(sed -n 's/^pseudonym: *//p' "$T/out")
echo "$PSN" | grep -q '^[0-9a-f]\{64\}$' && ok || bad "case info pseudonym is 64 hex digits: '$PSN'"
expect 0 "case info --json has the pseudonym" -- "$CLI" --store "$C" case info "$CASE" --json $CP
[ "$(jcount "$T/out" 'd["pseudonym"]')" = "$PSN" ] && ok || bad "case info --json pseudonym matches the text"
expect 0 "audit show --case UUID" -- "$CLI" --store "$C" audit show --case "$CASE" $CP
cp "$T/out" "$T/bycase"
[ "$(wc -l <"$T/bycase")" -ge 3 ] && ok || bad "audit show --case UUID lists the case's events"
[ "$(grep -c " case=$PSN\( \|\$\)" "$T/bycase")" -eq "$(wc -l <"$T/bycase")" ] && ok ||
    bad "audit show --case UUID: every event names the case's full pseudonym"
expect 0 "audit show --case PSEUDONYM" -- "$CLI" --store "$C" audit show --case "$PSN" $CP
cmp -s "$T/out" "$T/bycase" && ok || bad "the pseudonym case info prints finds the same events as the id"
expect 0 "audit show --case, another case" -- "$CLI" --store "$C" audit show --case "$CASE2" $CP
hasnot "$T/out" "$PSN" "another case's events do not name this one"
expect 0 "audit show --case --json" -- "$CLI" --store "$C" audit show --case "$CASE" --json $CP
[ "$(jcount "$T/out" 'len(d)')" = "$(wc -l <"$T/bycase")" ] && ok || bad "json lists as many events"
[ "$(jcount "$T/out" '" ".join(sorted(set(e.get("case", "-") for e in d)))')" = "$PSN" ] && ok ||
    bad "json: every event's case is the full pseudonym"
expect 2 "audit show --case not an id" -- "$CLI" --store "$C" audit show --case 12345 $CP
expect 2 "audit show --case 63 digits" -- "$CLI" --store "$C" audit show --case "${PSN%?}" $CP
expect 2 "audit show --case 64 non-hex" -- "$CLI" --store "$C" audit show --case "${PSN%?}g" $CP
# --actor: as a UUID, as listed (hex), and MEMBER/STAFF
CNPOHEX=$(echo "$CNPO" | tr -d -)
expect 0 "audit show --actor UUID" -- "$CLI" --store "$C" audit show --actor "$CNPO" --case "$CASE" $CP
cp "$T/out" "$T/byactor"
[ -s "$T/byactor" ] && ok || bad "the npo acted on the case"
[ "$(awk '{print $4}' "$T/byactor" | grep -vc "^$CNPOHEX")" -eq 0 ] && ok || bad "--actor UUID: only the member's events"
expect 0 "audit show --actor as listed" -- "$CLI" --store "$C" audit show --actor "$CNPOHEX" --case "$CASE" $CP
cmp -s "$T/out" "$T/byactor" && ok || bad "--actor in the listed form finds the same events"
ACTOR=$(awk '$4 ~ /\// {print $4; exit}' "$T/byactor")
expect 0 "audit show --actor MEMBER/STAFF" -- "$CLI" --store "$C" audit show --actor "$ACTOR" $CP
[ -s "$T/out" ] && [ "$(awk '{print $4}' "$T/out" | grep -vxc "$ACTOR")" -eq 0 ] && ok ||
    bad "--actor MEMBER/STAFF: only that staff member's events"
expect 2 "audit show --actor not an id" -- "$CLI" --store "$C" audit show --actor "$CNPOHEX/xyz" $CP
expect 2 "audit show --actor short" -- "$CLI" --store "$C" audit show --actor "${CNPOHEX%?}" $CP
# --tail N: the newest N, oldest first
expect 0 "audit show --tail 2" -- "$CLI" --store "$C" audit show --case "$CASE" --tail 2 $CP
tail -n 2 "$T/bycase" | cmp -s - "$T/out" && ok || bad "--tail 2 is the last two matching events, in order"
expect 0 "audit show --tail more than there are" -- "$CLI" --store "$C" audit show --case "$CASE" --tail 10000 $CP
cmp -s "$T/out" "$T/bycase" && ok || bad "--tail N above the count lists all"
expect 0 "audit show --tail 1 --json" -- "$CLI" --store "$C" audit show --action case_created --tail 1 --json $CP
[ "$(jcount "$T/out" 'len(d)')" = 1 ] && ok || bad "--tail 1 --json: one event"
expect 0 "audit show --action case_created" -- "$CLI" --store "$C" audit show --action case_created $CP
LASTSEQ=$(tail -n 1 "$T/out" | awk '{print $1}')
expect 0 "audit show --tail 1 is the newest" -- "$CLI" --store "$C" audit show --action case_created --tail 1 $CP
[ "$(awk '{print $1}' "$T/out")" = "$LASTSEQ" ] && ok || bad "--tail 1 gives the newest event"
expect 0 "audit show --limit 1 is the oldest" -- "$CLI" --store "$C" audit show --action case_created --limit 1 $CP
[ "$(awk '{print $1}' "$T/out")" != "$LASTSEQ" ] && ok || bad "--limit 1 gives the oldest event"
expect 2 "audit show --tail 0" -- "$CLI" --store "$C" audit show --tail 0 $CP
expect 2 "audit show --tail and --limit" -- "$CLI" --store "$C" audit show --tail 2 --limit 2 $CP
