# exchange.sh - the council's bundles into a member node and back, through
# the CLI end to end: a node made from the NPO's keyfile imports what
# bundle.sh exported (a case bundle, then the revocation that followed),
# a fresh case bundle it reads (the read in its own log), refusals with
# their exit statuses (a replay, a flipped byte, a truncated file, another
# member's bundle), witnessing (a checkpoint bundle, the node's cosignature
# imported by the council, an auditor requiring it) and the node's own log
# verified with its key. Sourced by tests/cli-test.sh after bundle.sh
# (which made $T/b1.lcb and $T/b3.lcb for $CNPO, whose keyfile is $T/cnpo.key).
XN=$T/xnode
XK="--keyfile $T/cnpo.key --passphrase-file $T/mpass"
XS="--store $XN $XK"
expect 0 "exchange: node init" -- "$CLI" node init "$XN" $XK --json
XWV=$(jcount "$T/out" 'd["witness_vkey"]'); XLV=$(jcount "$T/out" 'd["node_log_vkey"]')
[ -n "$XWV" ] && [ -n "$XLV" ] && ok || bad "node init json: $(cat "$T/out")"
# what bundle.sh sent: the case's wishes, then their revocation
expect 0 "exchange: import the case bundle" -- "$CLI" node import "$T/b1.lcb" $XS --json
[ "$(jcount "$T/out" 'd["outcome"], len(d["stored"])')" = "('stored', 1)" ] && ok || bad "import: $(cat "$T/out")"
expect 0 "exchange: node list" -- "$CLI" node list $XS --json
[ "$(jcount "$T/out" '[i["scopes"] for i in d]')" = "[['wishes']]" ] && ok || bad "node list: $(cat "$T/out")"
expect 1 "exchange: the same bundle again (replay)" -- "$CLI" node import "$T/b1.lcb" $XS
has "$T/err" "imported already" "the replay is named"
expect 0 "exchange: import the revocation" -- "$CLI" node import "$T/b3.lcb" $XS --json
[ "$(jcount "$T/out" 'd["outcome"], len(d["deleted"])')" = "('revoked', 1)" ] && ok || bad "revocation: $(cat "$T/out")"
expect 0 "exchange: node list after the revocation" -- "$CLI" node list $XS --json
[ "$(jcount "$T/out" 'len(d)')" = "0" ] && ok || bad "node list: $(cat "$T/out")"
# a fresh case bundle: the identity shared now
expect 0 "exchange: share the identity" -- "$CLI" --store "$C" case share "$CASE" --member "$CNPO" --scope identity \
    $BSHARE $CP
expect 0 "exchange: export the case" -- "$CLI" --store "$C" bundle export case "$CASE" --to "$CNPO" \
    --basis appi_27_1_4_public_duty --out "$T/x1.lcb" $CP
/usr/bin/python3 -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[len(b)//2]^=1; open(sys.argv[2],"wb").write(b)' \
    "$T/x1.lcb" "$T/x1.flipped"
expect 5 "exchange: a flipped byte (signature)" -- "$CLI" node import "$T/x1.flipped" $XS
head -c 200 "$T/x1.lcb" >"$T/x1.short"
expect 1 "exchange: a truncated bundle" -- "$CLI" node import "$T/x1.short" $XS
has "$T/err" "truncated" "the truncation is named"
expect 0 "exchange: a checkpoint bundle for the coordinating body" -- "$CLI" --store "$C" bundle export checkpoint \
    --to "$CCB" --out "$T/x-ccb.lcb" $CP
expect 4 "exchange: another member's bundle" -- "$CLI" node import "$T/x-ccb.lcb" $XS
has "$T/err" "another recipient" "the wrong recipient is named"
expect 0 "exchange: import the case bundle" -- "$CLI" node import "$T/x1.lcb" $XS
expect 0 "exchange: node list" -- "$CLI" node list $XS --json
XITEM=$(jcount "$T/out" '[i["id"] for i in d if "identity" in i["scopes"]][0]')
expect 0 "exchange: node read" -- "$CLI" node read "$XITEM" $XS
has "$T/out" "section identity" "node read shows the section"
expect 0 "exchange: node read --json" -- "$CLI" node read "$XITEM" $XS --json
[ "$(jcount "$T/out" 'd["section"]["scope"], d["kind"]')" = "('identity', 'section')" ] && ok || bad "node read json: $(cat "$T/out")"
hasnot "$XN/council.db" "スズキ" "nothing in clear in the node's database"
# the share ends (the parts after this one expect the NPO without it); the
# node hears of it through the next revocation bundle
expect 0 "exchange: revoke the identity" -- "$CLI" --store "$C" case revoke "$CASE" --member "$CNPO" \
    --scope identity --reason support_ended $CP
expect 0 "exchange: the revocation bundle" -- "$CLI" --store "$C" bundle export revocations --to "$CNPO" \
    --out "$T/x-rev.lcb" $CP
expect 0 "exchange: the node deletes the identity" -- "$CLI" node import "$T/x-rev.lcb" $XS --json
[ "$(jcount "$T/out" 'd["outcome"], len(d["deleted"])')" = "('revoked', 1)" ] && ok || bad "revocation: $(cat "$T/out")"
expect 6 "exchange: the identity is gone from the node" -- "$CLI" node read "$XITEM" $XS
# witnessing: the node checks the council's checkpoint and cosigns; the council keeps it
expect 0 "exchange: audit checkpoint" -- "$CLI" --store "$C" audit checkpoint $CP
expect 0 "exchange: checkpoint bundle" -- "$CLI" --store "$C" bundle export checkpoint --to "$CNPO" --out "$T/x-cp.lcb" $CP
expect 0 "exchange: the node witnesses it" -- "$CLI" node import "$T/x-cp.lcb" $XS
expect 0 "exchange: node cosign" -- "$CLI" node cosign --out "$T/x-cosig.lcb" $XS
expect 0 "exchange: the council imports the cosignature" -- "$CLI" --store "$C" bundle import "$T/x-cosig.lcb" $CP --json
[ "$(jcount "$T/out" 'd["outcome"]')" = "cosignature_stored" ] && ok || bad "cosignature import: $(cat "$T/out")"
expect 1 "exchange: the cosignature again (replay)" -- "$CLI" --store "$C" bundle import "$T/x-cosig.lcb" $CP
expect 0 "exchange: audit export" -- "$CLI" --store "$C" audit export --out "$T/x-audit.cax" $CP
expect 0 "exchange: council info" -- "$CLI" --store "$C" info --json $CP
XCV=$(jcount "$T/out" 'd["log_verifier_key"]')
expect 0 "exchange: the auditor requires the node's cosignature" -- "$CLI" audit verify "$T/x-audit.cax" \
    --key "$XCV" --witness "$XWV" --require 1
# the node's own log: its imports, refusals and reads, verified with its key alone
expect 0 "exchange: node export-log" -- "$CLI" node export-log "$T/x-nodelog.cax" $XS
expect 0 "exchange: the node's log verifies with the node's key" -- "$CLI" audit verify "$T/x-nodelog.cax" --key "$XLV"
expect 5 "exchange: ... and not with the council's" -- "$CLI" audit verify "$T/x-nodelog.cax" --key "$XCV"
