#!/bin/sh
# council-cli as a user meets it: exit codes, passphrase sources, refusals,
# help, and what the sqlcipher shell sees in a store. Usage: cli-test.sh
# council-cli
#
# The checks live in tests/cli/, one script a noun; lib.sh holds the
# shared setup and helpers. They are sourced, in this order, into one
# shell: later scripts use the stores earlier ones built (one init each,
# as before the split, so the run stays fast).
set -u
CLI=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
D=$(cd "$(dirname "$0")" && pwd)/cli

. "$D/lib.sh"
for part in help council audit member case consent bundle exchange meeting report request task time referral policy transfer intake rekey guard output i18n unlock roles concurrency node retention person evidence register index; do
    before=$((pass + fail))
    . "$D/$part.sh"
    echo "cli-test: $part.sh: $((pass + fail - before)) checks"
done

echo "cli-test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
