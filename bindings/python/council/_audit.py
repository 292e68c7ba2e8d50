"""Handle-free calls: audit verification, witnesses and Merkle proofs."""
from __future__ import annotations

import os
from typing import Any, Optional, Sequence, Tuple, Union

from . import _util as u
from ._ffi import ffi, lib
from ._pb import audit_pb2
from .errors import error_for

PathLike = Union[str, "os.PathLike[str]"]


def _verify_opts(keep: list, log_vkey: str, witness_vkeys: Sequence[str], required: int,
                 known_checkpoint: Optional[str]) -> Any:
    o = ffi.new("council_audit_verify_options *")
    o.version = lib.COUNCIL_AUDIT_VERIFY_OPTIONS_VERSION
    o.log_vkey = u.cstr(log_vkey, keep, "log_vkey")
    o.witness_vkeys, o.n_witnesses = u.cstr_array(list(witness_vkeys), keep, "witness_vkeys")
    o.required = required
    if known_checkpoint is not None:
        o.known_checkpoint = u.cstr(known_checkpoint, keep, "known_checkpoint")
        o.known_checkpoint_len = len(known_checkpoint.encode("utf-8"))
    return o


def _report(rc: int, buf: Any, what: str) -> audit_pb2.AuditVerifyReport:
    raw = u.take_bytes(buf)
    report = audit_pb2.AuditVerifyReport()
    if raw:
        report.ParseFromString(raw)
    if rc != 0:
        msg = report.message if raw and report.message else "%s: %s" % (
            what, ffi.string(lib.council_errstr(rc)).decode())
        raise error_for(rc, msg, report if raw else None)
    return report


def audit_verify_export(path: PathLike, log_vkey: str, *, witness_vkeys: Sequence[str] = (),
                        required: int = 0,
                        known_checkpoint: Optional[str] = None) -> audit_pb2.AuditVerifyReport:
    """Verify an audit export from scratch with the log's verifier key alone.

    Returns the ``council.v1.AuditVerifyReport`` when it verifies; raises
    TamperError (altered, removed or reordered events, bad signatures …) or
    FormatError, with the report (naming the first bad event) as ``.report``.
    The log's verifier key is ``Council.info().log_verifier_key``.
    """
    keep: list = []
    o = _verify_opts(keep, log_vkey, witness_vkeys, required, known_checkpoint)
    b = u.new_buf()
    rc = lib.council_audit_verify_export(b, u.cpath(path), o)
    return _report(rc, b, "audit_verify_export")


def audit_verify_checkpoint(note: str, log_vkey: str, *, witness_vkeys: Sequence[str] = (),
                            required: int = 0,
                            known_checkpoint: Optional[str] = None) -> audit_pb2.AuditVerifyReport:
    """Verify a signed checkpoint (and count witness cosignatures); raises TamperError."""
    keep: list = []
    o = _verify_opts(keep, log_vkey, witness_vkeys, required, known_checkpoint)
    raw = note.encode("utf-8")
    b = u.new_buf()
    rc = lib.council_audit_verify_checkpoint(b, raw, len(raw), o)
    return _report(rc, b, "audit_verify_checkpoint")


def audit_verify_proof(proof: str, note: str, log_vkey: str, *,
                       witness_vkeys: Sequence[str] = (), required: int = 0,
                       known_checkpoint: Optional[str] = None) -> audit_pb2.AuditVerifyReport:
    """Verify an inclusion or consistency proof text against a signed checkpoint."""
    keep: list = []
    o = _verify_opts(keep, log_vkey, witness_vkeys, required, known_checkpoint)
    p, n = proof.encode("utf-8"), note.encode("utf-8")
    b = u.new_buf()
    rc = lib.council_audit_verify_proof(b, p, len(p), n, len(n), o)
    return _report(rc, b, "audit_verify_proof")


def witness_keygen(name: str) -> Tuple[bytearray, str]:
    """A witness (cosigner) key pair: the 64-byte secret key (a bytearray: wipe it when
    done) and the verifier key text auditors pass as ``witness_vkeys``."""
    keep: list = []
    sk, vk = u.new_buf(), u.new_buf()
    rc = lib.council_witness_keygen(sk, vk, u.cstr(name, keep, "name"))
    if rc != 0:
        lib.council_buf_free(sk)
        lib.council_buf_free(vk)
        raise error_for(rc, "witness_keygen: %s" % ffi.string(lib.council_errstr(rc)).decode())
    return u.take_secret(sk), u.take_text(vk)


