# roles.sh - the secretariat and the coordinating body as people: after the
# setup (the council passphrase, declared), the secretariat's staff run the
# register, staff and audit log in their own sessions; a retired one is
# refused; the coordinating body's staff read a case nobody shared with
# them; the log names each person; the council passphrase without a
# reason is refused, and with one it is said and recorded.
# Sourced by tests/cli-test.sh; its own store.

R=$T/roles
K=$T/rolekeys
mkdir -p "$K"
RP="--passphrase-file $T/pass1"
# A person's command: no council-passphrase reason in the environment.
person() { env -u COUNCIL_ROOT_REASON -u COUNCIL_ROOT_NOTE "$@"; }
printf 'secretariat member passphrase\n' >"$K/secpass"
printf 'coordinating body member passphrase\n' >"$K/cbpass"
printf 'npo member passphrase\n' >"$K/npopass"
printf '私は、協議会の事務に関して知り得た秘密を漏らしません。\n' >"$K/pledge-r.txt"

expect 0 "roles: init" -- person "$CLI" --store "$R" init --name 役割 --weak-passphrase-ok $CHEAP $RP

# The council passphrase says why it is used, or is refused (usage).
expect 2 "root without a reason" -- person "$CLI" --store "$R" info $RP
has "$T/err" "work as a person" "root without a reason: what to do instead"
has "$T/err" "root-reason" "root without a reason: how to give one"
expect 2 "root with an unknown reason" -- person "$CLI" --store "$R" --root-reason chatting --root-note x info $RP
has "$T/err" "unknown root reason" "unknown reason said"
expect 2 "root reason without its note" -- person "$CLI" --store "$R" --root-reason emergency info $RP
has "$T/err" "root-note" "the note is asked for"
SETUP="--root-reason setup --root-note 設立準備"
expect 0 "root with a reason" -- person "$CLI" --store "$R" $SETUP info $RP
has "$T/err" "using the council passphrase (root) for setup" "a root use is said"

# Setup: the secretariat's and the coordinating body's members, their keys,
# their pledged staff.
expect 0 "setup: secretariat member" -- person "$CLI" --store "$R" $SETUP member add --name "北市 福祉政策課" \
    --kind municipal_department --roles secretariat --scopes identity,situation $RP
SEC=$(cat "$T/out")
expect 0 "setup: secretariat keys" -- person "$CLI" --store "$R" $SETUP member keygen "$SEC" --out "$K/sec.key" \
    --member-passphrase-file "$K/secpass" $CHEAP $RP
expect 0 "setup: coordinating body" -- person "$CLI" --store "$R" $SETUP member add --name "北市 地域福祉課" \
    --kind municipal_department --roles coordinating_body --scopes identity,situation $RP
CBM=$(cat "$T/out")
expect 0 "setup: coordinating body keys" -- person "$CLI" --store "$R" $SETUP member keygen "$CBM" \
    --out "$K/cb.key" --member-passphrase-file "$K/cbpass" $CHEAP $RP
staff_pledged() { # staff_pledged MEMBER NAME: a pledged staff member's id
    id=$(person "$CLI" --store "$R" $SETUP staff add --member "$1" --name "$2" $RP 2>"$T/err") &&
        person "$CLI" --store "$R" $SETUP staff pledge "$id" --text-version v1 \
            --text-file "$K/pledge-r.txt" $RP >/dev/null 2>>"$T/err" && printf %s "$id"
}
YAMADA=$(staff_pledged "$SEC" "事務局 山田" </dev/null)
ITO=$(staff_pledged "$SEC" "事務局 伊藤" </dev/null)
[ -n "$YAMADA" ] && [ -n "$ITO" ] && ok || bad "setup: the secretariat's staff"
expect 0 "setup: coordinating body staff" -- person "$CLI" --store "$R" $SETUP staff add --member "$CBM" --name "調整 加藤" $RP
KATO=$(cat "$T/out")
expect 0 "setup: pledge 加藤" -- person "$CLI" --store "$R" $SETUP staff pledge "$KATO" --text-version v1 \
    --text-file "$K/pledge-r.txt" $RP

