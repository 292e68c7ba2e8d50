# i18n.sh - Japanese messages through gettext: with LANG=ja_JP.UTF-8 a usage
# error, a failed command, a help page and a listing's heading come out in
# Japanese; with LANG=C the same in English; JSON is the same under both.
# The catalogue comes from the build ($COUNCIL_LOCALEDIR, council-cli(1)).
# Sourced by tests/cli-test.sh: uses the case store $C (and $CP) that
# case.sh built and rekey.sh re-keyed.

export COUNCIL_LOCALEDIR="${CLI%/*}/locale"
# ja: the Japanese locale; en: the C locale. LC_ALL (lib.sh) gives way to LANG.
ja() { env -u LC_ALL -u LANGUAGE LANG=ja_JP.UTF-8 "$@"; }
en() { env -u LC_ALL -u LANGUAGE LANG=C "$@"; }

if locale -a 2>/dev/null | grep -qix 'ja_JP.utf-\{0,1\}8'; then ok; else
    bad "the ja_JP.UTF-8 locale is missing: run 'make deps' (scripts/deps.sh enables it)"; fi
if [ -f "$COUNCIL_LOCALEDIR/ja/LC_MESSAGES/council-cli.mo" ]; then ok; else
    bad "no Japanese catalogue in $COUNCIL_LOCALEDIR (make mo)"; fi

# -- a usage error
expect 2 "ja: unknown verb" -- ja "$CLI" member lst
has "$T/err" "不明な member のコマンドです: 'lst'" "ja: unknown verb"
has "$T/err" "'member list' のことですか" "ja: the suggestion"
has "$T/err" "'council-cli help member' で使い方を確認してください" "ja: where help is"
expect 2 "en: unknown verb" -- en "$CLI" member lst
has "$T/err" "unknown member command 'lst'" "en: unknown verb"
hasnot "$T/err" "不明" "en: no Japanese"
expect 2 "ja: a missing option" -- ja "$CLI" --store "$C" member add --kind npo $CP
has "$T/err" "member add には --name NAME と --kind KIND が必要です" "ja: a missing option"

# -- failures: the CLI's part of the line is Japanese (the library's own
# detail, in English, may follow)
printf 'not the passphrase\n' >"$T/wrongpass"
expect 3 "ja: wrong passphrase" -- ja "$CLI" --store "$C" info --passphrase-file "$T/wrongpass"
has "$T/err" "認証に失敗しました" "ja: wrong passphrase"
expect 3 "en: wrong passphrase" -- en "$CLI" --store "$C" info --passphrase-file "$T/wrongpass"
has "$T/err" "authentication failed" "en: wrong passphrase"
expect 6 "ja: not found" -- ja "$CLI" --store "$C" member show 00000000-0000-4000-8000-000000000000 $CP
has "$T/err" "見つかりません" "ja: not found"
expect 6 "en: not found" -- en "$CLI" --store "$C" member show 00000000-0000-4000-8000-000000000000 $CP
has "$T/err" "not found" "en: not found"

# -- help pages
expect 0 "ja: member list --help" -- ja "$CLI" member list --help
has "$T/out" "^使い方: council-cli member list" "ja: help's usage line"
has "$T/out" "構成機関を一覧表示します" "ja: help's text"
has "$T/out" "^オプション:" "ja: help's options heading"
has "$T/out" "^例:" "ja: help's example heading"
has "$T/out" "council-cli --store ./council member list" "ja: the example stays a command"
expect 0 "en: member list --help" -- en "$CLI" member list --help
has "$T/out" "^usage: council-cli member list" "en: help's usage line"
has "$T/out" "^Options:" "en: help's options heading"
expect 0 "ja: --help" -- ja "$CLI" --help
has "$T/out" "^コマンド:" "ja: the command list's heading"
has "$T/out" "終了ステータス" "ja: exit statuses"

# -- a listing: Japanese headings; the codes in it stay as they are
expect 0 "ja: member list" -- ja "$CLI" --store "$C" member list $CP
head -n 1 "$T/out" >"$T/head"
has "$T/head" "状態" "ja: member list heading"
has "$T/head" "種別" "ja: member list heading"
hasnot "$T/head" "STATUS" "ja: no English heading"
has "$T/out" "active" "ja: status codes are not translated"
# The headings line up with their columns as a terminal shows them (a wide
# character takes two columns).
/usr/bin/python3 - "$T/out" <<'PY' && ok || bad "ja: member list headings do not line up with the columns"
import sys, unicodedata
def cols(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
head, row = open(sys.argv[1], encoding='utf-8').read().splitlines()[:2]
sys.exit(0 if cols(head[:head.index('状態')]) == cols(row[:row.index('active')]) else 1)
PY
expect 0 "en: member list" -- en "$CLI" --store "$C" member list $CP
has "$T/out" "^ID  *STATUS  *KIND" "en: member list heading"
expect 0 "ja: scope list" -- ja "$CLI" --store "$C" scope list $CP
has "$T/out" "コード" "ja: scope list heading"

# -- JSON and ids are the same whatever the language
for cmd in "member list" "scope list" "case list" "info" "timezone"; do
    # shellcheck disable=SC2086
    ja "$CLI" --store "$C" $cmd --json $CP >"$T/ja.json" 2>/dev/null
    # shellcheck disable=SC2086
    en "$CLI" --store "$C" $cmd --json $CP >"$T/en.json" 2>/dev/null
    if [ -s "$T/ja.json" ] && cmp -s "$T/ja.json" "$T/en.json"; then ok; else
        bad "$cmd --json differs between LANG=ja_JP.UTF-8 and LANG=C"; fi
done

# -- the catalogue: every message translated, formats matching
if command -v msgfmt >/dev/null 2>&1; then
    po=$(cd "$D/../.." && pwd)/po/ja.po
    if msgfmt --check --statistics -o /dev/null "$po" 2>"$T/stat" &&
       ! grep -q 'untranslated\|fuzzy' "$T/stat"; then ok; else
        bad "po/ja.po: $(cat "$T/stat")"; fi
else
    bad "msgfmt not found (gettext: make deps)"
fi
unset COUNCIL_LOCALEDIR
