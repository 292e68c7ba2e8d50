# policy.sh - the council's disclosure policy: policy show, policy set.
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it); it
# puts the defaults back at the end.

expect 0 "policy show (defaults)" -- "$CLI" --store "$C" policy show $CP
has "$T/out" "^accepted bases:         consent,appi_27_1_1_law,appi_27_1_2_vital,appi_27_1_3_public_health_child,appi_27_1_4_public_duty\$" "default bases"
has "$T/out" "^vital second approver:  on\$" "vital second approver on"
has "$T/out" "^cross-body use:         off\$" "cross-body use off"
expect 0 "policy show --json, staff session" -- "$CLI" --store "$C" policy show --json $NS
[ "$(jcount "$T/out" 'd["vital_second_approver"], d["cross_body_use"], "council_art16_exchange" in d["accepted_bases"]')" = "(True, False, False)" ] \
    && ok || bad "policy json: $(cat "$T/out")"
expect 4 "policy set by a member's staff" -- "$CLI" --store "$C" policy set --cross-body-use on $NS
expect 2 "policy set with nothing to set" -- "$CLI" --store "$C" policy set $CP
has "$T/err" "policy set needs" "policy set names what it needs"
expect 2 "policy set, bad flag" -- "$CLI" --store "$C" policy set --cross-body-use maybe $CP
expect 1 "policy set without consent" -- "$CLI" --store "$C" policy set --basis appi_27_1_1_law $CP
expect 1 "policy set, unknown basis" -- "$CLI" --store "$C" policy set --basis consent --basis no_such_basis $CP
expect 0 "policy set: art16 on, cross-body use on" -- "$CLI" --store "$C" policy set --basis consent \
    --basis appi_27_1_4_public_duty --basis council_art16_exchange --cross-body-use on --json $CP
[ "$(jcount "$T/out" 'd["accepted_bases"], d["vital_second_approver"], d["cross_body_use"]')" = "(['consent', 'appi_27_1_4_public_duty', 'council_art16_exchange'], True, True)" ] \
    && ok || bad "policy set json: $(cat "$T/out")"
expect 0 "policy set keeps what is not given" -- "$CLI" --store "$C" policy set --vital-second-approver off $CP
has "$T/out" "^accepted bases:         consent,appi_27_1_4_public_duty,council_art16_exchange\$" "bases kept"
has "$T/out" "^cross-body use:         on\$" "cross-body use kept"
expect 0 "policy changes are logged" -- "$CLI" --store "$C" audit show --action policy_changed $CP
[ "$(grep -c policy_changed "$T/out")" -ge 2 ] && ok || bad "policy_changed events: $(cat "$T/out")"
expect 0 "policy back to the defaults" -- "$CLI" --store "$C" policy set --basis consent --basis appi_27_1_1_law \
    --basis appi_27_1_2_vital --basis appi_27_1_3_public_health_child --basis appi_27_1_4_public_duty \
    --vital-second-approver on --cross-body-use off $CP
