"""The blind index's width (issue 17, blind): its state, the rebuild (nothing to do in a
store this small: tests/test_blind_width.c drives the threshold down), who may ask."""
from __future__ import annotations

import pytest

import council

from conftest import World


def test_index_status_and_rebuild(world: World) -> None:
    st = council.index_status(world.root)
    assert st["width"] == 16 and st["old_width"] == 0 and st["wanted_width"] == 16
    assert st["entries"] == 0
    npo = world.staff("npo")
    try:
        case = npo.case_create()
        npo.section_write(case.case_id, case.person_id, "identity",
                          {"identity": {"name": "Hanako Example", "birth_date": "1950-05-05"}})
        with pytest.raises(council.DeniedError):  # another member's staff
            council.index_status(npo)
        with pytest.raises(council.DeniedError):
            council.index_rebuild(npo)
    finally:
        npo.close()
    assert council.index_status(world.root)["entries"] == 1
    done = council.index_rebuild(world.root)
    assert done["cases_done"] == 0 and done["width"] == 16 and done["old_width"] == 0
    with pytest.raises(ValueError):
        council.index_rebuild(world.root, -1)
