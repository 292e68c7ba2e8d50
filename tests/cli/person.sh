# person.sh - the person's file (person report: JSON and the printable HTML
# rendered with libxslt) and the case's pseudonym (case pseudonym, case
# resolve): only the secretariat's named person produces the file; it holds
# every read and every disclosure, nothing of the family member; hostile
# content comes out escaped; the document is Japanese.
# Sourced by tests/cli-test.sh; its own store.

P=$T/person
PK=$T/personkeys
mkdir -p "$PK"
PP="--passphrase-file $T/pass1"
PSETUP="--root-reason setup --root-note 設立準備"
pperson() { env -u COUNCIL_ROOT_REASON -u COUNCIL_ROOT_NOTE "$@"; }
printf 'secretariat member passphrase\n' >"$PK/secpass"
printf 'npo member passphrase\n' >"$PK/npopass"
printf '私は、協議会の事務に関して知り得た秘密を漏らしません。\n' >"$PK/pledge.txt"
pjson() { /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null; }

expect 0 "person: init" -- pperson "$CLI" --store "$P" init --name 開示テスト協議会 --weak-passphrase-ok $CHEAP $PP
expect 0 "person: secretariat member" -- pperson "$CLI" --store "$P" $PSETUP member add --name "北市 福祉政策課" \
    --kind municipal_department --roles secretariat,coordinating_body --scopes identity,situation,family $PP
PSEC=$(cat "$T/out")
expect 0 "person: secretariat keys" -- pperson "$CLI" --store "$P" $PSETUP member keygen "$PSEC" --out "$PK/sec.key" \
    --member-passphrase-file "$PK/secpass" $CHEAP $PP
expect 0 "person: npo" -- pperson "$CLI" --store "$P" $PSETUP member add --name "NPO こもれび" --kind npo \
    --scopes identity,situation $PP
PNPO=$(cat "$T/out")
expect 0 "person: npo keys" -- pperson "$CLI" --store "$P" $PSETUP member keygen "$PNPO" --out "$PK/npo.key" \
    --member-passphrase-file "$PK/npopass" $CHEAP $PP
pstaff() { # pstaff MEMBER NAME: a pledged staff member's id
    id=$(pperson "$CLI" --store "$P" $PSETUP staff add --member "$1" --name "$2" $PP 2>"$T/err") &&
        pperson "$CLI" --store "$P" $PSETUP staff pledge "$id" --text-version v1 \
            --text-file "$PK/pledge.txt" $PP >/dev/null 2>>"$T/err" && printf %s "$id"
}
PSTAFF=$(pstaff "$PSEC" "事務局 田中" </dev/null)
PNSTAFF=$(pstaff "$PNPO" "相談員 小林" </dev/null)
[ -n "$PSTAFF" ] && [ -n "$PNSTAFF" ] && ok || bad "person: setup staff"
PS="--staff $PSTAFF --keyfile $PK/sec.key --passphrase-file $PK/secpass"
PN="--staff $PNSTAFF --keyfile $PK/npo.key --passphrase-file $PK/npopass"

# The npo's case: the person, hostile text, a family member with her name.
expect 0 "person: case create" -- pperson "$CLI" --store "$P" case create $PN
PCASE=$(sed -n 1p "$T/out") PPER=$(sed -n 2p "$T/out")
printf '{"identity": {"name": "開示 花子", "birth_date": "1950-05-05"}}' >"$T/p-id.json"
expect 0 "person: identity" -- pperson "$CLI" --store "$P" case update "$PCASE" --scope identity --file "$T/p-id.json" $PN
printf '{"text": "<script>alert(1)</script> & <b>太字</b>"}' >"$T/p-sit.json"
expect 0 "person: hostile situation" -- pperson "$CLI" --store "$P" case update "$PCASE" --scope situation --file "$T/p-sit.json" $PN
expect 0 "person: family member" -- pperson "$CLI" --store "$P" case add-person "$PCASE" --role family $PN
PFAM=$(cat "$T/out")
printf '{"identity": {"name": "家族 秘子"}}' >"$T/p-fam.json"
expect 0 "person: family identity" -- pperson "$CLI" --store "$P" case update "$PCASE" --scope identity --person "$PFAM" --file "$T/p-fam.json" $PN
# a disclosure (the npo shares with the secretariat's member) and reads
expect 0 "person: share" -- pperson "$CLI" --store "$P" case share "$PCASE" --member "$PSEC" --scope situation \
    --purpose support_coordination --basis appi_27_1_4_public_duty --reason 支援調整 $PN
expect 0 "person: a referral to the secretariat's member" -- pperson "$CLI" --store "$P" referral propose "$PCASE" --member "$PSEC" \
    --scope identity --basis appi_27_1_4_public_duty --reason 支援につなぐため $PN
expect 0 "person: a meeting" -- pperson "$CLI" --store "$P" meeting create --body council --starts 2026-01-01 \
    --ends 2099-01-01T12:00:00Z --member "$PNPO" --member "$PSEC" $PS
