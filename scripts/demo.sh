#!/bin/sh
# make demo: a council scenario on the embedded store, in a temporary
# directory that is removed afterwards. Usage: demo.sh path/to/council-cli
#
# A secretariat's sitting: the council passphrase is used once, declared,
# to create the council and put its first people in place (the
# secretariat's member, the coordinating body's member, their pledged
# staff); from then on named people work in their own sessions: 山田 of the
# secretariat unlocks once and runs the register, meetings, the report and
# the audit log; 佐藤 of an NPO opens a case with encrypted sections, shares
# one scope with the social welfare council (which reads that scope and
# nothing else), records consent; 加藤 of the coordinating body reads a case
# nobody shared with the city. The council's work: a meeting records its
# minutes and a decision; the decision becomes a task for 佐藤 and a
# referral (つなぐ) to the social welfare council, which reads what is
# offered only once it accepts, and completes it; the coordinating body
# asks the NPO for its view (a cooperation request) and gets its answer.
# Two members run their own case systems as member nodes: the secretariat
# sends each, as signed and sealed bundles, exactly what it may hold (the
# case's shared scopes, a meeting packet, later what to delete); each node
# reads only its own and logs it in its own verifiable log; one node
# answers a referral, and both cosign the council's checkpoint.
# The NPO withdraws and its case moves to the coordinating body rather
# than stay ownerless. The council passphrase comes back once,
# declared, to rotate the database key. Every act in the log names a person
# but the council's creation and those declared uses; an auditor verifies
# the log with the public key alone and catches a tampered copy; a member
# organisation acts as a witness.
set -eu
CLI=$1
T=$(mktemp -d)
export COUNCIL_STORE="$T/kita-city-council"
cleanup() { "$CLI" lock >/dev/null 2>&1 || true; rm -rf "$T"; }
trap cleanup EXIT
# A script's passphrases: from files readable only by this user.
umask 077
printf 'demo passphrase: never use this one\n' >"$T/passphrase"
P="--passphrase-file $T/passphrase"
unset COUNCIL_STAFF COUNCIL_KEYFILE COUNCIL_ROOT_REASON COUNCIL_ROOT_NOTE

step() { printf '\n== %s\n' "$*"; }

step "The council is created with the council passphrase (Argon2id at the default MODERATE cost)"
"$CLI" init --name "北市 孤独・孤立対策地域協議会" $P

step "The council passphrase is used only with a declared reason; here, setting up"
if "$CLI" info $P 2>"$T/err"; then
    echo "demo: the council passphrase was used without a reason" >&2
    exit 1
fi
sed 's/^/   /' "$T/err"
SETUP="--root-reason setup --root-note 協議会の設立準備（事務局と調整機関の登録）"
"$CLI" info $SETUP $P
"$CLI" info $SETUP $P 2>/dev/null | sed -n 's/^log public key: *//p' >"$T/log.vkey"

step "What is on disk: an encrypted database and a wrapped keyring"
ls -l "$COUNCIL_STORE"
if command -v sqlcipher >/dev/null; then
    step "Without the key the sqlcipher shell sees no database"
    sqlcipher "$COUNCIL_STORE/council.db" "SELECT count(*) FROM sqlite_master;" 2>&1 || true
fi

step "A wrong passphrase is refused (exit status 3: authentication)"
printf 'not the passphrase\n' >"$T/wrong"
rc=0
"$CLI" info $SETUP --passphrase-file "$T/wrong" 2>&1 || rc=$?
if [ "$rc" -ne 3 ]; then
    echo "demo: a wrong passphrase gave exit status $rc, not 3" >&2
    exit 1
fi

step "Setup: the secretariat (事務局) and the coordinating body (調整機関) as members, with keys and pledged people"
printf '私は、協議会の事務に関して知り得た秘密を漏らしません。\n' >"$T/pledge.txt"
SEC=$("$CLI" member add --name "北市 福祉政策課" --kind municipal_department \
    --roles secretariat --scopes identity,situation,wishes,support_plan $SETUP $P)
printf 'the secretariat keeps this passphrase\n' >"$T/sec.pass"
"$CLI" member keygen "$SEC" --out "$T/sec.keyfile" --member-passphrase-file "$T/sec.pass" $SETUP $P
YAMADA=$("$CLI" staff add --member "$SEC" --name "事務局 山田" --role 事務局員 $SETUP $P)
"$CLI" staff pledge "$YAMADA" --text-version v2024_04 --text-file "$T/pledge.txt" $SETUP $P
CITY=$("$CLI" member add --name "北市 地域福祉課" --kind municipal_department \
    --roles coordinating_body --scopes identity,situation,wishes,support_plan $SETUP $P)
