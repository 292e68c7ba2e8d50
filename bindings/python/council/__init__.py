"""libcouncil for Python: encrypted case records, consent, key-enforced shares and a signed audit log.

A thin, Pythonic layer over the C library ``libcouncil.so.0`` (cffi, ABI mode).
Importing the package loads the library and refuses a version it was not
written for (:class:`LibraryVersionError`).

Quick start::

    import council
    from council.v1 import member_pb2

    with council.Council.create("/srv/council", "Example City council",
                                passphrase=bytearray(b"...")) as root:
        npo = root.member_add("NPO Yorisoi", member_pb2.MEMBER_KIND_NPO,
                              scopes=["identity", "situation"])

Results are the library's protobuf messages (``council.v1.*_pb2``); see
:class:`Council` for why. Secrets are taken as bytes or bytearray and never
copied by this package; secrets it returns are bytearrays: wipe them with
:func:`wipe`. Errors raise :class:`CouncilError` subclasses.
"""
from __future__ import annotations

from ._ffi import EXPECTED_VERSION, LibraryVersionError, ffi as _cffi, lib as _lib
from . import errors
from .errors import (AuthError, BufferTooSmallError, CouncilError, DeniedError, ExistsError,
                     FormatError, InternalError, InvalidArgumentError, LimitError, MisuseError,
                     NoConsentError, NotFoundError, OutOfMemoryError, StoreIOError, TamperError,
                     UnsupportedError, SignatureError, SenderError, RecipientError,
                     ExpiredError, ReplayError)
from ._util import IdLike, SecretLike, TimeLike, to_datetime, to_uuid, wipe, wiping
from ._council import Council, NewCase, Powers, Role, SectionLike, ShareDecision
from ._audit import (audit_verify_checkpoint, audit_verify_export, audit_verify_proof,
                     audit_witness, merkle_leaf_hash, merkle_verify_consistency,
                     merkle_verify_inclusion, store_id, witness_keygen,
                     uuid_parse, uuid_format, protobuf_allocator_address)
from ._sodium import MemberKeys, member_keypair, open_meeting_packet
from ._pb import (audit_pb2, case_pb2, consent_pb2, info_pb2, keyfile_pb2, keyring_pb2,
                  meeting_pb2, member_pb2, request_pb2)
from ._pb import referral_pb2
from ._pb import task_pb2
from ._pb import bundle_pb2  # issue 15
from .node import Node, BUNDLE_TYPE_ANSWER, BUNDLE_TYPE_INTAKE  # member nodes (issue 15)
from ._bundle import bundle_inspect
from ._retention import (RetentionRule, RETENTION_KEEP, RETENTION_DAYS,  # issue 16, retention
                         RETENTION_MONTHS, RETENTION_YEARS)
from ._person import case_by_pseudonym, case_pseudonym, person_report  # issue 16, person
from ._evidence import case_evidence, audit_verify_case_evidence  # issue 16: evidence
from ._register import provision_register, outside_disclose  # issue 16, register
from ._index import index_status, index_rebuild  # issue 17, blind

#: This package's version (it follows the library it was written for).
__version__ = "%d.%d.%d" % (EXPECTED_VERSION // 10000, EXPECTED_VERSION // 100 % 100,
                            EXPECTED_VERSION % 100)


def library_version() -> str:
    """The loaded libcouncil's version string (``council_version_string()``)."""
    return _cffi.string(_lib.council_version_string()).decode("ascii")


def library_version_number() -> int:
    """The loaded libcouncil's version number (major * 10000 + minor * 100 + patch)."""
    return int(_lib.council_version_number())


def errstr(code: int) -> str:
    """The library's fixed text for a return code (``council_errstr()``)."""
    return _cffi.string(_lib.council_errstr(code)).decode("ascii")


