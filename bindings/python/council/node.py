"""Member nodes: a member's own store for what the council sends it (``council_node(3)``).

A :class:`Node` imports the council's bundles (checked before they are
opened; each refusal raises its own error and is logged in the node's own
log), keeps their content under the node's keys, logs every read, witnesses
the council's log and builds the bundles the member sends back::

    with council.Node.init("/srv/node", keyfile, passphrase=b"...") as node:
        result = node.import_bundle(open("case.bundle", "rb").read())
        for item in node.list().items:
            content = node.read(item.id)
"""
from __future__ import annotations

import os
import threading
from typing import Any, Optional, Sequence, Union

from . import _util as u
from ._ffi import ffi, lib
from ._util import IdLike, SecretLike, TimeLike
from .errors import MisuseError, error_for
from .v1 import bundle_pb2, node_pb2

PathLike = Union[str, "os.PathLike[str]"]

#: ``Node.send`` types (``council.v1.BundleType``).
BUNDLE_TYPE_ANSWER: int = int(lib.COUNCIL_BUNDLE_TYPE_ANSWER)
BUNDLE_TYPE_INTAKE: int = int(lib.COUNCIL_BUNDLE_TYPE_INTAKE)


def _bundle_opts(keep: list, expires: TimeLike, purpose: Optional[str]) -> Any:
    o = ffi.new("council_bundle_options *")
    o.version = lib.COUNCIL_BUNDLE_OPTIONS_VERSION
    o.expires = u.unix(expires, "expires") if expires is not None else 0
    o.purpose = u.cstr(purpose, keep, "purpose")
    keep.append(o)
    return o


