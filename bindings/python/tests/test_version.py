"""The library's version is checked at import, and a mismatch is refused."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

import council
from council import _ffi

FAKE_C = r"""
unsigned council_version_number(void) { return VERSION; }
const char *council_version_string(void) { return "FAKE"; }
int council_global_init(void) { return 0; }
"""


def test_loaded_version_matches() -> None:
    assert council.library_version_number() == council.EXPECTED_VERSION
    assert council.library_version() == council.__version__


@pytest.mark.parametrize("actual,expected,ok", [
    (100, 100, True), (101, 100, True), (99, 100, False), (200, 100, False),
    (10000, 100, False), (10203, 10100, True), (10099, 10100, False), (20000, 10100, False),
])
def test_compatible(actual: int, expected: int, ok: bool) -> None:
    assert _ffi.compatible(actual, expected) is ok


def test_load_refuses_an_unexpected_version(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(council.LibraryVersionError) as e:
        _ffi.load(expected=council.EXPECTED_VERSION + 100)
    assert "does not match" in str(e.value) and isinstance(e.value, ImportError)


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler")
def test_import_refuses_a_mismatched_library(tmp_path) -> None:
    """A fake libcouncil.so.0 of version 9.9.9: `import council` must fail, saying why."""
    src = tmp_path / "fake.c"
    src.write_text(FAKE_C)
    so = tmp_path / "libcouncil.so.0"
    subprocess.check_call(["cc", "-shared", "-fPIC", "-DVERSION=90909", "-o", str(so), str(src)])
    env = dict(os.environ, COUNCIL_LIBRARY=str(so))
    p = subprocess.run([sys.executable, "-c", "import council"], env=env,
                       capture_output=True, text=True)
    assert p.returncode != 0
    assert "LibraryVersionError" in p.stderr and "90909" in p.stderr
    # The real library, for contrast, imports.
    p = subprocess.run([sys.executable, "-c", "import council"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
