#!/bin/sh
# The message catalogues of council-cli (po/): every message of every
# po/LANG.po translated and not fuzzy, its formats matching the English
# (msgfmt --check), and po/council-cli.pot current: xgettext over cli/*
# again gives the same messages, and each po/LANG.po holds exactly those.
# Usage: i18n-check.sh NOW.pot (what `make` just extracted from the sources).
set -eu
now=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
say() { printf 'i18n-check: %s\n' "$*"; }

# The same msgids both ways (msgcmp ignores comments, flags and wrapping).
if ! msgcmp --use-untranslated po/council-cli.pot "$now" 2>"$tmp/cmp" ||
   ! msgcmp --use-untranslated "$now" po/council-cli.pot 2>>"$tmp/cmp"; then
    head -n 20 "$tmp/cmp"
    say "po/council-cli.pot is not current: run 'make pot' (and translate what is new in po/*.po)"
    fail=1
fi
n=0
for po in po/*.po; do
    n=$((n + 1))
    if ! msgfmt --check --statistics -o /dev/null "$po" 2>"$tmp/stat"; then
        cat "$tmp/stat"; say "$po: msgfmt --check failed"; fail=1; continue
    fi
    stat=$(cat "$tmp/stat")
    case $stat in
    *untranslated* | *fuzzy*) say "$po: $stat"; fail=1 ;;
    *) say "$po: $stat" ;;
    esac
    # Every message of the sources is in the catalogue, translated ...
    msgcmp "$po" "$now" 2>"$tmp/cmp" || { head -n 20 "$tmp/cmp"; say "$po: lacks messages of the sources"; fail=1; }
    # ... and the catalogue holds no message the sources no longer have.
    msgattrib --no-obsolete -o "$tmp/live.po" "$po"
    msgcmp --use-untranslated "$now" "$tmp/live.po" 2>"$tmp/cmp" ||
        { head -n 20 "$tmp/cmp"; say "$po: holds messages the sources do not"; fail=1; }
done
[ "$n" -gt 0 ] || { say "no po/*.po"; fail=1; }
[ "$fail" -eq 0 ] && say "ok ($n catalogue(s))"
exit "$fail"
