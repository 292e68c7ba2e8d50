#!/bin/sh
# man-examples.sh - council-cli(1)'s examples run, and every command has one.
# Usage: man-examples.sh council-cli doc/man1/council-cli.1
#
# In the page's COMMANDS section, every line of a .Bd -literal block that
# begins with "$ " is a command (continued on the next line after a
# trailing '\' or '|'); a command that is refused on purpose ends with
# "# exit status N"; other lines are output and are not run. The commands
# run IN ORDER, in one bash shell (so the ids kept in shell variables carry
# over), against a throwaway council in a temporary directory; each must
# exit 0, or the status its comment gives. Then:
#   - every command of `council-cli help` (its table, and help and
#     completion) has an entry in COMMANDS (.It Cm NOUN VERB), an example
#     under that entry ("council-cli NOUN VERB" in one) and a line in
#     SYNOPSIS (.Cm NOUN VERB);
#   - every entry in COMMANDS and every command line in SYNOPSIS is a
#     command of the table.
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
PAGE=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
T=$(mktemp -d)
W=$T/w
cleanup() {
    # An unlock example may have kept a session: forget it (this store only).
    [ -d "$W/council" ] && "$CLI" --store "$W/council" lock >/dev/null 2>&1
    rm -rf "$T"
}
trap cleanup EXIT
fail=0
bad() { fail=$((fail + 1)); echo "man-examples: $*"; }

# ---------------------------------------------------------------- the commands
# The table of `council-cli help`, and the commands its usage lines name.
"$CLI" help >"$T/help" || { echo "man-examples: council-cli help failed"; exit 1; }
{
    sed -n 's/^ \{7\}council-cli \([a-z][a-z-]*\) .*/\1/p' "$T/help"
    sed -n '/^Commands:/,/^Give/p' "$T/help" |
        sed -n 's/^  \([a-z][a-z-]*\( [a-z][a-z-]*\)\{0,1\}\)  .*/\1/p'
} | sort -u >"$T/commands"
[ "$(wc -l <"$T/commands")" -ge 50 ] ||
    { echo "man-examples: could not read the command table from council-cli help"; exit 1; }

