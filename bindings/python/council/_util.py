"""Conversions between Python values and the C API's: ids, times, strings, secrets."""
from __future__ import annotations

import contextlib
import datetime as _dt
import math
import os
import uuid as _uuid
from typing import Any, Iterable, Iterator, Optional, Sequence, Union

from ._ffi import ffi, lib
from .errors import InvalidArgumentError

ID_BYTES = 16

#: What an id argument may be: a UUID, its text, or its 16 raw bytes.
IdLike = Union[_uuid.UUID, str, bytes, bytearray]
#: What a secret argument may be. ``str`` is refused: it cannot be wiped.
SecretLike = Union[bytes, bytearray, memoryview]
#: A time argument: a timezone-aware datetime, or None for "now"/"none".
TimeLike = Optional[_dt.datetime]


def to_uuid(raw: Union[bytes, bytearray]) -> _uuid.UUID:
    """A 16-byte id from a message field as a ``uuid.UUID``."""
    if len(raw) != ID_BYTES:
        raise InvalidArgumentError("an id must be %d bytes, not %d" % (ID_BYTES, len(raw)), -2)
    return _uuid.UUID(bytes=bytes(raw))


def to_datetime(seconds: int) -> _dt.datetime:
    """Unix seconds from a message field as a timezone-aware UTC ``datetime``."""
    return _dt.datetime.fromtimestamp(int(seconds), tz=_dt.timezone.utc)


def id_bytes(value: IdLike, what: str = "id") -> bytes:
    """The 16 raw bytes of an id given as UUID, text or bytes."""
    if isinstance(value, _uuid.UUID):
        return value.bytes
    if isinstance(value, str):
        try:
            return _uuid.UUID(value).bytes
        except ValueError:
            raise InvalidArgumentError("%s: not a UUID" % what, -2) from None
    if isinstance(value, (bytes, bytearray)):
        if len(value) != ID_BYTES:
            raise InvalidArgumentError("%s: must be %d bytes" % (what, ID_BYTES), -2)
        return bytes(value)
    raise TypeError("%s: expected uuid.UUID, str or 16 bytes, not %s" % (what, type(value).__name__))


def opt_id(value: Optional[IdLike], what: str = "id") -> Optional[bytes]:
    return None if value is None else id_bytes(value, what)


def unix(value: TimeLike, what: str = "time") -> int:
    """Unix seconds of an aware datetime; None gives 0 (the library's "now" or "none")."""
    if value is None:
        return 0
    if not isinstance(value, _dt.datetime):
        raise TypeError("%s: expected a datetime, not %s" % (what, type(value).__name__))
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidArgumentError("%s: a naive datetime is ambiguous; give a timezone" % what, -2)
    # Whole seconds, rounded down (not toward zero); 0 means "now" or "none"
    # to the library, so a time at or before the epoch would silently become
    # that: refused instead.
    secs = math.floor(value.timestamp())
    if secs <= 0:
        raise InvalidArgumentError("%s: a time after 1970-01-01T00:00:00Z is needed "
                                   "(0 means 'now' or 'none' to the library)" % what, -2)
    return secs


def cstr(value: Optional[str], keep: list, what: str = "text") -> Any:
    """A NUL-terminated UTF-8 copy of ``value`` (kept alive in ``keep``), or NULL."""
    if value is None:
        return ffi.NULL
    if not isinstance(value, str):
        raise TypeError("%s: expected str, not %s" % (what, type(value).__name__))
    b = value.encode("utf-8")
    if b"\0" in b:
        raise InvalidArgumentError("%s: contains a NUL character" % what, -2)
    p = ffi.new("char[]", b)
    keep.append(p)
    return p


def cpath(value: "Union[str, os.PathLike[str]]", what: str = "path") -> bytes:
    """A file system path as the C API takes it: ``os.fsencode`` bytes, NUL refused
    (C would read a path with a NUL as the shorter path before it)."""
    b = os.fsencode(os.fspath(value))
    if b"\0" in b:
        raise InvalidArgumentError("%s: contains a NUL character" % what, -2)
    return b


