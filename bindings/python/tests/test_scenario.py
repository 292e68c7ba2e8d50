"""A whole council, as the issue lists it: create, members, staff with pledges, consent, a
case, a share, the recipient's read, another member's refused read, a withdrawal ending the
read, a meeting packet, the platform report, and the audit export verified (and a tampered
copy refused)."""
from __future__ import annotations

import datetime as dt
import json
import os
import uuid

import pytest

import council
from council import Council, case_pb2, consent_pb2, meeting_pb2, member_pb2

from conftest import PASS, WEAK, World


def test_whole_council(world: World, tmp_path) -> None:
    root = world.root
    assert root.powers() == council.Powers.ROOT_KEY | council.Powers.SECRETARIAT | \
        council.Powers.COORDINATOR
    info = root.info()
    assert info.name == "Example City council"
    assert council.to_uuid(info.council_id) == council.store_id(world.path)

    # Members and staff with pledges.
    members = root.member_list().members
    assert [m.name for m in members] == ["NPO Yorisoi", "Example City welfare department"]
    assert council.to_uuid(members[0].id) == world.npo
    assert members[0].kind == member_pb2.MEMBER_KIND_NPO
    assert council.to_datetime(members[0].joined).tzinfo is not None
    staff = root.staff_list(world.city).staff
    assert len(staff) == 1 and staff[0].pledges[0].witness == "Section chief"
    assert council.to_uuid(staff[0].id) == world.city_staff

    # A third member, keyed outside the store: registered public keys, raw-key session.
    keys = council.member_keypair()
    school = root.member_add("Example Junior High School", member_pb2.MEMBER_KIND_SCHOOL,
                             scopes=["situation"])
    root.member_register_key(school, keys.box_public_key, keys.sign_public_key)
    school_staff = root.staff_add(school, "School counsellor")
    root.staff_pledge(school_staff, "v2024_04", "I keep secret.")
    assert root.member_get(school).box_public_key == keys.box_public_key

    with world.staff("npo") as npo, world.staff("city") as city, \
            Council.open(world.path, staff_id=school_staff, member_id=school,
                         member_box_key=keys.box_secret_key,
                         member_sign_key=keys.sign_seed) as sch:
        assert npo.powers() == council.Powers.NONE

        # The NPO opens a case and writes sections (a message and a dict).
        case = npo.case_create(body=case_pb2.CASE_BODY_COUNCIL)
        assert isinstance(case.case_id, uuid.UUID)
        v = npo.section_write(case.case_id, case.person_id, "identity",
                              {"identity": {"name": "Yamada Taro", "birthDate": "1950-04-01"}})
        assert v == 1
        npo.section_write(case.case_id, case.person_id, "situation",
                          case_pb2.Section(text="Lives alone. Rarely goes out."))
        assert npo.section_write(case.case_id, case.person_id, "situation",
                                 case_pb2.Section(text="Lives alone. Goes out weekly.")) == 2

        # Consent, the dry run, the share.
        cid = npo.consent_record(case.case_id, case.person_id, scopes=["situation"],
                                 purposes=["support_coordination"],
                                 method=consent_pb2.CONSENT_METHOD_WRITTEN,
                                 recipient_members=[world.city])
        rec = npo.consent_get(cid)
        assert rec.status == consent_pb2.CONSENT_STATUS_ACTIVE
        assert [council.to_uuid(r) for r in rec.recipient_members] == [world.city]
        d = npo.case_share_check(case.case_id, world.city, ["situation"],
                                 purpose="support_coordination", basis="consent", consent_id=cid)
        assert d == council.ShareDecision(True, "consent_covers", 0)
        npo.case_share(case.case_id, world.city, ["situation"], purpose="support_coordination",
                       basis="consent", consent_id=cid)

        # The recipient reads; another member and another scope are refused.
        r = city.section_read(case.case_id, case.person_id, "situation", "support_coordination")
        assert r.section.text == "Lives alone. Goes out weekly." and r.version == 2
        assert council.to_uuid(r.writer_staff) == world.npo_staff
        assert len(city.section_history(case.case_id, case.person_id, "situation",
                                        "support_coordination").records) == 2
        with pytest.raises(council.DeniedError):
            city.section_read(case.case_id, case.person_id, "identity", "support_coordination")
        with pytest.raises(council.DeniedError) as e:
            sch.section_read(case.case_id, case.person_id, "situation", "support_coordination")
        assert e.value.code == -6 and "Lives alone" not in str(e.value)

        # Anyone may ask whether a person is known.
        found = city.case_find("YAMADA  taro", "1950-04-01").matches
        assert [council.to_uuid(m.case_id) for m in found] == [case.case_id]
        assert found[0].birth_date_matches

        # Withdrawal of the consent ends the read.
        npo.consent_withdraw(cid, "the person asked to stop")
        assert npo.consent_get(cid).status == consent_pb2.CONSENT_STATUS_WITHDRAWN
        with pytest.raises(council.DeniedError):
            city.section_read(case.case_id, case.person_id, "situation", "support_coordination")
        shares = npo.case_get(case.case_id).shares
        assert shares and all(s.HasField("revoked") for s in shares)

        # A meeting: the school attends; its packet opens with its own key only.
        root.policy_set(["consent", "appi_27_1_4_public_duty", "council_art16_exchange"])
        assert "council_art16_exchange" in root.policy_get().accepted_bases
        now = dt.datetime.now(dt.timezone.utc)
        mid = root.meeting_create(meeting_pb2.MEETING_BODY_COUNCIL, now,
                                  now + dt.timedelta(hours=2), [school, world.npo])
        root.meeting_add_case(mid, case.case_id, school, ["situation"],
                              purpose="support_coordination", basis="council_art16_exchange",
                              reason="Support meeting on the person's isolation")
        meeting = root.meeting_get(mid)
        assert len(meeting.items) == 1 and council.to_uuid(meeting.items[0].attendee) == school
        sealed = root.meeting_packet(mid, school)
        packet = council.open_meeting_packet(sealed, keys.box_secret_key)
        assert council.to_uuid(packet.attendee) == school
        assert packet.cases[0].sections[0].section.text == "Lives alone. Goes out weekly."
        with pytest.raises(council.AuthError):
            council.open_meeting_packet(sealed, bytearray(32))
        assert sch.section_read(case.case_id, case.person_id, "situation",
                                "meeting_discussion").version == 2
        root.meeting_close(mid)
        with pytest.raises(council.DeniedError):
            sch.section_read(case.case_id, case.person_id, "situation", "meeting_discussion")
    council.wipe(keys.box_secret_key)
    council.wipe(keys.sign_seed)
    assert keys.box_secret_key == bytearray(32)

    # The platform report: aggregate counts only.
    report = json.loads(root.report_platform(format="json"))
    assert report["report"] == "platform"
    assert root.report_platform(format="csv")

    # The audit log, exported and verified; a tampered copy is refused.
    export = os.path.join(str(tmp_path), "audit.cax")
    root.audit_export(export)
    rep = council.audit_verify_export(export, info.log_verifier_key)
    assert rep.ok and rep.events >= 30 and rep.first_bad_event == -1
    raw = bytearray(open(export, "rb").read())
    raw[len(raw) // 2] ^= 0x01
    bad = export + ".tampered"
    with open(bad, "wb") as f:
        f.write(raw)
    with pytest.raises((council.TamperError, council.FormatError)) as e:
        council.audit_verify_export(bad, info.log_verifier_key)
    assert e.value.report is None or not e.value.report.ok
