# guard.sh - the guard rails: the commands that ask first (--yes in
# scripts, --replace for member keygen on a member with keys), and the
# strength of new passphrases (libpwquality; --weak-passphrase-ok).
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it);
# its own store, so it needs nothing the others built.

G=$T/guard
GP="--passphrase-file $T/pass1"
printf 'abc\n' >"$T/weak"
printf 'password123\n' >"$T/dictpass"
printf 'npo pass\n' >"$T/lowscore"
# count FILE: its lines
count() { wc -l <"$1" | tr -d ' '; }

# -- passphrase strength: init, passphrase, rekey root, member keygen
expect 2 "init, short passphrase" -- "$CLI" --store "$G" init --name Guard --passphrase-file "$T/weak" $CHEAP
has "$T/err" "the passphrase is too weak: " "weak passphrase refused with pwquality's reason"
has "$T/err" "--weak-passphrase-ok" "weak passphrase message names the way out"
[ ! -e "$G" ] && ok || bad "a refused init created the store"
expect 2 "init, dictionary passphrase" -- "$CLI" --store "$G" init --name Guard --passphrase-file "$T/dictpass" $CHEAP
has "$T/err" "too weak: " "dictionary passphrase refused"
hasnot "$T/err" "password123" "passphrase not in the refusal"
expect 2 "init, low-score passphrase" -- "$CLI" --store "$G" init --name Guard --passphrase-file "$T/lowscore" $CHEAP
has "$T/err" "below 50" "low score refused by the threshold"
hasnot "$T/err" "npo pass" "low-score passphrase not in the refusal"
expect 2 "init, weak passphrase from the environment" -- env COUNCIL_PASSPHRASE=abc "$CLI" --store "$G" init --name Guard $CHEAP
expect 0 "init, weak passphrase accepted for a demo" -- "$CLI" --store "$T/gweak" init --name Weak \
    --passphrase-file "$T/weak" --weak-passphrase-ok $CHEAP
expect 0 "init with a root key takes no passphrase check" -- "$CLI" --store "$T/gkey" init --name Key --root-key-file "$T/key"
expect 0 "guard store" -- "$CLI" --store "$G" init --name "西町 協議会" $GP $CHEAP
expect 2 "passphrase change to a weak one" -- "$CLI" --store "$G" passphrase $GP --new-passphrase-file "$T/weak" $CHEAP
has "$T/err" "the new passphrase is too weak" "weak new passphrase refused"
expect 2 "passphrase change to the same one" -- "$CLI" --store "$G" passphrase $GP --new-passphrase-file "$T/pass1" $CHEAP
has "$T/err" "too weak: " "the same passphrase refused"
expect 0 "old passphrase kept after the refusals" -- "$CLI" --store "$G" info $GP
expect 2 "rekey root to a weak passphrase" -- "$CLI" --store "$G" rekey root --new-passphrase-file "$T/weak" --yes $CHEAP $GP
has "$T/err" "the new passphrase is too weak" "rekey root: weak passphrase refused"
expect 0 "old passphrase kept after the refused rekey" -- "$CLI" --store "$G" info $GP
expect 0 "weak passphrase change for a demo" -- "$CLI" --store "$T/gweak" passphrase --passphrase-file "$T/weak" \
    --new-passphrase-file "$T/lowscore" --weak-passphrase-ok $CHEAP
expect 0 "weak rekey root for a demo" -- "$CLI" --store "$T/gweak" rekey root --passphrase-file "$T/lowscore" \
    --new-passphrase-file "$T/weak" --weak-passphrase-ok --yes $CHEAP
expect 0 "the weak passphrase opens it" -- "$CLI" --store "$T/gweak" info --passphrase-file "$T/weak"

expect 0 "guard: coordinating body" -- "$CLI" --store "$G" member add --name "西町 福祉課" --kind municipal_department \
    --roles secretariat,coordinating_body --scopes identity,wishes $GP
