"""Bundles out (``council_bundle_*``): signed files sealed to a member's key, and
``bundle_inspect`` for any bundle (see council_bundle(3), doc/bundle-format.md)."""
from __future__ import annotations

from typing import Any, Optional

from . import _util as u
from ._ffi import ffi, lib
from ._pb import bundle_pb2
from .errors import error_for
from ._util import IdLike, TimeLike


def bundle_inspect(data: bytes) -> "bundle_pb2.BundleInfo":
    """A bundle's clear header, hash, sizes and whether its signature verifies with the
    sender key the header names (``council.v1.BundleInfo``; no store, no key).
    Raises FormatError, LimitError, UnsupportedError for what is not a bundle."""
    keep: list = []
    p, n = u.cbytes(bytes(data), keep)
    b = u.new_buf()
    rc = lib.council_bundle_inspect(b, p if n else ffi.new("uint8_t[1]"), n)
    if rc != 0:
        lib.council_buf_free(b)
        raise error_for(rc, "bundle_inspect: " + ffi.string(lib.council_errstr(rc)).decode())
    info = bundle_pb2.BundleInfo()
    info.ParseFromString(u.take_bytes(b))
    return info


class _BundleCalls:
    """The export calls, mixed into :class:`council.Council` (the secretariat's)."""

    __slots__ = ()

    def _bundle_opts(self, keep: list, expires: TimeLike, purpose: Optional[str] = None,
                     basis: Optional[str] = None, consent_id: Optional[IdLike] = None) -> Any:
        o = ffi.new("council_bundle_options *")
        keep.append(o)
        o.version = lib.COUNCIL_BUNDLE_OPTIONS_VERSION
        o.expires = u.unix(expires, "expires") if expires is not None else 0
        o.purpose = u.cstr(purpose, keep, "purpose")
        o.basis = u.cstr(basis, keep, "basis")
        if consent_id is not None:
            cid = ffi.new("uint8_t[16]", u.id_bytes(consent_id, "consent_id"))
            keep.append(cid)
            o.consent_id = cid
            o.consent_id_len = 16
        return o

    def bundle_case(self, case_id: IdLike, member_id: IdLike, *, basis: str,
                    purpose: Optional[str] = None, consent_id: Optional[IdLike] = None,
                    person_id: Optional[IdLike] = None, expires: TimeLike = None) -> bytes:
        """The case's sections ``member_id`` is entitled to now, as a bundle sealed to it:
        each shared scope through the disclosure decision again (every scope of a case it
        owns). Logged with the bundle's SHA-256 before it is returned. Raises DeniedError,
        NoConsentError, AuthError (an unsigned member key), NotFoundError …"""
        keep: list = []
        o = self._bundle_opts(keep, expires, purpose, basis, consent_id)
        pid = u.opt_id(person_id, "person_id")
        return self._call_buf(self._lib.council_bundle_case,  # type: ignore[attr-defined]
                              u.id_bytes(case_id), 16,
                              pid if pid is not None else ffi.NULL, 16 if pid is not None else 0,
                              u.id_bytes(member_id), 16, o)

    def bundle_meeting_packet(self, meeting_id: IdLike, attendee_id: IdLike, *,
                              expires: TimeLike = None) -> bytes:
        """The attendee's meeting packet (as :meth:`meeting_packet` builds it) in a bundle
        its member node imports; it expires with the meeting at the latest."""
        keep: list = []
        o = self._bundle_opts(keep, expires)
        return self._call_buf(self._lib.council_bundle_meeting_packet,  # type: ignore[attr-defined]
                              u.id_bytes(meeting_id), 16, u.id_bytes(attendee_id), 16, o)

    def bundle_referral(self, referral_id: IdLike, *, purpose: Optional[str] = None,
                        basis: Optional[str] = None, consent_id: Optional[IdLike] = None,
                        expires: TimeLike = None) -> bytes:
        """A referral to its recipient: the offer, its note sealed to the recipient, and the
        sections of its scopes the recipient holds now (through the decision again)."""
        keep: list = []
        o = self._bundle_opts(keep, expires, purpose, basis, consent_id)
        return self._call_buf(self._lib.council_bundle_referral,  # type: ignore[attr-defined]
                              u.id_bytes(referral_id), 16, o)

    def bundle_request(self, request_id: IdLike, *, expires: TimeLike = None) -> bytes:
        """An open cooperation request and its text, to the member asked."""
        keep: list = []
        o = self._bundle_opts(keep, expires)
        return self._call_buf(self._lib.council_bundle_request,  # type: ignore[attr-defined]
                              u.id_bytes(request_id), 16, o)

    def bundle_consent(self, consent_id: IdLike, member_id: IdLike, *,
                       expires: TimeLike = None) -> bytes:
        """A consent record, to a member that relies on it (named by it, the case's owner,
        or holding a share of the case)."""
        keep: list = []
        o = self._bundle_opts(keep, expires)
        return self._call_buf(self._lib.council_bundle_consent,  # type: ignore[attr-defined]
                              u.id_bytes(consent_id), 16, u.id_bytes(member_id), 16, o)

    def bundle_checkpoint(self, member_id: IdLike, from_size: int = 0, *,
                          expires: TimeLike = None) -> bytes:
        """A checkpoint signed now (and a consistency proof from ``from_size``), as a
        bundle sealed to ``member_id`` for its node to witness."""
        keep: list = []
        o = self._bundle_opts(keep, expires)
        return self._call_buf(self._lib.council_bundle_checkpoint,  # type: ignore[attr-defined]
                              u.id_bytes(member_id), 16, from_size, o)

    def bundle_revocations(self, member_id: IdLike, *, expires: TimeLike = None) -> bytes:
        """What earlier bundles carried to ``member_id`` that it may no longer hold, as one
        revocation bundle (listed once). Raises NotFoundError when nothing is due."""
        keep: list = []
        o = self._bundle_opts(keep, expires)
        return self._call_buf(self._lib.council_bundle_revocations,  # type: ignore[attr-defined]
                              u.id_bytes(member_id), 16, o)
