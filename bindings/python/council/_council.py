"""The Council handle: one open session of a council store."""
from __future__ import annotations

import contextlib
import enum
import threading
import os
import uuid as _uuid
from typing import Any, Iterator, NamedTuple, Optional, Sequence, Union

from google.protobuf import json_format

from . import _util as u
from ._ffi import ffi, lib
from ._pb import audit_pb2, case_pb2, consent_pb2, info_pb2, meeting_pb2, member_pb2
from ._pb import referral_pb2
from ._pb import (audit_pb2, case_pb2, consent_pb2, info_pb2, meeting_pb2, member_pb2,
                  request_pb2)
from ._pb import audit_pb2, case_pb2, consent_pb2, info_pb2, meeting_pb2, member_pb2, task_pb2
from .errors import CouncilError, MisuseError, error_for
from ._bundle import _BundleCalls
from ._util import IdLike, SecretLike, TimeLike

PathLike = Union[str, "os.PathLike[str]"]
#: A section argument: a ``council.v1.Section`` message, or a dict in the
#: protobuf JSON mapping of one (``{"text": "..."}``, ``{"identity": {"name": ...}}``).
SectionLike = Union[case_pb2.Section, dict]


class Powers(enum.IntFlag):
    """What a session may do (``council_session_powers()``)."""
    NONE = 0
    ROOT_KEY = 1          #: holds the root key (council passphrase or root key)
    SECRETARIAT = 2       #: acts as the secretariat
    COORDINATOR = 4       #: reads as the coordinating body


class Role(enum.IntFlag):
    """A member's roles in the council (``COUNCIL_ROLE_*``)."""
    NONE = 0
    SECRETARIAT = 1
    COORDINATING_BODY = 2


class NewCase(NamedTuple):
    """What ``Council.case_create()`` gives: the case id and its supported person's id."""
    case_id: _uuid.UUID
    person_id: _uuid.UUID


class ShareDecision(NamedTuple):
    """The disclosure decision of ``Council.case_share_check()`` (a dry run; nothing logged).

    ``allowed`` is True when the share would be made now; ``reason`` is the
    library's reason code (``"consent_covers"``, ``"scope_not_covered"``,
    ``"outside_scope_ceiling"``, …); ``code`` is the return code
    (0, or COUNCIL_ENOCONSENT / EDENIED / EAUTH for a refusal).
    """
    allowed: bool
    reason: str
    code: int


def _path(p: PathLike) -> str:
    return os.fspath(p)


def _section_bytes(section: Union[SectionLike, bytes]) -> bytes:
    if isinstance(section, case_pb2.Section):
        return section.SerializeToString()
    if isinstance(section, dict):
        return json_format.ParseDict(section, case_pb2.Section()).SerializeToString()
    if isinstance(section, (bytes, bytearray)):
        return bytes(section)
    raise TypeError("section: expected council.v1.Section, dict or bytes, not %s"
                    % type(section).__name__)


def _parse(cls: Any, raw: bytes) -> Any:
    msg = cls()
    msg.ParseFromString(raw)
    return msg


class _LockedLib:
    """The library's functions as one handle calls them: under its lock, and
    refused (MisuseError) once the handle is closed."""

    __slots__ = ("_owner",)

    def __init__(self, owner: "Council") -> None:
        self._owner = owner

    def __getattr__(self, name: str) -> Any:
        fn = getattr(lib, name)
        owner = self._owner

        def call(*args: Any) -> Any:
            with owner._lock:
                if owner._c is None:
                    raise MisuseError("this Council handle is closed", -12)
                return fn(*args)
        return call


