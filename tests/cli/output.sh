# output.sh - a consistent command line: --json on every command that
# prints data, bare ids from the creates, --out - for standard output,
# members' names next to their ids, and progress never on stdout.
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it):
# uses the case store $C (and $CP, $NS, $CNPO, $CCB) case.sh built,
# and the command list help.sh made ($T/cmds).

# pyjson FILE EXPR: EXPR of the JSON in FILE (as d), printed; nothing if not JSON.
pyjson() { /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null; }

# -- --json on every command that prints data. The commands that print a
# signed note or proof (its text is the format other tools read) are the
# exceptions, and those that print nothing on success.
noprint="passphrase|member keygen|member update|member withdraw|member register-key|staff pledge|staff retire|scope add|scope remove|case update|case share|case revoke|case erase|case status|case rekey|rekey database|rekey root|consent withdraw|meeting add-case|meeting packet|meeting close|audit reset-head|audit export|audit add-cosignatures"
artifact="audit checkpoint|audit prove|audit witness"
while read -r cmd; do
    echo "$cmd" | grep -qxE "$noprint|$artifact" && continue
    # shellcheck disable=SC2086
    "$CLI" $cmd --help >"$T/h" 2>/dev/null
    if grep -q -- "--json" "$T/h"; then ok; else bad "$cmd prints data but its help has no --json"; fi
done <"$T/cmds"
# ... and the exceptions really print no data (checked by their help).
for cmd in "audit export" "meeting packet" "case rekey"; do
    # shellcheck disable=SC2086
    "$CLI" $cmd --help >"$T/h" 2>/dev/null
    hasnot "$T/h" "^  --json" "$cmd --help: no --json"
done

# A few real runs, parsed.
expect 0 "case create: two bare ids" -- "$CLI" --store "$C" case create --owner "$CNPO" $CP
[ "$(wc -l <"$T/out")" -eq 2 ] && [ "$(grep -cx "$UUID" "$T/out")" -eq 2 ] && ok || bad "case create: not two bare ids"
OCASE=$(sed -n 1p "$T/out"); OPERSON=$(sed -n 2p "$T/out")
expect 0 "case create: the first id is the case, the second its person" -- "$CLI" --store "$C" case info "$OCASE" --json $CP
[ "$(pyjson "$T/out" 'd["id"], d["persons"][0]["id"]')" = "('$OCASE', '$OPERSON')" ] && ok ||
    bad "case create: the lines are not the case id, then the person id"
expect 0 "case add-person --json" -- "$CLI" --store "$C" case add-person "$OCASE" --role family --json $CP
[ "$(pyjson "$T/out" 'list(d) == ["person_id"] and len(d["person_id"]) == 36')" = True ] && ok ||
    bad "case add-person --json: {\"person_id\": ID}"
expect 0 "staff add --json" -- "$CLI" --store "$C" staff add --member "$CCB" --name "職員 山田" --json $CP
[ "$(pyjson "$T/out" 'list(d) == ["staff_id"]')" = True ] && ok || bad "staff add --json: {\"staff_id\": ID}"
OST=$(pyjson "$T/out" 'd["staff_id"]')
expect 0 "consent refuse --json" -- "$CLI" --store "$C" consent refuse "$OCASE" --scope health --method oral --json $CP
[ "$(pyjson "$T/out" 'list(d) == ["consent_id"]')" = True ] && ok || bad "consent refuse --json: {\"consent_id\": ID}"
expect 0 "meeting create --json" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 \
    --ends 2099-01-01 --member "$CNPO" --member "$CCB" --json $CP
[ "$(pyjson "$T/out" 'list(d) == ["meeting_id"]')" = True ] && ok || bad "meeting create --json: {\"meeting_id\": ID}"
OMEET=$(pyjson "$T/out" 'd["meeting_id"]')
expect 0 "report platform --json" -- "$CLI" --store "$C" report platform --json $CP
[ "$(pyjson "$T/out" 'd["report"]')" = platform ] && ok || bad "report platform --json: the JSON report"

