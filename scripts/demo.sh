#!/bin/sh
# make demo: a council scenario on the embedded store, in a temporary
# directory that is removed afterwards. Usage: demo.sh path/to/council-cli
#
# So far: the secretariat creates the council, registers its members and
# their staff (with secrecy pledges); staff work in their own sessions;
# every session and change lands in the audit log; an auditor verifies the
# log with the public key alone and catches a tampered copy; a member
# organisation acts as a witness. Cases: the NPO opens a case (個別ケース)
# with encrypted sections, shares one scope with the social welfare council
# (which can read that scope and nothing else), revokes it, and the
# secretariat finds a person by a folded name, erases a case and rotates the
# database key; consent is recorded, decides a disclosure and is withdrawn;
# a support meeting discloses one scope for its window; the platform gets
# suppressed counts only.
set -eu
CLI=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export COUNCIL_STORE="$T/kita-city-council"
# A script's passphrase: from a file readable only by this user.
umask 077
printf 'demo passphrase: never use this one\n' >"$T/passphrase"
P="--passphrase-file $T/passphrase"

step() { printf '\n== %s\n' "$*"; }

step "The secretariat creates the council (Argon2id at the default MODERATE cost)"
"$CLI" init --name "北市 孤独・孤立対策地域協議会" $P

step "council-cli info"
"$CLI" info $P
"$CLI" info $P | sed -n 's/^log public key: *//p' >"$T/log.vkey"

step "What is on disk: an encrypted database and a wrapped keyring"
ls -l "$COUNCIL_STORE"
if command -v sqlcipher >/dev/null; then
    step "Without the key the sqlcipher shell sees no database"
    sqlcipher "$COUNCIL_STORE/council.db" "SELECT count(*) FROM sqlite_master;" 2>&1 || true
fi

step "A wrong passphrase is refused (exit status 3: authentication)"
printf 'not the passphrase\n' >"$T/wrong"
rc=0
"$CLI" info --passphrase-file "$T/wrong" || rc=$?
if [ "$rc" -ne 3 ]; then
    echo "demo: a wrong passphrase gave exit status $rc, not 3" >&2
    exit 1
fi

step "The secretariat registers the members (構成機関等)"
"$CLI" member add --name "北市 福祉課" --kind municipal_department \
    --roles secretariat,coordinating_body --scopes identity,situation,wishes,support_plan $P >/dev/null
NPO=$("$CLI" member add --name "NPO法人 つながりの家" --kind npo --scopes wishes,support_plan $P)
COMMISSIONER=$("$CLI" member add --name "民生委員 北地区" --kind welfare_commissioner $P)
printf 'the NPO keeps this passphrase\n' >"$T/npo.pass"
"$CLI" member keygen "$NPO" --out "$T/npo.keyfile" --member-passphrase-file "$T/npo.pass" $P
"$CLI" member withdraw "$COMMISSIONER" --reason "任期満了" --yes $P
"$CLI" member list $P

step "The NPO's staff pledge secrecy (Article 18) and work in their own sessions"
printf '私は、協議会の事務に関して知り得た秘密を漏らしません。\n' >"$T/pledge.txt"
SATO=$("$CLI" staff add --member "$NPO" --name "相談員 佐藤" --role 相談支援 $P)
"$CLI" staff pledge "$SATO" --text-version v2024_04 --text-file "$T/pledge.txt" --witness-name 事務局長 $P
SUZUKI=$("$CLI" staff add --member "$NPO" --name "相談員 鈴木" $P)
"$CLI" staff pledge "$SUZUKI" --text-version v2024_04 --text-file "$T/pledge.txt" $P
"$CLI" staff retire "$SUZUKI" --reason "人事異動" --yes $P
"$CLI" staff list $P
echo "-- 佐藤 opens a session with the NPO's keyfile and passphrase:"
"$CLI" info --staff "$SATO" --keyfile "$T/npo.keyfile" --passphrase-file "$T/npo.pass" | head -2
echo "-- 鈴木 (former staff, still bound by the pledge) is refused, and it is logged:"
if "$CLI" info --staff "$SUZUKI" --keyfile "$T/npo.keyfile" --passphrase-file "$T/npo.pass"; then
    echo "demo: former staff opened a session" >&2
    exit 1
fi

step "What the council publishes (no staff, no keys, no contacts)"
"$CLI" members announce $P

step "Every session and registry change is in the audit log: council-cli audit show"
"$CLI" audit show $P

