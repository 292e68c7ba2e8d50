"""Retention (issue 16): the schedule, the cases due, and the pass (retention_set, _get,
_due, _apply)."""
from __future__ import annotations

import datetime as dt

import pytest

import council
from council import case_pb2, RetentionRule

from conftest import World

CLOSED_COUNCIL_NOW = RetentionRule(case_pb2.CASE_BODY_COUNCIL, case_pb2.CASE_STATUS_CLOSED,
                                   council.RETENTION_DAYS, 0)
KEEP = RetentionRule(0, 0, council.RETENTION_KEEP)


def test_schedule(world: World) -> None:
    r = world.root
    assert r.retention_get() == {"schedule_id": None, "rules": []}
    with pytest.raises(council.InvalidArgumentError):
        r.retention_set([RetentionRule(9, 0, council.RETENTION_DAYS, 1)])
    with pytest.raises(council.InvalidArgumentError):
        r.retention_set([KEEP, KEEP])
    r.retention_set([CLOSED_COUNCIL_NOW, KEEP])
    got = r.retention_get()
    assert got["schedule_id"]
    assert got["rules"] == [
        {"body": "council", "status": "closed", "unit": "days", "count": 0},
        {"body": "any", "status": "any", "unit": "keep", "count": 0}]
    with world.staff("npo") as npo:
        with pytest.raises(council.DeniedError):
            npo.retention_set([KEEP])
        with pytest.raises(council.DeniedError):
            npo.retention_get()
        with pytest.raises(council.DeniedError):
            npo.retention_due()
        with pytest.raises(council.DeniedError):
            npo.retention_apply(dry_run=True)


def test_due_and_apply(world: World) -> None:
    r = world.root
    r.retention_set([CLOSED_COUNCIL_NOW, KEEP])
    with world.staff("npo") as npo:
        gone = npo.case_create()
        kept = npo.case_create(body=case_pb2.CASE_BODY_SUPPORT_MEETING)
        npo.section_write(gone.case_id, gone.person_id, "wishes", {"text": "to go"})
        npo.section_write(kept.case_id, kept.person_id, "wishes", {"text": "to keep"})
        npo.case_set_status(gone.case_id, case_pb2.CASE_STATUS_CLOSED)
        npo.case_set_status(kept.case_id, case_pb2.CASE_STATUS_CLOSED)
    due = r.retention_due()
    assert [c["case_id"] for c in due["cases"]] == [str(gone.case_id)]
    assert due["cases"][0]["rule"]["unit"] == "days"
    yesterday = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)
    assert r.retention_due(at=yesterday)["cases"] == []
    with pytest.raises(council.InvalidArgumentError):
        r.retention_due(at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3))
    dry = r.retention_apply(dry_run=True)
    assert dry["dry_run"] and [c["case_id"] for c in dry["erased"]] == [str(gone.case_id)]
    with pytest.raises(council.DeniedError):
        r.retention_apply(case_ids=[kept.case_id])  # not due: nothing done
    done = r.retention_apply(case_ids=[gone.case_id])
    assert [c["case_id"] for c in done["erased"]] == [str(gone.case_id)]
    with world.staff("npo") as npo:
        with pytest.raises(council.DeniedError):
            npo.section_read(gone.case_id, gone.person_id, "wishes", "support_coordination")
        assert npo.section_read(kept.case_id, kept.person_id, "wishes",
                                "support_coordination").section.text == "to keep"
    assert r.retention_apply()["erased"] == []
