# council.sh - usage errors, init, info, passphrases, the root key, the store on disk.
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it).

# -- usage errors: exit 2
expect 0 "help" -- "$CLI" --help;                 has "$T/out" "usage: council-cli" "help"
expect 0 "version" -- "$CLI" --version;           has "$T/out" "libcouncil" "version"
expect 2 "no command" -- "$CLI" --store "$S"
expect 2 "unknown command" -- "$CLI" --store "$S" frobnicate
has "$T/err" "unknown command" "unknown command message"
expect 2 "unknown option" -- "$CLI" --store "$S" info --frob
expect 2 "option without value" -- "$CLI" info --store
expect 2 "no store" -- "$CLI" info
has "$T/err" "COUNCIL_STORE" "no store message"
expect 2 "init without name" -- "$CLI" --store "$S" init --passphrase-file "$T/pass1"
expect 2 "bad kdf-ops" -- "$CLI" --store "$S" init --name X --kdf-ops abc
expect 2 "both credentials" -- "$CLI" --store "$S" info --passphrase-file "$T/pass1" --root-key-file "$T/pass1"
expect 2 "two commands" -- "$CLI" --store "$S" info init
# No passphrase source at all and no terminal.
expect 2 "no passphrase, no tty" -- setsid -w "$CLI" --store "$S" init --name X $CHEAP

# -- init
expect 0 "init" -- "$CLI" --store "$S" init --name "東市 孤立対策協議会" --passphrase-file "$T/pass1" $CHEAP
if grep -Eq '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' "$T/out"; then ok; else
    bad "init prints a v4 UUID"; cat "$T/out"; fi
ID=$(cat "$T/out")
has "$T/err" "created council" "init note"
expect 1 "init twice" -- "$CLI" --store "$S" init --name Y --passphrase-file "$T/pass1" $CHEAP
has "$T/err" "not empty" "init twice message"
expect 1 "init bad kdf" -- "$CLI" --store "$T/other" init --name Y --passphrase-file "$T/pass1" --kdf-ops 99
has "$T/err" "kdf_opslimit" "init bad kdf message"
expect 1 "init empty passphrase" -- "$CLI" --store "$T/other" init --name Y --passphrase-file /dev/null $CHEAP

# -- info, each passphrase source
expect 0 "info (file)" -- "$CLI" --store "$S" info --passphrase-file "$T/pass1"
has "$T/out" "$ID" "info id"
has "$T/out" "東市 孤立対策協議会" "info name"
has "$T/out" "sqlcipher version:  4\." "info cipher version"
has "$T/out" "log public key:     libcouncil/$ID+[0-9a-f]\{8\}+" "info verifier key"
expect 0 "info (env store, env pass)" -- env COUNCIL_STORE="$S" COUNCIL_PASSPHRASE="first passphrase" "$CLI" info --json
has "$T/out" "\"council_id\": \"$ID\"" "json id"
has "$T/out" "\"schema_version\": 23" "json schema"
"$CLI" --store "$S" info --passphrase-file - <"$T/pass1" >"$T/out" 2>"$T/err"
if [ $? -eq 0 ]; then ok; else bad "info (stdin)"; fi

# -- refusals: exit 3 (authentication) or 6 (not found), no secrets in messages
expect 3 "wrong passphrase" -- env COUNCIL_PASSPHRASE="Tr0ub4dor" "$CLI" --store "$S" info
has "$T/err" "wrong passphrase" "wrong passphrase message"
hasnot "$T/err" "Tr0ub4dor" "passphrase not echoed in error"
expect 1 "missing passphrase file" -- "$CLI" --store "$S" info --passphrase-file "$T/nope"
expect 6 "missing store" -- "$CLI" --store "$T/nowhere" info --passphrase-file "$T/pass1"
has "$T/err" "no store directory" "missing store message"