class Council(_BundleCalls):
    """An open council store: the secretariat's (root) session or a staff session.

    Open it with :meth:`create` or :meth:`open`, preferably as a context
    manager; :meth:`close` ends it at once (the library wipes every key).
    Any call after close raises :class:`~council.MisuseError`. Calls on one
    handle from several threads are serialised (one at a time), and a close
    waits for the call in progress; for throughput, use one handle per thread.

    Results are the library's own protobuf messages (the generated
    ``council.v1`` ``_pb2`` classes, e.g. ``member_pb2.Member``), not dicts:
    they are the format the C API defines, keep proto2 field presence
    (an absent ``expires`` differs from 0), enum types and raw ids, and
    convert losslessly with ``google.protobuf.json_format.MessageToDict``
    when a dict is wanted. Ids inside messages are 16 raw bytes and times
    Unix seconds: :func:`council.to_uuid` and :func:`council.to_datetime`
    convert them. Arguments take ids as ``uuid.UUID`` (or its text, or 16
    bytes) and times as timezone-aware ``datetime``; ids this API creates are
    returned as ``uuid.UUID``.
    """

    __slots__ = ("_c", "_path", "_kind", "_lock", "_lib")

    def __init__(self, handle: Any, path: str, kind: str) -> None:
        """Internal: use :meth:`create` or :meth:`open`."""
        self._c: Any = ffi.gc(handle, lib.council_close)
        self._path = path
        self._kind = kind
        # One call at a time on this handle, and close() waits for the call
        # in progress: a handle shared between threads is serialised, and a
        # call after (or racing) close raises MisuseError, never reaching C
        # with a freed handle.
        self._lock = threading.RLock()
        self._lib = _LockedLib(self)

    # ------------------------------------------------------------ life cycle

    @classmethod
    def create(cls, path: PathLike, name: str, *, passphrase: Optional[SecretLike] = None,
               root_key: Optional[SecretLike] = None, kdf_opslimit: int = 0,
               kdf_memlimit: int = 0) -> "Council":
        """Create a council store in directory ``path`` and return its root session.

        Exactly one of ``passphrase`` (the council passphrase, 1..1024 bytes)
        and ``root_key`` (32 bytes) protects it. ``kdf_opslimit`` and
        ``kdf_memlimit`` set the Argon2id cost (0: the library's default; the
        minimum, ``KDF_OPSLIMIT_MIN``/``KDF_MEMLIMIT_MIN``, is for tests only).
        """
        keep: list = []
        o = ffi.new("council_create_options *")
        o.version = lib.COUNCIL_CREATE_OPTIONS_VERSION
        o.name = u.cstr(name, keep, "name")
        o.passphrase, o.passphrase_len = u.secret(passphrase, keep, "passphrase")
        o.root_key, o.root_key_len = u.secret(root_key, keep, "root_key")
        o.kdf_opslimit, o.kdf_memlimit = kdf_opslimit, kdf_memlimit
        return cls._start(lib.council_create, _path(path), o, "root")

    @classmethod
    def open(cls, path: PathLike, *, passphrase: Optional[SecretLike] = None,
             root_key: Optional[SecretLike] = None, root_reason: Optional[str] = None,
             root_reason_text: Optional[str] = None, staff_id: Optional[IdLike] = None,
             keyfile: Optional[SecretLike] = None, member_id: Optional[IdLike] = None,
             member_box_key: Optional[SecretLike] = None,
             member_sign_key: Optional[SecretLike] = None,
             session_secret: Optional[SecretLike] = None) -> "Council":
        """Open a council store at ``path``.

        - Root (secretariat) session: ``passphrase`` or ``root_key``, with
          ``root_reason`` ("setup", "recovery", "emergency" or
          "key_management") and ``root_reason_text`` (why, in words); without
          them the use is recorded as "undeclared".
        - Staff session: ``staff_id`` with ``keyfile`` (the member keyfile's
          bytes) and ``passphrase`` (the member's), or with ``member_id``,
          ``member_box_key`` (32 bytes) and optionally ``member_sign_key``
          (the Ed25519 seed, 32 bytes).
        - Either again: ``session_secret`` alone (from :meth:`session_secret`),
          which needs no passphrase and no key derivation.
        """
        keep: list = []
        o = ffi.new("council_open_options *")
        o.version = lib.COUNCIL_OPEN_OPTIONS_VERSION
        o.passphrase, o.passphrase_len = u.secret(passphrase, keep, "passphrase")
        o.root_key, o.root_key_len = u.secret(root_key, keep, "root_key")
        o.staff_id, o.staff_id_len = u.cbytes(u.opt_id(staff_id, "staff_id"), keep)
        o.keyfile, o.keyfile_len = u.secret(keyfile, keep, "keyfile")
        o.member_id, o.member_id_len = u.cbytes(u.opt_id(member_id, "member_id"), keep)
        o.member_box_key, o.member_box_key_len = u.secret(member_box_key, keep, "member_box_key")
        o.member_sign_key, o.member_sign_key_len = u.secret(member_sign_key, keep,
                                                            "member_sign_key")
        o.session_secret, o.session_secret_len = u.secret(session_secret, keep,
                                                          "session_secret")
        o.root_reason = u.cstr(root_reason, keep, "root_reason")
        o.root_reason_text = u.cstr(root_reason_text, keep, "root_reason_text")
        kind = "staff" if staff_id is not None else "session"
        if passphrase is not None and staff_id is None or root_key is not None:
            kind = "root"
        return cls._start(lib.council_open, _path(path), o, kind)

    @classmethod
    def _start(cls, fn: Any, path: str, opts: Any, kind: str) -> "Council":
        out = ffi.new("council **")
        rc = fn(out, u.cpath(path), opts)
        if rc != 0:
            msg = ffi.string(lib.council_errmsg(out[0])).decode("utf-8", "replace")
            lib.council_close(out[0])
            raise error_for(rc, msg)
        return cls(out[0], path, kind)

    def close(self) -> None:
        """Close the session now: the library closes the store and wipes every key. Idempotent;
        waits for a call in progress on another thread."""
        with self._lock:
            c, self._c = self._c, None
            if c is not None:
                ffi.release(c)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._c is None

    @property
    def path(self) -> str:
        """The store directory."""
        return self._path

    def __enter__(self) -> "Council":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._c is None else "open"
        return "<council.Council %s %s session at %r>" % (state, self._kind, self._path)

    def _h(self) -> Any:
        if self._c is None:
            raise MisuseError("this Council handle is closed", -12)
        return self._c

    def _check(self, rc: int) -> None:
        if rc != 0:
            raise error_for(rc, self.errmsg())

    def _call_buf(self, fn: Any, *args: Any) -> bytes:
        h = self._h()
        b = u.new_buf()
        rc = fn(h, b, *args)
        if rc != 0:
            self._lib.council_buf_free(b)  # nothing is expected there; freed (wiped) if anything is
            raise error_for(rc, self.errmsg())
        return u.take_bytes(b)

    def _call_msg(self, cls: Any, fn: Any, *args: Any) -> Any:
        """A call returning a message with decrypted content: parsed straight from the
        library's buffer, which is then wiped, so no unwipeable bytes copy is made."""
        h = self._h()
        b = u.new_buf()
        try:
            self._check(fn(h, b, *args))
            msg = cls()
            if b.ptr != ffi.NULL:
                msg.ParseFromString(ffi.buffer(b.ptr, b.len))
            return msg
        finally:
            self._lib.council_buf_free(b)

    def errmsg(self) -> str:
        """The message of the last failure on this handle (``"not an error"`` after a success)."""
        if self._c is None:
            return "handle closed"
        return ffi.string(self._lib.council_errmsg(self._c)).decode("utf-8", "replace")

    # ------------------------------------------------------------ the session

    def session_secret(self) -> bytearray:
        """A blob that opens this same session again (``open(session_secret=...)``).

        It is the session's credentials in the clear: keep it in memory only,
        and wipe it with :func:`council.wipe` when done.
        """
        h = self._h()
        cap = lib.COUNCIL_SESSION_SECRET_MAX
        out = ffi.new("uint8_t[]", cap)
        n = ffi.new("size_t *")
        try:
            self._check(self._lib.council_session_secret(h, out, cap, n))
            return bytearray(ffi.buffer(out, n[0]))
        finally:
            ffi.memmove(out, b"\0" * cap, cap)

    def powers(self) -> Powers:
        """What this session may do now (root key, secretariat, coordinator)."""
        h = self._h()
        p = ffi.new("unsigned *")
        self._check(self._lib.council_session_powers(h, p))
        return Powers(p[0])

    def info(self) -> info_pb2.CouncilInfo:
        """The council's id, name, versions and log keys (``council.v1.CouncilInfo``)."""
        return _parse(info_pb2.CouncilInfo, self._call_buf(self._lib.council_info))

    def root_uses(self) -> info_pb2.RootUseList:
        """The declared uses of the root key (``council.v1.RootUseList``), oldest first."""
        return _parse(info_pb2.RootUseList, self._call_buf(self._lib.council_root_uses))

    def passphrase_change(self, old: SecretLike, new: SecretLike, *, kdf_opslimit: int = 0,
                          kdf_memlimit: int = 0) -> None:
        """Change the council passphrase (root session)."""
        keep: list = []
        op, ol = u.secret(old, keep, "old")
        np_, nl = u.secret(new, keep, "new")
        self._check(self._lib.council_passphrase_change(self._h(), op, ol, np_, nl, kdf_opslimit,
                                                  kdf_memlimit))

    # ------------------------------------------------------------ members

    def _member_opts(self, keep: list, name: str, kind: int, roles: int,
                     scopes: Sequence[str], contact: Optional[str], joined: TimeLike) -> Any:
        o = ffi.new("council_member_options *")
        o.version = lib.COUNCIL_MEMBER_OPTIONS_VERSION
        o.name = u.cstr(name, keep, "name")
        o.kind = int(kind)
        o.roles = int(roles)
        o.scopes, o.n_scopes = u.cstr_array(scopes, keep, "scopes")
        o.contact = u.cstr(contact, keep, "contact")
        o.joined = u.unix(joined, "joined")
        return o

    def member_add(self, name: str, kind: int, *, roles: int = 0, scopes: Sequence[str] = (),
                   contact: Optional[str] = None, joined: TimeLike = None) -> _uuid.UUID:
        """Add a member (secretariat). ``kind`` is a ``member_pb2.MEMBER_KIND_*``; ``roles``
        :class:`Role` flags; ``scopes`` its scope ceiling. Returns the new member's id."""
        keep: list = []
        o = self._member_opts(keep, name, kind, roles, scopes, contact, joined)
        out = ffi.new("uint8_t[16]")
        self._check(self._lib.council_member_add(self._h(), out, 16, o))
        return _uuid.UUID(bytes=bytes(out))

    def member_update(self, member_id: IdLike, name: str, kind: int, *, roles: int = 0,
                      scopes: Sequence[str] = (), contact: Optional[str] = None,
                      joined: TimeLike = None) -> None:
        """Replace a member's name, kind, roles, scope ceiling and contact (secretariat)."""
        keep: list = []
        o = self._member_opts(keep, name, kind, roles, scopes, contact, joined)
        mid = u.id_bytes(member_id, "member_id")
        self._check(self._lib.council_member_update(self._h(), mid, 16, o))

    def member_withdraw(self, member_id: IdLike, reason: str, *, when: TimeLike = None) -> None:
        """Withdraw a member for good (the secretariat); ``reason`` says why, in words (kept in
        the register, never in the log)."""
        keep: list = []
        self._check(self._lib.council_member_withdraw(self._h(), u.id_bytes(member_id), 16,
                                                u.unix(when), u.cstr(reason, keep, "reason")))

    def member_withdraw_ex(self, member_id: IdLike, reason: str, *,
                           cases_to: Optional[IdLike] = None, when: TimeLike = None) -> None:
        """Withdraw a member, saying where the cases it owns go: to ``cases_to`` (through
        the disclosure decision, basis council_art16_exchange), or with None to the
        coordinating body's member (see :meth:`member_cases`)."""
        keep: list = []
        to, tl = u.cbytes(u.opt_id(cases_to, "cases_to"), keep)
        self._check(self._lib.council_member_withdraw_ex(self._h(), u.id_bytes(member_id), 16,
                                                         u.unix(when),
                                                         u.cstr(reason, keep, "reason"), to, tl))

    def member_cases(self, member_id: IdLike) -> case_pb2.CaseList:
        """The cases a member owns, not erased (``council.v1.CaseList``): the secretariat
        for any member, staff for their own."""
        return _parse(case_pb2.CaseList,
                      self._call_buf(self._lib.council_member_cases, u.id_bytes(member_id), 16))

    def member_get(self, member_id: IdLike) -> member_pb2.Member:
        """One member (``council.v1.Member``)."""
        return _parse(member_pb2.Member,
                      self._call_buf(self._lib.council_member_get, u.id_bytes(member_id), 16))

    def member_list(self) -> member_pb2.MemberList:
        """Every member in joining order (``council.v1.MemberList``)."""
        return _parse(member_pb2.MemberList, self._call_buf(self._lib.council_member_list))

    def member_keygen(self, member_id: IdLike, passphrase: SecretLike, *, kdf_opslimit: int = 0,
                      kdf_memlimit: int = 0) -> bytearray:
        """Make a member's key pairs; returns its keyfile, sealed under ``passphrase``.

        The keyfile is a bytearray: store it, then :func:`council.wipe` it.
        """
        keep: list = []
        pp, pl = u.secret(passphrase, keep, "passphrase")
        h = self._h()
        b = u.new_buf()
        self._check(self._lib.council_member_keygen(h, b, u.id_bytes(member_id), 16, pp, pl,
                                              kdf_opslimit, kdf_memlimit))
        return u.take_secret(b)

    def member_keygen_file(self, path: PathLike, member_id: IdLike, passphrase: SecretLike, *,
                           kdf_opslimit: int = 0, kdf_memlimit: int = 0) -> None:
        """As :meth:`member_keygen`, writing the keyfile to ``path`` (mode 0600)."""
        keep: list = []
        pp, pl = u.secret(passphrase, keep, "passphrase")
        self._check(self._lib.council_member_keygen_file(self._h(), u.cpath(path),
                                                   u.id_bytes(member_id), 16, pp, pl,
                                                   kdf_opslimit, kdf_memlimit))

    def member_register_key(self, member_id: IdLike, box_public_key: bytes,
                            sign_public_key: bytes) -> None:
        """Register public keys a member made itself (X25519 and Ed25519, 32 bytes each)."""
        keep: list = []
        bp, bl = u.cbytes(box_public_key, keep)
        sp, sl = u.cbytes(sign_public_key, keep)
        self._check(self._lib.council_member_register_key(self._h(), u.id_bytes(member_id), 16,
                                                    bp, bl, sp, sl))

    def members_announce(self) -> member_pb2.Announcement:
        """The public announcement (``council.v1.Announcement``)."""
        return _parse(member_pb2.Announcement, self._call_buf(self._lib.council_members_announce))

    # ------------------------------------------------------------ staff

    def staff_add(self, member_id: IdLike, display_name: str,
                  role: Optional[str] = None) -> _uuid.UUID:
        """Add a staff member of a member (secretariat). Returns the staff id."""
        keep: list = []
        out = ffi.new("uint8_t[16]")
        self._check(self._lib.council_staff_add(self._h(), out, 16, u.id_bytes(member_id), 16,
                                          u.cstr(display_name, keep, "display_name"),
                                          u.cstr(role, keep, "role")))
        return _uuid.UUID(bytes=bytes(out))

    def staff_pledge(self, staff_id: IdLike, text_version: str, text: Union[str, bytes], *,
                     when: TimeLike = None, witness: Optional[str] = None) -> None:
        """Record a staff member's confidentiality pledge (the text is hashed, not stored)."""
        keep: list = []
        tb = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        tp, tl = u.cbytes(tb, keep)
        self._check(self._lib.council_staff_pledge(self._h(), u.id_bytes(staff_id), 16, u.unix(when),
                                             u.cstr(text_version, keep, "text_version"),
                                             tp, tl, u.cstr(witness, keep, "witness")))

    def staff_retire(self, staff_id: IdLike, reason: str, *, when: TimeLike = None) -> None:
        """Retire a staff member (still bound by the pledge, never deleted)."""
        keep: list = []
        self._check(self._lib.council_staff_retire(self._h(), u.id_bytes(staff_id), 16, u.unix(when),
                                             u.cstr(reason, keep, "reason")))

    def staff_list(self, member_id: Optional[IdLike] = None) -> member_pb2.StaffList:
        """Staff with their pledges (``council.v1.StaffList``), of one member or all."""
        keep: list = []
        mp, ml = u.cbytes(u.opt_id(member_id, "member_id"), keep)
        return _parse(member_pb2.StaffList, self._call_buf(self._lib.council_staff_list, mp, ml))

    # ------------------------------------------------------------ scopes

    def scope_add(self, code: str, *, sensitive: bool = False) -> None:
        """Add a scope to the catalogue (secretariat)."""
        keep: list = []
        flags = lib.COUNCIL_SCOPE_SENSITIVE if sensitive else 0
        self._check(self._lib.council_scope_add(self._h(), u.cstr(code, keep, "code"), flags))

    def scope_remove(self, code: str) -> None:
        """Remove an unused scope from the catalogue (secretariat)."""
        keep: list = []
        self._check(self._lib.council_scope_remove(self._h(), u.cstr(code, keep, "code")))

    def scope_list(self) -> case_pb2.ScopeList:
        """The scope catalogue, sorted by code (``council.v1.ScopeList``)."""
        return _parse(case_pb2.ScopeList, self._call_buf(self._lib.council_scope_list))

    # ------------------------------------------------------------ cases

    def case_create(self, *, body: int = 0, owner: Optional[IdLike] = None,
                    anonymous: bool = False) -> NewCase:
        """Open a case with its supported person. ``body`` is a ``case_pb2.CASE_BODY_*``
        (0: the council); ``owner`` the owning member in a root session (None in a staff
        session: its own member); ``anonymous`` for anonymous intake (a hotline or chat
        contact: no name, never found by name)."""
        keep: list = []
        o = ffi.new("council_case_options *")
        o.version = lib.COUNCIL_CASE_OPTIONS_VERSION
        o.body = int(body)
        o.anonymous = 1 if anonymous else 0
        o.owner, o.owner_len = u.cbytes(u.opt_id(owner, "owner"), keep)
        cid = ffi.new("uint8_t[16]")
        pid = ffi.new("uint8_t[16]")
        self._check(self._lib.council_case_create(self._h(), cid, 16, pid, 16, o))
        return NewCase(_uuid.UUID(bytes=bytes(cid)), _uuid.UUID(bytes=bytes(pid)))

    def case_add_person(self, case_id: IdLike, role: int) -> _uuid.UUID:
        """Add a family member or close third party (``case_pb2.PERSON_ROLE_*``); returns
        the person's id."""
        out = ffi.new("uint8_t[16]")
        self._check(self._lib.council_case_add_person(self._h(), out, 16, u.id_bytes(case_id), 16,
                                                int(role)))
        return _uuid.UUID(bytes=bytes(out))

    def person_merge(self, case_id: IdLike, keep: IdLike, gone: IdLike) -> None:
        """Record that two persons of a case are the same person: ``gone`` is merged into
        ``keep`` (both histories kept). The secretariat or the owner's staff."""
        self._check(self._lib.council_person_merge(self._h(), u.id_bytes(case_id), 16,
                                                   u.id_bytes(keep), 16, u.id_bytes(gone), 16))

    def case_transfer(self, case_id: IdLike, to: IdLike, *, basis: str,
                      reason: Optional[str] = None, consent_id: Optional[IdLike] = None,
                      purpose: Optional[str] = None) -> None:
        """Move a case's ownership to member ``to`` (the secretariat). The disclosure
        decision runs over every scope of the case (NoConsentError); the keys are
        rewrapped for the new owner and rotated."""
        keep: list = []
        o = ffi.new("council_transfer_options *")
        o.version = lib.COUNCIL_TRANSFER_OPTIONS_VERSION
        o.basis = u.cstr(basis, keep, "basis")
        o.reason = u.cstr(reason, keep, "reason")
        o.consent_id, o.consent_id_len = u.cbytes(u.opt_id(consent_id, "consent_id"), keep)
        o.purpose = u.cstr(purpose, keep, "purpose")
        self._check(self._lib.council_case_transfer(self._h(), u.id_bytes(case_id), 16,
                                                    u.id_bytes(to), 16, o))

    def case_set_status(self, case_id: IdLike, status: int) -> None:
        """Set a case's status (``case_pb2.CASE_STATUS_OPEN``, ``MONITORING``, ``CLOSED``)."""
        self._check(self._lib.council_case_set_status(self._h(), u.id_bytes(case_id), 16, int(status)))

    def section_write(self, case_id: IdLike, person_id: IdLike, scope: str,
                      section: Union[SectionLike, bytes]) -> int:
        """Write a new version of a person's section in ``scope``; returns the version.

        ``section`` is a ``case_pb2.Section`` message, or a dict in its JSON
        mapping (e.g. ``{"text": "..."}``), or its serialised bytes.
        """
        keep: list = []
        raw = _section_bytes(section)
        sp, sl = u.cbytes(raw, keep)
        ver = ffi.new("uint32_t *")
        self._check(self._lib.council_section_write(self._h(), ver, u.id_bytes(case_id), 16,
                                              u.id_bytes(person_id), 16,
                                              u.cstr(scope, keep, "scope"), sp, sl))
        return int(ver[0])

    def section_read(self, case_id: IdLike, person_id: IdLike, scope: str,
                     purpose: str) -> case_pb2.SectionRecord:
        """Decrypt the latest version of a section (logged with ``purpose``)."""
        keep: list = []
        return self._call_msg(
            case_pb2.SectionRecord, self._lib.council_section_read, u.id_bytes(case_id), 16,
            u.id_bytes(person_id), 16,
            u.cstr(scope, keep, "scope"), u.cstr(purpose, keep, "purpose"))

    def section_history(self, case_id: IdLike, person_id: IdLike, scope: str,
                        purpose: str) -> case_pb2.SectionHistory:
        """Every version of a section (``council.v1.SectionHistory``)."""
        keep: list = []
        return self._call_msg(
            case_pb2.SectionHistory, self._lib.council_section_history, u.id_bytes(case_id), 16,
            u.id_bytes(person_id), 16,
            u.cstr(scope, keep, "scope"), u.cstr(purpose, keep, "purpose"))

    def sections_read(self, sections: Sequence[tuple], purpose: str) -> list:
        """Several sections, each ``(case_id, person_id, scope)``, read with one durable
        commit (``council_sections_read``): a list of ``SectionRecord`` in the same order.
        Each read is logged; all or nothing (a refusal of one refuses them all)."""
        keep: list = []
        items = list(sections)
        n = len(items)
        refs = ffi.new("council_section_ref[]", max(n, 1))
        for i, item in enumerate(items):
            case_id, person_id, scope = item
            cid = ffi.new("uint8_t[]", u.id_bytes(case_id, "case_id"))
            pid = ffi.new("uint8_t[]", u.id_bytes(person_id, "person_id"))
            keep += [cid, pid]
            refs[i].case_id = cid
            refs[i].case_id_len = 16
            refs[i].person_id = pid
            refs[i].person_id_len = 16
            refs[i].scope = u.cstr(scope, keep, "scope")
        out = ffi.new("council_buf[]", max(n, 1))
        h = self._h()
        try:
            self._check(self._lib.council_sections_read(h, out, refs, n,
                                                        u.cstr(purpose, keep, "purpose")))
            result = []
            for i in range(n):
                msg = case_pb2.SectionRecord()
                msg.ParseFromString(ffi.buffer(out[i].ptr, out[i].len))
                result.append(msg)
            return result
        finally:
            for i in range(max(n, 1)):
                self._lib.council_buf_free(out + i)

    def case_read(self, case_id: IdLike, purpose: str) -> case_pb2.CaseContent:
        """A case with every section this session may read (``council.v1.CaseContent``)."""
        keep: list = []
        return self._call_msg(
            case_pb2.CaseContent, self._lib.council_case_read, u.id_bytes(case_id), 16,
            u.cstr(purpose, keep, "purpose"))

    def case_get(self, case_id: IdLike) -> case_pb2.CaseInfo:
        """A case's metadata, no content (``council.v1.CaseInfo``)."""
        return _parse(case_pb2.CaseInfo,
                      self._call_buf(self._lib.council_case_get, u.id_bytes(case_id), 16))

    def case_list(self) -> case_pb2.CaseList:
        """The cases this session may see, in creation order (``council.v1.CaseList``)."""
        return _parse(case_pb2.CaseList, self._call_buf(self._lib.council_case_list))

    @staticmethod
    def _share_opts(keep: list, scopes: Sequence[str], purpose: str, basis: str,
                    reason: Optional[str], consent_id: Optional[IdLike], expires: TimeLike,
                    purpose_text: Optional[str], second_approver: Optional[IdLike]) -> Any:
        o = ffi.new("council_share_options *")
        o.version = lib.COUNCIL_SHARE_OPTIONS_VERSION
        o.scopes, o.n_scopes = u.cstr_array(scopes, keep, "scopes")
        o.purpose = u.cstr(purpose, keep, "purpose")
        o.basis = u.cstr(basis, keep, "basis")
        o.reason = u.cstr(reason, keep, "reason")
        o.consent_id, o.consent_id_len = u.cbytes(u.opt_id(consent_id, "consent_id"), keep)
        o.expires = u.unix(expires, "expires")
        o.purpose_text = u.cstr(purpose_text, keep, "purpose_text")
        o.second_approver, o.second_approver_len = u.cbytes(
            u.opt_id(second_approver, "second_approver"), keep)
        return o

    def case_share(self, case_id: IdLike, member_id: IdLike, scopes: Sequence[str], *,
                   purpose: str, basis: str, reason: Optional[str] = None,
                   consent_id: Optional[IdLike] = None, expires: TimeLike = None,
                   purpose_text: Optional[str] = None,
                   second_approver: Optional[IdLike] = None) -> None:
        """Share scopes of a case with a member.

        ``basis`` is "consent" (with ``consent_id``) or an APPI exception code
        ("appi_27_1_4_public_duty", …, with a written ``reason``). Refusals
        raise NoConsentError, DeniedError, AuthError …; ask first with
        :meth:`case_share_check`.
        """
        keep: list = []
        o = self._share_opts(keep, scopes, purpose, basis, reason, consent_id, expires,
                             purpose_text, second_approver)
        self._check(self._lib.council_case_share(self._h(), u.id_bytes(case_id), 16,
                                           u.id_bytes(member_id), 16, o))

    def case_share_check(self, case_id: IdLike, member_id: IdLike, scopes: Sequence[str], *,
                         purpose: str, basis: str, reason: Optional[str] = None,
                         consent_id: Optional[IdLike] = None, expires: TimeLike = None,
                         purpose_text: Optional[str] = None,
                         second_approver: Optional[IdLike] = None) -> ShareDecision:
        """The disclosure decision alone (a dry run of :meth:`case_share`; nothing logged).

        Returns a :class:`ShareDecision` for an allowed share and for a policy
        refusal (no consent, outside the ceiling, recipient withdrawn or
        unsigned); other failures (unknown case, bad arguments …) raise.
        """
        keep: list = []
        o = self._share_opts(keep, scopes, purpose, basis, reason, consent_id, expires,
                             purpose_text, second_approver)
        h = self._h()
        b = u.new_buf()
        rc = self._lib.council_case_share_check(h, b, u.id_bytes(case_id), 16,
                                          u.id_bytes(member_id), 16, o)
        text = u.take_text(b)
        if rc in (0, lib.COUNCIL_ENOCONSENT, lib.COUNCIL_EDENIED, lib.COUNCIL_EAUTH) and text:
            return ShareDecision(rc == 0, text, int(rc))
        self._check(rc)
        return ShareDecision(True, text, 0)

    def case_revoke(self, case_id: IdLike, member_id: IdLike, reason: str, *,
                    scopes: Optional[Sequence[str]] = None) -> None:
        """End a member's shares of a case (``scopes`` None: all); the keys rotate."""
        keep: list = []
        sp, sn = u.cstr_array(scopes, keep, "scopes")
        self._check(self._lib.council_case_revoke(self._h(), u.id_bytes(case_id), 16,
                                            u.id_bytes(member_id), 16, sp, sn,
                                            u.cstr(reason, keep, "reason")))

    def case_erase(self, case_id: IdLike, reason: str) -> None:
        """Erase a case: its keys are destroyed, only a tombstone is left."""
        keep: list = []
        self._check(self._lib.council_case_erase(self._h(), u.id_bytes(case_id), 16,
                                           u.cstr(reason, keep, "reason")))

    def case_find(self, name: str, birth_date: Optional[str] = None) -> case_pb2.CaseMatches:
        """Whether a person is known, by folded name (and "YYYY-MM-DD" birth date).

        Matches come from a blind index: confirm each against the identity section.
        """
        keep: list = []
        return _parse(case_pb2.CaseMatches, self._call_buf(
            self._lib.council_case_find, u.cstr(name, keep, "name"),
            u.cstr(birth_date, keep, "birth_date")))

    def case_rekey(self, case_id: IdLike) -> None:
        """Rotate a case's data keys."""
        self._check(self._lib.council_case_rekey(self._h(), u.id_bytes(case_id), 16))

    # ------------------------------------------------------------ batches and rekeys

    def batch_begin(self) -> None:
        """Start a batch: the following writes commit together (see :meth:`batch`)."""
        self._check(self._lib.council_batch_begin(self._h()))

    def batch_commit(self) -> None:
        """Commit the open batch."""
        self._check(self._lib.council_batch_commit(self._h()))

    def batch_rollback(self) -> None:
        """Roll back the open batch."""
        self._check(self._lib.council_batch_rollback(self._h()))

    @contextlib.contextmanager
    def batch(self) -> Iterator["Council"]:
        """``with c.batch():`` commits on success and rolls back on an exception."""
        self.batch_begin()
        try:
            yield self
        except BaseException:
            if self._c is not None:
                self._lib.council_batch_rollback(self._c)
            raise
        self.batch_commit()

    def rekey_database(self) -> None:
        """Re-key the store's database (root)."""
        self._check(self._lib.council_rekey_database(self._h()))

    def rekey_root(self, *, new_passphrase: Optional[SecretLike] = None,
                   new_root_key: Optional[SecretLike] = None, kdf_opslimit: int = 0,
                   kdf_memlimit: int = 0) -> None:
        """Replace the root key, protected by a new passphrase or a new root key (root)."""
        keep: list = []
        pp, pl = u.secret(new_passphrase, keep, "new_passphrase")
        kp, kl = u.secret(new_root_key, keep, "new_root_key")
        self._check(self._lib.council_rekey_root(self._h(), pp, pl, kp, kl, kdf_opslimit,
                                           kdf_memlimit))

    # ------------------------------------------------------------ consent

    def _consent(self, fn: Any, case_id: IdLike, subject_person: IdLike,
                 scopes: Sequence[str], purposes: Sequence[str], method: int,
                 recipient_members: Sequence[IdLike], grantor: int,
                 grantor_name: Optional[str], external_party: Optional[str],
                 purpose_other: Optional[str], valid_from: TimeLike, valid_until: TimeLike,
                 obtained_by: Optional[IdLike], evidence_sha256: Optional[bytes]) -> _uuid.UUID:
        keep: list = []
        o = ffi.new("council_consent_options *")
        o.version = lib.COUNCIL_CONSENT_OPTIONS_VERSION
        o.case_id, o.case_id_len = u.cbytes(u.id_bytes(case_id, "case_id"), keep)
        o.subject_person, o.subject_person_len = u.cbytes(
            u.id_bytes(subject_person, "subject_person"), keep)
        o.grantor = int(grantor)
        o.grantor_name = u.cstr(grantor_name, keep, "grantor_name")
        o.recipient_members, o.n_recipient_members = u.ids_packed(recipient_members, keep)
        o.external_party = u.cstr(external_party, keep, "external_party")
        o.scopes, o.n_scopes = u.cstr_array(scopes, keep, "scopes")
        o.purposes, o.n_purposes = u.cstr_array(purposes, keep, "purposes")
        o.purpose_other = u.cstr(purpose_other, keep, "purpose_other")
        o.valid_from = u.unix(valid_from, "valid_from")
        o.valid_until = u.unix(valid_until, "valid_until")
        o.method = int(method)
        o.obtained_by, o.obtained_by_len = u.cbytes(u.opt_id(obtained_by, "obtained_by"), keep)
        o.evidence_sha256, o.evidence_len = u.cbytes(evidence_sha256, keep)
        out = ffi.new("uint8_t[16]")
        self._check(fn(self._h(), out, 16, o))
        return _uuid.UUID(bytes=bytes(out))

    def consent_record(self, case_id: IdLike, subject_person: IdLike, *, scopes: Sequence[str],
                       purposes: Sequence[str], method: int,
                       recipient_members: Sequence[IdLike] = (), grantor: int = 0,
                       grantor_name: Optional[str] = None, external_party: Optional[str] = None,
                       purpose_other: Optional[str] = None, valid_from: TimeLike = None,
                       valid_until: TimeLike = None, obtained_by: Optional[IdLike] = None,
                       evidence_sha256: Optional[bytes] = None) -> _uuid.UUID:
        """Record a person's consent to share ``scopes`` for ``purposes`` with the recipients.

        ``method`` is a ``consent_pb2.CONSENT_METHOD_*``; ``grantor`` a
        ``consent_pb2.GRANTOR_KIND_*`` (0: the person). Returns the record's id.
        """
        return self._consent(self._lib.council_consent_record, case_id, subject_person, scopes,
                             purposes, method, recipient_members, grantor, grantor_name,
                             external_party, purpose_other, valid_from, valid_until,
                             obtained_by, evidence_sha256)

    def consent_refuse(self, case_id: IdLike, subject_person: IdLike, *, scopes: Sequence[str],
                       purposes: Sequence[str], method: int,
                       recipient_members: Sequence[IdLike] = (), grantor: int = 0,
                       grantor_name: Optional[str] = None, external_party: Optional[str] = None,
                       purpose_other: Optional[str] = None, valid_from: TimeLike = None,
                       valid_until: TimeLike = None, obtained_by: Optional[IdLike] = None,
                       evidence_sha256: Optional[bytes] = None) -> _uuid.UUID:
        """Record that a person does NOT consent (a refusal record); same arguments as
        :meth:`consent_record`."""
        return self._consent(self._lib.council_consent_refuse, case_id, subject_person, scopes,
                             purposes, method, recipient_members, grantor, grantor_name,
                             external_party, purpose_other, valid_from, valid_until,
                             obtained_by, evidence_sha256)

    def consent_withdraw(self, consent_id: IdLike, reason: str, *, when: TimeLike = None) -> None:
        """Withdraw a consent: the shares resting on it end."""
        keep: list = []
        self._check(self._lib.council_consent_withdraw(self._h(), u.id_bytes(consent_id), 16,
                                                 u.unix(when), u.cstr(reason, keep, "reason")))

    def consent_get(self, consent_id: IdLike) -> consent_pb2.ConsentRecord:
        """One consent record, its status as of now (``council.v1.ConsentRecord``)."""
        return _parse(consent_pb2.ConsentRecord,
                      self._call_buf(self._lib.council_consent_get, u.id_bytes(consent_id), 16))

    def consent_list(self, case_id: IdLike) -> consent_pb2.ConsentList:
        """A case's consent records in the order recorded (``council.v1.ConsentList``)."""
        return _parse(consent_pb2.ConsentList,
                      self._call_buf(self._lib.council_consent_list, u.id_bytes(case_id), 16))

    def policy_set(self, accepted_bases: Sequence[str], *,
                   vital_second_approver: bool = True, cross_body_use: bool = False) -> None:
        """Set the disclosure policy: the accepted bases ("consent" among them);
        ``cross_body_use`` lets a case collected under one body be discussed at a
        meeting under another without a consent covering it."""
        keep: list = []
        o = ffi.new("council_policy_options *")
        o.version = lib.COUNCIL_POLICY_OPTIONS_VERSION
        o.accepted_bases, o.n_accepted_bases = u.cstr_array(accepted_bases, keep, "bases")
        o.vital_second_approver = 1 if vital_second_approver else 0
        o.cross_body_use = 1 if cross_body_use else 0
        self._check(self._lib.council_policy_set(self._h(), o))

    def policy_get(self) -> consent_pb2.Policy:
        """The disclosure policy in force (``council.v1.Policy``)."""
        return _parse(consent_pb2.Policy, self._call_buf(self._lib.council_policy_get))

    def timezone_set(self, tz: str) -> None:
        """Set the council's time zone (an IANA name, e.g. "Asia/Tokyo")."""
        keep: list = []
        self._check(self._lib.council_timezone_set(self._h(), u.cstr(tz, keep, "tz")))

    def timezone_get(self) -> str:
        """The council's time zone."""
        h = self._h()
        n = lib.COUNCIL_TIMEZONE_MAX + 1
        out = ffi.new("char[]", n)
        self._check(self._lib.council_timezone_get(h, out, n))
        return ffi.string(out).decode("utf-8")

    # ------------------------------------------------------------ meetings

    def meeting_create(self, body: int, starts: TimeLike, ends: TimeLike,
                       attendees: Sequence[IdLike],
                       slots: Sequence[tuple] = ()) -> _uuid.UUID:
        """Create a meeting (``meeting_pb2.MEETING_BODY_*``) of the attendee members;
        ``slots``: (body, starts, ends) time slots held as other bodies."""
        keep: list = []
        o = ffi.new("council_meeting_options *")
        o.version = lib.COUNCIL_MEETING_OPTIONS_VERSION
        o.body = int(body)
        o.starts = u.unix(starts, "starts")
        o.ends = u.unix(ends, "ends")
        o.attendees, o.n_attendees = u.ids_packed(attendees, keep, "attendees")
        if slots:
            sl = ffi.new("council_meeting_slot[]", len(slots))
            for i, (sbody, sstart, send) in enumerate(slots):
                sl[i].body = int(sbody)
                sl[i].starts = u.unix(sstart, "slot starts")
                sl[i].ends = u.unix(send, "slot ends")
            keep.append(sl)
            o.slots = sl
            o.n_slots = len(slots)
        out = ffi.new("uint8_t[16]")
        self._check(self._lib.council_meeting_create(self._h(), out, 16, o))
        return _uuid.UUID(bytes=bytes(out))

    def meeting_add_case(self, meeting_id: IdLike, case_id: IdLike, attendee: IdLike,
                         scopes: Sequence[str], *, purpose: str, basis: str,
                         reason: Optional[str] = None, consent_id: Optional[IdLike] = None,
                         expires: TimeLike = None, purpose_text: Optional[str] = None,
                         second_approver: Optional[IdLike] = None) -> None:
        """Put a case on a meeting's agenda for an attendee, sharing as :meth:`case_share`."""
        keep: list = []
        o = self._share_opts(keep, scopes, purpose, basis, reason, consent_id, expires,
                             purpose_text, second_approver)
        self._check(self._lib.council_meeting_add_case(self._h(), u.id_bytes(meeting_id), 16,
                                                 u.id_bytes(case_id), 16,
                                                 u.id_bytes(attendee), 16, o))

    def meeting_add_item(self, meeting_id: IdLike, case_id: IdLike, attendee: IdLike,
                         scopes: Sequence[str], *, purpose: str, basis: str, body: int = 0,
                         reason: Optional[str] = None, consent_id: Optional[IdLike] = None,
                         purpose_text: Optional[str] = None,
                         second_approver: Optional[IdLike] = None) -> None:
        """:meth:`meeting_add_case` naming the body (``meeting_pb2.MEETING_BODY_*``, 0: the
        meeting's) the item is discussed under; a case collected under another body is
        refused unless the policy allows cross-body use or a consent covers it."""
        keep: list = []
        so = self._share_opts(keep, scopes, purpose, basis, reason, consent_id, None,
                              purpose_text, second_approver)
        o = ffi.new("council_agenda_options *")
        o.version = lib.COUNCIL_AGENDA_OPTIONS_VERSION
        o.share = so
        o.body = int(body)
        self._check(self._lib.council_meeting_add_item(self._h(), u.id_bytes(meeting_id), 16,
                                                 u.id_bytes(case_id), 16,
                                                 u.id_bytes(attendee), 16, o))

    def meeting_minutes(self, meeting_id: IdLike, text: str) -> None:
        """Record the meeting's minutes, sealed to every attendee (the secretariat)."""
        keep: list = []
        self._check(self._lib.council_meeting_minutes(self._h(), u.id_bytes(meeting_id), 16,
                                                      u.cstr(text, keep, "text")))

    def meeting_decide(self, meeting_id: IdLike, text: str,
                       case_id: Optional[IdLike] = None) -> _uuid.UUID:
        """Record a decision (about ``case_id``, on the agenda, or none); sealed to the
        attendees the case was disclosed to (all, for no case). Returns its id."""
        keep: list = []
        out = ffi.new("uint8_t[16]")
        cid = u.id_bytes(case_id) if case_id is not None else ffi.NULL
        self._check(self._lib.council_meeting_decide(self._h(), out, 16, u.id_bytes(meeting_id),
                                                     16, cid, 16 if case_id is not None else 0,
                                                     u.cstr(text, keep, "text")))
        return _uuid.UUID(bytes=bytes(out))

    def meeting_record(self, meeting_id: IdLike) -> meeting_pb2.MeetingRecord:
        """The minutes and the decisions this session may read (``council.v1.MeetingRecord``);
        each read is logged first."""
        return _parse(meeting_pb2.MeetingRecord,
                      self._call_buf(self._lib.council_meeting_record, u.id_bytes(meeting_id), 16))

    def meeting_decision_read(self, decision_id: IdLike) -> meeting_pb2.MeetingDecision:
        """One decision with its text (``council.v1.MeetingDecision``), if sealed to the
        session's member (logged)."""
        return _parse(meeting_pb2.MeetingDecision,
                      self._call_buf(self._lib.council_meeting_decision_read,
                                     u.id_bytes(decision_id), 16))

    def meeting_get(self, meeting_id: IdLike) -> meeting_pb2.Meeting:
        """A meeting (``council.v1.Meeting``)."""
        return _parse(meeting_pb2.Meeting,
                      self._call_buf(self._lib.council_meeting_get, u.id_bytes(meeting_id), 16))

    def meeting_packet(self, meeting_id: IdLike, attendee: IdLike) -> bytes:
        """One attendee's meeting packet, sealed to the attendee member's X25519 key (root).

        The bytes are a ``council.v1.MeetingPacket`` sealed with
        ``crypto_box_seal``: only the attendee opens them, with
        :func:`council.open_meeting_packet` and its raw box secret key.
        Every section in it is logged as read (purpose meeting_discussion).
        """
        return self._call_buf(self._lib.council_meeting_packet, u.id_bytes(meeting_id), 16,
                              u.id_bytes(attendee), 16)

    def meeting_close(self, meeting_id: IdLike) -> None:
        """Close a meeting: its shares end."""
        self._check(self._lib.council_meeting_close(self._h(), u.id_bytes(meeting_id), 16))

    # ------------------------------------------------------------ referrals

    def referral_propose(self, case_id: IdLike, to_member: IdLike, scopes: Sequence[str], *,
                         basis: str, purpose: Optional[str] = None, reason: Optional[str] = None,
                         consent_id: Optional[IdLike] = None, person_id: Optional[IdLike] = None,
                         note: Optional[str] = None,
                         decision_id: Optional[IdLike] = None) -> _uuid.UUID:
        """Propose a referral (つなぐ) of a case to a member; returns its id.

        The disclosure decision runs now (NoConsentError, DeniedError); the
        recipient gets the scopes' keys once it accepts, or now when
        :meth:`referral_read_while_deciding_set` is on. ``note`` is sealed to
        both members and the coordinating body.
        """
        keep: list = []
        o = ffi.new("council_referral_options *")
        o.version = lib.COUNCIL_REFERRAL_OPTIONS_VERSION
        o.case_id, o.case_id_len = u.cbytes(u.id_bytes(case_id, "case_id"), keep)
        o.to_member, o.to_member_len = u.cbytes(u.id_bytes(to_member, "to_member"), keep)
        o.person_id, o.person_id_len = u.cbytes(u.opt_id(person_id, "person_id"), keep)
        o.scopes, o.n_scopes = u.cstr_array(scopes, keep, "scopes")
        o.purpose = u.cstr(purpose, keep, "purpose")
        o.basis = u.cstr(basis, keep, "basis")
        o.reason = u.cstr(reason, keep, "reason")
        o.consent_id, o.consent_id_len = u.cbytes(u.opt_id(consent_id, "consent_id"), keep)
        o.decision_id, o.decision_id_len = u.cbytes(u.opt_id(decision_id, "decision_id"), keep)
        if note is not None:
            o.note, o.note_len = u.cbytes(note.encode("utf-8"), keep)
        out = ffi.new("uint8_t[16]")
        self._check(self._lib.council_referral_propose(self._h(), out, 16, o))
        return _uuid.UUID(bytes=bytes(out))

    def referral_transition(self, referral_id: IdLike, to_state: int, *,
                            reason_code: Optional[str] = None, reason_text: Optional[str] = None,
                            keep_share: bool = False) -> None:
        """Move a referral to ``to_state`` (``referral_pb2.REFERRAL_ACCEPTED``, ``_DECLINED``,
        ``_WITHDRAWN``, ``_COMPLETED`` or ``_ENDED``); declining and ending need a
        ``reason_code``. A step the state does not allow raises InvalidArgumentError."""
        keep: list = []
        text = u.cbytes(reason_text.encode("utf-8"), keep) if reason_text is not None \
            else (ffi.NULL, 0)
        flags = lib.COUNCIL_REFERRAL_KEEP_SHARE if keep_share else 0
        self._check(self._lib.council_referral_transition(
            self._h(), u.id_bytes(referral_id), 16, int(to_state),
            u.cstr(reason_code, keep, "reason_code"), text[0], text[1], flags))

    def referral_deliver(self, referral_id: IdLike) -> None:
        """Share an accepted referral's scopes, or rotate an ended one's keys (the owner's
        staff or the secretariat)."""
        self._check(self._lib.council_referral_deliver(self._h(), u.id_bytes(referral_id), 16))

    def referral_get(self, referral_id: IdLike) -> referral_pb2.Referral:
        """A referral (``council.v1.Referral``): offer, state, steps; never the note's text."""
        return _parse(referral_pb2.Referral,
                      self._call_buf(self._lib.council_referral_get, u.id_bytes(referral_id), 16))

    def referral_note(self, referral_id: IdLike, step: int = 0) -> str:
        """The referral's note (``step`` 0) or the written reason of a step; the read is
        logged first."""
        b = self._call_buf(self._lib.council_referral_note, u.id_bytes(referral_id), 16,
                           int(step))
        return b.decode("utf-8")

    def referral_list(self, *, case_id: Optional[IdLike] = None,
                      member_id: Optional[IdLike] = None,
                      state: int = 0) -> referral_pb2.ReferralList:
        """The referrals the session may see, oldest first (``council.v1.ReferralList``)."""
        keep: list = []
        f = ffi.new("council_referral_filter *")
        f.version = lib.COUNCIL_REFERRAL_FILTER_VERSION
        f.case_id, f.case_id_len = u.cbytes(u.opt_id(case_id, "case_id"), keep)
        f.member_id, f.member_id_len = u.cbytes(u.opt_id(member_id, "member_id"), keep)
        f.state = int(state)
        return _parse(referral_pb2.ReferralList,
                      self._call_buf(self._lib.council_referral_list, f))

    def referral_read_while_deciding_set(self, on: bool) -> None:
        """Whether a referral's recipient reads while it decides (the secretariat)."""
        self._check(self._lib.council_referral_read_while_deciding_set(self._h(),
                                                                        1 if on else 0))

    def referral_read_while_deciding_get(self) -> bool:
        """The setting above."""
        out = ffi.new("int *")
        self._check(self._lib.council_referral_read_while_deciding_get(self._h(), out))
        return bool(out[0])
    # ------------------------------------------------------------ cooperation requests

    _REQUEST_KINDS = {"information": 1, "opinion": 2, "other": 4}
    _REQUEST_TEXTS = {"asked": 1, "answer": 2, "reason": 3}

    def request_make(self, case_id: IdLike, member_id: IdLike, kinds: Sequence[str],
                     text: str, due: TimeLike, *, basis: str,
                     scopes: Optional[Sequence[str]] = None,
                     consent_id: Optional[IdLike] = None) -> _uuid.UUID:
        """Ask a member about a case (協力要請, Art. 16(3)); the council's sessions only.

        ``kinds`` are "information" (with ``scopes``), "opinion", "other";
        ``text`` (what is asked) is sealed for the council and the member;
        ``basis`` is "council_art16_exchange" (where the policy accepts it) or
        "consent" with ``consent_id``. A refusal of the disclosure decision
        raises NoConsentError.
        """
        keep: list = []
        if isinstance(kinds, str):
            kinds = [kinds]
        flags = 0
        for k in kinds:
            if k not in self._REQUEST_KINDS:
                raise ValueError("kinds: information, opinion or other")
            flags |= self._REQUEST_KINDS[k]
        o = ffi.new("council_request_options *")
        o.version = lib.COUNCIL_REQUEST_OPTIONS_VERSION
        o.case_id, o.case_id_len = u.cbytes(u.id_bytes(case_id, "case_id"), keep)
        o.member_id, o.member_id_len = u.cbytes(u.id_bytes(member_id, "member_id"), keep)
        o.kinds = flags
        o.scopes, o.n_scopes = u.cstr_array(scopes, keep, "scopes")
        o.text = u.cstr(text, keep, "text")
        o.text_len = len(text.encode("utf-8"))
        o.due = u.unix(due, "due")
        o.basis = u.cstr(basis, keep, "basis")
        o.consent_id, o.consent_id_len = u.cbytes(u.opt_id(consent_id, "consent_id"), keep)
        out = ffi.new("uint8_t[16]")
        self._check(self._lib.council_request_make(self._h(), out, 16, o))
        return _uuid.UUID(bytes=bytes(out))

    def request_answer(self, request_id: IdLike, *, scopes: Optional[Sequence[str]] = None,
                       text: Optional[str] = None) -> None:
        """Answer an open request (the member asked's staff only): the ``scopes``
        provided (of those asked) and/or an opinion or answer ``text``."""
        keep: list = []
        o = ffi.new("council_request_answer_options *")
        o.version = lib.COUNCIL_REQUEST_ANSWER_OPTIONS_VERSION
        o.scopes, o.n_scopes = u.cstr_array(scopes, keep, "scopes")
        o.text = u.cstr(text, keep, "text")
        o.text_len = len(text.encode("utf-8")) if text is not None else 0
        self._check(self._lib.council_request_answer(self._h(), u.id_bytes(request_id), 16, o))

    def request_decline(self, request_id: IdLike, reason: str, *,
                        text: Optional[str] = None) -> None:
        """Decline an open request with a reason code (and a sealed written reason)."""
        keep: list = []
        n = len(text.encode("utf-8")) if text is not None else 0
        self._check(self._lib.council_request_decline(self._h(), u.id_bytes(request_id), 16,
                                                      u.cstr(reason, keep, "reason"),
                                                      u.cstr(text, keep, "text"), n))

    def request_withdraw(self, request_id: IdLike, reason: Optional[str] = None) -> None:
        """Withdraw an open request (the council's sessions; reason code, default
        "withdrawn")."""
        keep: list = []
        self._check(self._lib.council_request_withdraw(self._h(), u.id_bytes(request_id), 16,
                                                       u.cstr(reason, keep, "reason")))

    def request_get(self, request_id: IdLike) -> request_pb2.CooperationRequest:
        """A request and its transitions (``council.v1.CooperationRequest``; no text)."""
        return _parse(request_pb2.CooperationRequest,
                      self._call_buf(self._lib.council_request_get, u.id_bytes(request_id), 16))

    def request_text(self, request_id: IdLike, which: str = "asked") -> str:
        """One of a request's sealed texts: "asked", "answer" or "reason" (its read is
        logged first)."""
        if which not in self._REQUEST_TEXTS:
            raise ValueError("which: asked, answer or reason")
        raw = self._call_buf(self._lib.council_request_text, u.id_bytes(request_id), 16,
                             self._REQUEST_TEXTS[which])
        return raw.decode("utf-8")

    def request_list(self, *, case_id: Optional[IdLike] = None,
                     member_id: Optional[IdLike] = None, state: int = 0,
                     overdue: bool = False,
                     now: TimeLike = None) -> request_pb2.CooperationRequestList:
        """Requests, oldest first (``council.v1.CooperationRequestList``): ``state`` a
        ``request_pb2.REQUEST_STATE_*`` (0: any); ``overdue`` only open ones past due at
        ``now`` (None: the current time)."""
        keep: list = []
        f = ffi.new("council_request_filter *")
        f.version = lib.COUNCIL_REQUEST_FILTER_VERSION
        f.case_id, f.case_id_len = u.cbytes(u.opt_id(case_id, "case_id"), keep)
        f.member_id, f.member_id_len = u.cbytes(u.opt_id(member_id, "member_id"), keep)
        f.state = int(state)
        f.overdue = 1 if overdue else 0
        f.now = u.unix(now, "now")
        return _parse(request_pb2.CooperationRequestList,
                      self._call_buf(self._lib.council_request_list, f))
    # ------------------------------------------------------------ who supports whom

    def case_assign(self, case_id: IdLike, *, lead: Optional[IdLike] = None,
                    workers: Sequence[IdLike] = ()) -> None:
        """Set a case's lead member (None: the owner) and its workers (staff ids), replacing
        the workers before (the secretariat or the owner's staff). No key changes hands:
        assignment gives no access to the case's content."""
        keep: list = []
        o = ffi.new("council_assign_options *")
        o.version = lib.COUNCIL_ASSIGN_OPTIONS_VERSION
        lead_b = u.opt_id(lead, "lead")
        o.lead, o.lead_len = u.cbytes(lead_b, keep)
        if workers:
            o.workers, o.n_workers = u.ids_packed(workers, keep, "workers")
        self._check(self._lib.council_case_assign(self._h(), u.id_bytes(case_id), 16, o))

    def case_review(self, case_id: IdLike, review: TimeLike) -> None:
        """Set a case's next review date, or clear it with None."""
        when = 0 if review is None else u.unix(review, "review")
        self._check(self._lib.council_case_review(self._h(), u.id_bytes(case_id), 16, when))

    def case_assignment(self, case_id: IdLike) -> task_pb2.CaseAssignment:
        """Who supports a case (``council.v1.CaseAssignment``): owner, lead, workers, review."""
        return _parse(task_pb2.CaseAssignment,
                      self._call_buf(self._lib.council_case_assignment, u.id_bytes(case_id), 16))

    def case_reviews(self, before: TimeLike, *,
                     member: Optional[IdLike] = None) -> task_pb2.CaseAssignmentList:
        """The cases whose review is due before ``before``, earliest first, as the session
        (or, for the secretariat, ``member``) sees them (``council.v1.CaseAssignmentList``)."""
        keep: list = []
        mp, ml = u.cbytes(u.opt_id(member, "member"), keep)
        return _parse(task_pb2.CaseAssignmentList,
                      self._call_buf(self._lib.council_case_reviews, u.unix(before, "before"),
                                     mp, ml))

    def case_handover_list(self, staff_id: IdLike) -> task_pb2.Handover:
        """A staff member's cases and open tasks to hand over (``council.v1.Handover``)."""
        return _parse(task_pb2.Handover,
                      self._call_buf(self._lib.council_case_handover_list,
                                     u.id_bytes(staff_id), 16))

    def case_handover(self, case_id: IdLike, from_staff: IdLike, to_staff: IdLike) -> None:
        """Hand a case over to another staff member of the same member (nothing re-encrypted)."""
        self._check(self._lib.council_case_handover(self._h(), u.id_bytes(case_id), 16,
                                                    u.id_bytes(from_staff), 16,
                                                    u.id_bytes(to_staff), 16))

    def task_add(self, case_id: IdLike, text: str, due: TimeLike, *,
                 member: Optional[IdLike] = None, staff: Optional[IdLike] = None,
                 decision_id: Optional[IdLike] = None) -> _uuid.UUID:
        """Add an open support task (``member`` responsible, None: the owner); its text is
        sealed to that member, the owner and the coordinating body. Returns its id."""
        keep: list = []
        o = ffi.new("council_task_options *")
        o.version = lib.COUNCIL_TASK_OPTIONS_VERSION
        o.case_id, o.case_id_len = u.cbytes(u.id_bytes(case_id, "case_id"), keep)
        o.member, o.member_len = u.cbytes(u.opt_id(member, "member"), keep)
        o.staff, o.staff_len = u.cbytes(u.opt_id(staff, "staff"), keep)
        o.decision_id, o.decision_id_len = u.cbytes(u.opt_id(decision_id, "decision_id"), keep)
        o.text = u.cstr(text, keep, "text")
        o.due = u.unix(due, "due")
        out = ffi.new("uint8_t[16]")
        self._check(self._lib.council_task_add(self._h(), out, 16, o))
        return _uuid.UUID(bytes=bytes(out))

    def task_set_state(self, task_id: IdLike, state: int) -> None:
        """Mark an open task ``case_pb2.TASK_STATE_DONE`` or ``_CANCELLED`` (both final)."""
        self._check(self._lib.council_task_set_state(self._h(), u.id_bytes(task_id), 16,
                                                     int(state)))

    def task_list(self, *, member: Optional[IdLike] = None, case_id: Optional[IdLike] = None,
                  state: int = 0, due_before: TimeLike = None) -> task_pb2.SupportTaskList:
        """Support tasks by due date, no text (``council.v1.SupportTaskList``)."""
        keep: list = []
        f = ffi.new("council_task_filter *")
        f.version = lib.COUNCIL_TASK_FILTER_VERSION
        f.member, f.member_len = u.cbytes(u.opt_id(member, "member"), keep)
        f.case_id, f.case_id_len = u.cbytes(u.opt_id(case_id, "case_id"), keep)
        f.state = int(state)
        f.due_before = 0 if due_before is None else u.unix(due_before, "due_before")
        return _parse(task_pb2.SupportTaskList, self._call_buf(self._lib.council_task_list, f))

    def task_get(self, task_id: IdLike) -> task_pb2.SupportTask:
        """One task with its text (``council.v1.SupportTask``); the read is logged first."""
        return self._call_msg(task_pb2.SupportTask, self._lib.council_task_get,
                              u.id_bytes(task_id), 16)

    # ------------------------------------------------------------ report

    def report_platform(self, *, k: int = 0, format: str = "json") -> str:
        """The regional platform's aggregate report ("json" or "csv"; ``k`` the small-cell
        threshold, 0 for 5). Root session."""
        fmt = {"csv": lib.COUNCIL_REPORT_CSV, "json": lib.COUNCIL_REPORT_JSON}.get(format)
        if fmt is None:
            raise ValueError("format: 'json' or 'csv'")
        return self._call_buf(self._lib.council_report_platform, k, fmt).decode("utf-8")

    def report_platform_period(self, *, start: TimeLike = None, end: TimeLike = None,
                               fiscal_year: int = 0, k: int = 0, format: str = "json",
                               overlap_reason: Optional[str] = None) -> str:
        """The platform report over a period: the cases opened and referrals made from
        ``start`` up to ``end`` (aware datetimes, ``end`` excluded), or in the fiscal year
        ``fiscal_year`` (April 1 to April 1 in the council's time zone), never both; neither:
        all time (as :meth:`report_platform`). The month tables have a row for every month of
        the period, in the council's time zone. Secretariat only. A period that overlaps a
        report issued before without being the same period raises DeniedError unless
        ``overlap_reason`` (a code, logged with the report) is given (issue 16)."""
        fmt = {"csv": lib.COUNCIL_REPORT_CSV, "json": lib.COUNCIL_REPORT_JSON}.get(format)
        if fmt is None:
            raise ValueError("format: 'json' or 'csv'")
        if (start is None) != (end is None):
            raise ValueError("start and end go together")
        o = ffi.new("council_report_options *")
        o.version = lib.COUNCIL_REPORT_OPTIONS_VERSION
        o.k = int(k)
        o.format = fmt
        o.fiscal_year = int(fiscal_year)
        if start is not None:
            o.__setattr__("from", u.unix(start, "start"))
            o.to = u.unix(end, "end")
        keep: list = []
        if overlap_reason is not None:  # issue 16: the register of issued reports
            o.overlap_reason = u.cstr(overlap_reason, keep, "overlap_reason")
        return self._call_buf(self._lib.council_report_platform_period, o).decode("utf-8")

    # ------------------------------------------------------------ audit log

    def audit_list(self, *, from_seq: int = 0, limit: int = 0, since: TimeLike = None,
                   until: TimeLike = None, action: int = 0,
                   actor_member: Optional[IdLike] = None, case_ref: Optional[bytes] = None,
                   case_id: Optional[IdLike] = None) -> audit_pb2.AuditEventList:
        """Audit events, oldest first, filtered (``council.v1.AuditEventList``; page with
        ``next_seq``). ``action`` is an ``audit_pb2.AUDIT_ACTION_*`` (0: any)."""
        keep: list = []
        f = ffi.new("council_audit_filter *")
        f.version = lib.COUNCIL_AUDIT_FILTER_VERSION
        f.from_seq, f.limit = from_seq, limit
        f.since, f.until = u.unix(since, "since"), u.unix(until, "until")
        f.action = int(action)
        f.actor_member, f.actor_member_len = u.cbytes(u.opt_id(actor_member), keep)
        f.case_ref, f.case_ref_len = u.cbytes(case_ref, keep)
        f.case_id, f.case_id_len = u.cbytes(u.opt_id(case_id), keep)
        return _parse(audit_pb2.AuditEventList, self._call_buf(self._lib.council_audit_list, f))

    def audit_checkpoint(self) -> str:
        """A new signed checkpoint of the log (C2SP signed note text)."""
        return self._call_buf(self._lib.council_audit_checkpoint).decode("utf-8")

    def audit_head_reset(self, reason: str) -> None:
        """Accept the log's present head after an interrupted write (root)."""
        keep: list = []
        self._check(self._lib.council_audit_head_reset(self._h(), u.cstr(reason, keep, "reason")))

    def audit_prove_inclusion(self, index: int, size: int) -> str:
        """An inclusion proof text of event ``index`` in the tree of ``size`` events."""
        return self._call_buf(self._lib.council_audit_prove_inclusion, index, size).decode("utf-8")

    def audit_prove_consistency(self, size1: int, size2: int) -> str:
        """A consistency proof text between tree sizes ``size1`` and ``size2``."""
        return self._call_buf(self._lib.council_audit_prove_consistency, size1, size2).decode("utf-8")

    def audit_export(self, path: PathLike) -> None:
        """Export the whole signed log to ``path`` (verify it with :func:`council.audit_verify_export`)."""
        self._check(self._lib.council_audit_export(self._h(), u.cpath(path)))

    def audit_add_cosignatures(self, note: str) -> None:
        """Store a witness's cosigned copy of one of this council's checkpoints."""
        raw = note.encode("utf-8")
        self._check(self._lib.council_audit_add_cosignatures(self._h(), raw, len(raw)))

    # ------------------------------------------ issue 15: bundles into the council, intake

    def bundle_import(self, bundle: bytes) -> Any:
        """Import a member's bundle (an answer, a cosignature, an intake) into the
        council's store; every check (sender, signature, recipient, expiry, replay)
        comes before it is opened, each refusal logged. Returns the
        ``bundle_pb2.BundleImportResult``."""
        from ._pb import bundle_pb2
        raw = bytes(bundle)
        return _parse(bundle_pb2.BundleImportResult,
                      self._call_buf(self._lib.council_bundle_import, raw, len(raw)))

    @staticmethod
    def _intake_opts(owner: Optional[IdLike], keep: list) -> Any:
        o = ffi.new("council_intake_options *")
        o.version = lib.COUNCIL_INTAKE_OPTIONS_VERSION
        o.owner, o.owner_len = u.cbytes(u.opt_id(owner, "owner"), keep)
        return o

    def intake_import(self, intake: Any, *, owner: Optional[IdLike] = None) -> Any:
        """Import an intake (a person handed over from outside the council): a
        ``bundle_pb2.IntakeBundle`` or its serialised bytes. ``owner``: a new case's
        owning member (default: the session's member, or the coordinating body).
        Returns the ``bundle_pb2.BundleImportResult``."""
        from ._pb import bundle_pb2
        raw = intake.SerializeToString() if isinstance(intake, bundle_pb2.IntakeBundle) \
            else bytes(intake)
        keep: list = []
        o = self._intake_opts(owner, keep)
        return _parse(bundle_pb2.BundleImportResult,
                      self._call_buf(self._lib.council_intake_import, raw, len(raw), o))

    def intake_import_json(self, form: Union[str, bytes, dict], *,
                           owner: Optional[IdLike] = None) -> Any:
        """Import an intake in the JSON form of doc/intake-form.md (a ``dict`` is
        serialised first). Returns the ``bundle_pb2.BundleImportResult``."""
        import json as _json
        from ._pb import bundle_pb2
        if isinstance(form, dict):
            raw = _json.dumps(form, ensure_ascii=False).encode("utf-8")
        elif isinstance(form, str):
            raw = form.encode("utf-8")
        else:
            raw = bytes(form)
        keep: list = []
        o = self._intake_opts(owner, keep)
        return _parse(bundle_pb2.BundleImportResult,
                      self._call_buf(self._lib.council_intake_import_json, raw, len(raw), o))

    @staticmethod
    def intake_json_max() -> int:
        """The largest intake accepted (JSON or serialised), in bytes."""
        return int(lib.council_intake_json_max())


__all__ = ["Council", "Powers", "Role", "NewCase", "ShareDecision", "CouncilError"]