printf 'the coordinating body keeps this passphrase\n' >"$T/city.pass"
"$CLI" member keygen "$CITY" --out "$T/city.keyfile" --member-passphrase-file "$T/city.pass" $SETUP $P
KATO=$("$CLI" staff add --member "$CITY" --name "調整担当 加藤" $SETUP $P)
"$CLI" staff pledge "$KATO" --text-version v2024_04 --text-file "$T/pledge.txt" $SETUP $P
echo "-- the council passphrase goes back in the safe."

step "山田 (secretariat) unlocks once for the sitting: her keyfile and passphrase, Argon2id once"
export COUNCIL_STAFF="$YAMADA" COUNCIL_KEYFILE="$T/sec.keyfile"
Y=""
if ! "$CLI" unlock --passphrase-file "$T/sec.pass"; then
    echo "-- (no kernel keyring here: each command below reads her passphrase file instead)"
    Y="--passphrase-file $T/sec.pass"
fi
"$CLI" unlock --status

step "山田 registers the members (構成機関等): no council passphrase"
NPO=$("$CLI" member add --name "NPO法人 つながりの家" --kind npo --scopes wishes,support_plan $Y)
COMMISSIONER=$("$CLI" member add --name "民生委員 北地区" --kind welfare_commissioner $Y)
printf 'the NPO keeps this passphrase\n' >"$T/npo.pass"
"$CLI" member keygen "$NPO" --out "$T/npo.keyfile" --member-passphrase-file "$T/npo.pass" $Y
"$CLI" member withdraw "$COMMISSIONER" --reason "任期満了" --yes $Y
"$CLI" member list $Y

step "The NPO's staff pledge secrecy (Article 18) and work in their own sessions"
SATO=$("$CLI" staff add --member "$NPO" --name "相談員 佐藤" --role 相談支援 $Y)
"$CLI" staff pledge "$SATO" --text-version v2024_04 --text-file "$T/pledge.txt" --witness-name 事務局長 $Y
SUZUKI=$("$CLI" staff add --member "$NPO" --name "相談員 鈴木" $Y)
"$CLI" staff pledge "$SUZUKI" --text-version v2024_04 --text-file "$T/pledge.txt" $Y
"$CLI" staff retire "$SUZUKI" --reason "人事異動" --yes $Y
"$CLI" staff list $Y
echo "-- 佐藤 opens a session with the NPO's keyfile and passphrase:"
"$CLI" info --staff "$SATO" --keyfile "$T/npo.keyfile" --passphrase-file "$T/npo.pass" | head -2
echo "-- 鈴木 (former staff, still bound by the pledge) is refused, and it is logged:"
if "$CLI" info --staff "$SUZUKI" --keyfile "$T/npo.keyfile" --passphrase-file "$T/npo.pass"; then
    echo "demo: former staff opened a session" >&2
    exit 1
fi

step "What the council publishes (no staff, no keys, no contacts)"
"$CLI" members announce $Y

step "Every session and registry change is in the audit log: council-cli audit show"
"$CLI" audit show --tail 12 $Y

step "A member organisation keeps a signed checkpoint (it will act as witness)"
"$CLI" audit checkpoint $Y >"$T/checkpoint.old"
cat "$T/checkpoint.old"
"$CLI" audit witness-keygen --name shakyo.example/witness --out "$T/witness.key" >"$T/witness.vkey"

step "The social welfare council joins; its staff pledge too"
SHAKYO=$("$CLI" member add --name "北市社会福祉協議会" --kind social_welfare_council \
    --scopes situation,wishes,support_plan $Y)
printf 'the shakyo keeps this passphrase\n' >"$T/shakyo.pass"
"$CLI" member keygen "$SHAKYO" --out "$T/shakyo.keyfile" --member-passphrase-file "$T/shakyo.pass" $Y
TANAKA=$("$CLI" staff add --member "$SHAKYO" --name "生活支援員 田中" $Y)
"$CLI" staff pledge "$TANAKA" --text-version v2024_04 --text-file "$T/pledge.txt" $Y
NPO_S="--staff $SATO --keyfile $T/npo.keyfile --passphrase-file $T/npo.pass"
CITY_S="--staff $KATO --keyfile $T/city.keyfile --passphrase-file $T/city.pass"
SHAKYO_S="--staff $TANAKA --keyfile $T/shakyo.keyfile --passphrase-file $T/shakyo.pass"

step "佐藤 (NPO) opens a case: each section is encrypted under its own data key"
"$CLI" case create $NPO_S >"$T/case.ids"
CASE=$(sed -n 1p "$T/case.ids")
cat "$T/case.ids"
cat >"$T/identity.json" <<'JSON'
{"identity": {"name": "北野 はるこ", "name_kana": "キタノ ハルコ", "birth_date": "1948-06-01",
              "address": "北市中央1-2-3"}}
