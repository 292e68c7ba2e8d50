"""Issue 16, evidence: the auditor's view of a case, from Python, and the
independent verifier (scripts/verify-case-evidence.py) on the same file."""
from __future__ import annotations

import os
import subprocess

import pytest

import council

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "verify-case-evidence.py")


def _case(world):
    with world.staff("npo") as s:
        new = s.case_create()
        s.section_write(new.case_id, new.person_id, "situation", {"text": "ひとり暮らし"})
    return new.case_id


def test_case_evidence_verifies(world, tmp_path):
    cid = _case(world)
    data = council.case_evidence(world.root, cid)
    assert data.startswith(b"council-case-evidence/v1\n")
    path = tmp_path / "c.evidence"
    path.write_bytes(data)
    vkey = world.root.info().log_verifier_key
    rep = council.audit_verify_case_evidence(str(path), vkey)
    assert rep.ok and rep.events >= 2
    assert rep.case_ref == world.root.case_get(cid).case_ref
    out = subprocess.run(["/usr/bin/python3", SCRIPT, str(path), "--key", vkey, "--json"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    # a changed event is refused by both
    lines = data.split(b"\n")
    i = next(k for k, l in enumerate(lines) if l.startswith(b"event ")) + 1
    lines[i] = lines[i][:-8] + (b"AAAAAAAA" if lines[i][-8:] != b"AAAAAAAA" else b"BBBBBBBB")
    bad = tmp_path / "bad.evidence"
    bad.write_bytes(b"\n".join(lines))
    with pytest.raises((council.TamperError, council.FormatError)):
        council.audit_verify_case_evidence(str(bad), vkey)
    out = subprocess.run(["/usr/bin/python3", SCRIPT, str(bad), "--key", vkey],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 1


def test_case_evidence_refusals(world):
    cid = _case(world)
    with world.staff("npo") as s:
        with pytest.raises(council.DeniedError):
            council.case_evidence(s, cid)
    with pytest.raises(council.NotFoundError):
        council.case_evidence(world.root, "00000000-0000-4000-8000-000000000000")
