"""The person's file and the case's pseudonym (issue 16): what the file holds, who may
produce it, the pseudonym both ways, each refusal with its error."""
from __future__ import annotations

import pytest

import council
from council import Council, audit_pb2, case_pb2, member_pb2

from conftest import PLEDGE, WEAK, World

BASIS = "appi_27_1_4_public_duty"


def _secretariat(world: World) -> Council:
    sec = world.root.member_add("Example City secretariat",
                                member_pb2.MEMBER_KIND_MUNICIPAL_DEPARTMENT,
                                roles=council.Role.SECRETARIAT,
                                scopes=["identity", "situation", "wishes", "support_plan"])
    kf = world.root.member_keygen(sec, b"sec pass", **WEAK)
    st = world.root.staff_add(sec, "Secretariat officer")
    world.root.staff_pledge(st, "v2024_04", PLEDGE)
    return Council.open(world.path, staff_id=st, keyfile=kf, passphrase=b"sec pass")


def test_person_report(world: World) -> None:
    npo = world.staff("npo")
    try:
        case = npo.case_create()
        npo.section_write(case.case_id, case.person_id, "identity",
                          {"identity": {"name": "Hanako Example"}})
        fam = npo.case_add_person(case.case_id, case_pb2.PERSON_ROLE_FAMILY)
        npo.section_write(case.case_id, fam, "identity", {"identity": {"name": "Family Secret"}})
        npo.section_write(case.case_id, case.person_id, "situation", {"text": "living alone"})
        npo.case_share(case.case_id, world.city, ["situation"], purpose="support_coordination",
                       basis=BASIS, reason="to coordinate support")
        with pytest.raises(council.DeniedError):  # another member's staff
            council.person_report(npo, case.case_id)
        with pytest.raises(council.DeniedError):
            council.case_pseudonym(npo, case.case_id)
    finally:
        npo.close()
    city = world.staff("city")
    try:
        city.section_read(case.case_id, case.person_id, "situation", "support_coordination")
    finally:
        city.close()
    with pytest.raises(council.DeniedError):  # the council passphrase is no named person
        council.person_report(world.root, case.case_id)
    sec = _secretariat(world)
    try:
        rep = council.person_report(sec, case.case_id)
        assert rep["format"] == "council.person_report.v1"
        assert rep["person"]["id"] == str(case.person_id)
        text = repr(rep)
        assert "Hanako Example" in text and "living alone" in text
        assert "Family Secret" not in text and str(fam) not in text
        ref = council.case_pseudonym(sec, case.case_id)
        assert rep["case"]["pseudonym"] == ref.hex()
        reads = {e.seq for e in world.root.audit_list(case_ref=ref).events
                 if e.action in (audit_pb2.AUDIT_ACTION_CASE_READ,
                                 audit_pb2.AUDIT_ACTION_SECTION_DECRYPTED)
                 and e.outcome == audit_pb2.AUDIT_OUTCOME_ALLOWED}
        assert reads and reads <= {r["seq"] for r in rep["reads"]}
        assert any(d["action"] == "share_granted" and d["recipient"] == str(world.city)
                   for d in rep["disclosures"])
        ev = world.root.audit_list(from_seq=rep["produced"]["event_seq"], limit=1).events[0]
        assert ev.action == audit_pb2.AUDIT_ACTION_PERSON_REPORT_PRODUCED
        # the family member's own file
        frep = council.person_report(sec, case.case_id, person_id=fam)
        assert "Family Secret" in repr(frep) and "Hanako Example" not in repr(frep)
        # the pseudonym back
        assert council.case_by_pseudonym(sec, ref) == case.case_id
        with pytest.raises(council.NotFoundError):
            council.case_by_pseudonym(sec, bytes(32))
        with pytest.raises(council.InvalidArgumentError):
            council.case_by_pseudonym(sec, b"short")
        with pytest.raises(council.NotFoundError):
            council.person_report(sec, world.npo)  # not a case
        with pytest.raises(council.NotFoundError):
            council.person_report(sec, case.case_id, person_id=world.npo)
    finally:
        sec.close()
