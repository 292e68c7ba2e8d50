"""Member keys held outside the store, and opening sealed meeting packets.

libcouncil seals a meeting packet to the attendee member's X25519 key
(``crypto_box_seal``) and offers no call to open one, nor to make a member
key pair outside a keyfile. These two helpers call libsodium (which
libcouncil itself links) directly, through cffi in ABI mode.
"""
from __future__ import annotations

from typing import Any, NamedTuple, Optional

import cffi

from . import _util as u
from ._pb import meeting_pb2
from .errors import AuthError, InvalidArgumentError

_ffi = cffi.FFI()
_ffi.cdef("""
int sodium_init(void);
void sodium_memzero(void *pnt, size_t len);
int crypto_box_keypair(unsigned char *pk, unsigned char *sk);
int crypto_scalarmult_base(unsigned char *q, const unsigned char *n);
int crypto_sign_seed_keypair(unsigned char *pk, unsigned char *sk, const unsigned char *seed);
void randombytes_buf(void *buf, size_t size);
int crypto_box_seal_open(unsigned char *m, const unsigned char *c, unsigned long long clen,
                         const unsigned char *pk, const unsigned char *sk);
""")
_lib: Optional[Any] = None


def _sodium() -> Any:
    global _lib
    if _lib is None:
        lib = _ffi.dlopen("libsodium.so.23")
        if lib.sodium_init() < 0:
            raise ImportError("council: libsodium failed to start")
        _lib = lib
    return _lib


class MemberKeys(NamedTuple):
    """A member's key pairs made outside the store (see :func:`member_keypair`).

    ``box_secret_key`` and ``sign_seed`` are bytearrays: wipe them with
    :func:`council.wipe` once stored where the integrator keeps keys.
    """
    box_public_key: bytes
    box_secret_key: bytearray
    sign_public_key: bytes
    sign_seed: bytearray

    def __repr__(self) -> str:
        return "MemberKeys(box_public_key=%s, sign_public_key=%s, <secret keys hidden>)" % (
            self.box_public_key.hex(), self.sign_public_key.hex())


def member_keypair() -> MemberKeys:
    """New X25519 and Ed25519 key pairs for ``Council.member_register_key`` and a raw-key
    staff session (``Council.open(member_box_key=..., member_sign_key=...)``)."""
    s = _sodium()
    bpk, bsk = _ffi.new("unsigned char[32]"), _ffi.new("unsigned char[32]")
    seed, spk, ssk = (_ffi.new("unsigned char[32]"), _ffi.new("unsigned char[32]"),
                      _ffi.new("unsigned char[64]"))
    try:
        s.crypto_box_keypair(bpk, bsk)
        s.randombytes_buf(seed, 32)
        s.crypto_sign_seed_keypair(spk, ssk, seed)
        return MemberKeys(bytes(_ffi.buffer(bpk)), bytearray(_ffi.buffer(bsk)),
                          bytes(_ffi.buffer(spk)), bytearray(_ffi.buffer(seed)))
    finally:
        for p, n in ((bsk, 32), (seed, 32), (ssk, 64)):
            s.sodium_memzero(p, n)


def open_meeting_packet(sealed: bytes, box_secret_key: u.SecretLike) -> meeting_pb2.MeetingPacket:
    """Open a packet from ``Council.meeting_packet`` with the attendee member's raw X25519
    secret key, and parse it (``council.v1.MeetingPacket``). Raises AuthError when the
    packet is not sealed to that key or was altered."""
    s = _sodium()
    if isinstance(box_secret_key, str) or len(box_secret_key) != 32:
        raise InvalidArgumentError("box_secret_key: 32 bytes", -2)
    if len(sealed) < 48:
        raise AuthError("open_meeting_packet: not a sealed packet", -5)
    sk = _ffi.from_buffer("unsigned char[]", box_secret_key)
    pk = _ffi.new("unsigned char[32]")
    s.crypto_scalarmult_base(pk, sk)
    n = len(sealed) - 48
    out = _ffi.new("unsigned char[]", max(n, 1))
    try:
        if s.crypto_box_seal_open(out, sealed, len(sealed), pk, sk) != 0:
            raise AuthError("open_meeting_packet: the packet does not open with this key", -5)
        msg = meeting_pb2.MeetingPacket()
        msg.ParseFromString(_ffi.buffer(out, n))  # no bytes copy: out is wiped below
        return msg
    finally:
        s.sodium_memzero(out, max(n, 1))