step "A member organisation keeps a signed checkpoint (it will act as witness)"
"$CLI" audit checkpoint $P >"$T/checkpoint.old"
cat "$T/checkpoint.old"
"$CLI" audit witness-keygen --name shakyo.example/witness --out "$T/witness.key" >"$T/witness.vkey"

step "The social welfare council joins; its staff pledge too"
SHAKYO=$("$CLI" member add --name "北市社会福祉協議会" --kind social_welfare_council \
    --scopes situation,wishes,support_plan $P)
printf 'the shakyo keeps this passphrase\n' >"$T/shakyo.pass"
"$CLI" member keygen "$SHAKYO" --out "$T/shakyo.keyfile" --member-passphrase-file "$T/shakyo.pass" $P
TANAKA=$("$CLI" staff add --member "$SHAKYO" --name "生活支援員 田中" $P)
"$CLI" staff pledge "$TANAKA" --text-version v2024_04 --text-file "$T/pledge.txt" $P
NPO_S="--staff $SATO --keyfile $T/npo.keyfile --passphrase-file $T/npo.pass"
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
"$CLI" case find --name "きたの　はるこ" $P

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
"$CLI" case erase "$CASE2" --reason person_request --yes $P
"$CLI" case info "$CASE2" $P
if "$CLI" case show "$CASE2" --purpose support_coordination $P; then
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

step "A support meeting (支援会議): the case goes on the agenda for the social welfare council"
NOW=$(date +%s)
MEETING=$("$CLI" meeting create --body support_meeting --starts "$NOW" --ends $((NOW + 3600)) \
    --member "$SHAKYO" $P)
"$CLI" meeting add-case "$MEETING" "$CASE" --member "$SHAKYO" --scope wishes \
    --purpose meeting_discussion --basis appi_27_1_4_public_duty --reason "支援方針の検討" $P
"$CLI" meeting packet "$MEETING" --member "$SHAKYO" --out "$T/packet.bin" $P
echo "-- the packet is sealed to the social welfare council's key: $(wc -c <"$T/packet.bin") bytes"
"$CLI" meeting close "$MEETING" --yes $P
echo "-- a joint meeting with the platform takes no case at all:"
PMEETING=$("$CLI" meeting create --body joint_platform --starts "$NOW" --ends $((NOW + 3600)) \
    --member "$SHAKYO" $P)
if "$CLI" meeting add-case "$PMEETING" "$CASE" --member "$SHAKYO" --scope wishes \
    --purpose meeting_discussion --basis appi_27_1_4_public_duty --reason x $P; then
    echo "demo: a case went on a platform meeting" >&2
    exit 1
fi

step "The report for the regional platform: counts only, small cells hidden (x)"
"$CLI" report platform --format csv $P

step "The secretariat rotates the database key (SQLCipher re-key); staff sessions go on"
"$CLI" rekey database --yes $P
"$CLI" case list $NPO_S

step "Work goes on; the secretariat writes an audit export"
"$CLI" info $P >/dev/null
"$CLI" audit export --out "$T/audit.cax" $P

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
"$CLI" audit checkpoint $P >"$T/checkpoint.new"
old=$(sed -n 2p "$T/checkpoint.old"); new=$(sed -n 2p "$T/checkpoint.new")
"$CLI" audit prove --from "$old" --to "$new" $P >"$T/consistency.proof"
"$CLI" audit witness --old "$T/checkpoint.old" --new "$T/checkpoint.new" \
    --proof "$T/consistency.proof" --key @"$T/log.vkey" \
    --witness-key "$T/witness.key" --name shakyo.example/witness >"$T/checkpoint.cosigned"
cat "$T/checkpoint.cosigned"
"$CLI" audit verify "$T/checkpoint.cosigned" --key @"$T/log.vkey" \
    --witness @"$T/witness.vkey" --require 1

step "The secretariat stores the cosignatures; the auditor requires one and checks the export contains the checkpoint they kept"
"$CLI" audit add-cosignatures "$T/checkpoint.cosigned" $P
"$CLI" audit export --out "$T/audit2.cax" $P
"$CLI" audit verify "$T/audit2.cax" --key @"$T/log.vkey" \
    --witness @"$T/witness.vkey" --require 1 --old "$T/checkpoint.new"

step "An old checkpoint passed off as new is refused by the witness"
if "$CLI" audit witness --old "$T/checkpoint.new" --new "$T/checkpoint.old" \
    --key @"$T/log.vkey" --witness-key "$T/witness.key" --name shakyo.example/witness; then
    echo "demo: a rollback was cosigned" >&2
    exit 1
fi
echo
echo "demo: done"
