"""The person's file and the case's audit pseudonym (issue 16; council_person(3)):
``person_report``, ``case_pseudonym``, ``case_by_pseudonym``, each on an open
:class:`council.Council` session."""
from __future__ import annotations

import json
import uuid
from typing import Any, Dict, Optional

from . import _util as u
from ._ffi import ffi, lib
from .errors import error_for
from ._util import IdLike


def _fail(c: Any, rc: int) -> None:
    raise error_for(rc, c.errmsg())


def person_report(c: Any, case_id: IdLike, *, person_id: Optional[IdLike] = None,
                  purpose: Optional[str] = None) -> Dict[str, Any]:
    """The person's file (``council_person_report``) as a dict: what the council holds
    about one person of the case (default the person supported), every disclosure and
    every read of the case from the audit log (each with ``seq`` and ``leaf_hash``).
    Only a staff session of the secretariat: DeniedError for the council passphrase's
    session and other members' staff; NotFoundError; TamperError for a log edited or cut.
    The library's buffer is wiped once parsed."""
    keep: list = []
    o = ffi.new("council_person_report_options *")
    keep.append(o)
    o.version = lib.COUNCIL_PERSON_REPORT_OPTIONS_VERSION
    cid = ffi.new("uint8_t[16]", u.id_bytes(case_id, "case_id"))
    keep.append(cid)
    o.case_id, o.case_id_len = cid, 16
    if person_id is not None:
        pid = ffi.new("uint8_t[16]", u.id_bytes(person_id, "person_id"))
        keep.append(pid)
        o.person_id, o.person_id_len = pid, 16
    o.format = lib.COUNCIL_PERSON_REPORT_JSON
    o.purpose = u.cstr(purpose, keep, "purpose")
    b = u.new_buf()
    try:
        rc = lib.council_person_report(c._h(), b, o)
        if rc != 0:
            _fail(c, rc)
        return json.loads(bytes(ffi.buffer(b.ptr, b.len)).decode("utf-8"))
    finally:
        lib.council_buf_free(b)


def case_pseudonym(c: Any, case_id: IdLike) -> bytes:
    """The case's audit pseudonym (32 bytes: ``case_ref`` of its events; secretariat only)."""
    out = ffi.new("uint8_t[32]")
    rc = lib.council_case_pseudonym(c._h(), u.id_bytes(case_id, "case_id"), 16, out)
    if rc != 0:
        _fail(c, rc)
    return bytes(ffi.buffer(out, 32))


def case_by_pseudonym(c: Any, ref: bytes) -> uuid.UUID:
    """The case whose audit pseudonym is ``ref`` (32 bytes; secretariat only, logged as
    case_resolved). NotFoundError when no case has it."""
    out = ffi.new("uint8_t[16]")
    data = bytes(ref)
    rc = lib.council_case_by_pseudonym(c._h(), data, len(data), out)
    if rc != 0:
        _fail(c, rc)
    return u.to_uuid(bytes(ffi.buffer(out, 16)))