GCB=$(cat "$T/out")
expect 0 "guard: npo" -- "$CLI" --store "$G" member add --name "NPO みまもり" --kind npo --scopes identity $GP
GNPO=$(cat "$T/out")
expect 2 "member keygen, weak member passphrase" -- "$CLI" --store "$G" member keygen "$GNPO" --out "$T/gnpo.key" \
    --member-passphrase-file "$T/weak" $CHEAP $GP
has "$T/err" "the member passphrase is too weak" "weak member passphrase refused"
[ ! -e "$T/gnpo.key" ] && ok || bad "a refused keygen wrote a keyfile"
expect 0 "member keygen" -- "$CLI" --store "$G" member keygen "$GNPO" --out "$T/gnpo.key" \
    --member-passphrase-file "$T/mpass" $CHEAP $GP
expect 0 "guard: cb keys (weak, for a demo)" -- "$CLI" --store "$G" member keygen "$GCB" --out "$T/gcb.key" \
    --member-passphrase-file "$T/mpass" --weak-passphrase-ok $CHEAP $GP

# -- member keygen on a member with keys: --replace, and --yes in scripts
expect 0 "guard: npo staff" -- "$CLI" --store "$G" staff add --member "$GNPO" --name "支援員 山本" $GP
GST=$(cat "$T/out")
expect 0 "guard: npo staff pledge" -- "$CLI" --store "$G" staff pledge "$GST" --text-version v2024_04 --text-file "$T/pledge.txt" $GP
GNS="--staff $GST --keyfile $T/gnpo.key"
expect 0 "staff session with the keyfile" -- env COUNCIL_MEMBER_PASSPHRASE="member secret" "$CLI" --store "$G" info $GNS
expect 0 "keys registered once" -- "$CLI" --store "$G" audit show --action member_key_registered $GP
keys=$(count "$T/out")
expect 2 "member keygen on a member with keys, no --replace" -- "$CLI" --store "$G" member keygen "$GNPO" \
    --out "$T/gnpo2.key" --member-passphrase-file "$T/mpass" $CHEAP $GP
has "$T/err" "already has keys" "keygen names the keys it would replace"
has "$T/err" "old keyfile would stop working" "keygen says the old keyfile would stop working"
has "$T/err" "--replace" "keygen names --replace"
expect 2 "member keygen --replace, not on a terminal, no --yes" -- "$CLI" --store "$G" member keygen "$GNPO" \
    --out "$T/gnpo2.key" --replace --member-passphrase-file "$T/mpass" $CHEAP $GP
has "$T/err" "give --yes" "keygen --replace asks for --yes"
[ ! -e "$T/gnpo2.key" ] && ok || bad "a refused keygen wrote a keyfile"
expect 0 "keys unchanged by the refused keygens" -- "$CLI" --store "$G" audit show --action member_key_registered $GP
[ "$(count "$T/out")" -eq "$keys" ] && ok || bad "a refused keygen registered keys"
expect 0 "old keyfile still works" -- env COUNCIL_MEMBER_PASSPHRASE="member secret" "$CLI" --store "$G" info $GNS
expect 0 "member keygen --replace --yes" -- "$CLI" --store "$G" member keygen "$GNPO" --out "$T/gnpo2.key" \
    --replace --yes --member-passphrase-file "$T/mpass" $CHEAP $GP
expect 3 "the old keyfile stops working" -- env COUNCIL_MEMBER_PASSPHRASE="member secret" "$CLI" --store "$G" info $GNS
expect 0 "the new keyfile works" -- env COUNCIL_MEMBER_PASSPHRASE="member secret" "$CLI" --store "$G" info \
    --staff "$GST" --keyfile "$T/gnpo2.key"
GNS="--staff $GST --keyfile $T/gnpo2.key"