# Limits of the C API, from the loaded library (the function twins of the header's macros).
ROOT_KEY_BYTES: int = int(_lib.council_root_key_bytes())
ID_BYTES: int = int(_lib.council_id_bytes())
NAME_MAX: int = int(_lib.council_name_max())
PASSPHRASE_MAX: int = int(_lib.council_passphrase_max())
KDF_OPSLIMIT_MIN: int = int(_lib.council_kdf_opslimit_min())
KDF_OPSLIMIT_MAX: int = int(_lib.council_kdf_opslimit_max())
KDF_MEMLIMIT_MIN: int = int(_lib.council_kdf_memlimit_min())
KDF_MEMLIMIT_MAX: int = int(_lib.council_kdf_memlimit_max())
HASH_BYTES: int = int(_lib.council_hash_bytes())
PROOF_HASHES_MAX: int = int(_lib.council_proof_hashes_max())
AUDIT_LIST_MAX: int = int(_lib.council_audit_list_max())
CONTACT_MAX: int = int(_lib.council_contact_max())
PUBLIC_KEY_BYTES: int = int(_lib.council_public_key_bytes())
PLEDGE_TEXT_MAX: int = int(_lib.council_pledge_text_max())
SECTION_MAX: int = int(_lib.council_section_max())
CASE_PERSONS_MAX: int = int(_lib.council_case_persons_max())
CONSENT_LIST_MAX: int = int(_lib.council_consent_list_max())
SESSION_SECRET_MAX: int = int(_lib.COUNCIL_SESSION_SECRET_MAX)
REPORT_K_DEFAULT: int = int(_lib.COUNCIL_REPORT_K_DEFAULT)

__all__ = [
    "Council", "NewCase", "Powers", "Role", "ShareDecision", "SectionLike", "IdLike",
    "SecretLike", "TimeLike",
    "CouncilError", "InternalError", "InvalidArgumentError", "OutOfMemoryError", "StoreIOError",
    "AuthError", "DeniedError", "NoConsentError", "TamperError", "FormatError", "ExistsError",
    "NotFoundError", "MisuseError", "LimitError", "BufferTooSmallError", "UnsupportedError",
    "SignatureError", "SenderError", "RecipientError", "ExpiredError", "ReplayError",
    "LibraryVersionError", "errors",
    "audit_verify_export", "audit_verify_checkpoint", "audit_verify_proof", "audit_witness",
    "witness_keygen", "merkle_leaf_hash", "merkle_verify_inclusion", "merkle_verify_consistency",
    "store_id", "uuid_parse", "uuid_format", "protobuf_allocator_address", "MemberKeys", "member_keypair", "open_meeting_packet", "to_uuid", "to_datetime", "wipe", "wiping", "library_version", "library_version_number",
    "errstr", "EXPECTED_VERSION",
    "audit_pb2", "case_pb2", "consent_pb2", "info_pb2", "keyfile_pb2", "keyring_pb2",
    "meeting_pb2", "member_pb2", "request_pb2",
    "referral_pb2",
    "task_pb2",
    "Node", "BUNDLE_TYPE_ANSWER", "BUNDLE_TYPE_INTAKE",
    "bundle_pb2", "bundle_inspect",
    "case_evidence", "audit_verify_case_evidence",  # issue 16: evidence
    "provision_register", "outside_disclose",  # issue 16, register
    "ROOT_KEY_BYTES", "ID_BYTES", "NAME_MAX", "PASSPHRASE_MAX", "KDF_OPSLIMIT_MIN",
    "KDF_OPSLIMIT_MAX", "KDF_MEMLIMIT_MIN", "KDF_MEMLIMIT_MAX", "HASH_BYTES", "PROOF_HASHES_MAX",
    "AUDIT_LIST_MAX", "CONTACT_MAX", "PUBLIC_KEY_BYTES", "PLEDGE_TEXT_MAX", "SECTION_MAX",
    "CASE_PERSONS_MAX", "CONSENT_LIST_MAX", "SESSION_SECRET_MAX", "REPORT_K_DEFAULT",
    "person_report", "case_pseudonym", "case_by_pseudonym",  # issue 16, person
    "index_status", "index_rebuild",  # issue 17, blind
]
