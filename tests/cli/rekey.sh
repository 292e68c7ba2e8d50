# rekey.sh - keys, nothing in clear on disk, erasure.
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it).

# keys
expect 0 "case rekey" -- "$CLI" --store "$C" case rekey "$CASE" $CP
expect 0 "read after case rekey" -- "$CLI" --store "$C" case history "$CASE" --scope identity --purpose support_coordination $CP
has "$T/out" "version 2" "history survives the rekey"
expect 6 "case rekey unknown case" -- "$CLI" --store "$C" case rekey $NOCASE $CP
expect 0 "rekey database" -- "$CLI" --store "$C" rekey database --yes $CP
expect 0 "read after database rekey" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose support_coordination $CP
has "$T/out" "スズキ ハナコ" "content after database rekey"
expect 0 "rekey root" -- "$CLI" --store "$C" rekey root --new-passphrase-file "$T/pass2" $CHEAP --yes $CP
expect 3 "old passphrase after rekey root" -- "$CLI" --store "$C" case list $CP
CP="--passphrase-file $T/pass2"
expect 0 "read after rekey root" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose support_coordination $CP
has "$T/out" "スズキ ハナコ" "content after rekey root"
expect 0 "staff session after rekey root" -- "$CLI" --store "$C" case list $NS
expect 2 "rekey root, no new passphrase source" -- setsid -w "$CLI" --store "$C" rekey root --yes $CP
has "$T/err" "no new passphrase" "rekey root asks for a new passphrase source"
expect 2 "rekey root, new root key on a passphrase council" -- "$CLI" --store "$C" rekey root --new-root-key-file "$T/wrongkey" --yes $CP
expect 2 "rekey database, staff session" -- "$CLI" --store "$C" rekey database $NS
expect 2 "unknown rekey command" -- "$CLI" --store "$C" rekey frob $CP
expect 2 "rekey root without new key file" -- "$CLI" --store "$K" rekey root --root-key-file "$T/key" --yes
expect 0 "rekey root, integrator's key" -- "$CLI" --store "$K" rekey root --root-key-file "$T/key" --new-root-key-file "$T/wrongkey" --yes
expect 3 "old root key after rekey root" -- "$CLI" --store "$K" info --root-key-file "$T/key"
expect 0 "new root key after rekey root" -- "$CLI" --store "$K" info --root-key-file "$T/wrongkey"

# nothing in clear on disk
for f in "$C"/*; do
    if grep -q "スズキ" "$f"; then bad "case content in clear in $(basename "$f")"; else ok; fi
done

# erasure
expect 2 "case erase without --yes" -- "$CLI" --store "$C" case erase "$CASE" --reason retention_expired $CP
has "$T/err" "cannot be undone" "erase asks for --yes"
expect 0 "case still there" -- "$CLI" --store "$C" case show "$CASE" --scope identity --purpose support_coordination $CP
expect 2 "case erase without reason" -- "$CLI" --store "$C" case erase "$CASE" --yes $CP
expect 2 "--yes elsewhere" -- "$CLI" --store "$C" case list --yes $CP
expect 0 "case erase" -- "$CLI" --store "$C" case erase "$CASE" --reason retention_expired --yes $CP
expect 4 "show after erase" -- "$CLI" --store "$C" case show "$CASE" --purpose support_coordination $CP
expect 4 "show a section after erase" -- "$CLI" --store "$C" case show "$CASE" --scope identity --person "$PERSON" --purpose support_coordination $CP
expect 4 "erase twice" -- "$CLI" --store "$C" case erase "$CASE" --reason retention_expired --yes $CP
expect 4 "update after erase" -- "$CLI" --store "$C" case update "$CASE" --scope identity --person "$PERSON" --file "$T/identity.json" $CP
expect 0 "info after erase" -- "$CLI" --store "$C" case info "$CASE" $CP
has "$T/out" "^status:             erased" "erased status"
expect 0 "find after erase" -- "$CLI" --store "$C" case find --name "スズキ ハナコ" $CP
hasnot "$T/out" "$CASE" "erased case not found"
expect 0 "export after erasure" -- "$CLI" --store "$C" audit export --out "$T/cexport" $CP
"$CLI" --store "$C" info $CP | sed -n 's/^log public key: *//p' >"$T/cvkey"
expect 0 "the log still verifies after erasure" -- "$CLI" audit verify "$T/cexport" --key @"$T/cvkey"
expect 2 "unknown case command" -- "$CLI" --store "$C" case frob $CP
expect 2 "json on case share" -- "$CLI" --store "$C" case share "$CASE" --json $CP
expect 2 "purpose on case list" -- "$CLI" --store "$C" case list --purpose x $CP
unset COUNCIL_MEMBER_PASSPHRASE

