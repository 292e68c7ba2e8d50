# time.sh - the council's time zone, times with offsets or in the zone,
# date-only ends, impossible dates, and --utc.
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it).

expect 0 "timezone shows the default" -- "$CLI" --store "$C" timezone $CP
has "$T/out" "^Asia/Tokyo\$" "default zone Asia/Tokyo"
expect 0 "timezone --json, staff session" -- "$CLI" --store "$C" timezone --json $NS
[ "$(jcount "$T/out" 'd["timezone"]')" = "Asia/Tokyo" ] && ok || bad "timezone json: $(cat "$T/out")"
expect 4 "timezone set by a staff session" -- "$CLI" --store "$C" timezone UTC $NS
for z in ../etc/passwd /etc/passwd Asia Nowhere/City "Asia/Tokyo.x"; do
    expect 1 "timezone set, invalid zone $z" -- "$CLI" --store "$C" timezone "$z" $CP
done
has "$T/err" "not a time zone name" "invalid zone message"
expect 0 "audit shows setting_changed only for valid sets" -- "$CLI" --store "$C" audit show --action setting_changed $CP
hasnot "$T/out" "setting_changed" "no setting_changed yet"

TREC="consent record $CASE --member $CNPO --scope identity --purpose referral --method oral"
# An offset, and a date-only end: the whole day in the council's zone.
expect 0 "consent with +09:00 and a date-only end" -- "$CLI" --store "$C" $TREC \
    --valid-from 2099-01-01T09:00:00+09:00 --valid-until 2099-03-31 $CP
TC1=$(cat "$T/out")
expect 0 "consent show in the zone" -- "$CLI" --store "$C" consent show "$TC1" $CP
has "$T/out" "^valid:              from 2099-01-01T09:00:00+09:00 until 2099-04-01T00:00:00+09:00\$" \
    "output in the zone; the end covers the whole day (23:00 local still valid)"
expect 0 "consent show --utc" -- "$CLI" --store "$C" consent show "$TC1" --utc $CP
has "$T/out" "^valid:              from 2099-01-01T00:00:00Z until 2099-03-31T15:00:00Z\$" "--utc output"
expect 0 "--utc before the command" -- "$CLI" --utc --store "$C" consent show "$TC1" --json $CP
[ "$(jcount "$T/out" 'd["valid_from"]')" = "2099-01-01T00:00:00Z" ] && ok || bad "json --utc: $(cat "$T/out")"
expect 0 "consent show --json in the zone" -- "$CLI" --store "$C" consent show "$TC1" --json $CP
[ "$(jcount "$T/out" 'd["valid_from"]')" = "2099-01-01T09:00:00+09:00" ] && ok || bad "json zone: $(cat "$T/out")"
# Zone-local input, Z, and a negative offset name the same moment.
for t in 2099-01-01T09:00:00 2099-01-01T00:00:00Z 2098-12-31T19:00:00-05:00; do
    expect 0 "consent valid from $t" -- "$CLI" --store "$C" $TREC --valid-from "$t" $CP
    expect 0 "show consent from $t" -- "$CLI" --store "$C" consent show "$(cat "$T/out")" --utc $CP
    has "$T/out" "^valid:              from 2099-01-01T00:00:00Z" "$t read as 09:00 in Tokyo"
done
# Impossible dates and times are refused, exit 2.
for t in 2027-02-30 2026-13-01 2026-01-01T25:00:00 2026-02-29T10:00:00+09:00 2026-01-01T10:61:00Z \
         2026-01-01T10:00:00+24:00; do
    expect 2 "impossible time $t" -- "$CLI" --store "$C" $TREC --valid-until "$t" $CP
    has "$T/err" "no such date or time: '$t'" "impossible $t: message"
done
expect 2 "not a time" -- "$CLI" --store "$C" $TREC --valid-until 2026/01/01 $CP
has "$T/err" "not a time" "not a time: message"
expect 0 "a leap day is a date" -- "$CLI" --store "$C" $TREC --valid-until 2028-02-29 $CP

