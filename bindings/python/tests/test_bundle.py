"""Bundles out: each export wrapper, what it carries, its event, its refusals; inspect."""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest

import council
from council import audit_pb2, bundle_pb2

from conftest import World

UTC = dt.timezone.utc
BASIS = "appi_27_1_4_public_duty"


def _last_export(world: World) -> audit_pb2.AuditEvent:
    return world.root.audit_list(action=audit_pb2.AUDIT_ACTION_BUNDLE_EXPORTED).events[-1]


def test_bundle_case_revocations(world: World) -> None:
    npo = world.staff("npo")
    try:
        case = npo.case_create()
        npo.section_write(case.case_id, case.person_id, "situation", {"text": "living alone"})
        npo.case_share(case.case_id, world.city, ["situation"], purpose="support_coordination",
                       basis=BASIS, reason="to coordinate support")
        # Only the secretariat exports (logged refusal).
        with pytest.raises(council.DeniedError):
            npo.bundle_case(case.case_id, world.city, basis=BASIS)
    finally:
        npo.close()
    week = dt.datetime.now(UTC) + dt.timedelta(days=7)
    b = world.root.bundle_case(case.case_id, world.city, basis=BASIS, expires=week)
    assert b"living alone" not in b
    info = council.bundle_inspect(b)
    assert info.signature_ok
    assert info.header.type == bundle_pb2.BUNDLE_TYPE_CASE_SECTIONS
    assert info.header.recipient_id == world.city.bytes
    assert info.header.expires == int(week.timestamp())
    assert info.hash == hashlib.sha256(b).digest()
    ev = _last_export(world)
    assert ev.bundle_hash == hashlib.sha256(b).digest()
    assert list(ev.scopes) == ["situation"]
    # The decision: a consent that does not exist.
    with pytest.raises(council.NoConsentError):
        world.root.bundle_case(case.case_id, world.city, basis="consent",
                               consent_id=case.case_id)
    with pytest.raises(council.InvalidArgumentError):
        world.root.bundle_case(case.case_id, world.city, basis=BASIS, purpose="gossip")
    # Nothing to revoke yet; after the share ends, its revocation, once.
    with pytest.raises(council.NotFoundError):
        world.root.bundle_revocations(world.city)
    world.root.case_revoke(case.case_id, world.city, reason="support_ended")
    with pytest.raises(council.DeniedError):
        world.root.bundle_case(case.case_id, world.city, basis=BASIS)
    r = world.root.bundle_revocations(world.city)
    assert council.bundle_inspect(r).header.type == bundle_pb2.BUNDLE_TYPE_REVOCATION
    assert _last_export(world).bundle_hash == hashlib.sha256(r).digest()
    with pytest.raises(council.NotFoundError):
        world.root.bundle_revocations(world.city)


def test_bundle_checkpoint_and_inspect(world: World) -> None:
    b = world.root.bundle_checkpoint(world.npo, 2)
    info = council.bundle_inspect(b)
    assert info.header.type == bundle_pb2.BUNDLE_TYPE_CHECKPOINT
    assert info.header.sender_kind == bundle_pb2.BUNDLE_PARTY_COUNCIL
    assert info.size == len(b)
    with pytest.raises(council.InvalidArgumentError):
        world.root.bundle_checkpoint(world.npo, 10 ** 9)
    # Truncated, or not a bundle: FormatError; a flipped signature byte: not ok.
    with pytest.raises(council.FormatError):
        council.bundle_inspect(b[:-1])
    with pytest.raises(council.FormatError):
        council.bundle_inspect(b"")
    flipped = bytearray(b)
    flipped[-1] ^= 1
    assert not council.bundle_inspect(bytes(flipped)).signature_ok


def test_bundle_meeting_packet(world: World) -> None:
    from council import meeting_pb2
    npo = world.staff("npo")
    try:
        case = npo.case_create()
        npo.section_write(case.case_id, case.person_id, "situation", {"text": "living alone"})
    finally:
        npo.close()
    now = dt.datetime.now(UTC)
    mid = world.root.meeting_create(meeting_pb2.MEETING_BODY_COUNCIL, now - dt.timedelta(minutes=1),
                                    now + dt.timedelta(hours=1), [world.city])
    world.root.meeting_add_case(mid, case.case_id, world.city, ["situation"],
                                purpose="meeting_discussion", basis=BASIS,
                                reason="support meeting")
    with pytest.raises(council.DeniedError):
        world.root.bundle_meeting_packet(mid, world.npo)
    b = world.root.bundle_meeting_packet(mid, world.city)
    assert b"living alone" not in b
    info = council.bundle_inspect(b)
    assert info.header.type == bundle_pb2.BUNDLE_TYPE_MEETING_PACKET
    assert info.header.expires <= int((now + dt.timedelta(hours=1)).timestamp())
    ev = _last_export(world)
    assert ev.bundle_hash == hashlib.sha256(b).digest()
    assert ev.object_id == mid.bytes
    world.root.meeting_close(mid)
    r = world.root.bundle_revocations(world.city)
    assert council.bundle_inspect(r).header.type == bundle_pb2.BUNDLE_TYPE_REVOCATION


def test_bundle_referral_request_consent(world: World) -> None:
    from council import consent_pb2
    world.root.policy_set(["consent", BASIS, "council_art16_exchange"])
    npo = world.staff("npo")
    try:
        case = npo.case_create()
        npo.section_write(case.case_id, case.person_id, "situation", {"text": "living alone"})
        ref = npo.referral_propose(case.case_id, world.city, ["situation"], basis=BASIS,
                                   reason="to hand over support", note="please call her")
        cid = npo.consent_record(case.case_id, case.person_id, scopes=["situation"],
                                 purposes=["support_coordination"],
                                 method=consent_pb2.CONSENT_METHOD_WRITTEN,
                                 recipient_members=[world.city])
    finally:
        npo.close()
    b = world.root.bundle_referral(ref)
    assert b"please call her" not in b
    info = council.bundle_inspect(b)
    assert info.header.type == bundle_pb2.BUNDLE_TYPE_REFERRAL
    assert info.header.recipient_id == world.city.bytes
    assert _last_export(world).object_id == ref.bytes
    due = dt.datetime.now(UTC) + dt.timedelta(days=7)
    req = world.root.request_make(case.case_id, world.npo, ["opinion"], "How is she?", due,
                                  basis="council_art16_exchange")
    r = world.root.bundle_request(req)
    assert council.bundle_inspect(r).header.recipient_id == world.npo.bytes
    c = world.root.bundle_consent(cid, world.city)
    assert council.bundle_inspect(c).header.type == bundle_pb2.BUNDLE_TYPE_CONSENT
    with pytest.raises(council.NotFoundError):
        world.root.bundle_referral(req)