JSON
printf '{"text": "夫と死別後、一人暮らし。外出が減り、近所との交流もない。"}\n' >"$T/situation.json"
printf '{"wishes": {"wants": ["自宅で暮らし続けたい", "週に一度は誰かと話したい"], "does_not_want": ["施設への入所"]}}\n' >"$T/wishes.json"
"$CLI" case update "$CASE" --scope identity --file "$T/identity.json" $NPO_S
"$CLI" case update "$CASE" --scope situation --file "$T/situation.json" $NPO_S
"$CLI" case update "$CASE" --scope wishes --file "$T/wishes.json" $NPO_S
"$CLI" case show "$CASE" --purpose support_coordination $NPO_S

step "加藤 (coordinating body) reads the case: nobody shared it with the city; its key is the coordinating body's"
"$CLI" case show "$CASE" --scope situation --purpose support_coordination $CITY_S
echo "-- ... but the coordinating body does not run the register: refused"
if "$CLI" member add --name "偽の構成機関" --kind npo $CITY_S 2>/dev/null; then
    echo "demo: the coordinating body's staff changed the register" >&2
    exit 1
fi

step "The NPO shares the person's wishes with the social welfare council (basis and reason recorded)"
"$CLI" case share "$CASE" --member "$SHAKYO" --scope wishes --purpose support_coordination \
    --basis appi_27_1_4_public_duty --reason "見守り体制の検討のため" $NPO_S
echo "-- 田中 (社協) reads the wishes:"
"$CLI" case show "$CASE" --scope wishes --purpose support_coordination $SHAKYO_S
echo "-- ... but not the situation, which was not shared (refused, and logged):"
if "$CLI" case show "$CASE" --scope situation --purpose support_coordination $SHAKYO_S; then
    echo "demo: an unshared scope was read" >&2
    exit 1
fi
echo "-- A health scope is outside the social welfare council's ceiling: refused"
if "$CLI" case share "$CASE" --member "$SHAKYO" --scope health --purpose support_coordination \
    --basis appi_27_1_4_public_duty --reason "test" $NPO_S; then
    echo "demo: a share outside the ceiling was granted" >&2
    exit 1
fi

step "Is this person already known? The blind index finds her by a folded name (no name stored in clear)"
"$CLI" case find --name "ｷﾀﾉ ﾊﾙｺ" --birth-date 1948-06-01 $SHAKYO_S || true
"$CLI" case find --name "きたの　はるこ" $Y

step "The share is revoked: the data key rotates, and 田中's next read fails"
"$CLI" case revoke "$CASE" --member "$SHAKYO" --reason support_ended $NPO_S
if "$CLI" case show "$CASE" --scope wishes --purpose support_coordination $SHAKYO_S; then
    echo "demo: a revoked share was read" >&2
    exit 1
fi
"$CLI" case history "$CASE" --scope wishes --purpose support_coordination $NPO_S

step "A second case is erased at the person's request: keys destroyed, a tombstone in the log"
"$CLI" case create $NPO_S >"$T/case2.ids"
CASE2=$(sed -n 1p "$T/case2.ids")
printf '{"text": "消去される記録"}\n' | "$CLI" case update "$CASE2" --scope situation $NPO_S
"$CLI" case erase "$CASE2" --reason person_request --yes $Y
"$CLI" case info "$CASE2" $Y
if "$CLI" case show "$CASE2" --purpose support_coordination $Y; then
    echo "demo: an erased case was read" >&2
    exit 1
fi

step "Consent (同意): the person agrees to the NPO telling the social welfare council about her situation"
sha256sum "$T/situation.json" | cut -d' ' -f1 >"$T/evidence.sha256"
CONSENT=$("$CLI" consent record "$CASE" --member "$SHAKYO" --scope situation \
    --purpose support_coordination --method written --obtained-by "$SATO" \
    --evidence-sha256 "$(cat "$T/evidence.sha256")" $NPO_S)
echo "consent $CONSENT"
echo "-- the decision, without sharing (a dry run):"
"$CLI" disclose "$CASE" --member "$SHAKYO" --scope situation --purpose support_coordination \
    --basis consent --consent "$CONSENT" --dry-run $NPO_S
echo "-- her wishes are not covered by this consent: refused, with the reason"
"$CLI" disclose "$CASE" --member "$SHAKYO" --scope wishes --purpose support_coordination \
    --basis consent --consent "$CONSENT" --dry-run $NPO_S || true
"$CLI" disclose "$CASE" --member "$SHAKYO" --scope situation --purpose support_coordination \
    --basis consent --consent "$CONSENT" $NPO_S
