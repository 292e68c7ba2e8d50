"""Referrals (つなぐ): every step, the keys that follow it, and the refusals."""
from __future__ import annotations

import pytest

import council
from council import audit_pb2, referral_pb2

from conftest import World


def _case_for_city(world: World, npo):  # the NPO's case with a situation section
    case = npo.case_create()
    npo.section_write(case.case_id, case.person_id, "situation", {"text": "Lives alone."})
    return case


def test_referral_accept_deliver_complete(world: World) -> None:
    with world.staff("npo") as npo, world.staff("city") as city:
        case = _case_for_city(world, npo)
        assert not world.root.referral_read_while_deciding_get()
        rid = npo.referral_propose(case.case_id, world.city, ["situation"],
                                   basis="appi_27_1_4_public_duty", reason="Public duty",
                                   note="Please call on Tuesday.")
        assert city.referral_get(rid).state == referral_pb2.REFERRAL_PROPOSED
        assert city.referral_note(rid) == "Please call on Tuesday."
        with pytest.raises(council.DeniedError):  # not before acceptance
            city.section_read(case.case_id, case.person_id, "situation", "referral")
        with pytest.raises(council.DeniedError):  # the sender does not accept
            npo.referral_transition(rid, referral_pb2.REFERRAL_ACCEPTED)
        city.referral_transition(rid, referral_pb2.REFERRAL_ACCEPTED)
        with pytest.raises(council.DeniedError):  # the recipient cannot deliver
            city.referral_deliver(rid)
        npo.referral_deliver(rid)
        assert city.section_read(case.case_id, case.person_id, "situation",
                                 "referral").section.text == "Lives alone."
        city.referral_transition(rid, referral_pb2.REFERRAL_COMPLETED,
                                 reason_code="support_started")
        with pytest.raises(council.DeniedError):
            city.section_read(case.case_id, case.person_id, "situation", "referral")
        with pytest.raises(council.InvalidArgumentError):  # from a final state
            city.referral_transition(rid, referral_pb2.REFERRAL_ENDED, reason_code="late")
        r = world.root.referral_get(rid)
        assert [s.state for s in r.steps] == [referral_pb2.REFERRAL_PROPOSED,
                                             referral_pb2.REFERRAL_ACCEPTED,
                                             referral_pb2.REFERRAL_COMPLETED]
        listed = world.root.referral_list(state=referral_pb2.REFERRAL_COMPLETED).referrals
        assert [council.to_uuid(x.id) for x in listed] == [rid]
        assert len(world.root.referral_list(case_id=case.case_id, member_id=world.city)
                   .referrals) == 1
        ev = world.root.audit_list(action=audit_pb2.AUDIT_ACTION_REFERRAL_COMPLETED).events
        assert ev and council.to_uuid(ev[-1].object_id) == rid


def test_referral_decline_while_deciding(world: World) -> None:
    world.root.referral_read_while_deciding_set(True)
    assert world.root.referral_read_while_deciding_get()
    with world.staff("npo") as npo, world.staff("city") as city:
        with pytest.raises(council.DeniedError):
            city.referral_read_while_deciding_set(False)
        case = _case_for_city(world, npo)
        rid = npo.referral_propose(case.case_id, world.city, ["situation"],
                                   basis="appi_27_1_4_public_duty", reason="Public duty")
        assert city.section_read(case.case_id, case.person_id, "situation",
                                 "referral").section.text == "Lives alone."
        city.referral_transition(rid, referral_pb2.REFERRAL_DECLINED, reason_code="no_capacity",
                                 reason_text="No visitor free.")
        with pytest.raises(council.DeniedError):
            city.section_read(case.case_id, case.person_id, "situation", "referral")
        assert npo.referral_note(rid, 1) == "No visitor free."
        npo.referral_deliver(rid)  # the keys rotated
        assert list(npo.referral_get(rid).shared_scopes) == []
        # Withdrawn, the recipient cannot accept.
        rid2 = npo.referral_propose(case.case_id, world.city, ["situation"],
                                    basis="appi_27_1_4_public_duty", reason="Public duty")
        npo.referral_transition(rid2, referral_pb2.REFERRAL_WITHDRAWN)
        with pytest.raises(council.InvalidArgumentError):
            city.referral_transition(rid2, referral_pb2.REFERRAL_ACCEPTED)


def test_referral_refusals(world: World) -> None:
    with world.staff("npo") as npo, world.staff("city") as city:
        case = _case_for_city(world, npo)
        with pytest.raises(council.DeniedError):  # outside the city's ceiling
            npo.referral_propose(case.case_id, world.city, ["identity"],
                                 basis="appi_27_1_4_public_duty", reason="Public duty")
        with pytest.raises(council.DeniedError):  # not the owner
            city.referral_propose(case.case_id, world.npo, ["situation"],
                                  basis="appi_27_1_4_public_duty", reason="Public duty")
        with pytest.raises(council.NoConsentError):
            npo.referral_propose(case.case_id, world.city, ["situation"], basis="consent",
                                 consent_id=council.to_uuid(bytes(16)))
