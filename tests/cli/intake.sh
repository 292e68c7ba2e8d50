# intake.sh - `intake import` (a person handed over from outside the
# council, doc/intake-form.md) and `bundle import` (a member's bundle into
# the council: here its refusals; the round trips with member nodes are in
# the end-to-end tests). Sourced by tests/cli-test.sh after case.sh: the
# store $C, the passphrase $CP, the npo's staff $NS.

cat >"$T/intake.json" <<'JSON'
{
  "form": "libcouncil-intake-1",
  "referrer": {"organisation": "よりそいホットライン", "channel": "phone", "contact": "03-0000-0000"},
  "person": {"name": "受付カナリア花子", "birth_date": "1948-02-03", "contact": "090-0000-0000"},
  "consent": {"scopes": ["identity", "situation"], "purpose": "support_coordination",
              "method": "oral", "at": 1764547200},
  "situation": "夜間の電話相談。INTAKE-CANARY-15\n食事がとれていない。"
}
JSON
expect 2 "intake import without a file" -- "$CLI" --store "$C" intake import $CP
expect 0 "intake import" -- "$CLI" --store "$C" intake import "$T/intake.json" $CP
has "$T/out" "^imported: new_case (intake)\$" "intake import: a new case"
has "$T/out" "^case: $UUID\$" "intake import prints the case"
has "$T/out" "^consent: $UUID\$" "intake import prints the consent"
hasnot "$T/out" "INTAKE-CANARY" "intake import prints no content"
ICASE=$(sed -n 's/^case: //p' "$T/out")
expect 0 "intake import again: the person is found" -- "$CLI" --store "$C" intake import "$T/intake.json" --json $CP
isjson "$T/out" "intake import --json"
[ "$(jcount "$T/out" 'd["outcome"], d["case_id"], d["type"]')" = "('found_person', '$ICASE', 'intake')" ] && ok \
    || bad "intake json: $(cat "$T/out")"
expect 0 "audit show names the intake" -- "$CLI" --store "$C" audit show --json $CP
grep -q '"intake_received"' "$T/out" && ok || bad "no intake_received event"
hasnot "$T/out" "INTAKE-CANARY" "no intake content in the log"
hasnot "$T/out" "受付カナリア" "no name in the log"
sed 's/"phone"/"pigeon"/' "$T/intake.json" >"$T/intake-bad.json"
expect 1 "intake import, an unknown channel" -- "$CLI" --store "$C" intake import "$T/intake-bad.json" $CP
has "$T/err" "contact channel" "the field is named"
hasnot "$T/err" "pigeon" "the value is not echoed"
sed 's/"situation":/"mood": "x", "situation":/' "$T/intake.json" >"$T/intake-bad.json"
expect 1 "intake import, an unknown key" -- "$CLI" --store "$C" intake import "$T/intake-bad.json" $CP
printf '{"form": ' >"$T/intake-bad.json"
expect 1 "intake import, not JSON" -- "$CLI" --store "$C" intake import "$T/intake-bad.json" $CP
head -c 70000 /dev/zero | tr '\0' ' ' >"$T/intake-big.json"
expect 1 "intake import, too large" -- "$CLI" --store "$C" intake import "$T/intake-big.json" $CP
expect 4 "intake import, the npo's staff (not the intake desk)" -- "$CLI" --store "$C" intake import "$T/intake.json" $NS
expect 2 "intake import --owner, not an id" -- "$CLI" --store "$C" intake import "$T/intake.json" --owner x $CP

# bundle import: what is refused before anything is opened
expect 2 "bundle import without a file" -- "$CLI" --store "$C" bundle import $CP
printf 'LCBUNDLE\000\001garbage' >"$T/bad.lcb"
expect 1 "bundle import, a truncated bundle" -- "$CLI" --store "$C" bundle import "$T/bad.lcb" $CP
printf 'not a bundle' >"$T/bad.lcb"
expect 1 "bundle import, not a bundle" -- "$CLI" --store "$C" bundle import "$T/bad.lcb" --json $CP
expect 4 "bundle import, the npo's staff (no coordinating key)" -- "$CLI" --store "$C" bundle import "$T/bad.lcb" $NS
