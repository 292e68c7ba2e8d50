# unlock.sh - a sitting: unlock once, work without the passphrase, lock.
# The kernel's user keyring holds the unlocked session; when it cannot be
# used here (add_key refused), the checks are skipped and say so.
# Sourced by tests/cli-test.sh; its own stores.

U=$T/unlocked
U2=$T/unlocked2
UP="--passphrase-file $T/pass1"
expect 0 "unlock: init" -- "$CLI" --store "$U" init --name Sitting --weak-passphrase-ok $CHEAP $UP
expect 0 "unlock: second store" -- "$CLI" --store "$U2" init --name Other --weak-passphrase-ok $CHEAP $UP
# Before anything is unlocked: locked, and a command needs a passphrase.
expect 0 "unlock --status, locked" -- "$CLI" --store "$U" unlock --status
has "$T/out" "^locked$" "a new store is locked"
expect 2 "locked: no passphrase source" -- "$CLI" --store "$U" info
has "$T/err" "no passphrase" "locked: asks for the passphrase"

expect 1 "unlock probe" -- "$CLI" --store "$U" unlock --passphrase-file /nonexistent
"$CLI" --store "$U" unlock $UP >"$T/out" 2>"$T/err" </dev/null
if grep -q "kernel keyring is not available" "$T/err"; then
    echo "cli-test: unlock.sh: the kernel keyring is not available here: skipped"
    ok
