# node.sh - member nodes (council-cli node ...): a node made from a member's
# keyfile, shown, its refusals, its own log exported and verified with the
# node's log key. Sourced by tests/cli-test.sh (after lib.sh and the scripts
# before it: member.sh made $T/mpass). Bundles from the council come with
# `bundle export` (another part); the library's tests import every kind.
NX=$T/nodecouncil
ND=$T/node
NP="--passphrase-file $T/pass1"
NJ() { /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null; }
expect 0 "node: a council" -- "$CLI" --store "$NX" init --name "西町 協議会" --passphrase-file "$T/pass1" $CHEAP
expect 0 "node: a member" -- "$CLI" --store "$NX" member add --name "NPO ひまわり" --kind npo --scopes identity,situation $NP
NM=$(cat "$T/out")
expect 0 "node: its keyfile" -- "$CLI" --store "$NX" member keygen "$NM" --out "$T/node-$NM.key" \
    --member-passphrase-file "$T/mpass" $CHEAP $NP
NK="--keyfile $T/node-$NM.key --passphrase-file $T/mpass"

expect 2 "node init without DIR" -- "$CLI" node init $NK
expect 2 "node init without a keyfile" -- "$CLI" node init "$ND" --passphrase-file "$T/mpass"
expect 3 "node init with a wrong passphrase" -- "$CLI" node init "$ND" --keyfile "$T/node-$NM.key" --passphrase-file "$T/pass2"
expect 0 "node init" -- "$CLI" node init "$ND" $NK --json
[ "$(NJ "$T/out" 'd["member"]')" = "$NM" ] && ok || bad "node init json: $(cat "$T/out")"
[ "$(NJ "$T/out" 'd["reply_key_known"]')" = "False" ] && ok || bad "no reply key yet: $(cat "$T/out")"
NV=$(NJ "$T/out" 'd["node_log_vkey"]')
expect 1 "node init again" -- "$CLI" node init "$ND" $NK
expect 0 "node show" -- "$CLI" --store "$ND" node show $NK
has "$T/out" "$NM" "node show names the member"
has "$T/out" "not yet" "node show: answers not yet"
expect 0 "node list (empty)" -- "$CLI" --store "$ND" node list $NK --json
[ "$(NJ "$T/out" 'len(d)')" = "0" ] && ok || bad "node list: $(cat "$T/out")"
printf 'not a bundle' >"$T/node-garbage"
expect 1 "node import of a file that is not a bundle" -- "$CLI" --store "$ND" node import "$T/node-garbage" $NK
expect 2 "node read without an id" -- "$CLI" --store "$ND" node read $NK
expect 6 "node read of an unknown item" -- "$CLI" --store "$ND" node read 00000000-0000-4000-8000-000000000000 $NK
expect 6 "node answer before any council bundle" -- "$CLI" --store "$ND" node answer referral \
    00000000-0000-4000-8000-000000000000 --step accepted --out "$T/node-answer" $NK
[ ! -e "$T/node-answer" ] && ok || bad "no answer file written"
expect 2 "node answer request with neither text nor decline" -- "$CLI" --store "$ND" node answer request \
    00000000-0000-4000-8000-000000000000 --out "$T/node-answer" $NK
expect 6 "node cosign before any checkpoint" -- "$CLI" --store "$ND" node cosign --out "$T/node-cosig" $NK
expect 0 "node purge" -- "$CLI" --store "$ND" node purge $NK --json
[ "$(NJ "$T/out" 'd["purged"]')" = "0" ] && ok || bad "node purge: $(cat "$T/out")"
expect 0 "node export-log" -- "$CLI" --store "$ND" node export-log "$T/node-log" $NK
expect 1 "node export-log never replaces a file" -- "$CLI" --store "$ND" node export-log "$T/node-log" $NK
expect 0 "the node's log verifies with the node's log key" -- "$CLI" audit verify "$T/node-log" --key "$NV"
expect 0 "node show --json after" -- "$CLI" --store "$ND" node show $NK --json
[ "$(NJ "$T/out" 'd["log_size"] > 3')" = "True" ] && ok || bad "node log grows: $(cat "$T/out")"
expect 3 "node show with another member's keyfile passphrase" -- "$CLI" --store "$ND" node show \
    --keyfile "$T/node-$NM.key" --passphrase-file "$T/pass2"