# From here on, people. Yamada runs the register without the council
# passphrase.
YS="--staff $YAMADA --keyfile $K/sec.key --passphrase-file $K/secpass"
expect 0 "secretariat staff: member add" -- person "$CLI" --store "$R" member add --name "NPO ひだまり" --kind npo \
    --scopes situation $YS
NPO=$(cat "$T/out")
hasnot "$T/err" "council passphrase" "a person's command is no root use"
expect 0 "secretariat staff: member keygen" -- person "$CLI" --store "$R" member keygen "$NPO" --out "$K/npo.key" \
    --member-passphrase-file "$K/npopass" $CHEAP $YS
expect 0 "secretariat staff: member update" -- person "$CLI" --store "$R" member update "$NPO" --contact 03-0000-0000 $YS
expect 0 "secretariat staff: staff add" -- person "$CLI" --store "$R" staff add --member "$NPO" --name "相談員 佐藤" $YS
SATO=$(cat "$T/out")
expect 0 "secretariat staff: staff pledge" -- person "$CLI" --store "$R" staff pledge "$SATO" --text-version v1 \
    --text-file "$K/pledge-r.txt" $YS
expect 0 "secretariat staff: member list" -- person "$CLI" --store "$R" member list $YS
has "$T/out" "NPO ひだまり" "secretariat staff see the register"
expect 0 "secretariat staff: staff retire" -- person "$CLI" --store "$R" staff retire "$ITO" --reason 異動 --yes $YS
expect 0 "secretariat staff: checkpoint" -- person "$CLI" --store "$R" audit checkpoint $YS
# A retired secretariat staff member is refused (not entitled).
expect 4 "retired secretariat staff refused" -- person "$CLI" --store "$R" member list \
    --staff "$ITO" --keyfile "$K/sec.key" --passphrase-file "$K/secpass"
# Other staff are not the secretariat.
SS="--staff $SATO --keyfile $K/npo.key --passphrase-file $K/npopass"
expect 4 "NPO staff: member add refused" -- person "$CLI" --store "$R" member add --name x --kind npo $SS
# What changes the root key is the council passphrase's (and a person is
# refused, not given it).
expect 2 "secretariat staff: rekey database is not a person's" -- person "$CLI" --store "$R" rekey database --yes $YS
has "$T/err" "'--staff' does not apply" "rekey database takes no staff session"

# The coordinating body's staff read a case nobody shared with them.
expect 0 "NPO staff: case create" -- person "$CLI" --store "$R" case create $SS
RCASE=$(sed -n 1p "$T/out") RPERSON=$(sed -n 2p "$T/out")
printf '{"text": "見守りが必要。"}' >"$K/sit.json"
expect 0 "NPO staff: write" -- person "$CLI" --store "$R" case update "$RCASE" --scope situation --file "$K/sit.json" $SS
KS="--staff $KATO --keyfile $K/cb.key --passphrase-file $K/cbpass"
expect 0 "coordinating body staff read an unshared case" -- person "$CLI" --store "$R" case show "$RCASE" \
    --scope situation --person "$RPERSON" --purpose support_coordination $KS
has "$T/out" "見守りが必要" "the coordinating body reads the content"
expect 0 "coordinating body staff list every case" -- person "$CLI" --store "$R" case list $KS
has "$T/out" "$RCASE" "the case is in the coordinating body's list"
expect 4 "coordinating body staff: member add refused" -- person "$CLI" --store "$R" member add --name x --kind npo $KS

