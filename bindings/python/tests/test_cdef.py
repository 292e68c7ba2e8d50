"""The cdef cannot drift from include/council.h, and every public function is wrapped.

Item 5 of issue 13: every new public C function gets its Python wrapper and a
test in the same change. Adding a function to council.h without running
tools/gen_cdef.py fails test_cdef_is_current; running it without a wrapper
fails test_every_function_is_wrapped.
"""
from __future__ import annotations

import os
import re
import sys

import council

HERE = os.path.dirname(os.path.abspath(__file__))
PKG_SRC = os.path.join(HERE, "..", "council")
REPO = os.path.join(HERE, "..", "..", "..")
sys.path.insert(0, os.path.join(HERE, "..", "tools"))

import gen_cdef  # noqa: E402

#: Functions used only inside the package's plumbing (each is still called).
PLUMBING = {"council_buf_free", "council_global_init", "council_close", "council_errmsg"}


def _header() -> str:
    with open(os.path.join(REPO, "include", "council.h"), encoding="utf-8") as f:
        return f.read()


def _functions(cdef: str) -> set:
    return set(re.findall(r"\b(council_[a-z0-9_]+)\s*\(", cdef))


def test_cdef_is_current() -> None:
    with open(os.path.join(PKG_SRC, "_cdef.py"), encoding="utf-8") as f:
        committed = f.read()
    assert gen_cdef.render(gen_cdef.extract(_header())) == committed, \
        "include/council.h changed: run bindings/python/tools/gen_cdef.py > council/_cdef.py"


def test_cdef_has_every_exported_function() -> None:
    with open(os.path.join(REPO, "libcouncil", "council.map"), encoding="utf-8") as f:
        exported = set(re.findall(r"^\s*(council_[a-z0-9_]+);", f.read(), re.M))
    from council._cdef import CDEF
    assert exported and exported == _functions(CDEF)


def test_every_function_is_wrapped() -> None:
    from council._cdef import CDEF
    src = ""
    for name in sorted(os.listdir(PKG_SRC)):
        if name.endswith(".py") and name != "_cdef.py":
            with open(os.path.join(PKG_SRC, name), encoding="utf-8") as f:
                src += f.read()
    used = set(re.findall(r"lib\.(council_[a-z0-9_]+)\b", src))
    missing = sorted(_functions(CDEF) - used)
    assert not missing, "public C functions without a Python wrapper: %s" % missing


def test_every_function_resolves_in_the_library() -> None:
    from council._cdef import CDEF
    for name in _functions(CDEF):
        assert getattr(council._lib, name) is not None


def test_public_names_have_docstrings_and_hints() -> None:
    import inspect
    missing = []
    for n in council.__all__:
        o = getattr(council, n)
        if inspect.isfunction(o) or inspect.isclass(o):
            if not o.__doc__:
                missing.append(n)
            if inspect.isfunction(o) and "return" not in o.__annotations__:
                missing.append(n + " (return type)")
    for n, o in vars(council.Council).items():
        if n.startswith("_"):
            continue
        f = o.fget if isinstance(o, property) else getattr(o, "__func__", o)
        if not getattr(f, "__doc__", None):
            missing.append("Council." + n)
        if "return" not in getattr(f, "__annotations__", {"return": 0}):
            missing.append("Council." + n + " (return type)")
    assert not missing


def test_drift_is_caught() -> None:
    """A function added to the header shows in the extraction, and has no wrapper."""
    header = _header().replace(
        "COUNCIL_API size_t council_id_bytes(void);",
        "COUNCIL_API size_t council_id_bytes(void);\n"
        "/** A new call. */\nCOUNCIL_API COUNCIL_NODISCARD int council_new_call(council *c,\n"
        "        const uint8_t *id, size_t id_len);")
    from council._cdef import CDEF
    grown = gen_cdef.extract(header)
    assert grown != CDEF.lstrip("\n")
    assert "int council_new_call(council *c, const uint8_t *id, size_t id_len);" in grown
    assert _functions(grown) - _functions(CDEF) == {"council_new_call"}
