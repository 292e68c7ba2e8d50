"""Intake and bundles into the council (issue 15): each wrapper, its results and refusals."""
from __future__ import annotations

import uuid

import pytest

import council
from council import Council, bundle_pb2

from conftest import World

FORM = {
    "form": "libcouncil-intake-1",
    "referrer": {"organisation": "Yorisoi hotline", "channel": "phone"},
    "person": {"name": "Hanako Kita", "birth_date": "1948-02-03"},
    "consent": {"scopes": ["situation"], "method": "oral"},
    "situation": "Called at night; has not eaten for days.",
}


def test_intake_json_new_then_found(world: World) -> None:
    r = world.root.intake_import_json(FORM, owner=world.npo)
    assert isinstance(r, bundle_pb2.BundleImportResult)
    assert r.outcome == "new_case"
    assert r.type == bundle_pb2.BUNDLE_TYPE_INTAKE
    assert r.HasField("consent_id") and len(r.case_id) == 16
    again = world.root.intake_import_json(FORM)
    assert again.outcome == "found_person"
    assert again.case_id == r.case_id and again.person_id == r.person_id
    text = world.root.section_read(uuid.UUID(bytes=r.case_id), uuid.UUID(bytes=r.person_id),
                                   "situation", "support_coordination")
    assert "has not eaten" in text.section.text


def test_intake_protobuf_unnamed(world: World) -> None:
    ib = bundle_pb2.IntakeBundle(referrer_org="Chat line", contact_channel="chat",
                                 situation="Anonymous contact.")
    r = world.root.intake_import(ib, owner=world.city)
    assert r.outcome == "new_case"
    assert not r.HasField("consent_id")
    r2 = world.root.intake_import(ib.SerializeToString(), owner=world.city)
    assert r2.case_id != r.case_id  # unnamed: never found, a new case each time


def test_intake_refusals(world: World) -> None:
    assert Council.intake_json_max() == 65536
    with pytest.raises(council.FormatError):
        world.root.intake_import_json('{"form": ')
    with pytest.raises(council.FormatError):
        world.root.intake_import_json(dict(FORM, mood="fine"))
    with pytest.raises(council.InvalidArgumentError):
        world.root.intake_import_json(dict(FORM, referrer={"organisation": "x", "channel": "pigeon"}))
    with pytest.raises(council.LimitError):
        world.root.intake_import_json(" " * (Council.intake_json_max() + 1))
    with pytest.raises(council.FormatError):
        world.root.intake_import(b"\xff\xff\xff")
    city = world.staff("city")
    try:
        with pytest.raises(council.DeniedError):
            city.intake_import_json(FORM, owner=world.city)
    finally:
        city.close()


def test_bundle_import_refusals(world: World) -> None:
    with pytest.raises(council.FormatError):
        world.root.bundle_import(b"not a bundle")
    with pytest.raises(council.LimitError):
        world.root.bundle_import(b"\0" * (16 * 1024 * 1024 + 8192 + 1))
    city = world.staff("city")
    try:
        with pytest.raises(council.DeniedError):
            city.bundle_import(b"LCBUNDLE")
    finally:
        city.close()
