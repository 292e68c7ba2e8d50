"""Who supports whom (伴走): assignment, reviews, support tasks and handover."""
from __future__ import annotations

import datetime as dt

import pytest

import council
from council import case_pb2, meeting_pb2
from conftest import PLEDGE, World

UTC = dt.timezone.utc


def _shared_case(world: World, npo: council.Council) -> council.NewCase:
    case = npo.case_create()
    npo.case_share(case.case_id, world.city, ["wishes"], purpose="support_coordination",
                   basis="appi_27_1_4_public_duty", reason="Joint support")
    return case


def test_assign_review_and_lists(world: World) -> None:
    soon = dt.datetime.now(UTC) + dt.timedelta(days=10)
    with world.staff("npo") as npo, world.staff("city") as city:
        case = _shared_case(world, npo)
        a = npo.case_assignment(case.case_id)
        assert council.to_uuid(a.lead) == world.npo and len(a.workers) == 0
        npo.case_assign(case.case_id, workers=[world.npo_staff, world.city_staff])
        npo.case_review(case.case_id, soon)
        a = city.case_assignment(case.case_id)
        assert [council.to_uuid(w) for w in a.workers] == [world.npo_staff, world.city_staff]
        assert a.review == int(soon.timestamp())
        # The city holds a share but does not own the case: it changes nothing.
        with pytest.raises(council.DeniedError):
            city.case_assign(case.case_id, workers=[world.city_staff])
        with pytest.raises(council.DeniedError):
            city.case_review(case.case_id, None)
        later = soon + dt.timedelta(days=1)
        assert len(world.root.case_reviews(later).cases) == 1
        assert len(city.case_reviews(later).cases) == 1
        assert len(npo.case_reviews(soon).cases) == 0
        with pytest.raises(council.DeniedError):
            city.case_reviews(later, member=world.npo)
        npo.case_review(case.case_id, None)
        assert not npo.case_assignment(case.case_id).HasField("review")


def test_tasks(world: World) -> None:
    due = dt.datetime.now(UTC) + dt.timedelta(days=7)
    with world.staff("npo") as npo, world.staff("city") as city:
        case = _shared_case(world, npo)
        # A task a meeting decided names a signed decision about its case.
        now = dt.datetime.now(UTC) - dt.timedelta(minutes=1)
        mid = world.root.meeting_create(meeting_pb2.MEETING_BODY_COUNCIL, now,
                                        now + dt.timedelta(hours=1), [world.city])
        world.root.meeting_add_case(mid, case.case_id, world.city, ["wishes"],
                                    purpose="meeting_discussion",
                                    basis="appi_27_1_4_public_duty", reason="Council meeting")
        decision = world.root.meeting_decide(mid, "The city visits.", case_id=case.case_id)
        with pytest.raises(council.NotFoundError):
            npo.task_add(case.case_id, "Visit the family", due, member=world.city,
                         staff=world.city_staff, decision_id=council.to_uuid(bytes(range(16))))
        tid = npo.task_add(case.case_id, "Visit the family", due, member=world.city,
                           staff=world.city_staff, decision_id=decision)
        own = world.root.task_add(case.case_id, "Call back", due)
        with pytest.raises(council.DeniedError):
            city.task_add(case.case_id, "Nope", due)
        assert len(world.root.task_list().tasks) == 2
        assert [council.to_uuid(t.id) for t in city.task_list().tasks] == [tid]
        t = city.task_get(tid)
        assert t.text == "Visit the family" and council.to_uuid(t.decision_id) == decision
        with pytest.raises(council.DeniedError):
            city.task_get(own)
        city.task_set_state(tid, case_pb2.TASK_STATE_DONE)
        with pytest.raises(council.DeniedError):
            npo.task_set_state(tid, case_pb2.TASK_STATE_CANCELLED)
        npo.task_set_state(own, case_pb2.TASK_STATE_CANCELLED)
        assert len(npo.task_list(state=case_pb2.TASK_STATE_OPEN).tasks) == 0
        assert len(npo.task_list(state=case_pb2.TASK_STATE_DONE, case_id=case.case_id).tasks) == 1


def test_handover(world: World) -> None:
    due = dt.datetime.now(UTC) + dt.timedelta(days=7)
    second = world.root.staff_add(world.npo, "Second case worker")
    world.root.staff_pledge(second, "v2024_04", PLEDGE)
    with world.staff("npo") as npo:
        case = _shared_case(world, npo)
        npo.case_assign(case.case_id, workers=[world.npo_staff])
        tid = npo.task_add(case.case_id, "Accompany to the clinic", due, staff=world.npo_staff)
    h = world.root.case_handover_list(world.npo_staff)
    assert len(h.cases) == 1 and [council.to_uuid(t.id) for t in h.tasks] == [tid]
    with pytest.raises(council.DeniedError):
        world.root.case_handover(case.case_id, world.npo_staff, world.city_staff)
    world.root.case_handover(case.case_id, world.npo_staff, second)
    a = world.root.case_assignment(case.case_id)
    assert [council.to_uuid(w) for w in a.workers] == [second]
    assert council.to_uuid(world.root.task_get(tid).staff) == second
    h = world.root.case_handover_list(world.npo_staff)
    assert len(h.cases) == 0 and len(h.tasks) == 0