# -- not on a terminal and no --yes: exit 2, nothing changed
expect 0 "guard: case" -- "$CLI" --store "$G" case create --owner "$GCB" $GP
GCASE=$(sed -n 1p "$T/out")
expect 0 "guard: consent" -- "$CLI" --store "$G" consent record "$GCASE" --member "$GNPO" --scope identity \
    --purpose support_coordination --method written $GP
GCONSENT=$(cat "$T/out")
expect 0 "guard: meeting" -- "$CLI" --store "$G" meeting create --body support_meeting --starts 2026-01-01 \
    --ends 2099-01-01T12:00:00Z --member "$GNPO" $GP
GMEET=$(cat "$T/out")

expect 2 "member withdraw without --yes" -- "$CLI" --store "$G" member withdraw "$GNPO" --reason 解散 $GP
has "$T/err" "give --yes" "member withdraw names --yes"
expect 0 "member still active" -- "$CLI" --store "$G" member show "$GNPO" $GP
has "$T/out" "^status: *active\$" "a refused withdraw changed nothing"
expect 2 "staff retire without --yes" -- "$CLI" --store "$G" staff retire "$GST" --reason 異動 $GP
has "$T/err" "give --yes" "staff retire names --yes"
expect 0 "staff still active" -- "$CLI" --store "$G" staff list --member "$GNPO" $GP
has "$T/out" "active   yes" "a refused retire changed nothing"
expect 2 "consent withdraw without --yes" -- "$CLI" --store "$G" consent withdraw "$GCONSENT" --reason 申し出 $GP
has "$T/err" "give --yes" "consent withdraw names --yes"
expect 0 "consent still active" -- "$CLI" --store "$G" consent show "$GCONSENT" $GP
has "$T/out" "^status: *active\$" "a refused consent withdraw changed nothing"
expect 2 "meeting close without --yes" -- "$CLI" --store "$G" meeting close "$GMEET" $GP
has "$T/err" "give --yes" "meeting close names --yes"
expect 0 "meeting still open" -- "$CLI" --store "$G" meeting show "$GMEET" $GP
has "$T/out" "^status: *open\$" "a refused close changed nothing"
expect 2 "case erase without --yes" -- "$CLI" --store "$G" case erase "$GCASE" --reason retention_expired $GP
has "$T/err" "give --yes" "case erase names --yes"
expect 0 "case not erased" -- "$CLI" --store "$G" case info "$GCASE" $GP
hasnot "$T/out" "^status: *erased" "a refused erase changed nothing"
expect 0 "rotations so far" -- "$CLI" --store "$G" audit show $GP
events=$(grep -c "key_rotated\|database" "$T/out")
expect 2 "rekey database without --yes" -- "$CLI" --store "$G" rekey database $GP
has "$T/err" "give --yes" "rekey database names --yes"
expect 2 "rekey root without --yes" -- "$CLI" --store "$G" rekey root --new-passphrase-file "$T/pass2" $CHEAP $GP
has "$T/err" "give --yes" "rekey root names --yes"
expect 0 "old passphrase after the refused rekeys" -- "$CLI" --store "$G" audit show $GP
[ "$(grep -c "key_rotated\|database" "$T/out")" -eq "$events" ] && ok || bad "a refused rekey left an event"
expect 2 "rekey root, root key council, without --yes" -- "$CLI" --store "$T/gkey" rekey root --root-key-file "$T/key" \
    --new-root-key-file "$T/wrongkey"
expect 0 "root key unchanged" -- "$CLI" --store "$T/gkey" info --root-key-file "$T/key"
expect 2 "--yes on a command that does not ask" -- "$CLI" --store "$G" member show "$GNPO" --yes $GP
expect 2 "--replace on another command" -- "$CLI" --store "$G" member withdraw "$GNPO" --reason x --replace $GP

