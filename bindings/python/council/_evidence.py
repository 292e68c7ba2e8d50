"""Issue 16, evidence: the auditor's view of a case (``council_evidence(3)``).

:func:`case_evidence` asks the council (the secretariat's session) for a case's
evidence file; :func:`audit_verify_case_evidence` checks one with the log's
verifier key alone. ``scripts/verify-case-evidence.py`` does the same checks
without libcouncil.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence

from . import _util as u
from ._audit import PathLike, _verify_opts
from ._ffi import ffi, lib
from ._pb import audit_pb2
from .errors import error_for


def case_evidence(c: Any, case_id: u.IdLike) -> bytes:
    """The evidence file of case ``case_id`` (``council_case_evidence()``): the case's
    pseudonym, a checkpoint signed now, and every event naming the case with its
    inclusion proof. ``c`` is the secretariat's open :class:`council.Council`;
    logged as ``case_evidence_exported``. Raises DeniedError for another session,
    NotFoundError for no such case, TamperError for an altered log."""
    cid = u.id_bytes(case_id, "case_id")
    return c._call_buf(lib.council_case_evidence, cid, len(cid))


def audit_verify_case_evidence(path: PathLike, log_vkey: str, *,
                               witness_vkeys: Sequence[str] = (), required: int = 0,
                               known_checkpoint: Optional[str] = None
                               ) -> audit_pb2.CaseEvidenceReport:
    """Verify a case evidence file with the log's verifier key alone.

    Returns the ``council.v1.CaseEvidenceReport`` (events, tree_size, case_ref) when
    it verifies; raises TamperError (a changed event, a flipped proof byte, another
    case's event, another key) or FormatError, with the report as ``.report``."""
    keep: list = []
    o = _verify_opts(keep, log_vkey, witness_vkeys, required, known_checkpoint)
    b = u.new_buf()
    rc = lib.council_audit_verify_case_evidence(b, u.cpath(path), o)
    raw = u.take_bytes(b)
    report = audit_pb2.CaseEvidenceReport()
    if raw:
        report.ParseFromString(raw)
    if rc != 0:
        msg = "audit_verify_case_evidence: %s (%s)" % (
            report.message if raw else "no report", ffi.string(lib.council_errstr(rc)).decode())
        raise error_for(rc, msg, report if raw else None)
    return report
