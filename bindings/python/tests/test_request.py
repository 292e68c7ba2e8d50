"""Cooperation requests (協力要請, Art. 16(3)): each wrapper, its transitions and refusals."""
from __future__ import annotations

import datetime as dt

import pytest

import council
from council import audit_pb2, request_pb2

from conftest import World

UTC = dt.timezone.utc


def _case_of_npo(world: World):
    npo = world.staff("npo")
    case = npo.case_create()
    npo.section_write(case.case_id, case.person_id, "situation", {"text": "living alone"})
    return npo, case


def test_request_answered(world: World) -> None:
    world.root.policy_set(["consent", "council_art16_exchange"])
    npo, case = _case_of_npo(world)
    city = world.staff("city")
    try:
        due = dt.datetime.now(UTC) + dt.timedelta(days=14)
        req = world.root.request_make(case.case_id, world.npo, ["information", "opinion"],
                                      "How is she doing?\nPlease tell us.", due,
                                      basis="council_art16_exchange", scopes=["situation"])
        m = world.root.request_get(req)
        assert m.state == request_pb2.REQUEST_STATE_OPEN
        assert list(m.kinds) == ["information", "opinion"]
        assert list(m.scopes) == ["situation"]
        assert npo.request_text(req, "asked") == "How is she doing?\nPlease tell us."
        # Only the member asked answers; the city is refused (logged).
        with pytest.raises(council.DeniedError):
            city.request_answer(req, scopes=["situation"], text="n/a")
        npo.request_answer(req, scopes=["situation"], text="Weekly visits would help.")
        m = world.root.request_get(req)
        assert m.state == request_pb2.REQUEST_STATE_ANSWERED
        assert list(m.provided) == ["situation"]
        assert [t.state for t in m.transitions] == [request_pb2.REQUEST_STATE_OPEN,
                                                    request_pb2.REQUEST_STATE_ANSWERED]
        assert world.root.request_text(req, "answer") == "Weekly visits would help."
        # A final state does not move.
        with pytest.raises(council.DeniedError):
            world.root.request_withdraw(req)
        events = world.root.audit_list(action=audit_pb2.AUDIT_ACTION_REQUEST_ANSWERED).events
        assert events[-1].object_id == req.bytes
    finally:
        npo.close()
        city.close()


def test_request_declined_withdrawn_listed(world: World) -> None:
    npo, case = _case_of_npo(world)
    try:
        soon = dt.datetime.now(UTC) + dt.timedelta(seconds=60)
        # council_art16_exchange is off by default: refused by the decision.
        with pytest.raises(council.NoConsentError):
            world.root.request_make(case.case_id, world.npo, "opinion", "Your view?", soon,
                                    basis="council_art16_exchange")
        world.root.policy_set(["consent", "council_art16_exchange"])
        # A due date in the past is refused.
        with pytest.raises(council.InvalidArgumentError):
            world.root.request_make(case.case_id, world.npo, "opinion", "Your view?",
                                    dt.datetime.now(UTC) - dt.timedelta(days=1),
                                    basis="council_art16_exchange")
        # A member's staff makes no request.
        with pytest.raises(council.DeniedError):
            npo.request_make(case.case_id, world.npo, "opinion", "Your view?", soon,
                             basis="council_art16_exchange")
        a = world.root.request_make(case.case_id, world.npo, "other", "Visit with us?", soon,
                                    basis="council_art16_exchange")
        b = world.root.request_make(case.case_id, world.npo, "opinion", "Your view?", soon,
                                    basis="council_art16_exchange")
        npo.request_decline(a, "no_capacity", text="Nobody free this month.")
        assert world.root.request_text(a, "reason") == "Nobody free this month."
        later = dt.datetime.now(UTC) + dt.timedelta(hours=1)
        overdue = world.root.request_list(overdue=True, now=later)
        assert [r.id for r in overdue.requests] == [b.bytes]
        assert overdue.requests[0].overdue
        world.root.request_withdraw(b, "resolved")
        assert len(world.root.request_list(overdue=True, now=later).requests) == 0
        # Listed by when made, then by id: two made in one second come in
        # either order.
        states = {r.id: r.state for r in npo.request_list(case_id=case.case_id).requests}
        assert states == {a.bytes: request_pb2.REQUEST_STATE_DECLINED,
                          b.bytes: request_pb2.REQUEST_STATE_WITHDRAWN}
        with pytest.raises(ValueError):
            world.root.request_text(a, "everything")
    finally:
        npo.close()
