# member.sh - members (構成機関等), staff, pledges and staff sessions.
# Sourced by tests/cli-test.sh (after lib.sh and the scripts before it).

# -- members (構成機関等)
M=$T/members
expect 0 "member store" -- "$CLI" --store "$M" init --name "北市 協議会" --passphrase-file "$T/pass1" $CHEAP
MP="--passphrase-file $T/pass1"
expect 0 "member add" -- "$CLI" --store "$M" member add --name "北市 福祉課" --kind municipal_department \
    --roles secretariat,coordinating_body --scopes identity,wishes --contact "内線 123" $MP
CB=$(cat "$T/out")
if grep -Eq '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-' "$T/out"; then ok; else bad "member add prints an id"; fi
expect 0 "member add npo" -- "$CLI" --store "$M" member add --name "NPO つながり" --kind npo $MP
NPO=$(cat "$T/out")
expect 1 "second coordinating body" -- "$CLI" --store "$M" member add --name X --kind police --roles coordinating_body $MP
has "$T/err" "coordinating body" "coordinating body message"
expect 2 "member add without kind" -- "$CLI" --store "$M" member add --name X $MP
expect 2 "member add unknown kind" -- "$CLI" --store "$M" member add --name X --kind bakery $MP
expect 2 "member add unknown role" -- "$CLI" --store "$M" member add --name X --kind npo --roles king $MP
expect 1 "member add bad scope" -- "$CLI" --store "$M" member add --name X --kind npo --scopes Health $MP
expect 0 "member list" -- "$CLI" --store "$M" member list $MP
has "$T/out" "北市 福祉課" "list names"
has "$T/out" "CB" "list marks the coordinating body"
expect 0 "member show" -- "$CLI" --store "$M" member show "$CB" $MP
has "$T/out" "scope ceiling:      identity,wishes" "show scopes"
expect 0 "member update" -- "$CLI" --store "$M" member update "$NPO" --contact "代表 000" $MP
expect 0 "member show json" -- "$CLI" --store "$M" member show "$NPO" --json $MP
has "$T/out" '"contact": "代表 000"' "update kept and changed"
has "$T/out" '"name": "NPO つながり"' "update kept the name"
expect 2 "member show bad id" -- "$CLI" --store "$M" member show not-a-uuid $MP
expect 6 "member show unknown id" -- "$CLI" --store "$M" member show 00000000-0000-4000-8000-000000000000 $MP
printf 'member secret\n' >"$T/mpass"
expect 0 "member keygen" -- "$CLI" --store "$M" member keygen "$NPO" --out "$T/npo.key" \
    --member-passphrase-file "$T/mpass" $CHEAP $MP
perm=$(stat -c %a "$T/npo.key"); [ "$perm" = 600 ] && ok || bad "keyfile mode $perm"
cp "$T/npo.key" "$T/npo.key.before"
expect 1 "member keygen over a file" -- "$CLI" --store "$M" member keygen "$NPO" --out "$T/npo.key" \
    --member-passphrase-file "$T/mpass" $CHEAP $MP
cmp -s "$T/npo.key" "$T/npo.key.before" && ok || bad "keygen over a file changed it"
expect 0 "keys unchanged by the refused keygen" -- "$CLI" --store "$M" audit show --action member_key_registered $MP
[ "$(wc -l <"$T/out")" -eq 1 ] && ok || bad "a refused keygen registered keys"
has "$T/out" "member=" "register events name their member"
expect 0 "member show keys" -- "$CLI" --store "$M" member show "$NPO" $MP
has "$T/out" "cosigner key:       libcouncil/member/" "cosigner key shown"
expect 2 "register-key bad hex" -- "$CLI" --store "$M" member register-key "$NPO" --box-key zz --sign-key zz $MP
expect 0 "members announce" -- "$CLI" --store "$M" members announce $MP
has "$T/out" "北市 協議会" "announce council"
has "$T/out" "coordinating body): 北市 福祉課" "announce coordinating body"
hasnot "$T/out" "内線" "announce has no contacts"
expect 0 "member withdraw" -- "$CLI" --store "$M" member withdraw "$NPO" --reason "解散" --date 2026-12-01 --yes $MP
expect 4 "member withdraw twice" -- "$CLI" --store "$M" member withdraw "$NPO" --reason again --yes $MP
expect 4 "update a withdrawn member" -- "$CLI" --store "$M" member update "$NPO" --name Y $MP
expect 0 "withdrawn member still listed" -- "$CLI" --store "$M" member list $MP
has "$T/out" "withdrawn" "listed as withdrawn"
expect 0 "announce without the withdrawn" -- "$CLI" --store "$M" members announce --json $MP
hasnot "$T/out" "つながり" "withdrawn member not announced"
expect 0 "registry changes are audited" -- "$CLI" --store "$M" audit show $MP
has "$T/out" "member_withdrawn" "withdrawal audited"
has "$T/out" "member_key_registered" "key audited"
expect 0 "member add --json" -- "$CLI" --store "$M" member add --name X --kind npo --json $MP
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert list(d) == ["member_id"] and len(d["member_id"]) == 36' "$T/out" 2>/dev/null && ok || bad "member add --json: {\"member_id\": ID}"
expect 2 "unknown member command" -- "$CLI" --store "$M" member frob $MP