"$CLI" case show "$CASE" --scope situation --purpose support_coordination $SHAKYO_S

step "She withdraws her consent: the share ends at once, and 田中's next read fails"
"$CLI" consent withdraw "$CONSENT" --reason "本人から撤回の申し出" --yes $NPO_S
if "$CLI" case show "$CASE" --scope situation --purpose support_coordination $SHAKYO_S; then
    echo "demo: a read after the consent was withdrawn succeeded" >&2
    exit 1
fi
"$CLI" consent list "$CASE" $NPO_S

step "A council meeting (協議会の会議): the case goes on the agenda for the social welfare council"
NOW=$(date +%s)
MEETING=$("$CLI" meeting create --body council --starts "$NOW" --ends $((NOW + 3600)) \
    --member "$SHAKYO" $Y)
"$CLI" meeting add-case "$MEETING" "$CASE" --member "$SHAKYO" --scope wishes \
    --purpose meeting_discussion --basis appi_27_1_4_public_duty --reason "支援方針の検討" $Y

step "The meeting decides (協議): minutes for every attendee, a decision sealed to those the case was disclosed to"
printf '出席: 北市社会福祉協議会、事務局。議題: 1件(見守りと支援の方針)。\n' >"$T/minutes.txt"
"$CLI" meeting minutes "$MEETING" --file "$T/minutes.txt" $Y
printf '社協の見守り支援につなぐ。NPOは週1回の訪問を続け、1か月後に見直す。\n' >"$T/decision.txt"
DECISION=$("$CLI" meeting decide "$MEETING" --case "$CASE" --file "$T/decision.txt" $Y)
echo "decision $DECISION"
echo "-- 田中 (社協) reads them in her own session (each read logged first):"
"$CLI" meeting decisions "$MEETING" $SHAKYO_S
"$CLI" meeting packet "$MEETING" --member "$SHAKYO" --out "$T/packet.bin" $Y
echo "-- the packet (agenda, minutes, decision) is sealed to the social welfare council's key: $(wc -c <"$T/packet.bin") bytes"
"$CLI" meeting close "$MEETING" --yes $Y

step "The decision becomes work (伴走): 佐藤 visits weekly, a task from the decision; the case's review in a month"
TASK=$("$CLI" task add --case "$CASE" --text "週1回の訪問を続ける" --due $((NOW + 7 * 86400)) \
    --assignee "$SATO" --decision "$DECISION" $NPO_S)
"$CLI" case assign "$CASE" --worker "$SATO" $NPO_S
"$CLI" case review "$CASE" --at $((NOW + 30 * 86400)) $NPO_S
"$CLI" task list $NPO_S
"$CLI" case reviews --before $((NOW + 60 * 86400)) $Y

step "The decision becomes a referral (つなぐ): the NPO offers her situation and wishes to the social welfare council"
REFERRAL=$("$CLI" referral propose "$CASE" --member "$SHAKYO" --scope situation --scope wishes \
    --basis appi_27_1_4_public_duty --reason "見守り支援につなぐため(会議の決定による)" \
    --note "午後の訪問を希望。耳が遠いので大きめの声で。" --decision "$DECISION" $NPO_S)
echo "referral $REFERRAL"
echo "-- 田中 reads the note, but not what is offered until she accepts (refused, and logged):"
"$CLI" referral note "$REFERRAL" $SHAKYO_S
if "$CLI" case show "$CASE" --scope situation --purpose referral $SHAKYO_S 2>/dev/null; then
    echo "demo: an offered scope was read before the referral was accepted" >&2
    exit 1
