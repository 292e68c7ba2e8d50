# evidence.sh - the auditor's view of a case (issue 16): audit case-evidence
# writes a case's events with inclusion proofs; audit verify(-case) and the
# independent verifier (scripts/verify-case-evidence.py, python3 with
# hashlib and python3-cryptography alone) accept it and refuse altered
# copies. Sourced by tests/cli-test.sh (after case.sh: the store $C, its
# cases $CASE and $CASE2, the pseudonym $PSN, the npo's staff $NS).

PYV="/usr/bin/python3 $D/../../scripts/verify-case-evidence.py"
"$CLI" --store "$C" info $CP | sed -n 's/^log public key: *//p' >"$T/cvkey"
"$CLI" --store "$T/s2" info --passphrase-file "$T/pass2" | sed -n 's/^log public key: *//p' >"$T/cvkey2"

expect 0 "audit case-evidence" -- "$CLI" --store "$C" audit case-evidence "$CASE" --out "$T/case.ev" --json $CP
[ "$(jcount "$T/out" 'd["case_ref"]')" = "$PSN" ] && ok || bad "case-evidence names the case's pseudonym"
EVN=$(jcount "$T/out" 'd["events"]')
[ "${EVN:-0}" -ge 3 ] && ok || bad "case-evidence holds the case's events: $(cat "$T/out")"
expect 1 "audit case-evidence over a file" -- "$CLI" --store "$C" audit case-evidence "$CASE" --out "$T/case.ev" $CP
expect 0 "audit case-evidence, another case" -- "$CLI" --store "$C" audit case-evidence "$CASE2" --out "$T/case2.ev" $CP
expect 0 "audit show: case_evidence_exported logged" -- "$CLI" --store "$C" audit show --case "$CASE" --action case_evidence_exported $CP
[ "$(wc -l <"$T/out")" -ge 1 ] && ok || bad "case_evidence_exported is on the record"
# every event that audit show lists for the case is in the file
expect 0 "audit show --case (for the file)" -- "$CLI" --store "$C" audit show --case "$CASE" --json $CP
for s in $(jcount "$T/out" '" ".join(str(e["seq"]) for e in d)'); do
    grep -qx "event $s" "$T/case.ev" || { bad "event $s of the case is not in the file"; break; }
done; ok
# refusals: a member's staff; no such case; not an id
expect 4 "case-evidence by a member's staff" -- env COUNCIL_MEMBER_PASSPHRASE="member secret" "$CLI" --store "$C" audit case-evidence "$CASE" --out "$T/x.ev" $NS
[ ! -e "$T/x.ev" ] && ok || bad "a refused case-evidence leaves no file"
expect 6 "case-evidence of no case" -- "$CLI" --store "$C" audit case-evidence "$NOCASE" --out "$T/x.ev" $CP
expect 2 "case-evidence not an id" -- "$CLI" --store "$C" audit case-evidence 12345 --out "$T/x.ev" $CP
expect 2 "case-evidence without --out" -- "$CLI" --store "$C" audit case-evidence "$CASE" $CP

# the auditor, with the public key alone
expect 0 "audit verify-case" -- "$CLI" audit verify-case "$T/case.ev" --key @"$T/cvkey" --json
[ "$(jcount "$T/out" 'd["verified"], d["events"], d["case_ref"]')" = "('case_evidence', $EVN, '$PSN')" ] && ok ||
    bad "verify-case: $(cat "$T/out")"
expect 0 "audit verify knows a case evidence file" -- "$CLI" audit verify "$T/case.ev" --key @"$T/cvkey"
has "$T/out" "^verified case evidence: $EVN events" "audit verify on case evidence"
expect 0 "independent verifier" -- $PYV "$T/case.ev" --key @"$T/cvkey" --json
[ "$(jcount "$T/out" 'd["ok"], d["events"], d["case_ref"]')" = "(True, $EVN, '$PSN')" ] && ok ||
    bad "independent verifier: $(cat "$T/out") $(cat "$T/err")"

# tampered copies: each refused by both verifiers
/usr/bin/python3 - "$T/case.ev" "$T/case2.ev" "$T" <<'EOF'
import base64, sys
a = open(sys.argv[1], "rb").read().split(b"\n")
b = open(sys.argv[2], "rb").read().split(b"\n")
t = sys.argv[3]
def put(name, lines):
    open(t + "/" + name, "wb").write(b"\n".join(lines))
def flip(line, at):
    raw = bytearray(base64.b64decode(line)); raw[at] ^= 1
    return base64.b64encode(bytes(raw))
ev = [i for i, l in enumerate(a) if l.startswith(b"event ")]
pr = [i for i, l in enumerate(a) if l.startswith(b"proof ") and l != b"proof 0"]
x = list(a); x[ev[1] + 1] = flip(x[ev[1] + 1], 5); put("t-event.ev", x)          # an event changed
x = list(a); x[pr[0] + 1] = flip(x[pr[0] + 1], 0); put("t-proof.ev", x)          # a proof byte flipped
ev2 = [i for i, l in enumerate(b) if l.startswith(b"event ")]
x = list(a); x[ev[0]:ev[0] + 2] = b[ev2[0]:ev2[0] + 2]; put("t-other.ev", x)      # another case's event
x = list(a); del x[ev[1]:ev[2]]; x[5] = b"events %d" % (len(ev) - 1); put("t-fewer.ev", x)  # still valid: fewer
EOF
for t in event proof other; do
    expect 5 "verify-case refuses: $t" -- "$CLI" audit verify-case "$T/t-$t.ev" --key @"$T/cvkey"
    expect 1 "independent verifier refuses: $t" -- $PYV "$T/t-$t.ev" --key @"$T/cvkey"
    has "$T/err" "refused" "independent verifier says why ($t)"
done
expect 5 "verify-case refuses another council's key" -- "$CLI" audit verify-case "$T/case.ev" --key @"$T/cvkey2"
expect 1 "independent verifier refuses another council's key" -- $PYV "$T/case.ev" --key @"$T/cvkey2"
# a file cut back to fewer events still proves what it holds: completeness is
# the council's scan (the verifier says so), not something the file can show
expect 0 "verify-case: fewer events still verify" -- "$CLI" audit verify-case "$T/t-fewer.ev" --key @"$T/cvkey"
has "$T/err" "not that none is missing" "verify-case says what it does not prove"
expect 2 "verify-case without a key" -- "$CLI" audit verify-case "$T/case.ev"
expect 2 "independent verifier without a key" -- $PYV "$T/case.ev"
