# help.sh - each command's own help, `help`, and the suggestions for an
# unknown command. Needs no store. Sourced by tests/cli-test.sh.

# The commands, as the top-level help lists them (the table in cli/main.c).
"$CLI" --help >"$T/top" 2>/dev/null
sed -n '/^Commands:/,/^Give a command/p' "$T/top" | sed -n 's/^  \([a-z][a-z-]*\)\( [a-z][a-z-]*\)\{0,1\}  .*/\1\2/p' |
    sed 's/ *$//' >"$T/cmds"
n=$(wc -l <"$T/cmds")
[ "$n" -ge 50 ] && ok || bad "top-level help lists $n commands, want every one (50 or more)"
for word in init info passphrase disclose "member add" "members announce" "staff retire" \
    "scope remove" "case share" "case rekey" "rekey root" "consent show" "meeting close" \
    "report platform" "audit witness-keygen"; do
    if grep -qx "$word" "$T/cmds"; then ok; else bad "top-level help lacks '$word'"; fi
done

while read -r cmd; do
    # shellcheck disable=SC2086
    expect 0 "$cmd --help" -- "$CLI" $cmd --help
    cp "$T/out" "$T/h1"
    has "$T/h1" "^usage: council-cli $cmd\( \|\$\)" "$cmd --help usage line"
    has "$T/h1" "^Example:" "$cmd --help example"
    has "$T/h1" "^  council-cli .*$cmd" "$cmd --help example names the command"
    n=$(grep -c "^usage:" "$T/h1"); [ "$n" -eq 1 ] && ok || bad "$cmd --help: $n usage lines"
    # Nothing about the other commands.
    grep -vx "$cmd" "$T/cmds" | sed 's/.*/council-cli &\\( \\|$\\)/' >"$T/pats"
    others=$(grep -c -f "$T/pats" "$T/h1")
    [ "$others" -eq 0 ] && ok || bad "$cmd --help names $others other commands"
    [ -s "$T/err" ] && bad "$cmd --help wrote to stderr" || ok
    # shellcheck disable=SC2086
    expect 0 "help $cmd" -- "$CLI" help $cmd
    if cmp -s "$T/out" "$T/h1"; then ok; else bad "help $cmd differs from $cmd --help"; fi
done <"$T/cmds"

# help NOUN: the noun's verbs, one line each.
for noun in member staff scope case consent meeting audit rekey report; do
    expect 0 "help $noun" -- "$CLI" help "$noun"
    want=$(grep -c "^$noun " "$T/cmds")
    got=$(grep -c "^  $noun [a-z]" "$T/out")
    [ "$got" -eq "$want" ] && ok || bad "help $noun lists $got verbs, want $want"
done
expect 0 "help" -- "$CLI" help
has "$T/out" "^usage: council-cli" "help alone is the top-level help"
expect 0 "NOUN --help" -- "$CLI" case --help
has "$T/out" "^  case share" "case --help lists the verbs"

# Unknown commands and verbs: the nearest one on stderr, exit 2.
expect 2 "unknown command, near one" -- "$CLI" casse share
has "$T/err" "unknown command 'casse'" "unknown command named"
has "$T/err" "Did you mean 'case'?" "unknown command suggestion"
hasnot "$T/out" "." "unknown command: nothing on stdout"
expect 2 "unknown verb, near one" -- "$CLI" case shar
has "$T/err" "unknown case command 'shar'" "unknown verb named"
has "$T/err" "Did you mean 'case share'?" "unknown verb suggestion"
expect 2 "unknown single-word command, near one" -- "$CLI" infp
has "$T/err" "Did you mean 'info'?" "unknown single word suggestion"
expect 2 "help for an unknown command" -- "$CLI" help meetng
has "$T/err" "Did you mean 'meeting'?" "help suggestion"
expect 2 "help for an unknown verb" -- "$CLI" help audit verfy
has "$T/err" "Did you mean 'audit verify'?" "help verb suggestion"
expect 2 "nothing near" -- "$CLI" zzzzzzzz
hasnot "$T/err" "Did you mean" "no suggestion when nothing is near"

# An unknown option names the command's --help.
expect 2 "unknown option on a command" -- "$CLI" --store "$T/none" case share --frob
has "$T/err" "unknown option '--frob'" "unknown option named"
has "$T/err" "Try 'council-cli case share --help'" "unknown option: the command's help"
expect 2 "another command's option" -- "$CLI" --store "$T/none" audit checkpoint --json
has "$T/err" "option '--json' does not apply to this command" "option of another command"
has "$T/err" "Try 'council-cli audit checkpoint --help'" "not applicable: the command's help"
expect 2 "an abbreviated option" -- "$CLI" --store "$T/none" case share --memb x
has "$T/err" "unknown option '--memb'" "abbreviations are not taken"

# completion bash: a script bash accepts, built from the same table, that
# completes nouns, verbs and each command's own options.
expect 0 "completion bash" -- "$CLI" completion bash
cp "$T/out" "$T/comp.bash"
if bash -n "$T/comp.bash" 2>"$T/err"; then ok; else bad "completion bash: not valid bash"; fi
cut -d' ' -f1 "$T/cmds" | sort -u | while read -r noun; do
    grep -q "_council_cli_nouns=\".*\\b$noun\\b" "$T/comp.bash" || echo "$noun"
done >"$T/missing"
[ -s "$T/missing" ] && bad "completion lacks nouns: $(tr '\n' ' ' <"$T/missing")" || ok
comp() {   # comp WORD... : what completing the last word offers
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _council_cli;
             printf "%s\n" "${COMPREPLY[@]}"' _ "$T/comp.bash" council-cli "$@" 2>/dev/null
}
PATH_SAVED=$PATH; PATH=$(dirname "$CLI"):$PATH
[ "$(comp ca)" = "case" ] && ok || bad "completion: 'ca' gives '$(comp ca)', want case"
[ "$(comp case sh | tr '\n' ' ')" = "show share " ] && ok || bad "completion: 'case sh' gives '$(comp case sh)'"
[ "$(comp --store /x audit witness-k)" = "witness-keygen" ] && ok || bad "completion skips --store's value"
[ "$(comp case share --mem)" = "--member" ] && ok || bad "completion: 'case share --mem' gives '$(comp case share --mem)'"
[ "$(comp help meet)" = "meeting" ] && ok || bad "completion: 'help meet' gives '$(comp help meet)'"
# A noun whose verbs are not adjacent in the table: every verb, one arm.
[ "$(comp meeting min)" = "minutes" ] && ok || bad "completion: 'meeting min' gives '$(comp meeting min)'"
[ "$(comp meeting cr)" = "create" ] && ok || bad "completion: 'meeting cr' gives '$(comp meeting cr)'"
PATH=$PATH_SAVED
expect 2 "completion zsh" -- "$CLI" completion zsh
has "$T/err" "completion takes one shell: bash" "completion of another shell names bash"