def cstr_array(values: Optional[Iterable[str]], keep: list, what: str = "list") -> tuple:
    """A ``const char *const *`` array of ``values`` and its length, or (NULL, 0)."""
    if values is None:
        return ffi.NULL, 0
    if isinstance(values, str):
        values = [values]
    items = [cstr(v, keep, what) for v in values]
    if not items:
        return ffi.NULL, 0
    arr = ffi.new("const char *[]", items)
    keep.append(arr)
    return arr, len(items)


def cbytes(value: Optional[Union[bytes, bytearray, memoryview]], keep: list) -> tuple:
    """A pointer to the bytes of ``value`` (no copy) and their length, or (NULL, 0)."""
    if value is None:
        return ffi.NULL, 0
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError("expected bytes or bytearray, not %s" % type(value).__name__)
    # The length in bytes: a memoryview's len() counts its items, which may be wider.
    n = value.nbytes if isinstance(value, memoryview) else len(value)
    if n == 0:
        p = ffi.new("uint8_t[1]")
        keep.append(p)
        return p, 0
    p = ffi.from_buffer("uint8_t[]", value)
    keep.append(p)
    return p, n


def secret(value: Optional[SecretLike], keep: list, what: str = "secret") -> tuple:
    """A pointer to a secret's bytes without copying them, and its length, or (NULL, 0).

    The library reads the caller's own buffer, so no other copy is made here;
    the caller wipes a bytearray with :func:`council.wipe` when done.
    """
    if value is None:
        return ffi.NULL, 0
    if isinstance(value, str):
        raise TypeError("%s: give bytes or bytearray (a str cannot be wiped)" % what)
    return cbytes(value, keep)


def ids_packed(values: Optional[Sequence[IdLike]], keep: list, what: str = "ids") -> tuple:
    """``n`` ids of 16 bytes back to back, as the C API takes lists of ids."""
    if not values:
        return ffi.NULL, 0
    raw = b"".join(id_bytes(v, what) for v in values)
    p = ffi.new("uint8_t[]", raw)
    keep.append(p)
    return p, len(values)


def wipe(buf: Union[bytearray, memoryview]) -> None:
    """Overwrite a writable buffer (a secret the caller holds) with zeros."""
    if isinstance(buf, bytes):
        raise TypeError("bytes cannot be wiped: hold secrets in a bytearray")
    n = len(buf) if not isinstance(buf, memoryview) else buf.nbytes
    if n:
        ffi.memmove(ffi.from_buffer(buf, require_writable=True), b"\0" * n, n)


@contextlib.contextmanager
def wiping(buf: Union[bytearray, memoryview]) -> Iterator[Union[bytearray, memoryview]]:
    """``with council.wiping(bytearray(secret)) as s:`` wipes ``s`` when the block ends.

    For a secret used once: the package never copies the buffers it is given,
    so wiping the caller's bytearray leaves no copy made by this package.
    """
    try:
        yield buf
    finally:
        wipe(buf)


def new_buf() -> Any:
    return ffi.new("council_buf *")


def take_bytes(buf: Any) -> bytes:
    """The bytes of a council_buf, which is then wiped and freed by the library."""
    try:
        return bytes(ffi.buffer(buf.ptr, buf.len)) if buf.ptr != ffi.NULL else b""
    finally:
        lib.council_buf_free(buf)


def take_secret(buf: Any) -> bytearray:
    """A council_buf holding a secret as a bytearray (wipe it when done); the buf is wiped."""
    try:
        return bytearray(ffi.buffer(buf.ptr, buf.len)) if buf.ptr != ffi.NULL else bytearray()
    finally:
        lib.council_buf_free(buf)


def take_text(buf: Any) -> str:
    """A council_buf holding text (possibly NUL-terminated) as str."""
    return take_bytes(buf).rstrip(b"\0").decode("utf-8")