fi
"$CLI" referral accept "$REFERRAL" $SHAKYO_S
echo "-- accepted: 佐藤 (the owner's side) delivers the keys, through the disclosure decision again"
"$CLI" referral deliver "$REFERRAL" $NPO_S
"$CLI" case show "$CASE" --scope situation --purpose referral $SHAKYO_S
"$CLI" referral complete "$REFERRAL" --code support_started --keep-share $SHAKYO_S
"$CLI" referral show "$REFERRAL" $Y
state=$("$CLI" referral show "$REFERRAL" --json $Y | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
[ "$state" = completed ] || { echo "demo: the referral is $state, not completed" >&2; exit 1; }

step "A cooperation request (協力要請, Art. 16(3)): 加藤 (coordinating body) asks the NPO for her wishes and an opinion"
CONSENT2=$("$CLI" consent record "$CASE" --member "$CITY" --scope wishes \
    --purpose support_coordination --method oral --obtained-by "$SATO" $NPO_S)
printf '今後の見守り体制について、本人の希望と支援者としてのご意見をお聞かせください。\n' >"$T/ask.txt"
REQUEST=$("$CLI" request make "$CASE" --member "$NPO" --kind information --scope wishes \
    --kind opinion --text-file "$T/ask.txt" --due $((NOW + 14 * 86400)) --basis consent \
    --consent "$CONSENT2" $CITY_S)
echo "request $REQUEST"
"$CLI" request show "$REQUEST" --text asked $NPO_S
printf '週1回の訪問で表情が明るくなった。社協の見守りと合わせ、月1回の会議で共有したい。\n' >"$T/opinion.txt"
"$CLI" request answer "$REQUEST" --scope wishes --text-file "$T/opinion.txt" $NPO_S
"$CLI" request show "$REQUEST" --text answer $CITY_S
"$CLI" request list $Y
echo "-- nothing is overdue:"
"$CLI" request list --overdue $Y

step "Member nodes: the social welfare council and the community support centre run their own case systems"
HOKATSU=$("$CLI" member add --name "北市地域包括支援センター" --kind municipal_department \
    --scopes situation,wishes,support_plan,health $Y)
printf 'the centre keeps this passphrase\n' >"$T/hokatsu.pass"
"$CLI" member keygen "$HOKATSU" --out "$T/hokatsu.keyfile" --member-passphrase-file "$T/hokatsu.pass" $Y
# A node is the member's own store: made from its keyfile, with its own log
# key; the council's log key (pinned in the keyfile) is the only key it
# takes the council's bundles from.
SHAKYO_N="--store $T/node-shakyo --keyfile $T/shakyo.keyfile --passphrase-file $T/shakyo.pass"
HOKATSU_N="--store $T/node-hokatsu --keyfile $T/hokatsu.keyfile --passphrase-file $T/hokatsu.pass"
"$CLI" node init "$T/node-shakyo" --keyfile "$T/shakyo.keyfile" --passphrase-file "$T/shakyo.pass"
"$CLI" node init "$T/node-hokatsu" --keyfile "$T/hokatsu.keyfile" --passphrase-file "$T/hokatsu.pass"

step "The NPO shares her support plan with the centre; the secretariat sends each node what its member may hold now"
printf '{"text": "週1回の訪問。月1回の見守り会議で共有する。"}\n' >"$T/plan.json"
"$CLI" case update "$CASE" --scope support_plan --file "$T/plan.json" $NPO_S
"$CLI" case share "$CASE" --member "$HOKATSU" --scope support_plan --purpose support_coordination \
    --basis appi_27_1_4_public_duty --reason "地域での見守りのため" $NPO_S
for who in shakyo hokatsu; do
    if [ "$who" = shakyo ]; then m=$SHAKYO; else m=$HOKATSU; fi
    "$CLI" bundle export case "$CASE" --to "$m" --purpose support_coordination \
        --basis appi_27_1_4_public_duty --days 30 --out "$T/case-$who.lcb" $Y
done
echo "-- what anyone can see of a bundle without a key: the clear header, and whether its signature holds"
"$CLI" bundle inspect "$T/case-shakyo.lcb"
echo "-- the centre's bundle is not for the social welfare council's node: refused (exit 4)"
if "$CLI" node import "$T/case-hokatsu.lcb" $SHAKYO_N; then
    echo "demo: a node imported a bundle addressed to another member" >&2
    exit 1
fi
"$CLI" node import "$T/case-shakyo.lcb" $SHAKYO_N
"$CLI" node import "$T/case-hokatsu.lcb" $HOKATSU_N
echo "-- a second import of the same bundle is a replay: refused"
if "$CLI" node import "$T/case-shakyo.lcb" $SHAKYO_N 2>/dev/null; then
    echo "demo: a bundle was imported twice" >&2
    exit 1
fi
echo "-- each node holds exactly its own scopes of the case:"
"$CLI" node list $SHAKYO_N
"$CLI" node list $HOKATSU_N
nscopes() { "$CLI" node list --json "$@" | /usr/bin/python3 -c '
import json, sys
print(",".join(sorted(s for i in json.load(sys.stdin) if i["kind"] == "section" for s in i["scopes"])))'; }
[ "$(nscopes $SHAKYO_N)" = "situation,wishes" ] || { echo "demo: the shakyo node holds $(nscopes $SHAKYO_N)" >&2; exit 1; }
[ "$(nscopes $HOKATSU_N)" = "support_plan" ] || { echo "demo: the centre's node holds $(nscopes $HOKATSU_N)" >&2; exit 1; }
echo "-- the centre reads its support plan on its own node (the read goes into the node's own log first):"
ITEM=$("$CLI" node list --json $HOKATSU_N | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
"$CLI" node read "$ITEM" $HOKATSU_N
echo "-- nothing of the case is in clear in the node's files:"
if grep -rl "週1回の訪問" "$T/node-hokatsu" "$T/node-shakyo"; then
    echo "demo: case text in clear in a node's files" >&2
    exit 1
fi

step "A meeting's packet travels as a bundle to each attendee's node"
MEETING2=$("$CLI" meeting create --body council --starts "$NOW" --ends $((NOW + 3600)) \
    --member "$SHAKYO" --member "$HOKATSU" $Y)
"$CLI" meeting add-case "$MEETING2" "$CASE" --member "$HOKATSU" --scope support_plan \
    --purpose meeting_discussion --basis appi_27_1_4_public_duty --reason "見守り会議" $Y
printf '出席: 北市社会福祉協議会、北市地域包括支援センター、事務局。見守りの分担を確認。\n' >"$T/minutes2.txt"
"$CLI" meeting minutes "$MEETING2" --file "$T/minutes2.txt" $Y
"$CLI" bundle export meeting-packet "$MEETING2" --to "$SHAKYO" --out "$T/packet-shakyo.lcb" $Y
"$CLI" bundle export meeting-packet "$MEETING2" --to "$HOKATSU" --out "$T/packet-hokatsu.lcb" $Y
"$CLI" node import "$T/packet-shakyo.lcb" $SHAKYO_N
"$CLI" node import "$T/packet-hokatsu.lcb" $HOKATSU_N
echo "-- the meeting closes: its disclosures end, and a revocation bundle tells each node to delete its packet"
"$CLI" meeting close "$MEETING2" --yes $Y
for who in shakyo hokatsu; do
    if [ "$who" = shakyo ]; then m=$SHAKYO; n=$SHAKYO_N; else m=$HOKATSU; n=$HOKATSU_N; fi
    "$CLI" bundle export revocations --to "$m" --out "$T/revoke-$who.lcb" $Y
    "$CLI" node import "$T/revoke-$who.lcb" $n
    if "$CLI" node list --json $n | grep -q meeting_packet; then
        echo "demo: a revoked meeting packet stayed on the $who node" >&2
        exit 1
    fi
done

step "The centre's node answers a referral: the answer travels back as a bundle the council imports through the same checks"
REFERRAL2=$("$CLI" referral propose "$CASE" --member "$HOKATSU" --scope situation \
    --basis appi_27_1_4_public_duty --reason "地域の見守りにつなぐため" $NPO_S)
"$CLI" bundle export referral "$REFERRAL2" --out "$T/referral.lcb" $Y
"$CLI" node import "$T/referral.lcb" $HOKATSU_N
"$CLI" node answer referral "$REFERRAL2" --step accepted --out "$T/answer.lcb" $HOKATSU_N
"$CLI" bundle import "$T/answer.lcb" $Y
state=$("$CLI" referral show "$REFERRAL2" --json $Y | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
[ "$state" = accepted ] || { echo "demo: the referral is $state, not accepted" >&2; exit 1; }
echo "referral $REFERRAL2: $state (by the centre's node)"
echo "-- the same answer again is a replay: refused"
if "$CLI" bundle import "$T/answer.lcb" $Y 2>/dev/null; then
    echo "demo: an answer was imported twice" >&2
    exit 1
fi

step "Both nodes witness the council's log: each checks the checkpoint and cosigns; the council keeps both cosignatures"
"$CLI" audit checkpoint $Y >/dev/null
for who in shakyo hokatsu; do
    if [ "$who" = shakyo ]; then m=$SHAKYO; n=$SHAKYO_N; else m=$HOKATSU; n=$HOKATSU_N; fi
    "$CLI" bundle export checkpoint --to "$m" --out "$T/checkpoint-$who.lcb" $Y
    "$CLI" node import "$T/checkpoint-$who.lcb" $n
    "$CLI" node cosign --out "$T/cosigned-$who.lcb" $n
    "$CLI" bundle import "$T/cosigned-$who.lcb" $Y
    "$CLI" node show --json $n | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["witness_vkey"])' >"$T/witness-$who.vkey"
    "$CLI" node show --json $n | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["node_log_vkey"])' >"$T/nodelog-$who.vkey"
done
"$CLI" audit export --out "$T/audit-nodes.cax" $Y
echo "-- the auditor requires both nodes' cosignatures of one checkpoint:"
"$CLI" audit verify "$T/audit-nodes.cax" --key @"$T/log.vkey" \
    --witness @"$T/witness-shakyo.vkey" --witness @"$T/witness-hokatsu.vkey" --require 2
echo "-- each node's own log (its imports, reads, deletions, answers) verifies with that node's public key alone:"
for who in shakyo hokatsu; do
    if [ "$who" = shakyo ]; then n=$SHAKYO_N; else n=$HOKATSU_N; fi
    "$CLI" node export-log "$T/nodelog-$who.cax" $n
    "$CLI" audit verify "$T/nodelog-$who.cax" --key @"$T/nodelog-$who.vkey"
done

step "The NPO withdraws from the council: its open cases cannot stay ownerless; they go to the coordinating body"
"$CLI" member cases "$NPO" $Y
"$CLI" member withdraw "$NPO" --reason "事業の終了" --yes $Y
"$CLI" member cases "$CITY" $Y
echo "-- 加藤 (the city) now owns the case; the NPO's keyfile opens nothing:"
"$CLI" case show "$CASE" --scope situation --purpose support_coordination $CITY_S
if "$CLI" case show "$CASE" --scope situation --purpose support_coordination $NPO_S 2>/dev/null; then
    echo "demo: a withdrawn member read a case it no longer owns" >&2
    exit 1
fi
echo "-- a joint meeting with the platform takes no case at all:"
PMEETING=$("$CLI" meeting create --body joint_platform --starts "$NOW" --ends $((NOW + 3600)) \
    --member "$SHAKYO" $Y)
if "$CLI" meeting add-case "$PMEETING" "$CASE" --member "$SHAKYO" --scope wishes \
    --purpose meeting_discussion --basis appi_27_1_4_public_duty --reason x $Y; then
    echo "demo: a case went on a platform meeting" >&2
    exit 1
fi

step "The report for the regional platform: counts only, small cells hidden (x)"
"$CLI" report platform --format csv $Y

step "The database key rotates (SQLCipher re-key): key management, the council passphrase's; declared, and said"
"$CLI" rekey database --yes $P
"$CLI" case list $CITY_S

step "Work goes on; the secretariat writes an audit export"
"$CLI" info $Y >/dev/null
"$CLI" audit export --out "$T/audit.cax" $Y

step "The auditor verifies the export with the public log key alone (no store, no passphrase)"
"$CLI" audit verify "$T/audit.cax" --key @"$T/log.vkey"

step "One byte changed in a copy of the export: the auditor's check fails"
cp "$T/audit.cax" "$T/audit-tampered.cax"
size=$(wc -c <"$T/audit.cax")
printf '\001' | dd of="$T/audit-tampered.cax" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
if "$CLI" audit verify "$T/audit-tampered.cax" --key @"$T/log.vkey"; then
    echo "demo: a tampered export verified" >&2
    exit 1
fi

step "The witness checks the new checkpoint against the one it kept, and cosigns"
"$CLI" audit checkpoint $Y >"$T/checkpoint.new"
old=$(sed -n 2p "$T/checkpoint.old"); new=$(sed -n 2p "$T/checkpoint.new")
"$CLI" audit prove --from "$old" --to "$new" $Y >"$T/consistency.proof"
"$CLI" audit witness --old "$T/checkpoint.old" --new "$T/checkpoint.new" \
    --proof "$T/consistency.proof" --key @"$T/log.vkey" \
    --witness-key "$T/witness.key" --name shakyo.example/witness >"$T/checkpoint.cosigned"
cat "$T/checkpoint.cosigned"
"$CLI" audit verify "$T/checkpoint.cosigned" --key @"$T/log.vkey" \
    --witness @"$T/witness.vkey" --require 1

step "The secretariat stores the cosignatures; the auditor requires one and checks the export contains the checkpoint they kept"
"$CLI" audit add-cosignatures "$T/checkpoint.cosigned" $Y
"$CLI" audit export --out "$T/audit2.cax" $Y
"$CLI" audit verify "$T/audit2.cax" --key @"$T/log.vkey" \
    --witness @"$T/witness.vkey" --require 1 --old "$T/checkpoint.new"

step "An old checkpoint passed off as new is refused by the witness"
if "$CLI" audit witness --old "$T/checkpoint.new" --new "$T/checkpoint.old" \
    --key @"$T/log.vkey" --witness-key "$T/witness.key" --name shakyo.example/witness; then
    echo "demo: a rollback was cosigned" >&2
    exit 1
fi
step "Who did what: every act names a person, but the council's creation and the declared uses of the council passphrase"
"$CLI" audit show --json $Y >"$T/log.json"
# Root's events: the council's creation, the sessions it opened (each with
# its declared reason), what the setup registered, and the re-key.
/usr/bin/python3 - "$T/log.json" <<'PY'
import json, sys
events = json.load(open(sys.argv[1]))
root = [e for e in events if e["actor"] == "root"]
setup = {"council_created", "session_opened", "member_added", "member_key_registered",
         "staff_added", "pledge_recorded", "key_rotated"}
bad = [e for e in root if e["action"] not in setup or
       (e["action"] == "session_opened" and e.get("reason") not in ("setup", "key_management"))]
if bad:
    sys.exit("demo: the council passphrase did something undeclared: %r" % bad)
people = [e for e in events if e["actor"] not in ("root", "system")]
# The council's work of this sitting, each step on the record.
work = ["decision_recorded", "minutes_recorded", "task_added", "referral_proposed",
        "referral_accepted", "referral_completed", "request_made", "request_answered",
        "case_transferred"]
done = {e["action"] for e in events if e["outcome"] == "allowed"}
missing = [a for a in work if a not in done]
if missing:
    sys.exit("demo: the log lacks the council's work: %r" % missing)
unnamed = [e for e in people if "/" not in e["actor"]]
if unnamed:
    sys.exit("demo: an act that names no person: %r" % unnamed)
print("-- %d events by the council passphrase (the council's creation, the setup, one re-key),"
      " each session declared;" % len(root))
print("   %d acts by %d named people; the last few:" %
      (len(people), len({e["actor"] for e in people})))
PY
"$CLI" audit show --tail 6 $Y

step "The person asks what the council holds about her (開示請求): 山田 produces her file, printable, in Japanese"
"$CLI" person report "$CASE" --json --out "$T/person.json" $Y
"$CLI" person report "$CASE" --format html --out "$T/person.html" $Y
/usr/bin/python3 - "$T/person.json" "$T/person.html" <<'PY'
import html.parser, json, sys
f = json.load(open(sys.argv[1]))
class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.title, self.lang, self._in_title = [], "", None, False
    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        self._in_title = tag == "title"
    def handle_endtag(self, tag):
        self._in_title = False
    def handle_data(self, data):
        self.text.append(data)
        if self._in_title:
            self.title += data
page = Text()
page.feed(open(sys.argv[2], encoding="utf-8").read())
text = "".join(page.text)
missing = [str(e["seq"]) for e in f["reads"] + f["disclosures"] if str(e["seq"]) not in text]
if page.lang != "ja" or missing:
    sys.exit("demo: the printed file lacks events %r (lang %r)" % (missing, page.lang))
print("-- %s: %d sections, %d consents, %d disclosures, %d reads, each with its log number"
      % (page.title.strip(), len(f["sections"]), len(f["consents"]), len(f["disclosures"]),
         len(f["reads"])))
PY
echo "-- $T/person.html opens in a browser and prints (A4); producing it is on the record:"
"$CLI" audit show --action person_report_produced --tail 2 $Y

step "The auditor gets the case's events with inclusion proofs, and checks them with the public key alone, twice"
"$CLI" audit case-evidence "$CASE" --out "$T/case.evidence" $Y
"$CLI" audit verify "$T/case.evidence" --key @"$T/log.vkey"
echo "-- and with an independent verifier written from the format documents (hashlib and Ed25519 only):"
/usr/bin/python3 "$(dirname "$0")/verify-case-evidence.py" "$T/case.evidence" --key @"$T/log.vkey"

step "The provision register (記録) for this fiscal year: each member's provisions and receipts"
FY=$(TZ=Asia/Tokyo date +%Y); [ "$(TZ=Asia/Tokyo date +%m)" -lt 4 ] && FY=$((FY - 1))
"$CLI" register show --fiscal-year "$FY" $Y
echo "-- (the person is a pseudonym there; the secretariat resolves it, on the record:)"
"$CLI" case resolve "$("$CLI" case pseudonym "$CASE" $Y)" $Y

step "Retention: closed cases are kept five years; the support meeting's closed cases go at once (for the demonstration)"
"$CLI" case create --body support_meeting $CITY_S >"$T/case3.ids"
CASE3=$(sed -n 1p "$T/case3.ids")
printf '{"text": "支援会議で終結した記録"}\n' | "$CLI" case update "$CASE3" --scope situation $CITY_S
"$CLI" case status "$CASE3" closed $CITY_S
"$CLI" retention set --status closed --years 5 $Y >/dev/null
"$CLI" retention set --body support_meeting --status closed --days 0 $Y
"$CLI" retention due $Y
"$CLI" retention apply --dry-run $Y
"$CLI" retention apply --yes $Y
"$CLI" case info "$CASE3" $Y
if "$CLI" case show "$CASE3" --purpose support_coordination $Y 2>/dev/null; then
    echo "demo: a case erased by retention was read" >&2
    exit 1
fi
echo "-- nothing else went: her case is still there, and the log still verifies"
"$CLI" case show "$CASE" --scope situation --purpose support_coordination $CITY_S >/dev/null
"$CLI" retention due $Y
"$CLI" audit export --out "$T/audit3.cax" $Y
"$CLI" audit verify "$T/audit3.cax" --key @"$T/log.vkey"

step "山田 locks at the end of the sitting"
"$CLI" lock
"$CLI" unlock --status
echo
echo "demo: done"
