"""The blind index's width (issue 17, blind; council_case(3)): ``index_status``,
``index_rebuild``, each on an open :class:`council.Council` session of the
secretariat."""
from __future__ import annotations

from typing import Any, Dict

from ._ffi import ffi, lib
from .errors import error_for


def _state(st: Any) -> Dict[str, int]:
    return {
        "width": int(st.width),
        "old_width": int(st.old_width),
        "wanted_width": int(st.wanted_width),
        "entries": int(st.entries),
        "cases_done": int(st.cases_done),
    }


def index_status(c: Any) -> Dict[str, int]:
    """The blind index's token width, the width sized for it now, and its name tokens
    (``council_index_status``; secretariat only: DeniedError otherwise, TamperError for a
    width set outside the library)."""
    st = ffi.new("council_index_state *")
    rc = lib.council_index_status(c._h(), st)
    if rc != 0:
        raise error_for(rc, c.errmsg())
    return _state(st)


def index_rebuild(c: Any, max_cases: int = 0) -> Dict[str, int]:
    """Widen the blind index when the store has outgrown its width (``council_index_rebuild``):
    at most ``max_cases`` cases this call (0: all); resumable. The state after the call, with
    ``cases_done``. Secretariat only (with the coordinating body's key)."""
    if not isinstance(max_cases, int) or max_cases < 0 or max_cases > 0xFFFFFFFF:
        raise ValueError("max_cases: 0 .. 4294967295")
    st = ffi.new("council_index_state *")
    rc = lib.council_index_rebuild(c._h(), st, max_cases)
    if rc != 0:
        raise error_for(rc, c.errmsg())
    return _state(st)