else
    [ -s "$T/err" ] && ok || bad "unlock said nothing"
    has "$T/err" "unlocked as the secretariat" "unlock says as whom"
    hasnot "$T/err" "first passphrase" "unlock does not print the passphrase"
    expect 0 "unlock --status" -- "$CLI" --store "$U" unlock --status
    has "$T/out" "^unlocked as root until " "status: unlocked as root"
    expect 0 "lock --status --json" -- "$CLI" --store "$U" lock --status --json
    has "$T/out" '"unlocked": true' "status json: unlocked"
    has "$T/out" '"idle_minutes": 15' "status json: the default idle timeout"

    # A command with no passphrase source: opens, and fast.
    start=$(date +%s%N)
    expect 0 "unlocked: info without a passphrase" -- "$CLI" --store "$U" info
    end=$(date +%s%N)
    has "$T/out" "Sitting" "unlocked: info shows the council"
    ms=$(( (end - start) / 1000000 ))
    [ "$ms" -lt 500 ] && ok || bad "unlocked info took $ms ms (want under 500)"
    # The kept session is tied to this store directory, not only to the
    # council id its keyring names (which an insider can write): a copy of
    # the store, same council id, is not unlocked.
    cp -a "$U" "$T/unlocked-copy"
    expect 2 "a copy of the store is not unlocked" -- "$CLI" --store "$T/unlocked-copy" info
    has "$T/err" "no passphrase" "the copy asks for the passphrase"
    rm -rf "$T/unlocked-copy"
    expect 0 "unlocked: a secretariat command" -- "$CLI" --store "$U" member add --name "NPO ひだまり" --kind npo --scopes identity
    UM=$(cat "$T/out")
    # The log names the secretariat, as with the passphrase.
    expect 0 "unlocked: the log" -- "$CLI" --store "$U" audit show --action member_added --json
    has "$T/out" '"actor": "root"' "unlocked: acts are the secretariat's"
    # An explicit passphrase file still wins (a wrong one is refused).
    expect 3 "unlocked: an explicit wrong passphrase is used" -- "$CLI" --store "$U" info --passphrase-file "$T/pass2"
    # Another store stays locked.
    expect 2 "unlock of one store does not unlock another" -- "$CLI" --store "$U2" info
    has "$T/err" "no passphrase" "the other store asks for its passphrase"

    # Lock: at once, and the next command asks again.
    expect 0 "lock" -- "$CLI" --store "$U" lock
    has "$T/err" "locked (1 unlocked session forgotten)" "lock forgets the session"
    expect 2 "after lock: no passphrase source" -- "$CLI" --store "$U" info
    has "$T/err" "no passphrase" "after lock: asks for the passphrase"
    expect 0 "lock --status after lock" -- "$CLI" --store "$U" lock --status
    has "$T/out" "^locked$" "status: locked"

    # A wrong passphrase at unlock keeps nothing.
    expect 3 "unlock, wrong passphrase" -- "$CLI" --store "$U" unlock --passphrase-file "$T/pass2"
    expect 2 "nothing kept after a wrong passphrase" -- "$CLI" --store "$U" info
    expect 2 "unlock without a passphrase source" -- "$CLI" --store "$U" unlock
    expect 2 "unlock --idle 0" -- "$CLI" --store "$U" unlock --idle 0 $UP
    expect 2 "unlock --idle 481" -- "$CLI" --store "$U" unlock --idle 481 $UP
    expect 2 "unlock --max 25" -- "$CLI" --store "$U" unlock --max 25 $UP
    expect 2 "nothing kept after refused limits" -- "$CLI" --store "$U" info

    # Expiry: past the absolute limit, the next command asks again.
    expect 0 "unlock with a 1-second limit" -- env COUNCIL_CLI_UNLOCK_SECONDS=1 "$CLI" --store "$U" unlock $UP
    sleep 2
    expect 2 "expired: no passphrase source" -- "$CLI" --store "$U" info
    has "$T/err" "no passphrase" "expired: asks for the passphrase"
    expect 0 "lock --status after expiry" -- "$CLI" --store "$U" lock --status
    has "$T/out" "^locked$" "status after expiry: locked"
    # The absolute limit with a longer idle one: still checked on use.
    expect 0 "unlock --idle 480 with a 2-second limit" -- env COUNCIL_CLI_UNLOCK_SECONDS=2 "$CLI" --store "$U" unlock --idle 480 $UP
    expect 0 "before the limit: opens" -- "$CLI" --store "$U" info
    sleep 3
    expect 2 "after the limit: asks again" -- "$CLI" --store "$U" info

    # A staff member's sitting: opens as that staff member.
    expect 0 "unlock: member keygen" -- "$CLI" --store "$U" member keygen "$UM" --out "$T/um.key" \
        --member-passphrase-file "$T/mpass" --weak-passphrase-ok $CHEAP $UP
    expect 0 "unlock: staff add" -- "$CLI" --store "$U" staff add --member "$UM" --name "相談員 佐藤" $UP
    UST=$(cat "$T/out")
    expect 0 "unlock: staff pledge" -- "$CLI" --store "$U" staff pledge "$UST" --text-version v2024_04 --text-file "$T/pledge.txt" $UP
    expect 3 "staff unlock, wrong member passphrase" -- env COUNCIL_MEMBER_PASSPHRASE=nope "$CLI" --store "$U" unlock --staff "$UST" --keyfile "$T/um.key"
    expect 2 "nothing kept for the staff member" -- "$CLI" --store "$U" info --staff "$UST"
    expect 0 "staff unlock" -- env COUNCIL_MEMBER_PASSPHRASE="member secret" "$CLI" --store "$U" unlock --staff "$UST" --keyfile "$T/um.key"
    has "$T/err" "unlocked as $UST" "staff unlock says as whom"
    expect 0 "staff unlocked: info without passphrase or keyfile" -- "$CLI" --store "$U" info --staff "$UST"
    expect 4 "staff unlocked: a secretariat command stays refused" -- "$CLI" --store "$U" report platform --staff "$UST"
    # Root is not unlocked by the staff member's unlock.
    expect 2 "staff unlock does not unlock the secretariat" -- "$CLI" --store "$U" info
    expect 0 "the log names the staff member" -- "$CLI" --store "$U" audit show --action session_opened --tail 2 --json $UP
    has "$T/out" "\"actor\": \"[0-9a-f]*/$(echo "$UST" | tr -d -)\"" "staff unlocked session logged as the staff member"
    # Retired: the unlocked session is refused, and forgotten.
    expect 0 "unlock: retire the staff member" -- "$CLI" --store "$U" staff retire "$UST" --reason 退職 --yes $UP
    expect 4 "retired staff: unlocked session refused" -- "$CLI" --store "$U" info --staff "$UST"
    expect 2 "retired staff: nothing kept" -- "$CLI" --store "$U" info --staff "$UST"

    # Lock forgets this store's sessions only (--all, every council's, is
    # not run here: it would end this user's other sittings too).
    expect 0 "unlock store one" -- "$CLI" --store "$U" unlock $UP
    expect 0 "unlock store two" -- "$CLI" --store "$U2" unlock $UP
    expect 0 "lock store two" -- "$CLI" --store "$U2" lock
    expect 0 "store one still unlocked" -- "$CLI" --store "$U" info
    expect 2 "store two locked" -- "$CLI" --store "$U2" info
    expect 0 "lock store one" -- "$CLI" --store "$U" lock
    expect 2 "after lock: store one asks again" -- "$CLI" --store "$U" info
fi