# -- bare ids: each create prints the id alone on one line (case create: above).
expect 0 "member add: a bare id" -- "$CLI" --store "$C" member add --name "社協 みなみ" --kind social_welfare_council $CP
OMEM=$(cat "$T/out")
[ "$(wc -l <"$T/out")" -eq 1 ] && grep -qx "$UUID" "$T/out" && ok || bad "member add: not one bare id"
expect 0 "case add-person: a bare id" -- "$CLI" --store "$C" case add-person "$OCASE" --role close_third_party $CP
[ "$(wc -l <"$T/out")" -eq 1 ] && grep -qx "$UUID" "$T/out" && ok || bad "case add-person: not one bare id"
expect 0 "consent record: a bare id" -- "$CLI" --store "$C" consent record "$OCASE" --member "$CNPO" --scope wishes \
    --purpose referral --method oral $CP
[ "$(wc -l <"$T/out")" -eq 1 ] && grep -qx "$UUID" "$T/out" && ok || bad "consent record: not one bare id"

# -- names next to ids (the secretariat reads the register).
expect 0 "staff list: the member's name" -- "$CLI" --store "$C" staff list --member "$CCB" $CP
has "$T/out" "^$OST  active .* 職員 山田 (南町 福祉課)\$" "staff list: the member's name after the staff name"
expect 0 "staff list --json: member_name" -- "$CLI" --store "$C" staff list --json $CP
[ "$(pyjson "$T/out" '[s["member_name"] for s in d if s["id"] == "'"$OST"'"]')" = "['南町 福祉課']" ] && ok ||
    bad "staff list --json: member_name"
expect 0 "case info: names" -- "$CLI" --store "$C" case info "$OCASE" $CP
has "$T/out" "^owner:              $CNPO (NPO よりそい)\$" "case info: the owner's name"
expect 0 "case info --json: names" -- "$CLI" --store "$C" case info "$OCASE" --json $CP
[ "$(pyjson "$T/out" 'd["owner_name"]')" = "NPO よりそい" ] && ok || bad "case info --json: owner_name"
expect 0 "meeting show: attendee names" -- "$CLI" --store "$C" meeting show "$OMEET" --json $CP
[ "$(pyjson "$T/out" 'sorted(d["attendee_names"])')" = "['NPO よりそい', '南町 福祉課']" ] && ok ||
    bad "meeting show --json: attendee_names"
expect 0 "audit show: actor names" -- "$CLI" --store "$C" audit show --actor "$CNPO" --tail 1 $CP
has "$T/out" " actor_name=NPO よりそい / 支援員 田中\$" "audit show: the actor's name and the person's, last"
expect 0 "audit show --json: actor_name" -- "$CLI" --store "$C" audit show --actor "$CNPO" --tail 1 --json $CP
[ "$(pyjson "$T/out" 'd[0]["actor_name"]')" = "NPO よりそい / 支援員 田中" ] && ok || bad "audit show --json: actor_name"
# A staff session may not read the register: ids only, and no refusal logged for trying.
refused() { "$CLI" --store "$C" audit show --action operation_refused $CP | wc -l; }
nref=$(refused)
expect 0 "case info, staff session: no names" -- env COUNCIL_MEMBER_PASSPHRASE="member secret" "$CLI" --store "$C" case info "$OCASE" $NS
has "$T/out" "^owner:              $CNPO\$" "staff session: the owner's id alone"
[ "$(refused)" -eq "$nref" ] && ok || bad "a staff session's case info logged a refusal"

# -- --out -: standard output.
"$CLI" --store "$C" info $CP | sed -n 's/^log public key: *//p' >"$T/ovkey"
mkdir "$T/tmp"
expect 0 "audit export --out -" -- env TMPDIR="$T/tmp" "$CLI" --store "$C" audit export --out - $CP
cp "$T/out" "$T/o.cax"
[ "$(head -c 4 "$T/o.cax" | od -An -c | tr -d ' ')" = "211CAX" ] && ok || bad "audit export --out -: not an export on stdout"
hasnot "$T/err" "written to" "audit export --out -: no file named"
[ -z "$(ls -A "$T/tmp")" ] && ok || bad "audit export --out -: the temporary file was left: $(ls -A "$T/tmp")"
expect 0 "the export from stdout verifies, --json" -- "$CLI" audit verify "$T/o.cax" --key @"$T/ovkey" --json
[ "$(pyjson "$T/out" 'd["verified"], d["events"] > 0, len(d["root"])')" = "('export', True, 64)" ] && ok ||
    bad "audit verify --json: what verified"