# -- on a terminal: the question, and only "yes" goes on
if command -v script >/dev/null 2>&1; then
    # on_tty ANSWER WANT WHAT CMD: CMD on a pseudo-terminal, ANSWER typed
    on_tty() {
        ans=$1 want=$2 what=$3; shift 3
        printf '%s\n' "$ans" | script -qec "$*" /dev/null >"$T/out" 2>"$T/err"
        got=$?
        if [ "$got" -eq "$want" ]; then ok; else
            bad "$what: exit $got, want $want"; sed 's/^/  | /' "$T/out"; fi
    }
    on_tty no 1 "meeting close, answered no" "$CLI" --store "$G" meeting close "$GMEET" $GP
    has "$T/out" "meeting close: meeting $GMEET ends now" "the question names what will happen"
    has "$T/out" "Type 'yes'" "the question asks for yes"
    has "$T/out" "not confirmed; nothing was changed" "a no changes nothing"
    on_tty y 1 "meeting close, answered y" "$CLI" --store "$G" meeting close "$GMEET" $GP
    on_tty YES 1 "meeting close, answered YES" "$CLI" --store "$G" meeting close "$GMEET" $GP
    on_tty '' 1 "meeting close, answered nothing" "$CLI" --store "$G" meeting close "$GMEET" $GP
    expect 0 "meeting still open after the no's" -- "$CLI" --store "$G" meeting show "$GMEET" $GP
    has "$T/out" "^status: *open\$" "only yes closes"
    on_tty yes 0 "meeting close, answered yes" "$CLI" --store "$G" meeting close "$GMEET" $GP
    has "$T/out" "meeting closed" "yes closes the meeting"
    on_tty no 1 "member keygen --replace, answered no" "$CLI" --store "$G" member keygen "$GNPO" \
        --out "$T/gnpo3.key" --replace --member-passphrase-file "$T/mpass" $CHEAP $GP
    has "$T/out" "its old keyfile stops working" "keygen question says the old keyfile stops working"
    [ ! -e "$T/gnpo3.key" ] && ok || bad "an unconfirmed keygen wrote a keyfile"
    on_tty yes 0 "staff retire, answered yes" "$CLI" --store "$G" staff retire "$GST" --reason 異動 $GP
else
    echo "cli-test: guard.sh: no script(1): terminal questions not tested"
    expect 0 "meeting close --yes" -- "$CLI" --store "$G" meeting close "$GMEET" --yes $GP
    expect 0 "staff retire --yes" -- "$CLI" --store "$G" staff retire "$GST" --reason 異動 --yes $GP
fi
expect 0 "meeting closed" -- "$CLI" --store "$G" meeting show "$GMEET" $GP
has "$T/out" "^status: *closed\$" "the meeting was closed"
expect 4 "retired staff refused" -- env COUNCIL_MEMBER_PASSPHRASE="member secret" "$CLI" --store "$G" info $GNS

# -- with --yes: done
expect 0 "consent withdraw --yes" -- "$CLI" --store "$G" consent withdraw "$GCONSENT" --reason 申し出 --yes $GP
expect 0 "consent shown withdrawn" -- "$CLI" --store "$G" consent show "$GCONSENT" $GP
has "$T/out" "^status: *withdrawn\$" "consent withdrawn"
expect 0 "member withdraw --yes" -- "$CLI" --store "$G" member withdraw "$GNPO" --reason 解散 --yes $GP
expect 0 "member shown withdrawn" -- "$CLI" --store "$G" member show "$GNPO" $GP
has "$T/out" "^status: *withdrawn\$" "member withdrawn"
expect 0 "rekey database --yes" -- "$CLI" --store "$G" rekey database --yes $GP
expect 0 "case erase --yes" -- "$CLI" --store "$G" case erase "$GCASE" --reason retention_expired --yes $GP
expect 0 "rekey root --yes" -- "$CLI" --store "$G" rekey root --new-passphrase-file "$T/pass2" --yes $CHEAP $GP
expect 0 "the new passphrase opens the store" -- "$CLI" --store "$G" info --passphrase-file "$T/pass2"
