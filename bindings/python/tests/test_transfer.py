"""Cases that move (case_transfer, member_cases, member_withdraw_ex) and anonymous intake
with person merges (case_create(anonymous=True), person_merge)."""
from __future__ import annotations

import uuid

import pytest

import council
from council import case_pb2

from conftest import World

DUTY = dict(basis="appi_27_1_4_public_duty", reason="Handover between members")


def test_transfer(world: World) -> None:
    with world.staff("npo") as npo:
        case = npo.case_create()
        npo.section_write(case.case_id, case.person_id, "wishes", {"text": "company"})
        with pytest.raises(council.DeniedError):
            npo.case_transfer(case.case_id, world.city, **DUTY)  # staff of a member
    r = world.root
    assert [council.to_uuid(c.id) for c in r.member_cases(world.npo).cases] == [case.case_id]
    with pytest.raises(council.NoConsentError):
        r.case_transfer(case.case_id, world.city, basis="council_art16_exchange",
                        reason="Not accepted by the default policy")
    with pytest.raises(council.InvalidArgumentError):
        r.case_transfer(case.case_id, world.npo, **DUTY)  # the owner itself
    with pytest.raises(council.NotFoundError):
        r.case_transfer(case.case_id, uuid.uuid4(), **DUTY)
    r.case_transfer(case.case_id, world.city, **DUTY)
    assert council.to_uuid(r.case_get(case.case_id).owner_member) == world.city
    assert len(r.member_cases(world.npo).cases) == 0
    with world.staff("city") as city:
        assert city.section_read(case.case_id, case.person_id, "wishes",
                                 "support_coordination").section.text == "company"
        with pytest.raises(council.DeniedError):
            city.member_cases(world.npo)  # another member's cases
    with world.staff("npo") as npo:
        with pytest.raises(council.DeniedError):
            npo.section_read(case.case_id, case.person_id, "wishes", "support_coordination")
    # The city leaves; with no coordinating body's member on the register the case stays
    # in the coordinating body's keeping, listed.
    r.member_withdraw_ex(world.city, "Term ended")
    assert [council.to_uuid(c.id) for c in r.member_cases(world.city).cases] == [case.case_id]
    # The secretariat moves it on; never back to the withdrawn member.
    r.case_transfer(case.case_id, world.npo, **DUTY)
    with world.staff("npo") as npo:
        assert npo.section_read(case.case_id, case.person_id, "wishes",
                                "support_coordination").section.text == "company"
    with pytest.raises(council.DeniedError):
        r.case_transfer(case.case_id, world.city, **DUTY)  # to a withdrawn member


def test_withdraw_to_a_member(world: World) -> None:
    r = world.root
    case = r.case_create(owner=world.city)
    with pytest.raises(council.InvalidArgumentError):
        r.member_withdraw_ex(world.city, "Term ended", cases_to=world.city)
    r.member_withdraw_ex(world.city, "Term ended", cases_to=world.npo)
    assert council.to_uuid(r.case_get(case.case_id).owner_member) == world.npo


def test_anonymous_merge(world: World) -> None:
    with world.staff("npo") as npo:
        case = npo.case_create(anonymous=True)
        info = npo.case_get(case.case_id)
        assert [p.anonymous for p in info.persons] == [True]
        npo.section_write(case.case_id, case.person_id, "identity",
                          {"identity": {"name": "Chat contact"}})
        assert len(world.root.case_find("Chat contact").matches) == 0
        named = npo.case_add_person(case.case_id, case_pb2.PERSON_ROLE_FAMILY)
        npo.section_write(case.case_id, named, "identity", {"identity": {"name": "Taro Yamada"}})
        with world.staff("city") as city:
            with pytest.raises(council.DeniedError):
                city.person_merge(case.case_id, case.person_id, named)
        with pytest.raises(council.NotFoundError):
            npo.person_merge(case.case_id, case.person_id, uuid.uuid4())
        with pytest.raises(council.InvalidArgumentError):
            npo.person_merge(case.case_id, named, named)
        npo.person_merge(case.case_id, case.person_id, named)
        with pytest.raises(council.ExistsError):
            npo.person_merge(case.case_id, case.person_id, named)
        persons = npo.case_get(case.case_id).persons
        assert not persons[0].anonymous and council.to_uuid(persons[1].merged_into) == case.person_id
        hits = world.root.case_find("Taro Yamada").matches
        assert [council.to_uuid(m.person_id) for m in hits] == [case.person_id]