head -c 200 "$T/o.cax" >"$T/o-cut.cax"
"$CLI" audit verify "$T/o-cut.cax" --key @"$T/ovkey" --json >"$T/out" 2>"$T/err" && bad "a cut export verified" || ok
[ -s "$T/out" ] && bad "a failed audit verify --json printed on stdout" || ok
expect 0 "meeting packet --out -" -- "$CLI" --store "$C" meeting packet "$OMEET" --member "$CNPO" --out - $CP
[ -s "$T/out" ] && ok || bad "meeting packet --out -: nothing on stdout"
[ -e ./- ] && bad "meeting packet --out - made a file named '-'" || ok
has "$T/err" "written to standard output" "meeting packet --out -: says where"
expect 0 "member keygen --out -" -- env TMPDIR="$T/tmp" "$CLI" --store "$C" member keygen "$OMEM" --out - \
    --member-passphrase-file "$T/mpass" $CHEAP $CP
[ -z "$(ls -A "$T/tmp")" ] && ok || bad "member keygen --out -: the temporary file was left"
cp "$T/out" "$T/omem.key"
[ -s "$T/omem.key" ] && ok || bad "member keygen --out -: nothing on stdout"
OST2=$("$CLI" --store "$C" staff add --member "$OMEM" --name "職員 森" $CP)
"$CLI" --store "$C" staff pledge "$OST2" --text-version v2024_04 --text-file "$T/pledge.txt" $CP 2>/dev/null
expect 0 "the keyfile from stdout opens a session" -- env COUNCIL_MEMBER_PASSPHRASE="member secret" \
    "$CLI" --store "$C" info --staff "$OST2" --keyfile "$T/omem.key"
expect 0 "audit witness-keygen --out - (not a terminal)" -- "$CLI" audit witness-keygen --name o.example/w --out -
[ "$(wc -c <"$T/out")" -eq 129 ] && grep -qx '[0-9a-f]\{128\}' "$T/out" && ok || bad "witness-keygen --out -: the secret key"
has "$T/err" "verifier key: o.example/w+" "witness-keygen --out -: the verifier key on stderr"
if command -v script >/dev/null 2>&1; then
    expect 2 "audit witness-keygen --out - on a terminal" -- script -qec \
        "'$CLI' audit witness-keygen --name o.example/w --out -" /dev/null
    has "$T/out" "standard output is a terminal" "witness-keygen: a secret key is not put on a terminal"
    hasnot "$T/out" "[0-9a-f]\{128\}" "witness-keygen on a terminal: no secret key shown"
fi
expect 2 "audit witness-keygen --out - --json" -- "$CLI" audit witness-keygen --name o.example/w --out - --json
expect 0 "audit witness-keygen --json" -- "$CLI" audit witness-keygen --name o.example/w --out "$T/ow.key" --json
[ "$(pyjson "$T/out" 'd["name"], d["verifier_key"].startswith("o.example/w+")')" = "('o.example/w', True)" ] && ok ||
    bad "witness-keygen --json: the name and the verifier key"

# -- progress: on stderr only, and only on a terminal; --quiet silences it.
expect 0 "case rekey, not a terminal: no progress" -- "$CLI" --store "$C" case rekey "$OCASE" $CP
[ -s "$T/out" ] && bad "case rekey printed on stdout" || ok
hasnot "$T/err" "re-encrypting" "case rekey: no progress when stderr is not a terminal"
expect 0 "rekey database --quiet" -- "$CLI" --store "$C" rekey database --yes --quiet $CP
hasnot "$T/err" "\.\.\. [0-9]*s" "rekey database: no progress line off a terminal"
expect 0 "report platform, not a terminal: no progress" -- "$CLI" --store "$C" report platform $CP
hasnot "$T/err" "counting" "report platform: no progress off a terminal"
expect 0 "audit export --quiet" -- "$CLI" --store "$C" audit export --out "$T/o2.cax" --quiet $CP
hasnot "$T/err" "exporting" "audit export: no progress off a terminal"