# The zone set by the secretariat: logged, and times follow it.
expect 0 "timezone set UTC" -- "$CLI" --store "$C" timezone UTC $CP
expect 0 "timezone shows UTC" -- "$CLI" --store "$C" timezone $NS
has "$T/out" "^UTC\$" "zone now UTC"
expect 0 "consent show in UTC" -- "$CLI" --store "$C" consent show "$TC1" $CP
has "$T/out" "^valid:              from 2099-01-01T00:00:00+00:00 until 2099-03-31T15:00:00+00:00\$" "output in UTC zone"
expect 0 "consent with a date-only end in UTC" -- "$CLI" --store "$C" $TREC --valid-until 2099-03-31 $CP
expect 0 "show it" -- "$CLI" --store "$C" consent show "$(cat "$T/out")" $CP
has "$T/out" "until 2099-04-01T00:00:00+00:00\$" "date-only end in UTC"
expect 0 "audit show setting_changed" -- "$CLI" --store "$C" audit show --action setting_changed $CP
has "$T/out" "setting_changed" "setting_changed logged"
expect 0 "timezone set back" -- "$CLI" --store "$C" timezone Asia/Tokyo $CP

# An insider forges the stored zone (a row written with the database key,
# which every member with keys holds). Nobody is locked out: commands go on
# in UTC with a warning, a time without an offset is refused (the zone would
# have to read it), and the secretariat sets the zone again.
if command -v sqlcipher >/dev/null && [ -x /usr/bin/python3 ]; then
    TZS=$T/tzforge
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$T/tzkey"
    expect 0 "init a store to forge its zone" -- "$CLI" --store "$TZS" init --name TZ --root-key-file "$T/tzkey"
    # council.db's key: crypto_kdf of the root key, id 1 (the first database key), context "cncl-db_".
    dbkey=$(/usr/bin/python3 -c 'import hashlib,sys
r = bytes.fromhex(open(sys.argv[1]).read().strip())
print(hashlib.blake2b(b"", digest_size=32, key=r, salt=(1).to_bytes(8, "little") + bytes(8),
                      person=b"cncl-db_" + bytes(8)).hexdigest())' "$T/tzkey")
    sqlcipher "$TZS/council.db" "PRAGMA key = \"x'$dbkey'\"; PRAGMA cipher_compatibility = 4;
        PRAGMA cipher_page_size = 4096;
        INSERT OR REPLACE INTO setting (key, value) VALUES ('timezone', CAST('America/New_York' AS BLOB));" \
        >/dev/null 2>&1
    TZK="--root-key-file $T/tzkey"
    expect 0 "a forged zone locks nobody out" -- "$CLI" --store "$TZS" info $TZK
    has "$T/err" "warning: .*not the one the secretariat set.*shown in UTC" "the forged zone is said"
    expect 5 "timezone shows the forged zone as tampered" -- "$CLI" --store "$TZS" timezone $TZK
    expect 5 "a time without an offset is refused under a forged zone" -- \
        "$CLI" --store "$TZS" audit show --since 2026-01-01T00:00:00 $TZK
    has "$T/err" "needs the council's zone: give it with one" "the refusal says to give an offset"
    expect 0 "a time with an offset still works" -- "$CLI" --store "$TZS" audit show --since 2026-01-01T00:00:00Z $TZK
    has "$T/out" "Z  *tamper_detected .*reason=forged_timezone" "shown in UTC, the forgery on the record"
    expect 0 "the secretariat sets the zone again" -- "$CLI" --store "$TZS" timezone Asia/Tokyo $TZK
    expect 0 "then the zone reads" -- "$CLI" --store "$TZS" timezone $TZK
    has "$T/out" "^Asia/Tokyo\$" "the zone is the secretariat's again"
    hasnot "$T/err" "warning" "no warning once set again"
else
    echo "time.sh: sqlcipher or /usr/bin/python3 missing: the forged-zone checks are skipped"
fi