class Node:
    """An open member node. Open it with :meth:`init` or :meth:`open`, preferably as a
    context manager; :meth:`close` wipes its keys. Calls are serialised on one handle."""

    __slots__ = ("_n", "_path", "_lock")

    def __init__(self, handle: Any, path: str) -> None:
        """Internal: use :meth:`init` or :meth:`open`."""
        self._n: Any = ffi.gc(handle, lib.council_node_close)
        self._path = path
        self._lock = threading.RLock()

    @classmethod
    def init(cls, path: PathLike, keyfile: SecretLike, *, passphrase: SecretLike) -> "Node":
        """Make a member node in directory ``path`` (new or empty) from the member's keyfile
        (its bytes) and passphrase. A keyfile that does not pin the council's log key raises
        InvalidArgumentError: the secretariat issues a new one."""
        return cls._start(lib.council_node_init, path, keyfile, passphrase)

    @classmethod
    def open(cls, path: PathLike, keyfile: SecretLike, *, passphrase: SecretLike) -> "Node":
        """Open a member node with the member's keyfile and passphrase (TamperError when
        ``node.keyring`` was changed)."""
        return cls._start(lib.council_node_open, path, keyfile, passphrase)

    @classmethod
    def _start(cls, fn: Any, path: PathLike, keyfile: SecretLike, passphrase: SecretLike) -> "Node":
        keep: list = []
        kp, kl = u.secret(keyfile, keep, "keyfile")
        pp, pl = u.secret(passphrase, keep, "passphrase")
        out = ffi.new("council_node **")
        p = os.fspath(path)
        rc = fn(out, u.cpath(p), kp, kl, pp, pl)
        if rc != 0:
            msg = ffi.string(lib.council_node_errmsg(out[0])).decode("utf-8", "replace")
            lib.council_node_close(out[0])
            raise error_for(rc, msg)
        return cls(out[0], p)

    def close(self) -> None:
        """Close the node now (its keys wiped). Idempotent."""
        with self._lock:
            n, self._n = self._n, None
            if n is not None:
                ffi.release(n)

    @property
    def closed(self) -> bool:
        return self._n is None

    @property
    def path(self) -> str:
        return self._path

    def __enter__(self) -> "Node":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<council.Node %s at %r>" % ("closed" if self._n is None else "open", self._path)

    def errmsg(self) -> str:
        """The message of the last failure on this handle."""
        if self._n is None:
            return "closed"
        return ffi.string(lib.council_node_errmsg(self._n)).decode("utf-8", "replace")

    def _h(self) -> Any:
        if self._n is None:
            raise MisuseError("this Node handle is closed", -12)
        return self._n

    def _msg(self, cls: Any, fn: Any, *args: Any) -> Any:
        with self._lock:
            h = self._h()
            b = u.new_buf()
            try:
                rc = fn(h, b, *args)
                if rc != 0:
                    raise error_for(rc, self.errmsg())
                m = cls()
                if b.ptr != ffi.NULL:
                    m.ParseFromString(ffi.buffer(b.ptr, b.len))
                return m
            finally:
                lib.council_buf_free(b)

    def _bundle(self, fn: Any, *args: Any) -> bytes:
        with self._lock:
            h = self._h()
            b = u.new_buf()
            rc = fn(h, b, *args)
            if rc != 0:
                lib.council_buf_free(b)
                raise error_for(rc, self.errmsg())
            return u.take_bytes(b)

    # ------------------------------------------------------------------ calls

    def info(self) -> node_pb2.NodeInfo:
        """The node's ids, verifier keys (``node_log_vkey`` verifies its log export), the
        pinned council log key, whether answers can be sent, counts."""
        return self._msg(node_pb2.NodeInfo, lib.council_node_info)

    def import_bundle(self, bundle: Union[bytes, bytearray]) -> bundle_pb2.BundleImportResult:
        """Import a bundle from the council. Raises SenderError, SignatureError,
        RecipientError, ExpiredError, ReplayError, FormatError, LimitError,
        UnsupportedError, TamperError … before anything is stored."""
        keep: list = []
        p, n = u.cbytes(bundle, keep)
        return self._msg(bundle_pb2.BundleImportResult, lib.council_node_import, p, n)

    def list(self) -> node_pb2.NodeItemList:
        """The items held, without content."""
        return self._msg(node_pb2.NodeItemList, lib.council_node_list)

    def read(self, item_id: IdLike) -> node_pb2.NodeItemContent:
        """An item and its content; the read is logged first (ExpiredError: deleted)."""
        return self._msg(node_pb2.NodeItemContent, lib.council_node_read,
                         u.id_bytes(item_id, "item_id"), 16)

    def purge(self) -> int:
        """Delete every expired item; returns how many."""
        with self._lock:
            n = ffi.new("uint64_t *")
            rc = lib.council_node_purge(self._h(), n)
            if rc != 0:
                raise error_for(rc, self.errmsg())
            return int(n[0])

    def audit_export(self, path: PathLike) -> None:
        """Write the node's own log to a new file (verify it with
        :func:`council.audit_verify_export` and ``info().node_log_vkey``)."""
        with self._lock:
            rc = lib.council_node_audit_export(self._h(), u.cpath(path))
            if rc != 0:
                raise error_for(rc, self.errmsg())

    def answer_referral(self, referral_id: IdLike, step: str, *, reason: Optional[str] = None,
                        text: Optional[str] = None, expires: TimeLike = None) -> bytes:
        """A bundle to the council: the referral ``accepted`` or ``declined`` (with a reason
        code). NotFoundError until a council bundle told the node where answers go."""
        keep: list = []
        o = _bundle_opts(keep, expires, None)
        return self._bundle(lib.council_node_answer_referral, u.id_bytes(referral_id), 16,
                            u.cstr(step, keep, "step"), u.cstr(reason, keep, "reason"),
                            u.cstr(text, keep, "text"), o)

    def answer_request(self, request_id: IdLike, *, text: Optional[str] = None,
                       decline_reason: Optional[str] = None, expires: TimeLike = None) -> bytes:
        """A bundle to the council answering a cooperation request: ``text`` or
        ``decline_reason`` (a code)."""
        keep: list = []
        o = _bundle_opts(keep, expires, None)
        return self._bundle(lib.council_node_answer_request, u.id_bytes(request_id), 16,
                            u.cstr(text, keep, "text"),
                            u.cstr(decline_reason, keep, "decline_reason"), o)

    def return_sections(self, case_id: IdLike, person_id: IdLike,
                        sections: Sequence[tuple], *, purpose: Optional[str] = None,
                        expires: TimeLike = None) -> bytes:
        """A bundle to the council returning a case's sections: ``(scope, content bytes)``
        pairs."""
        keep: list = []
        o = _bundle_opts(keep, expires, purpose)
        scopes, n = u.cstr_array([s for s, _ in sections], keep, "scopes")
        ptrs = ffi.new("const uint8_t *[]", max(n, 1))
        lens = ffi.new("size_t[]", max(n, 1))
        keep += [ptrs, lens]
        for i, (_, content) in enumerate(sections):
            p, ln = u.cbytes(content, keep)
            ptrs[i], lens[i] = p, ln
        return self._bundle(lib.council_node_return_sections, u.id_bytes(case_id), 16,
                            u.id_bytes(person_id), 16, scopes, ptrs, lens, n, o)

    def send(self, bundle_type: int, content: bytes, *, expires: TimeLike = None) -> bytes:
        """A bundle to the council of a serialised ``IntakeBundle`` (``BUNDLE_TYPE_INTAKE``)
        or ``AnswerBundle`` (``BUNDLE_TYPE_ANSWER``)."""
        keep: list = []
        o = _bundle_opts(keep, expires, None)
        p, n = u.cbytes(content, keep)
        return self._bundle(lib.council_node_send, bundle_type, p, n, o)

    def cosign(self, *, expires: TimeLike = None) -> bytes:
        """A bundle to the council with the node's cosignature of the council checkpoint it
        last verified (NotFoundError when none yet)."""
        keep: list = []
        return self._bundle(lib.council_node_cosign, _bundle_opts(keep, expires, None))
