"""Batched audited reads (issue 17): Council.sections_read, one durable commit for many reads."""
from __future__ import annotations

import pytest

import council
from council import audit_pb2, case_pb2

from conftest import World


def _decrypted(root: council.Council) -> list:
    events = root.audit_list(action=audit_pb2.AUDIT_ACTION_SECTION_DECRYPTED).events
    return [e for e in events]


def test_sections_read(world: World) -> None:
    with world.staff("npo") as npo:
        a = npo.case_create()
        b = npo.case_create()
        npo.section_write(a.case_id, a.person_id, "situation", {"text": "Alone since spring."})
        npo.section_write(b.case_id, b.person_id, "wishes",
                          case_pb2.Section(wishes=case_pb2.Wishes(wants=["company"])))
        before = len(_decrypted(world.root))
        recs = npo.sections_read([(a.case_id, a.person_id, "situation"),
                                  (b.case_id, b.person_id, "wishes"),
                                  (a.case_id, a.person_id, "situation")], "support_coordination")
        assert [r.scope for r in recs] == ["situation", "wishes", "situation"]
        assert recs[0].section.text == "Alone since spring."
        assert recs[1].section.wishes.wants == ["company"]
        assert recs[2] == recs[0]
        assert len(_decrypted(world.root)) == before + 3
        # All or nothing: one section the city may not read refuses them all.
        npo.case_share(a.case_id, world.city, ["situation"], purpose="referral",
                       basis="appi_27_1_4_public_duty", reason="Public duty")
        with world.staff("city") as city:
            assert len(city.sections_read([(a.case_id, a.person_id, "situation")], "referral")) == 1
            with pytest.raises(council.DeniedError):
                city.sections_read([(a.case_id, a.person_id, "situation"),
                                    (b.case_id, b.person_id, "wishes")], "referral")
        with pytest.raises(council.InvalidArgumentError):
            npo.sections_read([], "support_coordination")
        with pytest.raises(council.InvalidArgumentError):
            npo.sections_read([(a.case_id, a.person_id, "situation")], "other")