def audit_witness(old_note: str, new_note: str, proof: str, log_vkey: str, witness_name: str,
                  witness_secret_key: u.SecretLike, timestamp: u.TimeLike = None) -> str:
    """The witness step: check ``new_note`` against ``old_note`` by ``proof`` and return it
    with this witness's cosignature appended (store it with
    ``Council.audit_add_cosignatures``). ``timestamp`` None means now."""
    import time
    keep: list = []
    o, n, p = old_note.encode(), new_note.encode(), proof.encode()
    skp, skl = u.secret(witness_secret_key, keep, "witness_secret_key")
    ts = u.unix(timestamp) if timestamp is not None else int(time.time())
    b = u.new_buf()
    rc = lib.council_audit_witness(b, o, len(o), n, len(n), p, len(p),
                                   u.cstr(log_vkey, keep, "log_vkey"),
                                   u.cstr(witness_name, keep, "witness_name"), skp, skl, ts)
    if rc != 0:
        lib.council_buf_free(b)
        raise error_for(rc, "audit_witness: %s" % ffi.string(lib.council_errstr(rc)).decode())
    return u.take_text(b)


def merkle_leaf_hash(data: bytes) -> bytes:
    """The RFC 6962 leaf hash of ``data`` (32 bytes)."""
    keep: list = []
    dp, dl = u.cbytes(data, keep)
    out = ffi.new("uint8_t[]", lib.COUNCIL_HASH_BYTES)
    rc = lib.council_merkle_leaf_hash(out, lib.COUNCIL_HASH_BYTES, dp, dl)
    if rc != 0:
        raise error_for(rc, "merkle_leaf_hash: %s" % ffi.string(lib.council_errstr(rc)).decode())
    return bytes(out)


def merkle_verify_inclusion(index: int, size: int, leaf_hash: bytes, proof: bytes,
                            root: bytes) -> None:
    """Check an inclusion proof (``proof``: the hashes back to back); raises TamperError."""
    keep: list = []
    lp, ll = u.cbytes(leaf_hash, keep)
    pp, pl = u.cbytes(proof, keep)
    rp, rl = u.cbytes(root, keep)
    rc = lib.council_merkle_verify_inclusion(index, size, lp, ll, pp, pl, rp, rl)
    if rc != 0:
        raise error_for(rc, "merkle_verify_inclusion: %s"
                        % ffi.string(lib.council_errstr(rc)).decode())


def merkle_verify_consistency(size1: int, size2: int, root1: bytes, root2: bytes,
                              proof: bytes) -> None:
    """Check a consistency proof between two tree sizes; raises TamperError."""
    keep: list = []
    r1, l1 = u.cbytes(root1, keep)
    r2, l2 = u.cbytes(root2, keep)
    pp, pl = u.cbytes(proof, keep)
    rc = lib.council_merkle_verify_consistency(size1, size2, r1, l1, r2, l2, pp, pl)
    if rc != 0:
        raise error_for(rc, "merkle_verify_consistency: %s"
                        % ffi.string(lib.council_errstr(rc)).decode())


def store_id(path: PathLike) -> "u._uuid.UUID":
    """The council id of the store at ``path``, read without credentials."""
    out = ffi.new("uint8_t[16]")
    rc = lib.council_store_id(u.cpath(path), out, 16)
    if rc != 0:
        raise error_for(rc, "store_id: %s" % ffi.string(lib.council_errstr(rc)).decode())
    return u._uuid.UUID(bytes=bytes(out))


def uuid_parse(text: str) -> "u._uuid.UUID":
    """Parse an id the way libcouncil does (``council_uuid_parse``: exactly
    8-4-4-4-12 hex digits, either case); raises InvalidArgumentError."""
    keep: list = []
    out = ffi.new("uint8_t[16]")
    try:
        # cstr refuses a NUL, which would end the C string before trailing text.
        ctext = u.cstr(text, keep, "uuid_parse")
    except u.InvalidArgumentError:
        raise u.InvalidArgumentError("uuid_parse: not a UUID (8-4-4-4-12 hex digits)", -2) from None
    rc = lib.council_uuid_parse(out, 16, ctext)
    if rc != 0:
        raise error_for(rc, "uuid_parse: not a UUID (8-4-4-4-12 hex digits)")
    return u._uuid.UUID(bytes=bytes(out))


def uuid_format(id_: "u._uuid.UUID") -> str:
    """Format an id the way libcouncil prints it (``council_uuid_format``,
    lower case)."""
    raw = ffi.new("uint8_t[16]", id_.bytes)
    out = ffi.new("char[]", lib.COUNCIL_UUID_TEXT_BYTES)
    rc = lib.council_uuid_format(out, lib.COUNCIL_UUID_TEXT_BYTES, raw, 16)
    if rc != 0:
        raise error_for(rc, "uuid_format: %s" % ffi.string(lib.council_errstr(rc)).decode())
    return ffi.string(out).decode("ascii")


def protobuf_allocator_address() -> int:
    """The address of libcouncil's wiping ``ProtobufCAllocator``
    (``council_protobuf_allocator``), for a C extension that decodes results
    with protobuf-c and must free decrypted content wiped. Python code
    decodes with the ``_pb2`` messages and does not need it."""
    return int(ffi.cast("uintptr_t", lib.council_protobuf_allocator()))