# -- passphrase change
expect 3 "passphrase change, wrong old" -- env COUNCIL_PASSPHRASE=nope "$CLI" --store "$S" passphrase --new-passphrase-file "$T/pass2" $CHEAP
expect 0 "passphrase change" -- "$CLI" --store "$S" passphrase --passphrase-file "$T/pass1" --new-passphrase-file "$T/pass2" $CHEAP
expect 3 "old passphrase after change" -- "$CLI" --store "$S" info --passphrase-file "$T/pass1"
expect 0 "new passphrase after change" -- "$CLI" --store "$S" info --passphrase-file "$T/pass2"
has "$T/out" "$ID" "same council after change"

# -- integrator-supplied root key
K=$T/kms
printf '%s\n' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f >"$T/key"
printf '%s\n' 100102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f >"$T/wrongkey"
printf 'not hex at all\n' >"$T/badkey"
expect 0 "init with root key" -- "$CLI" --store "$K" init --name KMS --root-key-file "$T/key"
expect 0 "info with root key" -- "$CLI" --store "$K" info --root-key-file "$T/key"
has "$T/out" "root key:           external" "external root key"
expect 3 "wrong root key" -- "$CLI" --store "$K" info --root-key-file "$T/wrongkey"
has "$T/err" "wrong root key" "wrong root key message"
expect 1 "malformed root key file" -- "$CLI" --store "$K" info --root-key-file "$T/badkey"
expect 1 "passphrase on a root-key council" -- "$CLI" --store "$K" info --passphrase-file "$T/pass1"
expect 2 "passphrase command with root key" -- "$CLI" --store "$K" passphrase --root-key-file "$T/key"

# -- what the sqlcipher shell sees: no database without the key
if command -v sqlcipher >/dev/null; then
    expect 26 "sqlcipher shell without key (SQLITE_NOTADB)" -- sqlcipher "$S/council.db" "SELECT count(*) FROM sqlite_master;"
    has "$T/err" "file is not a database" "sqlcipher shell refusal"
    expect 0 "sqlcipher shell cipher_version" -- sqlcipher "$S/council.db" "PRAGMA cipher_version;"
    has "$T/out" "^4\." "sqlcipher 4.x"
else
    bad "sqlcipher shell not installed (make deps installs it)"
fi
for f in "$S"/*; do
    if grep -q "孤立対策協議会" "$f"; then bad "council name in clear in $(basename "$f")"; else ok; fi
done
perm=$(stat -c %a "$S/council.db"); [ "$perm" = 600 ] && ok || bad "council.db mode $perm, want 600"
perm=$(stat -c %a "$S/council.keyring"); [ "$perm" = 600 ] && ok || bad "council.keyring mode $perm, want 600"
perm=$(stat -c %a "$S"); [ "$perm" = 700 ] && ok || bad "store mode $perm, want 700"

# -- a swapped database: one clear line on stderr, nothing from SQLCipher itself
expect 0 "second store" -- "$CLI" --store "$T/s2" init --name Two --passphrase-file "$T/pass2" $CHEAP
cp "$S/council.db" "$T/s1.db"
cp "$T/s2/council.db" "$S/council.db"
expect 3 "swapped database" -- "$CLI" --store "$S" info --passphrase-file "$T/pass2"
has "$T/err" "does not belong" "swapped database message"
# Keep this store's salt (bytes 0-15) but the other store's pages: the
# salt check passes and SQLCipher's page HMAC check is what fails.
{ head -c 16 "$T/s1.db"; tail -c +17 "$T/s2/council.db"; } >"$S/council.db"
expect 3 "foreign pages" -- "$CLI" --store "$S" info --passphrase-file "$T/pass2"
has "$T/err" "database key does not open" "foreign pages message"
has "$T/err" "using the council passphrase (root) for setup" "a root use is said"
lines=$(grep -vc "using the council passphrase" "$T/err")
[ "$lines" -eq 1 ] && ok || { bad "foreign pages: $lines error lines on stderr, want 1"; cat "$T/err"; }