# The log names each person; the root uses carry their reason.
expect 0 "the log (as the secretariat's person)" -- person "$CLI" --store "$R" audit show --json $YS
SECH=$(printf %s "$SEC" | tr -d -) YAMH=$(printf %s "$YAMADA" | tr -d -)
KATH=$(printf %s "$KATO" | tr -d -) CBH=$(printf %s "$CBM" | tr -d -)
jq_count() { /usr/bin/python3 -c 'import json,sys; ev=json.load(open(sys.argv[1])); print(sum(1 for e in ev if eval(sys.argv[2])))' "$T/out" "$1"; }
n=$(jq_count "e['action']=='member_added' and e['actor']=='$SECH/$YAMH'")
[ "$n" -eq 1 ] && ok || bad "member_added names Yamada: $n"
n=$(jq_count "e['action'] in ('member_key_registered','staff_added','pledge_recorded','member_updated','staff_retired') and e['actor']=='$SECH/$YAMH'")
[ "$n" -ge 5 ] && ok || bad "the registry events name Yamada: $n"
n=$(jq_count "e['action']=='section_decrypted' and e['actor']=='$CBH/$KATH'")
[ "$n" -eq 1 ] && ok || bad "the read names Kato: $n"
n=$(jq_count "e['actor']=='root' and e['action'] not in ('session_opened','council_created','key_rotated')")
[ "$n" -ge 1 ] && ok || bad "the setup's acts are root's: $n"
n=$(jq_count "e['actor']=='root' and e['action']=='session_opened' and e.get('reason') not in ('setup',)")
[ "$n" -eq 0 ] && ok || bad "every root session here was declared setup: $n"

# Withdrawal by a person: keys rotated; the database re-key is the
# council passphrase's, and the command says so.
expect 0 "secretariat staff: withdraw" -- person "$CLI" --store "$R" member withdraw "$NPO" --reason 解散 --yes $YS
has "$T/err" "re-key it with the council passphrase" "the person is told to re-key"
expect 0 "rekey database: key management, declared by the command" -- person "$CLI" --store "$R" rekey database --yes $RP
has "$T/err" "for key_management" "the re-key is a declared root use"
expect 0 "the re-key's session" -- person "$CLI" --store "$R" audit show --action session_opened --tail 2 --json $YS
has "$T/out" '"reason": "key_management"' "the log carries the reason code"
hasnot "$T/out" "council-cli rekey database" "the written reason stays out of the log"
# The written reasons: the secretariat's to read, beside the codes.
expect 0 "audit root-uses" -- person "$CLI" --store "$R" audit root-uses $YS
has "$T/out" "setup.*設立準備" "root-uses: the setup's written reason"
has "$T/out" "key_management.*council-cli rekey database" "root-uses: the re-key's written reason"
expect 0 "audit root-uses --json" -- person "$CLI" --store "$R" audit root-uses --json $YS
n=$(/usr/bin/python3 -c 'import json,sys; print(len([u for u in json.load(open(sys.argv[1])) if u["reason"] == "setup" and u["note"] == "設立準備"]))' "$T/out")
[ "$n" -ge 10 ] && ok || bad "root-uses --json: every setup use listed ($n)"
expect 4 "audit root-uses: not the coordinating body's" -- person "$CLI" --store "$R" audit root-uses $KS
has "$T/err" "only the secretariat" "root-uses: the refusal says whose it is"
# In a person's session $COUNCIL_MEMBER_PASSPHRASE is the person's own: a
# new member's keys never take it (usage, before anything is made).
expect 0 "member add for the passphrase check" -- person "$CLI" --store "$R" member add --name "NPO 三" --kind npo $YS
NPO3=$(cat "$T/out")
expect 2 "keygen in a staff session ignores the person's own passphrase" -- env -u COUNCIL_ROOT_REASON \
    -u COUNCIL_ROOT_NOTE COUNCIL_MEMBER_PASSPHRASE="$(cat "$K/secpass")" "$CLI" --store "$R" member keygen "$NPO3" \
    --out "$K/npo3.key" --staff "$YAMADA" --keyfile "$K/sec.key"
has "$T/err" "your own member's passphrase" "the refusal says why"
[ ! -e "$K/npo3.key" ] && ok || bad "no keyfile was written"