PMEET=$(cat "$T/out")
expect 0 "person: the case on its agenda" -- pperson "$CLI" --store "$P" meeting add-case "$PMEET" "$PCASE" \
    --member "$PSEC" --scope situation --purpose meeting_discussion --basis appi_27_1_4_public_duty \
    --reason 支援会議での検討 $PS
expect 0 "person: a read by the npo" -- pperson "$CLI" --store "$P" case show "$PCASE" --scope situation --purpose support_coordination $PN
expect 0 "person: a read by the secretariat" -- pperson "$CLI" --store "$P" case show "$PCASE" --scope situation --purpose support_coordination $PS

# the pseudonym both ways
expect 0 "case pseudonym" -- pperson "$CLI" --store "$P" case pseudonym "$PCASE" $PS
PREF=$(cat "$T/out")
[ "${#PREF}" -eq 64 ] && ok || bad "case pseudonym: 64 hex digits: $PREF"
expect 0 "case pseudonym --json" -- pperson "$CLI" --store "$P" case pseudonym "$PCASE" --json $PS
[ "$(pjson "$T/out" 'd["pseudonym"] == "'"$PREF"'" and d["case"] == "'"$PCASE"'"')" = True ] && ok || bad "case pseudonym --json"
expect 0 "case resolve" -- pperson "$CLI" --store "$P" case resolve "$PREF" $PS
[ "$(cat "$T/out")" = "$PCASE" ] && ok || bad "case resolve gives the case back"
expect 0 "case resolve --json" -- pperson "$CLI" --store "$P" case resolve "$PREF" --json $PS
[ "$(pjson "$T/out" 'd["case"]')" = "$PCASE" ] && ok || bad "case resolve --json"
expect 0 "audit show --case PSEUDONYM" -- "$CLI" --store "$P" audit show --case "$PREF" --json $PP
has "$T/out" "case_resolved" "the resolution is logged"
expect 4 "case pseudonym, the npo's staff" -- pperson "$CLI" --store "$P" case pseudonym "$PCASE" $PN
expect 4 "case resolve, the npo's staff" -- pperson "$CLI" --store "$P" case resolve "$PREF" $PN
expect 6 "case resolve, no such case" -- pperson "$CLI" --store "$P" case resolve "$(printf '0%.0s' $(seq 64))" $PS
expect 2 "case resolve, not hex" -- pperson "$CLI" --store "$P" case resolve xyz $PS
expect 2 "case pseudonym, not an id" -- pperson "$CLI" --store "$P" case pseudonym xyz $PS

# the file, JSON
expect 0 "person report --json" -- pperson "$CLI" --store "$P" person report "$PCASE" --json $PS
cp "$T/out" "$T/person.json"
[ "$(pjson "$T/person.json" 'd["format"], d["person"]["id"] == "'"$PPER"'", d["case"]["pseudonym"] == "'"$PREF"'"')" = \
    "('council.person_report.v1', True, True)" ] && ok || bad "person report: format, person, pseudonym"
has "$T/person.json" "開示 花子" "the person's name is in the file"
hasnot "$T/person.json" "家族 秘子" "the family member's name is not"
hasnot "$T/person.json" "$PFAM" "the family member's id is not"
# every read and every disclosure of the log is in it
expect 0 "audit show the case's events" -- "$CLI" --store "$P" audit show --case "$PREF" --json --limit 1000 $PP
[ "$(/usr/bin/python3 - "$T/out" "$T/person.json" <<'PY'
import json, sys
log = json.load(open(sys.argv[1])); rep = json.load(open(sys.argv[2]))
evs = log["events"] if isinstance(log, dict) else log
reads = {e["seq"] for e in evs if e.get("action") in ("case_read", "section_decrypted") and e.get("outcome") == "allowed"}
disc = {e["seq"] for e in evs if e.get("action") in ("share_granted", "disclosure_made", "bundle_exported") and e.get("outcome") == "allowed"}
got_r = {r["seq"] for r in rep["reads"]}; got_d = {r["seq"] for r in rep["disclosures"]}
print(bool(reads) and bool(disc) and reads <= got_r and disc <= got_d)
PY
)" = True ] && ok || bad "person report: every read and disclosure of the log"
expect 0 "person report, default format is JSON" -- pperson "$CLI" --store "$P" person report "$PCASE" $PS
isjson "$T/out" "person report"

