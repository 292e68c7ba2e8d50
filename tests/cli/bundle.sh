# bundle.sh - bundle export (case, checkpoint, revocations: signed files
# sealed to a member's key) and bundle inspect (no store).
# Sourced by tests/cli-test.sh (after lib.sh, case.sh and consent.sh).
BSHARE="--purpose support_coordination --basis appi_27_1_4_public_duty --reason 見守りのため"
expect 0 "bundle: share wishes" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope wishes $BSHARE $CP
expect 0 "bundle export case" -- "$CLI" --store "$C" bundle export case "$CASE" --to "$CNPO" \
    --basis appi_27_1_4_public_duty --out "$T/b1.lcb" $CP
has "$T/err" "case_sections bundle for member $CNPO written to $T/b1.lcb" "bundle export note"
perm=$(stat -c %a "$T/b1.lcb"); [ "$perm" = 600 ] && ok || bad "bundle mode $perm, want 600"
hasnot "$T/b1.lcb" "スズキ" "the bundle is sealed"
cp "$T/b1.lcb" "$T/b1.before"
expect 1 "bundle export over a file" -- "$CLI" --store "$C" bundle export case "$CASE" --to "$CNPO" \
    --basis appi_27_1_4_public_duty --out "$T/b1.lcb" $CP
cmp -s "$T/b1.lcb" "$T/b1.before" && ok || bad "a refused export changed the file"
expect 0 "bundle inspect" -- "$CLI" bundle inspect "$T/b1.lcb"
has "$T/out" "^type: *case_sections\$" "inspect type"
has "$T/out" "^to: *member $CNPO\$" "inspect recipient"
has "$T/out" "^signature: *verifies" "inspect signature"
expect 0 "bundle inspect --json" -- "$CLI" bundle inspect "$T/b1.lcb" --json
isjson "$T/out" "bundle inspect --json"
[ "$(jcount "$T/out" 'd["type"], d["recipient_id"], d["sender_kind"], d["signature_ok"]')" = \
  "('case_sections', '$CNPO', 'council', True)" ] && ok || bad "inspect json: $(cat "$T/out")"
/usr/bin/python3 -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[-1]^=1; open(sys.argv[2],"wb").write(b)' \
    "$T/b1.lcb" "$T/b1.flipped"
expect 5 "bundle inspect, a flipped byte" -- "$CLI" bundle inspect "$T/b1.flipped"
has "$T/out" "DOES NOT VERIFY" "inspect says the signature fails"
head -c 100 "$T/b1.lcb" >"$T/b1.short"
expect 1 "bundle inspect, truncated" -- "$CLI" bundle inspect "$T/b1.short"
expect 1 "bundle inspect, no such file" -- "$CLI" bundle inspect "$T/none.lcb"
expect 2 "bundle inspect without a file" -- "$CLI" bundle inspect
expect 4 "bundle export by the npo's staff (not the secretariat)" -- "$CLI" --store "$C" bundle export case "$CASE" \
    --to "$CNPO" --basis appi_27_1_4_public_duty --out "$T/b2.lcb" $NS
[ ! -e "$T/b2.lcb" ] && ok || bad "a refused export left a file"
expect 2 "bundle export without --to" -- "$CLI" --store "$C" bundle export case "$CASE" --out "$T/b2.lcb" $CP
expect 2 "bundle export, an unknown kind" -- "$CLI" --store "$C" bundle export gossip --to "$CNPO" --out "$T/b2.lcb" $CP
expect 2 "bundle export, --days out of range" -- "$CLI" --store "$C" bundle export checkpoint --to "$CNPO" --days 400 --out "$T/b2.lcb" $CP
expect 1 "bundle export case without a basis" -- "$CLI" --store "$C" bundle export case "$CASE" --to "$CNPO" --out "$T/b2.lcb" $CP
[ ! -e "$T/b2.lcb" ] && ok || bad "a failed export left a file"
expect 6 "bundle export revocations, nothing to revoke" -- "$CLI" --store "$C" bundle export revocations --to "$CNPO" --out "$T/b3.lcb" $CP
expect 0 "bundle: revoke wishes" -- "$CLI" --store "$C" case revoke "$CASE" --member "$CNPO" --scope wishes --reason support_ended $CP
expect 4 "bundle export case, nothing shared now" -- "$CLI" --store "$C" bundle export case "$CASE" --to "$CNPO" \
    --basis appi_27_1_4_public_duty --out "$T/b4.lcb" $CP
