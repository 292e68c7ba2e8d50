#!/bin/sh
# Run each cmocka test binary; print each one's output and a total line.
# Exit 1 if any binary fails or reports no test.
passed=0 failed=0 bad=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for t in "$@"; do
    echo "== ${t##*/}"
    "$t" >"$out" 2>&1
    rc=$?
    cat "$out"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -n 1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$rc" -ne 0 ] || [ -z "$p" ] || [ "${p:-0}" -eq 0 ]; then
        echo "!! ${t##*/} failed (exit $rc)"
        bad=$((bad + 1))
    fi
done
echo "cmocka: $passed passed, $failed failed"
[ "$bad" -eq 0 ] && [ "$failed" -eq 0 ]