# the file, HTML (the built-in template), checked by rendering it
expect 0 "person report --format html" -- pperson "$CLI" --store "$P" person report "$PCASE" --format html --out "$T/person.html" $PS
[ "$(stat -c %a "$T/person.html")" = 600 ] && ok || bad "the HTML file is private (0600)"
if xmllint --html --noout "$T/person.html" 2>"$T/xmllint.err"; then ok; else bad "xmllint --html: $(head -3 "$T/xmllint.err")"; fi
has "$T/person.html" '<html lang="ja">' "the document is Japanese"
has "$T/person.html" "保有個人データの開示" "the title"
has "$T/person.html" "開示テスト協議会" "the council"
has "$T/person.html" "開示 花子" "the person"
hasnot "$T/person.html" "家族 秘子" "not the family member"
hasnot "$T/person.html" "<script>" "hostile content escaped"
has "$T/person.html" "&lt;script&gt;alert(1)&lt;/script&gt;" "hostile content as text"
hasnot "$T/person.html" "<b>太字" "no markup from the content"
has "$T/person.html" "@media print" "print CSS"
[ "$(/usr/bin/python3 - "$T/person.json" "$T/person.html" <<'PY'
import json, sys
from html.parser import HTMLParser
rep = json.load(open(sys.argv[1]))
class P(HTMLParser):
    def __init__(s): super().__init__(); s.cells = []; s.scripts = 0
    def handle_starttag(s, t, a): s.scripts += t == "script"
    def handle_data(s, d): s.cells.append(d.strip())
p = P(); p.feed(open(sys.argv[2], encoding="utf-8").read())
cells = set(p.cells)
ok = p.scripts == 0 and all(str(r["seq"]) in cells for r in rep["reads"] + rep["disclosures"])
ok = ok and all(r["leaf_hash"] in cells for r in rep["reads"])
print(ok)
PY
)" = True ] && ok || bad "HTML: every read's and disclosure's seq (and leaf hash), no script element"
has "$T/person.html" "NPO こもれび" "members named"
has "$T/person.html" "つなぎ（紹介）" "the referrals' table"
[ "$(pjson "$T/person.json" 'd["meetings"][0]["id"]')" = "$PMEET" ] && ok || bad "the meeting is in the file"
has "$T/person.html" "$PMEET" "the meeting in the document"

[ "$(pjson "$T/person.json" 'len(d["referrals"])')" = 1 ] && ok || bad "the referral is in the file"

expect 0 "person report --format html to stdout" -- pperson "$CLI" --store "$P" person report "$PCASE" --format html $PS
has "$T/out" '<html lang="ja">' "HTML on stdout"
# --person: the family member's own file
expect 0 "person report --person (family)" -- pperson "$CLI" --store "$P" person report "$PCASE" --person "$PFAM" --json $PS
has "$T/out" "家族 秘子" "the family member's own file"
hasnot "$T/out" "開示 花子" "without the principal's identity"
# a council's own template; one that reads a file is stopped
cat >"$T/mine.xsl" <<'XSL'
<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="html" encoding="UTF-8"/>
<xsl:template match="/report"><html lang="ja"><body><p>独自様式 <xsl:value-of select="count(reads/item)"/></p></body></html></xsl:template>
</xsl:stylesheet>
XSL
expect 0 "person report --template" -- pperson "$CLI" --store "$P" person report "$PCASE" --template "$T/mine.xsl" $PS
has "$T/out" "独自様式" "the council's template is used"
printf 'SECRET-FILE-CONTENT\n' >"$T/secret.txt"
cat >"$T/evil.xsl" <<XSL
<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="html"/>
<xsl:template match="/"><html><body><xsl:copy-of select="document('file://$T/secret.xml')"/><xsl:value-of select="unparsed-text('$T/secret.txt')"/></body></html></xsl:template>
</xsl:stylesheet>
XSL
printf '<x>SECRET-FILE-CONTENT</x>\n' >"$T/secret.xml"
pperson "$CLI" --store "$P" person report "$PCASE" --template "$T/evil.xsl" $PS >"$T/out" 2>"$T/err"
hasnot "$T/out" "SECRET-FILE-CONTENT" "the template reads no file"
expect 1 "person report, not a stylesheet" -- pperson "$CLI" --store "$P" person report "$PCASE" --template "$T/p-id.json" $PS

# refusals
expect 4 "person report, the council passphrase" -- "$CLI" --store "$P" person report "$PCASE" $PP
has "$T/err" "staff session" "root: use a staff session"
expect 4 "person report, another member's staff" -- pperson "$CLI" --store "$P" person report "$PCASE" $PN
expect 6 "person report, no such case" -- pperson "$CLI" --store "$P" person report 00000000-0000-4000-8000-000000000000 $PS
expect 2 "person report, no case" -- pperson "$CLI" --store "$P" person report $PS
expect 2 "person report, bad format" -- pperson "$CLI" --store "$P" person report "$PCASE" --format pdf $PS
expect 2 "person report, --json with --format html" -- pperson "$CLI" --store "$P" person report "$PCASE" --json --format html $PS
expect 2 "person report, --template with --json" -- pperson "$CLI" --store "$P" person report "$PCASE" --json --template "$T/mine.xsl" $PS
expect 0 "audit show person_report_produced" -- "$CLI" --store "$P" audit show --action person_report_produced --json $PP
has "$T/out" "root_session" "the root refusal is logged"
