"""The provision register and the disclosure to an outside party (issue 16)."""
from __future__ import annotations

import json

import pytest

import council
from council import consent_pb2

PARTY = "North City Living Support Centre"


def _scenario(world):  # type: ignore[no-untyped-def]
    npo = world.staff("npo")
    case = npo.case_create()
    npo.section_write(case.case_id, case.person_id, "situation", {"text": "PY-CANARY"})
    npo.case_share(case.case_id, world.city, ["situation"], purpose="support_coordination",
                   basis="appi_27_1_4_public_duty", reason="to decide on protection")
    consent = npo.consent_record(case.case_id, case.person_id, scopes=["situation"],
                                 purposes=["support_coordination"],
                                 method=consent_pb2.CONSENT_METHOD_WRITTEN,
                                 external_party=PARTY)
    return npo, case, consent


def test_outside_disclose_and_register(world) -> None:  # type: ignore[no-untyped-def]
    npo, case, consent = _scenario(world)
    try:
        doc = npo.outside_disclose(case.case_id, consent_id=consent, scopes=["situation"],
                                   purpose="support_coordination")
        d = json.loads(bytes(doc))
        council.wipe(doc)
        assert d["format"] == "council-outside-disclosure"
        assert d["external_party"] == PARTY
        assert d["sections"][0]["section"]["text"] == "PY-CANARY"
        # the module function is the same call
        sealed = council.outside_disclose(world.root, case.case_id, consent_id=consent,
                                          scopes=["situation"], purpose="support_coordination",
                                          seal_pk=bytes(range(1, 33)))
        assert b"PY-CANARY" not in sealed
        reg = json.loads(world.root.provision_register())
        events = sorted(r["event"] for r in reg["rows"])
        assert events.count("outside_disclosure") == 2
        assert "share_granted" in events
        city = json.loads(council.provision_register(world.root, member=world.city))
        assert [r["direction"] for r in city["rows"]] == ["received"]
        csv = world.root.provision_register(format="csv", fiscal_year=1999)
        assert csv.startswith("member_id,member,seq,time,direction,")
        assert len(csv.strip().splitlines()) == 1
        own = json.loads(npo.provision_register(member=world.npo))
        assert len(own["rows"]) == 3
    finally:
        npo.close()


def test_refusals(world) -> None:  # type: ignore[no-untyped-def]
    npo, case, consent = _scenario(world)
    city = world.staff("city")
    try:
        with pytest.raises(council.NoConsentError):
            npo.outside_disclose(case.case_id, consent_id=consent, scopes=["wishes"],
                                 purpose="support_coordination")
        with pytest.raises(council.NoConsentError):
            npo.outside_disclose(case.case_id, consent_id=consent, scopes=["situation"],
                                 purpose="support_coordination", party_id=world.npo)
        with pytest.raises(council.DeniedError):
            city.outside_disclose(case.case_id, consent_id=consent, scopes=["situation"],
                                  purpose="support_coordination")
        with pytest.raises(council.DeniedError):
            city.provision_register(member=world.npo)
        with pytest.raises(council.DeniedError):
            city.provision_register()
        with pytest.raises(ValueError):
            world.root.provision_register(format="xml")
        with pytest.raises(council.InvalidArgumentError):
            world.root.provision_register(fiscal_year=1969)
    finally:
        city.close()
        npo.close()
