"""The provision register and the disclosure to an outside party (issue 16).

:func:`provision_register` and :func:`outside_disclose` take an open
:class:`council.Council`; both are also its methods
(``c.provision_register(...)``, ``c.outside_disclose(...)``). See
council_provision(3).
"""
from __future__ import annotations

from typing import Any, Optional, Sequence

from . import _util as u
from ._ffi import ffi, lib
from ._util import IdLike, TimeLike


def provision_register(c: Any, *, member: Optional[IdLike] = None, start: TimeLike = None,
                       end: TimeLike = None, fiscal_year: int = 0,
                       format: str = "json") -> str:
    """The provision register (第三者提供の記録, APPI arts. 29/30) as JSON or CSV text.

    Every provision of a case's data by a member to another member or an
    outside party, and every receipt, read from the audit log (each event's
    body checked against the tree: an edited or deleted event raises
    TamperError). ``member`` keeps one member's rows; ``start``/``end``
    (aware datetimes, ``end`` excluded) or ``fiscal_year`` the period. The
    secretariat reads any member's; a member's staff only their own
    (``member`` = their member), else DeniedError. Logged.
    """
    fmt = {"csv": lib.COUNCIL_REPORT_CSV, "json": lib.COUNCIL_REPORT_JSON}.get(format)
    if fmt is None:
        raise ValueError("format: 'json' or 'csv'")
    if (start is None) != (end is None):
        raise ValueError("start and end go together")
    keep: list = []
    o = ffi.new("council_provision_options *")
    o.version = lib.COUNCIL_PROVISION_OPTIONS_VERSION
    o.format = fmt
    o.member_id, o.member_id_len = u.cbytes(u.opt_id(member, "member"), keep)
    o.fiscal_year = int(fiscal_year)
    if start is not None:
        o.__setattr__("from", u.unix(start, "start"))
        o.to = u.unix(end, "end")
    return c._call_buf(lib.council_provision_register, o).decode("utf-8")


def outside_disclose(c: Any, case_id: IdLike, *, consent_id: IdLike, scopes: Sequence[str],
                     purpose: str, purpose_text: Optional[str] = None,
                     party_id: Optional[IdLike] = None,
                     seal_pk: Optional[bytes] = None) -> bytearray:
    """The case's sections of ``scopes`` for the outside party ``consent_id`` names.

    A JSON document (``"format": "council-outside-disclosure"``), or, with
    ``seal_pk`` (32 bytes, X25519), that document sealed to the party
    (``crypto_box_seal``). The disclosure decision first; the
    ``outside_disclosure`` event logged before it is returned. Raises
    NoConsentError (no such consent, none naming an outside party, another
    party, withdrawn, expired, scope or purpose not covered) or DeniedError
    (not the owner's staff or the secretariat), each logged. The result
    holds personal data: a bytearray, wipe it with :func:`council.wipe`.
    """
    keep: list = []
    o = ffi.new("council_outside_options *")
    o.version = lib.COUNCIL_OUTSIDE_OPTIONS_VERSION
    o.consent_id, o.consent_id_len = u.cbytes(u.id_bytes(consent_id, "consent_id"), keep)
    o.scopes, o.n_scopes = u.cstr_array(list(scopes), keep, "scopes")
    o.purpose = u.cstr(purpose, keep, "purpose")
    o.purpose_text = u.cstr(purpose_text, keep, "purpose_text")
    o.party_id, o.party_id_len = u.cbytes(u.opt_id(party_id, "party_id"), keep)
    o.seal_pk, o.seal_pk_len = u.cbytes(seal_pk, keep)
    b = u.new_buf()
    rc = lib.council_outside_disclose(c._h(), b, u.id_bytes(case_id, "case_id"), 16, o)
    if rc != 0:
        lib.council_buf_free(b)
        c._check(rc)
    return u.take_secret(b)


def _attach() -> None:
    """Make both calls methods of :class:`council.Council`."""
    from ._council import Council

    setattr(Council, "provision_register", provision_register)
    setattr(Council, "outside_disclose", outside_disclose)


_attach()
