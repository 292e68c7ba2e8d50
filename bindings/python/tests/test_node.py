"""Member nodes (council.Node): init and open from a member keyfile, the node's info, its
refusals before any council bundle, and its own log exported and verified."""
from __future__ import annotations

import os
import uuid

import pytest

import council
from council import Node

from conftest import World

NPO_PASS = b"npo pass"


def test_node(world: World, tmp_path: "os.PathLike[str]") -> None:
    d = os.path.join(str(tmp_path), "node")
    with pytest.raises(council.AuthError):
        Node.init(d, world.npo_keyfile, passphrase=b"wrong")
    with Node.init(d, world.npo_keyfile, passphrase=NPO_PASS) as node:
        info = node.info()
        assert council.to_uuid(info.member_id) == world.npo
        assert not info.reply_key_known
        assert info.items == 0
        assert info.witness_name.startswith("node-")
        assert len(node.list().items) == 0
        assert node.purge() == 0
        with pytest.raises(council.FormatError):
            node.import_bundle(b"not a bundle")
        with pytest.raises(council.NotFoundError):
            node.read(uuid.uuid4())
        # Nothing can be sent before a council bundle says where answers go.
        with pytest.raises(council.NotFoundError):
            node.answer_referral(uuid.uuid4(), "accepted")
        with pytest.raises(council.NotFoundError):
            node.answer_request(uuid.uuid4(), decline_reason="no_capacity")
        with pytest.raises(council.NotFoundError):
            node.return_sections(uuid.uuid4(), uuid.uuid4(), [("wishes", b"company")])
        with pytest.raises(council.NotFoundError):
            node.send(council.BUNDLE_TYPE_INTAKE,
                      council.node.bundle_pb2.IntakeBundle(
                          referrer_org="hotline", contact_channel="phone",
                          situation="lives alone").SerializeToString())
        with pytest.raises(council.NotFoundError):
            node.cosign()
        with pytest.raises(council.InvalidArgumentError):
            node.answer_referral(uuid.uuid4(), "maybe")
        out = os.path.join(str(tmp_path), "node-log")
        node.audit_export(out)
        with pytest.raises(council.ExistsError):
            node.audit_export(out)
        report = council.audit_verify_export(out, info.node_log_vkey)
        assert report.tree_size > 0
        with pytest.raises(council.CouncilError):
            council.audit_verify_export(out, info.council_log_vkey)
    with pytest.raises(council.ExistsError):
        Node.init(d, world.npo_keyfile, passphrase=NPO_PASS)
    with pytest.raises(council.AuthError):
        Node.open(d, world.city_keyfile, passphrase=b"city pass")
    with Node.open(d, world.npo_keyfile, passphrase=NPO_PASS) as node:
        assert node.info().log_size > 3
    node.close()
    with pytest.raises(council.MisuseError):
        node.info()
