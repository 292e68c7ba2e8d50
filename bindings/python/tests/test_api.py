"""The rest of the API, each wrapper called against a real council at least once."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid

import pytest

import council
from council import Council, audit_pb2, case_pb2, consent_pb2, member_pb2

from conftest import PASS, WEAK, World

UTC = dt.timezone.utc


def test_root_session_declares_its_reason(world: World) -> None:
    with Council.open(world.path, passphrase=PASS, root_reason="recovery",
                      root_reason_text="Secretariat staff locked out") as c:
        assert council.Powers.ROOT_KEY in c.powers()
    uses = world.root.root_uses().uses
    assert [u.reason for u in uses][-1] == "recovery"
    assert uses[-1].note == "Secretariat staff locked out"


def test_root_key_council_and_rekeys(tmp_path) -> None:
    key = bytearray(os.urandom(council.ROOT_KEY_BYTES))
    path = os.path.join(str(tmp_path), "c")
    key2 = bytearray(os.urandom(council.ROOT_KEY_BYTES))
    with Council.create(path, "Root key council", root_key=key) as c:
        c.rekey_database()
        c.rekey_root(new_root_key=key2)
    with pytest.raises(council.AuthError):
        Council.open(path, root_key=key)
    with Council.open(path, root_key=key2, root_reason="key_management",
                      root_reason_text="check the new root key") as c:
        assert c.root_uses().uses[-1].reason == "key_management"
    council.wipe(key)
    council.wipe(key2)


def test_passphrase_change(world: World) -> None:
    with Council.open(world.path, passphrase=PASS, root_reason="key_management",
                      root_reason_text="yearly change") as c:
        c.passphrase_change(PASS, b"and another one", **WEAK)
        c.rekey_root(new_passphrase=b"a third one", **WEAK)
    with pytest.raises(council.AuthError):
        Council.open(world.path, passphrase=b"and another one")
    Council.open(world.path, passphrase=b"a third one").close()


def test_members(world: World, tmp_path) -> None:
    r = world.root
    r.member_update(world.city, "Example City welfare dept.",
                    member_pb2.MEMBER_KIND_MUNICIPAL_DEPARTMENT, roles=council.Role.SECRETARIAT,
                    scopes=["situation", "wishes"], contact="welfare@example.jp")
    m = r.member_get(world.city)
    assert m.name == "Example City welfare dept." and m.secretariat and m.contact
    ann = r.members_announce()
    assert ann.council_name == "Example City council" and len(ann.members) == 2
    kf = os.path.join(str(tmp_path), "npo.key")
    r.member_keygen_file(kf, world.npo, b"new npo pass", **WEAK)
    assert os.stat(kf).st_mode & 0o077 == 0
    with Council.open(world.path, staff_id=world.npo_staff, keyfile=open(kf, "rb").read(),
                      passphrase=b"new npo pass") as s:
        assert s.info().name
    # The city's staff now act as the secretariat.
    with world.staff("city") as s:
        assert council.Powers.SECRETARIAT in s.powers()
    when = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    r.staff_retire(world.npo_staff, "left_the_member")
    assert r.staff_list(world.npo).staff[0].status == member_pb2.STAFF_STATUS_RETIRED
    r.member_withdraw(world.npo, "left_the_council")
    m = r.member_get(world.npo)
    assert m.status == member_pb2.MEMBER_STATUS_WITHDRAWN
    assert when.tzinfo is not None


def test_scopes_policy_timezone(world: World) -> None:
    r = world.root
    r.scope_add("housing")
    assert "housing" in [s.code for s in r.scope_list().scopes]
    r.scope_remove("housing")
    assert "housing" not in [s.code for s in r.scope_list().scopes]
    r.timezone_set("Asia/Tokyo")
    assert r.timezone_get() == "Asia/Tokyo"
    r.policy_set(["consent"], vital_second_approver=False)
    p = r.policy_get()
    assert list(p.accepted_bases) == ["consent"] and not p.vital_second_approver


def test_cases(world: World) -> None:
    with world.staff("npo") as npo:
        case = npo.case_create()
        fam = npo.case_add_person(case.case_id, case_pb2.PERSON_ROLE_FAMILY)
        npo.section_write(case.case_id, fam, "situation", {"text": "The daughter visits."})
        npo.section_write(case.case_id, case.person_id, "wishes",
                          case_pb2.Section(wishes=case_pb2.Wishes(wants=["company"])))
        npo.case_set_status(case.case_id, case_pb2.CASE_STATUS_MONITORING)
        info = npo.case_get(case.case_id)
        assert info.status == case_pb2.CASE_STATUS_MONITORING and len(info.persons) == 2
        content = npo.case_read(case.case_id, "support_coordination")
        assert {s.scope for s in content.sections} == {"situation", "wishes"}
        assert [council.to_uuid(c.id) for c in npo.case_list().cases] == [case.case_id]
        npo.case_share(case.case_id, world.city, ["wishes"], purpose="referral",
                       basis="appi_27_1_4_public_duty", reason="Public duty",
                       expires=dt.datetime.now(UTC) + dt.timedelta(days=30))
        with world.staff("city") as city:
            assert city.section_read(case.case_id, case.person_id, "wishes",
                                     "referral").section.wishes.wants == ["company"]
            npo.case_revoke(case.case_id, world.city, "support_ended", scopes=["wishes"])
            with pytest.raises(council.DeniedError):
                city.section_read(case.case_id, case.person_id, "wishes", "referral")
        world.root.case_rekey(case.case_id)
        # Consent refusals are records too.
        rid = npo.consent_refuse(case.case_id, case.person_id, scopes=["situation"],
                                 purposes=["referral"], method=consent_pb2.CONSENT_METHOD_ORAL,
                                 recipient_members=[world.city])
        recs = npo.consent_list(case.case_id).records
        assert [council.to_uuid(r.id) for r in recs] == [rid] and recs[0].refusal
        world.root.case_erase(case.case_id, "retention_ended")
        assert world.root.case_get(case.case_id).status == case_pb2.CASE_STATUS_ERASED


def test_audit_log(world: World) -> None:
    r = world.root
    vkey = r.info().log_verifier_key
    first = r.audit_checkpoint()
    ev = r.audit_list(limit=5)
    assert len(ev.events) == 5 and ev.next_seq == 5
    assert r.audit_list(actor_member=world.npo).events is not None
    assert r.audit_list(action=audit_pb2.AUDIT_ACTION_MEMBER_ADDED,
                        since=dt.datetime(2020, 1, 1, tzinfo=UTC)).events
    n1 = int(first.split("\n")[1])
    r.scope_add("housing")
    second = r.audit_checkpoint()
    n2 = int(second.split("\n")[1])
    assert n2 > n1
    inc = r.audit_prove_inclusion(1, n2)
    assert council.audit_verify_proof(inc, second, vkey).ok
    cons = r.audit_prove_consistency(n1, n2)
    assert council.audit_verify_proof(cons, second, vkey, known_checkpoint=first).ok
    # A witness cosigns; the council stores the cosignature; verifiers count it.
    sk, wvkey = council.witness_keygen("witness.example")
    cosigned = council.audit_witness(first, second, cons, vkey, "witness.example", sk,
                                     dt.datetime.now(UTC))
    council.wipe(sk)
    r.audit_add_cosignatures(cosigned)
    rep = council.audit_verify_checkpoint(cosigned, vkey, witness_vkeys=[wvkey], required=1)
    assert rep.cosignatures == 1
    with pytest.raises(council.TamperError) as e:
        council.audit_verify_checkpoint(second, vkey, witness_vkeys=[wvkey], required=1)
    assert e.value.report is not None and not e.value.report.ok
    with pytest.raises(council.InvalidArgumentError):
        r.audit_head_reset("not a code")
    r.audit_head_reset("restored_from_backup")
    with world.staff("npo") as s:
        with pytest.raises(council.DeniedError):
            s.audit_head_reset("restored_from_backup")


def test_merkle() -> None:
    a, b = council.merkle_leaf_hash(b"a"), council.merkle_leaf_hash(b"b")
    assert a == hashlib.sha256(b"\0a").digest()
    root = hashlib.sha256(b"\1" + a + b).digest()
    council.merkle_verify_inclusion(0, 2, a, b, root)
    with pytest.raises(council.TamperError):
        council.merkle_verify_inclusion(1, 2, a, b, root)
    council.merkle_verify_consistency(1, 2, a, root, b)
    with pytest.raises(council.TamperError):
        council.merkle_verify_consistency(1, 2, b, root, b)


def test_ids_and_times() -> None:
    u = uuid.uuid4()
    assert council.to_uuid(u.bytes) == u
    t = council.to_datetime(0)
    assert t == dt.datetime(1970, 1, 1, tzinfo=UTC)
    with pytest.raises(council.InvalidArgumentError):
        council.to_uuid(b"short")


def test_uuid_helpers_match_the_library() -> None:
    """council_uuid_parse / _format (issue 13's C kit), wrapped: a round trip,
    upper case accepted, anything else refused with InvalidArgumentError."""
    import uuid as _uuid

    u = _uuid.uuid4()
    assert council.uuid_format(u) == str(u)
    assert council.uuid_parse(str(u).upper()) == u
    for bad in ("", "not-a-uuid", str(u)[:-1], str(u).replace("-", ""), str(u) + "0"):
        with pytest.raises(council.InvalidArgumentError):
            council.uuid_parse(bad)
    assert council.protobuf_allocator_address() != 0


def test_uuid_parse_refuses_what_c_would_not_see() -> None:
    """A NUL inside the text would end the C string early: "<uuid>\\0junk" must be
    refused like "<uuid>junk", not read as the UUID before the NUL."""
    u = uuid.uuid4()
    for bad in (str(u) + "\0", str(u) + "\0junk", str(u)[:8] + "\0" + str(u)[9:]):
        with pytest.raises(council.InvalidArgumentError):
            council.uuid_parse(bad)
    with pytest.raises(TypeError):
        council.uuid_parse(u)  # type: ignore[arg-type]


def test_memoryview_lengths_are_bytes() -> None:
    """A memoryview of wider items passes all its bytes, not its item count."""
    data = bytes(range(8))
    wide = memoryview(bytearray(data)).cast("I")
    assert len(wide) == 2
    assert council.merkle_leaf_hash(wide) == council.merkle_leaf_hash(data)


def test_paths_with_nul_are_refused(tmp_path) -> None:
    """A NUL in a path would cut it short in C (``a\\0b`` opening ``a``): refused."""
    bad = str(tmp_path / "store") + "\0elsewhere"
    with pytest.raises(council.InvalidArgumentError):
        Council.create(bad, "x", passphrase=PASS, **WEAK)
    assert not (tmp_path / "store").exists()
    with pytest.raises(council.InvalidArgumentError):
        council.store_id(bad)
    with pytest.raises(council.InvalidArgumentError):
        council.audit_verify_export(bad, "vkey")


def test_paths_are_filesystem_encoded(tmp_path) -> None:
    """A str path holding undecodable bytes (surrogateescape, as os.listdir gives them)
    reaches the file system as those bytes, as os.fsencode does."""
    name = os.fsdecode(b"store-\xff")
    with Council.create(str(tmp_path / name), "x", passphrase=PASS, **WEAK) as c:
        assert c.path.endswith(name)
        cid = uuid.UUID(bytes=c.info().council_id)
    assert os.listdir(os.fsencode(str(tmp_path))) == [b"store-\xff"]
    assert council.store_id(str(tmp_path / name)) == cid


def test_times_round_down_and_the_epoch_is_refused() -> None:
    """A time is whole seconds rounded down; 0 is the library's 'now' or
    'none', so a time at or before the epoch is refused, never taken as that."""
    from council import _util

    utc = dt.timezone.utc
    assert _util.unix(dt.datetime(2026, 12, 6, 0, 0, 0, 900000, tzinfo=utc)) == 1796515200
    with pytest.raises(council.InvalidArgumentError):
        _util.unix(dt.datetime(1970, 1, 1, tzinfo=utc))
    with pytest.raises(council.InvalidArgumentError):
        _util.unix(dt.datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=utc))
    with pytest.raises(council.InvalidArgumentError):
        _util.unix(dt.datetime(2026, 12, 6))  # naive


def test_report_platform_period(world: World) -> None:
    r = world.root
    for _ in range(3):
        r.case_create(owner=world.npo)
    now = dt.datetime.now(UTC)
    tokyo = dt.timezone(dt.timedelta(hours=9))
    fy = now.astimezone(tokyo).year - (1 if now.astimezone(tokyo).month < 4 else 0)
    rep = json.loads(r.report_platform_period(fiscal_year=fy, k=3))
    # April 1 00:00 in Tokyo (the default zone) is March 31 15:00 UTC
    assert rep["period"] == {"from": int(dt.datetime(fy, 3, 31, 15, tzinfo=UTC).timestamp()),
                             "to": int(dt.datetime(fy + 1, 3, 31, 15, tzinfo=UTC).timestamp()),
                             "time_zone": "Asia/Tokyo", "fiscal_year": fy}
    months = rep["tables"][2]
    assert months["rows"][0] == "%d-04" % fy and len(months["rows"]) == 12
    assert months["total"] == 3
    # issue 16: a period overlapping the fiscal year issued above is refused
    # (the two could be subtracted) unless an override code is given
    with pytest.raises(council.DeniedError):
        r.report_platform_period(start=now - dt.timedelta(days=1), end=now + dt.timedelta(days=1))
    rep = json.loads(r.report_platform_period(start=now - dt.timedelta(days=1),
                                              end=now + dt.timedelta(days=1), k=3,
                                              overlap_reason="test_rerun"))
    assert rep["tables"][2]["total"] == 3
    # five years of Tokyo months (in UTC the end would reach into January 2025, 09:00 JST)
    rep = json.loads(r.report_platform_period(start=dt.datetime(2020, 1, 1, tzinfo=tokyo),
                                              end=dt.datetime(2025, 1, 1, tzinfo=tokyo), k=3))
    assert len(rep["tables"][2]["rows"]) == 60 and rep["tables"][2]["total"] == 0
    rep = json.loads(r.report_platform_period(start=dt.datetime(2020, 1, 1, tzinfo=tokyo),
                                              end=dt.datetime(2025, 1, 1, tzinfo=UTC), k=3,
                                              overlap_reason="test_rerun"))
    assert rep["tables"][2]["rows"][-1] == "2025-01"
    # all time is report_platform, byte for byte
    assert r.report_platform_period(format="csv") == r.report_platform(format="csv")
    with pytest.raises(council.InvalidArgumentError):
        r.report_platform_period(start=now, end=now)
    with pytest.raises(council.InvalidArgumentError):
        r.report_platform_period(start=now, end=now + dt.timedelta(days=1), fiscal_year=fy)
    with pytest.raises(council.InvalidArgumentError):
        r.report_platform_period(fiscal_year=1969)
    with pytest.raises(ValueError):
        r.report_platform_period(start=now)
    with world.staff("npo") as npo:
        with pytest.raises(council.DeniedError):
            npo.report_platform_period(fiscal_year=fy)
