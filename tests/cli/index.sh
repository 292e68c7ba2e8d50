# index.sh - the blind index's width (issue 17, blind): index status, index
# rebuild. Sourced by tests/cli-test.sh (after the scripts before it: $C,
# $CP and $NS are case.sh's). A store this small fits 16-bit tokens, so the
# rebuild has nothing to do (test_blind_width.c drives the threshold down).

ij() { /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null; }
expect 0 "index status" -- "$CLI" --store "$C" index status $CP
has "$T/out" "token width: 16 bits" "index status: the width of a small store"
expect 0 "index status --json" -- "$CLI" --store "$C" index status --json $CP
[ "$(ij "$T/out" 'd["width"], d["old_width"], d["wanted_width"]')" = "(16, 0, 16)" ] && ok ||
    bad "index status --json: widths"
expect 0 "index rebuild (nothing to do)" -- "$CLI" --store "$C" index rebuild --json $CP
[ "$(ij "$T/out" 'd["cases_done"], d["width"]')" = "(0, 16)" ] && ok || bad "index rebuild: nothing done"
expect 4 "index rebuild by the npo's staff (not the secretariat)" -- "$CLI" --store "$C" index rebuild $NS --passphrase-file "$T/mpass"
expect 4 "index status by the npo's staff" -- "$CLI" --store "$C" index status $NS --passphrase-file "$T/mpass"
expect 2 "index rebuild --max-cases too large" -- "$CLI" --store "$C" index rebuild --max-cases 4294967296 $CP
expect 0 "index rebuild --help" -- "$CLI" index rebuild --help
has "$T/out" "max-cases" "index rebuild --help names its options"
