"""Loading libcouncil.so.0 with cffi in ABI mode, and the version check.

Where the library comes from, first match wins:

1. ``$COUNCIL_LIBRARY``: a path to ``libcouncil.so.0`` (the tests use the
   in-tree ``build/libcouncil.so.0``);
2. ``libcouncil.so.0`` next to this package (a bundled copy);
3. ``libcouncil.so.0`` through the system loader (``make install`` and
   ``ldconfig``, or ``LD_LIBRARY_PATH``).
"""
from __future__ import annotations

import os
from typing import Any

import cffi

from ._cdef import CDEF

SONAME = "libcouncil.so.0"

#: The libcouncil version this package was written against, as
#: ``council_version_number()`` gives it (major * 10000 + minor * 100 + patch).
EXPECTED_VERSION = 100

ffi = cffi.FFI()
ffi.cdef(CDEF)


class LibraryVersionError(ImportError):
    """The loaded libcouncil is not a version this package can drive."""


def compatible(actual: int, expected: int) -> bool:
    """Whether library version ``actual`` serves a package built for ``expected``.

    Same major version and at least the expected one; while the major is 0,
    the minor must match too (0.x releases may change the ABI).
    """
    a_major, a_minor = actual // 10000, actual // 100 % 100
    e_major, e_minor = expected // 10000, expected // 100 % 100
    if a_major != e_major or actual < expected:
        return False
    return not (e_major == 0 and a_minor != e_minor)


def _candidates() -> list[str]:
    env = os.environ.get("COUNCIL_LIBRARY")
    if env:
        return [env]
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), SONAME)
    return [here, SONAME] if os.path.exists(here) else [SONAME]


def load(expected: int = EXPECTED_VERSION) -> Any:
    """Open the library and refuse a version mismatch (LibraryVersionError)."""
    errors = []
    for path in _candidates():
        try:
            lib = ffi.dlopen(path)
            break
        except OSError as e:
            errors.append("%s: %s" % (path, e))
    else:
        raise ImportError("council: cannot load %s (set COUNCIL_LIBRARY to its path): %s"
                          % (SONAME, "; ".join(errors)))
    actual = int(lib.council_version_number())
    if not compatible(actual, expected):
        raise LibraryVersionError(
            "council: libcouncil %s (version number %d) does not match this package, "
            "which needs %d.%d.x at least %d.%d.%d"
            % (ffi.string(lib.council_version_string()).decode("ascii", "replace"), actual,
               expected // 10000, expected // 100 % 100,
               expected // 10000, expected // 100 % 100, expected % 100))
    if lib.council_global_init() != 0:
        raise ImportError("council: council_global_init() failed")
    return lib


lib = load()