# -- staff and secrecy pledges
expect 0 "staff add" -- "$CLI" --store "$M" staff add --member "$CB" --name "相談員 佐藤" --role 相談支援 $MP
ST=$(cat "$T/out")
printf '私は秘密を漏らしません。\n' >"$T/pledge.txt"
expect 0 "staff pledge" -- "$CLI" --store "$M" staff pledge "$ST" --text-version v2024_04 --text-file "$T/pledge.txt" --witness-name 事務局長 $MP
expect 0 "staff list" -- "$CLI" --store "$M" staff list --member "$CB" $MP
has "$T/out" "active   yes" "pledged staff listed"
expect 0 "staff list json" -- "$CLI" --store "$M" staff list --json $MP
has "$T/out" '"text_version": "v2024_04"' "pledge in json"
expect 4 "staff add to withdrawn member" -- "$CLI" --store "$M" staff add --member "$NPO" --name X $MP
expect 2 "staff add without member" -- "$CLI" --store "$M" staff add --name X $MP
expect 1 "staff pledge bad version" -- "$CLI" --store "$M" staff pledge "$ST" --text-version "V 1" --text-file "$T/pledge.txt" $MP
expect 0 "staff retire" -- "$CLI" --store "$M" staff retire "$ST" --reason 人事異動 --yes $MP
expect 4 "pledge after retirement" -- "$CLI" --store "$M" staff pledge "$ST" --text-version v2024_04 --text-file "$T/pledge.txt" $MP
expect 0 "retired staff still listed" -- "$CLI" --store "$M" staff list $MP
has "$T/out" "retired  yes" "former staff kept with pledge"

# -- staff sessions
expect 0 "staff for a session" -- "$CLI" --store "$M" staff add --member "$CB" --name "相談員 高橋" $MP
ST2=$(cat "$T/out")
expect 0 "its pledge" -- "$CLI" --store "$M" staff pledge "$ST2" --text-version v2024_04 --text-file "$T/pledge.txt" $MP
expect 0 "coordinating body keys" -- "$CLI" --store "$M" member keygen "$CB" --out "$T/cb.key" \
    --member-passphrase-file "$T/mpass" $CHEAP $MP
expect 0 "staff session info" -- env COUNCIL_MEMBER_PASSPHRASE="member secret" "$CLI" --store "$M" info --staff "$ST2" --keyfile "$T/cb.key"
has "$T/out" "北市 協議会" "staff session sees the council"
expect 3 "staff session, wrong member passphrase" -- env COUNCIL_MEMBER_PASSPHRASE=nope "$CLI" --store "$M" info --staff "$ST2" --keyfile "$T/cb.key"
has "$T/err" "wrong member passphrase" "member passphrase message"
expect 4 "former staff refused" -- env COUNCIL_MEMBER_PASSPHRASE="member secret" "$CLI" --store "$M" info --staff "$ST" --keyfile "$T/cb.key"
has "$T/err" "former staff" "former staff message"
expect 2 "staff session without keyfile" -- "$CLI" --store "$M" info --staff "$ST2"
expect 0 "refusal is audited" -- "$CLI" --store "$M" audit show --action session_refused $MP
has "$T/out" "reason=retired_staff" "session refusal audited"

