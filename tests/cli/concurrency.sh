# concurrency.sh - several processes at once, and a re-key while others work.
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it).

# -- several processes at once: no call fails on a lock (each waits, boundedly)
conc() { # conc TAG N: N calls of info, failures' messages into $T/conc.TAG
    i=0; : >"$T/conc.$1"
    while [ "$i" -lt "$2" ]; do
        "$CLI" --store "$M" info $MP >/dev/null 2>"$T/conc.$1.err" ||
            { echo "exit $?: $(cat "$T/conc.$1.err")" >>"$T/conc.$1"; }
        i=$((i + 1))
    done
}
conc a 30 & p1=$!; conc b 30 & p2=$!; conc c 30 & p3=$!
wait $p1 $p2 $p3
cat "$T/conc.a" "$T/conc.b" "$T/conc.c" >"$T/conc"
[ ! -s "$T/conc" ] && ok || { bad "concurrent opens failed:"; sed 's/^/  | /' "$T/conc"; }

# -- a re-key while others work: they are told so, never "wrong key" or
#    "not a database"
conc a 25 & p1=$!; conc b 25 & p2=$!
j=0; : >"$T/rk"
while [ "$j" -lt 5 ]; do
    "$CLI" --store "$M" rekey database --yes $MP >/dev/null 2>>"$T/rk" || echo "rekey exit $?" >>"$T/rk"
    j=$((j + 1))
done
wait $p1 $p2
cat "$T/conc.a" "$T/conc.b" >"$T/conc"
if grep -v "re-keyed by another session: open it again" "$T/conc" |
    grep -v "using the council passphrase" | grep -q .; then
    bad "a session during a re-key:"; sed 's/^/  | /' "$T/conc"; else ok; fi
hasnot "$T/rk" "rekey exit" "re-key beside other sessions"
expect 0 "the store after concurrent re-keys" -- "$CLI" --store "$M" info $MP
