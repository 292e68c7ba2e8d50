"""Meetings that decide (issue 14 item 4): minutes and decisions sealed to the
attendees entitled to them, joint operation with the support meeting."""
from __future__ import annotations

import datetime as dt

import pytest

import council
from council import case_pb2, meeting_pb2

from conftest import World

UTC = dt.timezone.utc


def test_minutes_decisions_and_bodies(world: World) -> None:
    root = world.root
    now = dt.datetime.now(UTC)
    with world.staff("npo") as npo:
        case = npo.case_create()
        npo.section_write(case.case_id, case.person_id, "situation", {"text": "Lives alone."})
        support_case = npo.case_create(body=case_pb2.CASE_BODY_SUPPORT_MEETING)
        # The council in the first hour, the support meeting in the second.
        mid = root.meeting_create(
            meeting_pb2.MEETING_BODY_COUNCIL, now, now + dt.timedelta(hours=2), [world.city],
            slots=[(meeting_pb2.MEETING_BODY_COUNCIL, now, now + dt.timedelta(hours=1)),
                   (meeting_pb2.MEETING_BODY_SUPPORT_MEETING, now + dt.timedelta(hours=1),
                    now + dt.timedelta(hours=2))])
        assert [s.body for s in root.meeting_get(mid).slots] == [
            meeting_pb2.MEETING_BODY_COUNCIL, meeting_pb2.MEETING_BODY_SUPPORT_MEETING]
        root.meeting_add_item(mid, case.case_id, world.city, ["situation"],
                              purpose="meeting_discussion", basis="appi_27_1_4_public_duty",
                              reason="Council meeting", body=meeting_pb2.MEETING_BODY_COUNCIL)
        # A support meeting's case under the council: cross-body, refused.
        with pytest.raises(council.NoConsentError):
            root.meeting_add_item(mid, support_case.case_id, world.city, ["situation"],
                                  purpose="meeting_discussion",
                                  basis="appi_27_1_4_public_duty", reason="Council meeting",
                                  body=meeting_pb2.MEETING_BODY_COUNCIL)
        # Minutes and decisions: the secretariat's only.
        with pytest.raises(council.DeniedError):
            npo.meeting_minutes(mid, "Minutes")
        root.meeting_minutes(mid, "Attending: the city\nOne case.")
        d1 = root.meeting_decide(mid, "The city visits next week.", case_id=case.case_id)
        d2 = root.meeting_decide(mid, "Next meeting in a month.")
        rec = root.meeting_record(mid)
        assert rec.minutes == "Attending: the city\nOne case."
        assert {council.to_uuid(d.id) for d in rec.decisions} == {d1, d2}
    with world.staff("city") as city:
        d = city.meeting_decision_read(d1)
        assert d.text == "The city visits next week."
        assert council.to_uuid(d.case_id) == case.case_id
        assert len(city.meeting_record(mid).decisions) == 2
    # The npo does not attend: not its record.
    with world.staff("npo") as npo:
        with pytest.raises(council.DeniedError):
            npo.meeting_record(mid)
        with pytest.raises(council.DeniedError):
            npo.meeting_decision_read(d1)
    # Cross-body use where the policy allows it.
    root.policy_set(["consent", "appi_27_1_4_public_duty"], cross_body_use=True)
    assert root.policy_get().cross_body_use
    root.meeting_add_item(mid, support_case.case_id, world.city, ["situation"],
                          purpose="meeting_discussion", basis="appi_27_1_4_public_duty",
                          reason="Council meeting")
    root.meeting_close(mid)
    with pytest.raises(council.DeniedError):
        root.meeting_decide(mid, "Too late.")