# ---------------------------------------------------------------- extraction
# roff to text: \e, \-, \&, \(aq, \(dq, \[uXXXX] (to UTF-8, byte by byte).
mkdir -p "$T/ex"
LC_ALL=C awk -v dir="$T/ex" -v page="$(basename "$PAGE")" '
function hex(h,   i, v) {
    v = 0; h = toupper(h)
    for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789ABCDEF", substr(h, i, 1)) - 1
    return v
}
function utf8(c) {
    if (c < 128) return sprintf("%c", c)
    if (c < 2048) return sprintf("%c%c", 192 + int(c / 64), 128 + c % 64)
    if (c < 65536) return sprintf("%c%c%c", 224 + int(c / 4096), 128 + int(c / 64) % 64, 128 + c % 64)
    return sprintf("%c%c%c%c", 240 + int(c / 262144), 128 + int(c / 4096) % 64,
                   128 + int(c / 64) % 64, 128 + c % 64)
}
function unesc(s,   out, c, m) {
    out = ""
    while ((m = index(s, "\\")) > 0) {
        out = out substr(s, 1, m - 1); s = substr(s, m + 1); c = substr(s, 1, 1)
        if (c == "e") { out = out "\\"; s = substr(s, 2) }
        else if (c == "-") { out = out "-"; s = substr(s, 2) }
        else if (c == "&") { s = substr(s, 2) }
        else if (substr(s, 1, 3) == "(aq") { out = out "\047"; s = substr(s, 4) }
        else if (substr(s, 1, 3) == "(dq") { out = out "\""; s = substr(s, 4) }
        else if (match(s, /^\[u[0-9A-Fa-f]+\]/)) {
            out = out utf8(hex(substr(s, 3, RLENGTH - 3))); s = substr(s, RLENGTH + 1)
        } else { printf "%s:%d: unknown escape \\%s\n", page, NR, c > "/dev/stderr"; bad = 1; s = substr(s, 2) }
    }
    return out s
}
function emit(   f, want) {
    want = 0
    if (match(cmd, /#[ \t]*exit status [0-9]+[ \t]*$/)) {
        want = substr(cmd, RSTART, RLENGTH); sub(/^#[ \t]*exit status /, "", want); want += 0
    }
    f = sprintf("%s/%03d", dir, n)
    printf "%s\n", cmd > f; close(f)
    printf "%03d %d %d\n", n, start, want > (dir "/list")
    printf "%03d %s\n", n, entry > (dir "/entries")
    cont = 0
}
/^\.Sh / { insec = ($0 == ".Sh COMMANDS"); inblk = 0; next }
!insec { next }
/^\.It Cm [a-z]/ {
    entry = ""
    for (i = 3; i <= NF && $i ~ /^[a-z][a-z-]*$/; i++) entry = entry (entry == "" ? "" : " ") $i
}
/^\.Bd -literal/ { inblk = 1; next }
/^\.Ed/ {
    if (cont) { printf "%s:%d: a command continues past .Ed\n", page, start > "/dev/stderr"; bad = 1 }
    inblk = 0; next
}
!inblk { next }
{ line = unesc($0) }
cont { cmd = cmd "\n" line; if (line !~ /(\\|\|)[ \t]*$/) emit(); next }
/^\$ / {
    n++; start = NR; cmd = substr(line, 3); cont = 1
    if (line !~ /(\\|\|)[ \t]*$/) emit()
    next
}
END { exit bad }
' "$PAGE" || { echo "man-examples: cannot read the examples of $PAGE"; exit 1; }
[ -s "$T/ex/list" ] || { echo "man-examples: no examples in the COMMANDS of $PAGE"; exit 1; }

# ---------------------------------------------------------------- the page covers the table
sed -n '/^\.Sh COMMANDS/,/^\.Sh /p' "$PAGE" |
    sed -n 's/^\.It Cm \([a-z][a-z-]*\( [a-z][a-z-]*\)*\).*/\1/p' >"$T/entries"
sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' "$PAGE" |
    sed -n 's/^\.Cm \([a-z][a-z-]*\( [a-z][a-z-]*\)*\)$/\1/p' >"$T/synopsis"
# The entry each example is under, as a command (its first two words, or one).
while read -r id words; do
    set -- $words
    if grep -qx "$1 ${2:-}" "$T/commands"; then echo "$id $1 $2"; else echo "$id $1"; fi
done <"$T/ex/entries" >"$T/under"
while read -r c; do
    found=
    for id in $(awk -v c="$c" '{ id = $1; sub(/^[^ ]* /, "") } $0 == c { print id }' "$T/under"); do
        grep -q "council-cli $c\( \|\$\)" "$T/ex/$id" && found=1
    done
    [ -n "$found" ] ||
        bad "no example of '$c' under its entry in the COMMANDS of $(basename "$PAGE")"
    grep -q "^$c\( \|\$\)" "$T/entries" || bad "'$c' has no entry (.It Cm $c) in COMMANDS"
    grep -q "^$c\( \|\$\)" "$T/synopsis" || bad "'$c' is missing from the SYNOPSIS"
done <"$T/commands"
# ...and names no command the table does not have (an entry or a synopsis
# line is a command, or a command and its first argument word).
for f in entries synopsis; do
    while read -r words; do
        set -- $words
        grep -qx "$1 ${2:-}" "$T/commands" || grep -qx "$1" "$T/commands" ||
            bad "'$words' ($f) is not a command of council-cli help"
    done <"$T/$f"
done

# ---------------------------------------------------------------- setup
# The files the examples read; who acts is the page's own: its setup (the
# council passphrase, pass.txt, with the reason the examples declare), then
# the secretariat's person ($COUNCIL_STAFF, $COUNCIL_KEYFILE, unlocked with
# secretariat.pass), and other members' staff with their keyfiles and
# passphrase files (npo.pass, cb.pass). Nothing here declares a root
# reason or names a person.
mkdir -p "$W/bin" "$W/home"
cd "$W" || exit 1
unset COUNCIL_PASSPHRASE COUNCIL_NEW_PASSPHRASE COUNCIL_MEMBER_PASSPHRASE \
    COUNCIL_ROOT_REASON COUNCIL_ROOT_NOTE COUNCIL_STAFF COUNCIL_KEYFILE
# The secretariat's machine keeps Japan's time (the meeting example is
# tomorrow afternoon there).
export COUNCIL_STORE="$W/council" HOME="$W/home" TZ=Asia/Tokyo
umask 077
printf '%s\n' 'the secretariat of Kita City keeps this passphrase' >pass.txt
printf '%s\n' 'the secretariat office passphrase, kept by its staff' >secretariat.pass
printf '%s\n' 'the welfare division passphrase, kept by its staff' >cb.pass
printf '%s\n' 'the NPO office passphrase, kept by its staff' >npo.pass
printf '%s\n' 'I will keep secret what I learn of the people the council supports.' \
    >pledge-v2024_04.txt
cat >identity.json <<'EOF'
{"identity": {"name": "北野 春子", "birth_date": "1948-06-01", "phone": "090-0000-0000"},
 "text": "Lives alone since 2024."}
EOF
printf 'the signed consent form, scanned\n' >consent-form.pdf
# council-cli on PATH is the one under test, with cheap key derivation for
# the commands that derive a key from a passphrase (fast, tests only).
cat >bin/council-cli <<EOF
#!/bin/sh
case "\$1 \${2:-}" in
    "init "*|"passphrase "*|"member keygen"|"rekey root")
        exec "$CLI" "\$@" --kdf-ops 1 --kdf-mem 8192 ;;
esac
exec "$CLI" "\$@"
EOF
chmod 755 bin/council-cli
PATH=$W/bin:$PATH
export PATH
# ---------------------------------------------------------------- end of setup

# ---------------------------------------------------------------- the scenario
# One bash script: each example in { }, its output kept, its status checked;
# the first that fails stops the run (the later ones build on it).
{
    cat <<'EOF'
set -o pipefail
ran=0 skipped=0
check() {
    if [ "$3" -eq "$2" ]; then ran=$((ran + 1)); return 0; fi
    # The kernel keyring may be closed here (a container): unlock keeps
    # nothing and says so; the secretariat's person then gives the member
    # passphrase to each later command, from the environment.
    if [ "$3" -eq 1 ] && grep -q "kernel keyring is not available" "$EXD/err"; then
        echo "man-examples: example $1: the kernel keyring is not available here: skipped"
        COUNCIL_MEMBER_PASSPHRASE=$(cat secretariat.pass)
        export COUNCIL_MEMBER_PASSPHRASE
        skipped=$((skipped + 1)); return 0
    fi
    echo "man-examples: the example at $PAGE_NAME line $4 exited $3, want $2:"
    sed 's/^/  $ /' "$EXD/$1"
    sed 's/^/  | /' "$EXD/err"
    echo "$ran $skipped" >"$EXD/count"
    exit 1
}
EOF
    while read -r id line want; do
        printf '{\n'
        cat "$T/ex/$id"
        printf '\n} >"$EXD/out" 2>"$EXD/err" </dev/null\n'
        printf 'check %s %s $? %s\n' "$id" "$want" "$line"
    done <"$T/ex/list"
    printf 'echo "$ran $skipped" >"$EXD/count"\n'
} >"$T/scenario.bash"

covered=$fail
# Without a terminal (setsid): an example that would ask for a passphrase
# fails at once instead of waiting for one.
notty=
command -v setsid >/dev/null 2>&1 && notty="setsid -w"
EXD=$T/ex PAGE_NAME=$(basename "$PAGE") $notty bash "$T/scenario.bash" </dev/null ||
    fail=$((fail + 1))
read -r ran skipped <"$T/ex/count" 2>/dev/null || { ran=0 skipped=0; }
total=$(wc -l <"$T/ex/list")
note=
[ "$skipped" -gt 0 ] && note=" ($skipped skipped: no kernel keyring)"
if [ "$covered" -eq 0 ]; then
    note="$note; $(wc -l <"$T/commands") commands, each with an example"
fi
echo "man-examples: $ran of $total examples ran$note"
if [ "$fail" -ne 0 ]; then echo "man-examples: FAILED"; exit 1; fi
