"""The generated ``council.v1`` protobuf modules (made by protoc at build time)."""
from __future__ import annotations

try:
    from .v1 import (audit_pb2, case_pb2, consent_pb2, info_pb2, keyfile_pb2,  # noqa: F401
                     keyring_pb2, meeting_pb2, member_pb2, request_pb2)
    from .v1 import referral_pb2  # noqa: F401
    from .v1 import task_pb2  # noqa: F401
    from .v1 import bundle_pb2  # noqa: F401
except ImportError as e:  # pragma: no cover - a source tree without the build step
    raise ImportError(
        "council: the council.v1 protobuf modules are missing (%s); they are generated at "
        "build time by protoc: install the package with pip, or run `make python-build`" % e
    ) from None
