"""Exceptions: one class per ``COUNCIL_E*`` code, all under CouncilError.

Each carries ``.code`` (the negative ``COUNCIL_E*`` value), ``.codename``
(``"COUNCIL_EDENIED"`` …) and ``.message`` (the handle's
``council_errmsg()``, or ``council_errstr()`` for calls without a handle).
The library's messages name operations and record ids, never passphrases,
keys or case content, so exception text carries none either.
"""
from __future__ import annotations

from typing import Any, Optional


class CouncilError(Exception):
    """A libcouncil call failed. Base of every error this package raises for a return code."""

    code: int = -1
    codename: str = "COUNCIL_ERROR"

    def __init__(self, message: str, code: Optional[int] = None, report: Any = None) -> None:
        super().__init__(message)
        self.message: str = message
        if code is not None:
            self.code = code
        #: For the audit verify calls: the AuditVerifyReport the library gave
        #: with the failure (naming the first bad event), else None.
        self.report: Any = report

    def __str__(self) -> str:
        return "%s (%s)" % (self.message, self.codename)


class InternalError(CouncilError):
    """COUNCIL_ERROR: an unexpected internal failure."""
    code, codename = -1, "COUNCIL_ERROR"


class InvalidArgumentError(CouncilError, ValueError):
    """COUNCIL_EINVAL: an argument is out of range or malformed."""
    code, codename = -2, "COUNCIL_EINVAL"


class OutOfMemoryError(CouncilError, MemoryError):
    """COUNCIL_ENOMEM: out of memory."""
    code, codename = -3, "COUNCIL_ENOMEM"


class StoreIOError(CouncilError, OSError):
    """COUNCIL_EIO: a file or database operation failed."""
    code, codename = -4, "COUNCIL_EIO"


class AuthError(CouncilError):
    """COUNCIL_EAUTH: wrong passphrase or key, or data failed authentication."""
    code, codename = -5, "COUNCIL_EAUTH"


class DeniedError(CouncilError, PermissionError):
    """COUNCIL_EDENIED: the actor is not entitled to this."""
    code, codename = -6, "COUNCIL_EDENIED"


class NoConsentError(CouncilError):
    """COUNCIL_ENOCONSENT: no consent or legal basis covers this disclosure."""
    code, codename = -7, "COUNCIL_ENOCONSENT"


class TamperError(CouncilError):
    """COUNCIL_ETAMPER: the audit log or a proof does not verify."""
    code, codename = -8, "COUNCIL_ETAMPER"


class FormatError(CouncilError):
    """COUNCIL_EFORMAT: a file or message is truncated, corrupted or not libcouncil's."""
    code, codename = -9, "COUNCIL_EFORMAT"


class ExistsError(CouncilError):
    """COUNCIL_EEXIST: the thing to be created exists already."""
    code, codename = -10, "COUNCIL_EEXIST"


class NotFoundError(CouncilError, LookupError):
    """COUNCIL_ENOTFOUND: the thing named does not exist."""
    code, codename = -11, "COUNCIL_ENOTFOUND"


class MisuseError(CouncilError):
    """COUNCIL_EMISUSE: a closed or failed handle, or a call out of order."""
    code, codename = -12, "COUNCIL_EMISUSE"


class LimitError(CouncilError):
    """COUNCIL_ELIMIT: a size or count limit was exceeded."""
    code, codename = -13, "COUNCIL_ELIMIT"


class BufferTooSmallError(CouncilError):
    """COUNCIL_EBUFS: an output buffer was too small (a bug in this package if seen)."""
    code, codename = -14, "COUNCIL_EBUFS"


class UnsupportedError(CouncilError):
    """COUNCIL_EUNSUPPORTED: a newer format or store, or an SQLite that is not SQLCipher 4."""
    code, codename = -15, "COUNCIL_EUNSUPPORTED"


class SignatureError(CouncilError):
    """COUNCIL_ESIGNATURE: a bundle's signature does not verify."""
    code, codename = -16, "COUNCIL_ESIGNATURE"


class SenderError(CouncilError):
    """COUNCIL_ESENDER: a bundle's sender is not one this store trusts."""
    code, codename = -17, "COUNCIL_ESENDER"


class RecipientError(CouncilError):
    """COUNCIL_ERECIPIENT: a bundle is addressed to another recipient."""
    code, codename = -18, "COUNCIL_ERECIPIENT"


class ExpiredError(CouncilError):
    """COUNCIL_EEXPIRED: a bundle or its imported content has expired."""
    code, codename = -19, "COUNCIL_EEXPIRED"


class ReplayError(CouncilError):
    """COUNCIL_EREPLAY: a bundle was imported already."""
    code, codename = -20, "COUNCIL_EREPLAY"


#: Every COUNCIL_E* code and its class.
BY_CODE: dict[int, type[CouncilError]] = {
    cls.code: cls
    for cls in (InternalError, InvalidArgumentError, OutOfMemoryError, StoreIOError, AuthError,
                DeniedError, NoConsentError, TamperError, FormatError, ExistsError,
                NotFoundError, MisuseError, LimitError, BufferTooSmallError, UnsupportedError,
                SignatureError, SenderError, RecipientError, ExpiredError, ReplayError)
}


def error_for(code: int, message: str, report: Any = None) -> CouncilError:
    """The exception for return code ``code`` (a plain CouncilError for an unknown code)."""
    cls = BY_CODE.get(code)
    if cls is None:
        err = CouncilError(message, code, report)
        err.codename = "COUNCIL_E(%d)" % code
        return err
    return cls(message, code, report)
