"""Handles: closed deterministically, use after close refused (no crash), and 10,000
open/read/close cycles without memory growth."""
from __future__ import annotations

import gc
import os
import shutil
import tempfile
from typing import Iterator

import pytest

import council
from council import Council

from conftest import World, make_world


def test_use_after_close_is_misuse(world: World) -> None:
    c = world.staff("npo")
    case = c.case_create()
    c.close()
    assert c.closed and "closed" in repr(c)
    c.close()  # idempotent
    for call in (lambda: c.info(), lambda: c.case_get(case.case_id), lambda: c.powers(),
                 lambda: c.session_secret(), lambda: c.batch_begin(),
                 lambda: c.section_read(case.case_id, case.person_id, "situation", "referral")):
        with pytest.raises(council.MisuseError) as e:
            call()
        assert e.value.code == -12


def test_close_racing_calls_on_other_threads(world: World) -> None:
    """Threads sharing one handle: calls are serialised, and a close racing
    them makes the next call raise MisuseError (never a crash with a freed
    handle)."""
    import threading

    c = world.staff("npo")
    case = c.case_create()
    c.section_write(case.case_id, case.person_id, "situation", {"text": "shared"})
    outcomes: list = []
    start = threading.Barrier(5)

    def reader() -> None:
        start.wait()
        for _ in range(200):
            try:
                c.section_read(case.case_id, case.person_id, "situation", "referral")
            except council.MisuseError:
                outcomes.append("closed")
                return
        outcomes.append("done")

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    start.wait()
    c.close()
    for t in threads:
        t.join()
    assert len(outcomes) == 4 and set(outcomes) <= {"closed", "done"}
    with pytest.raises(council.MisuseError):
        c.case_list()


def test_context_manager_closes(world: World) -> None:
    with world.staff("city") as c:
        assert not c.closed
    assert c.closed
    with pytest.raises(council.MisuseError):
        c.case_list()


def test_context_manager_closes_on_exception(world: World) -> None:
    with pytest.raises(RuntimeError):
        with world.staff("city") as c:
            raise RuntimeError("boom")
    assert c.closed


def test_batch_rolls_back_on_exception(world: World) -> None:
    before = len(world.root.scope_list().scopes)
    with pytest.raises(RuntimeError):
        with world.root.batch():
            world.root.scope_add("housing")
            raise RuntimeError("abandon")
    assert len(world.root.scope_list().scopes) == before
    with world.root.batch():
        world.root.scope_add("housing", sensitive=True)
    codes = {s.code: s.sensitive for s in world.root.scope_list().scopes}
    assert codes["housing"] is True


def _rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


@pytest.fixture
def shm_world(tmp_path) -> Iterator[World]:
    """A world in RAM (/dev/shm) when there is one: each cycle commits to the audit log,
    and fsync on a disk would make 10,000 of them slow; nothing else differs."""
    base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else str(tmp_path)
    d = tempfile.mkdtemp(prefix="council-py-", dir=base)
    w = make_world(os.path.join(d, "council"))
    try:
        yield w
    finally:
        w.root.close()
        shutil.rmtree(d, ignore_errors=True)


def test_ten_thousand_open_read_close_cycles(shm_world: World) -> None:
    """10,000 cycles of open (from a session secret: no Argon2id), read, close; RSS grows
    by less than 5 MiB between the end of the warm-up and the end."""
    world = shm_world
    with world.staff("npo") as npo:
        case = npo.case_create()
        npo.section_write(case.case_id, case.person_id, "situation", {"text": "Lives alone."})
        npo.case_share(case.case_id, world.city, ["situation"], purpose="support_coordination",
                       basis="appi_27_1_4_public_duty", reason="Watch-over visits")
    with world.staff("city") as city:
        secret = city.session_secret()
    try:
        def cycle() -> None:
            with Council.open(world.path, session_secret=secret) as c:
                r = c.section_read(case.case_id, case.person_id, "situation",
                                   "support_coordination")
                assert r.section.text == "Lives alone."

        for _ in range(300):
            cycle()
        gc.collect()
        start = _rss_kib()
        for _ in range(10_000):
            cycle()
        gc.collect()
        grown = _rss_kib() - start
        print("RSS grew by %d KiB over 10,000 cycles" % grown)
        assert grown < 5 * 1024, "RSS grew by %d KiB over 10,000 cycles" % grown
    finally:
        council.wipe(secret)
