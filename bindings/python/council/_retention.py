"""Retention (issue 16, ``council_retention_*``; see council_retention(3)): the council's
schedule of how long cases are kept, the cases due, and the pass that erases them and
purges ended shares of their keys. The calls are methods of :class:`council.Council`
(the secretariat's); results are the library's JSON, parsed into dicts."""
from __future__ import annotations

import dataclasses
import json
from typing import Any, Optional, Sequence

from . import _util as u
from ._council import Council
from ._ffi import ffi, lib
from ._util import IdLike, TimeLike

#: A rule's units (``unit``): kept with no end, days, calendar months, calendar years.
RETENTION_KEEP = 0
RETENTION_DAYS = 1
RETENTION_MONTHS = 2
RETENTION_YEARS = 3


@dataclasses.dataclass(frozen=True)
class RetentionRule:
    """Cases of ``body`` (``case_pb2.CASE_BODY_*``, 0: any) in ``status``
    (``case_pb2.CASE_STATUS_OPEN``, ``MONITORING``, ``CLOSED``, 0: any) are kept ``count``
    ``unit`` after they entered that status (``RETENTION_KEEP``: with no end, count 0)."""
    body: int
    status: int
    unit: int
    count: int = 0


def _json(raw: bytes) -> Any:
    return json.loads(raw.decode("utf-8"))


def retention_set(self: Council, rules: Sequence[RetentionRule]) -> None:
    """Replace the retention schedule (signed, logged as retention_schedule_changed)."""
    arr = ffi.new("council_retention_rule[]", max(len(rules), 1))
    for i, r in enumerate(rules):
        arr[i].body, arr[i].status = int(r.body), int(r.status)
        arr[i].unit, arr[i].count = int(r.unit), int(r.count)
    self._check(self._lib.council_retention_set(self._h(), arr if rules else ffi.NULL,
                                                len(rules)))


def retention_get(self: Council) -> dict:
    """The schedule: ``{"schedule_id", "rules": [{"body", "status", "unit", "count"}]}``."""
    return _json(self._call_buf(self._lib.council_retention_get))


def retention_due(self: Council, at: TimeLike = None) -> dict:
    """The cases due at ``at`` (None: now; at most a day ahead):
    ``{"now", "cases": [...], "tampered", "unproven"}``."""
    return _json(self._call_buf(self._lib.council_retention_due, u.unix(at, "at")))


def retention_apply(self: Council, *, dry_run: bool = False, at: TimeLike = None,
                    case_ids: Optional[Sequence[IdLike]] = None) -> dict:
    """A retention pass: the cases due (or exactly ``case_ids``, each of which must be
    due) erased as case_erase does, ended shares purged of their keys; ``dry_run``
    changes nothing. Returns ``{"dry_run", "now", "erased", "purged_cases",
    "purged_shares", "tampered", "unproven"}``."""
    keep: list = []
    o = ffi.new("council_retention_apply_options *")
    o.version = lib.COUNCIL_RETENTION_APPLY_OPTIONS_VERSION
    o.dry_run = 1 if dry_run else 0
    o.now = u.unix(at, "at")
    o.case_ids, o.n_case_ids = u.ids_packed(case_ids, keep, "case_ids")
    return _json(self._call_buf(self._lib.council_retention_apply, o))


# The methods of Council (one block: issue 16, retention).
Council.retention_set = retention_set  # type: ignore[attr-defined]
Council.retention_get = retention_get  # type: ignore[attr-defined]
Council.retention_due = retention_due  # type: ignore[attr-defined]
Council.retention_apply = retention_apply  # type: ignore[attr-defined]