expect 0 "bundle export revocations" -- "$CLI" --store "$C" bundle export revocations --to "$CNPO" --out "$T/b3.lcb" --json $CP
isjson "$T/out" "bundle export --json"
[ "$(jcount "$T/out" 'd["type"], d["size"] > 0, len(d["sha256"])')" = "('revocation', True, 64)" ] \
    && ok || bad "export json: $(cat "$T/out")"
expect 6 "bundle export revocations, listed once" -- "$CLI" --store "$C" bundle export revocations --to "$CNPO" --out "$T/b5.lcb" $CP
expect 0 "bundle export checkpoint" -- "$CLI" --store "$C" bundle export checkpoint --to "$CNPO" --from 3 --days 7 --out "$T/b6.lcb" $CP
expect 0 "bundle inspect checkpoint" -- "$CLI" bundle inspect "$T/b6.lcb"
has "$T/out" "^type: *checkpoint\$" "inspect checkpoint type"
expect 0 "bundles are audited" -- "$CLI" --store "$C" audit show $CP
has "$T/out" "bundle_exported .* reason=case_sections" "case bundle audited"
has "$T/out" "bundle_exported .* reason=revocation" "revocation bundle audited"
has "$T/out" "bundle_exported .* reason=checkpoint" "checkpoint bundle audited"
has "$T/out" "disclosure_made .* reason=bundle_exported" "the disclosure audited"
expect 2 "bundle export meeting-packet without a meeting" -- "$CLI" --store "$C" bundle export meeting-packet --to "$CNPO" --out "$T/b7.lcb" $CP
# the meeting packet as a bundle, revoked when the meeting closes
expect 0 "bundle: meeting create" -- "$CLI" --store "$C" meeting create --body council --starts 2026-01-01 \
    --ends 2099-01-01T12:00:00Z --member "$CNPO" $CP
BMEET=$(cat "$T/out")
expect 0 "bundle: meeting add-case" -- "$CLI" --store "$C" meeting add-case "$BMEET" "$CASE" --member "$CNPO" \
    --scope identity --purpose meeting_discussion --basis appi_27_1_4_public_duty --reason 支援会議での検討 $CP
expect 4 "bundle export meeting-packet, not an attendee" -- "$CLI" --store "$C" bundle export meeting-packet "$BMEET" \
    --to "$CCB" --out "$T/b8.lcb" $CP
[ ! -e "$T/b8.lcb" ] && ok || bad "a refused meeting packet left a file"
expect 0 "bundle export meeting-packet" -- "$CLI" --store "$C" bundle export meeting-packet "$BMEET" --to "$CNPO" \
    --out "$T/b8.lcb" --json $CP
[ "$(jcount "$T/out" 'd["type"]')" = "meeting_packet" ] && ok || bad "meeting packet bundle json: $(cat "$T/out")"
hasnot "$T/b8.lcb" "スズキ" "the meeting packet bundle is sealed"
expect 0 "bundle inspect meeting-packet" -- "$CLI" bundle inspect "$T/b8.lcb" --json
[ "$(jcount "$T/out" 'd["type"], d["signature_ok"]')" = "('meeting_packet', True)" ] && ok || bad "inspect: $(cat "$T/out")"
expect 0 "bundle: meeting close" -- "$CLI" --store "$C" meeting close "$BMEET" --yes $CP
expect 0 "bundle export revocations after the meeting closed" -- "$CLI" --store "$C" bundle export revocations \
    --to "$CNPO" --out "$T/b9.lcb" $CP
# a consent record, to a member it names (and not to one it does not)
expect 0 "bundle export consent" -- "$CLI" --store "$C" bundle export consent "$CONSENT2" --to "$CNPO" \
    --out "$T/b10.lcb" --json $CP
[ "$(jcount "$T/out" 'd["type"]')" = "consent" ] && ok || bad "consent bundle json: $(cat "$T/out")"
expect 2 "bundle export consent without --to" -- "$CLI" --store "$C" bundle export consent "$CONSENT2" --out "$T/b11.lcb" $CP
expect 2 "bundle export request with --to" -- "$CLI" --store "$C" bundle export request "$CONSENT2" --to "$CNPO" \
    --out "$T/b11.lcb" $CP
expect 6 "bundle export referral, no such referral" -- "$CLI" --store "$C" bundle export referral "$CONSENT2" \
    --out "$T/b11.lcb" $CP
[ ! -e "$T/b11.lcb" ] && ok || bad "a failed export left a file"
