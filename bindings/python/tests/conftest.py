"""Fixtures: a throwaway council with two members, each with one pledged staff member.

Runs against the package built in place (``make python-build``) and the
in-tree library (``$COUNCIL_LIBRARY``): ``make python-test`` sets both.
Every KDF cost is the minimum so the suite is fast; real councils use the default.
"""
from __future__ import annotations

import dataclasses
import os
import uuid
from typing import Iterator

import pytest

import council
from council import Council, member_pb2

WEAK = dict(kdf_opslimit=council.KDF_OPSLIMIT_MIN, kdf_memlimit=council.KDF_MEMLIMIT_MIN)
PASS = b"council passphrase"
PLEDGE = "I keep secret what council work tells me.\n"


@dataclasses.dataclass
class World:
    path: str
    root: Council
    npo: uuid.UUID
    city: uuid.UUID
    npo_staff: uuid.UUID
    city_staff: uuid.UUID
    npo_keyfile: bytearray
    city_keyfile: bytearray

    def staff(self, who: str) -> Council:
        """A staff session of "npo" or "city"."""
        if who == "npo":
            return Council.open(self.path, staff_id=self.npo_staff, keyfile=self.npo_keyfile,
                                passphrase=b"npo pass")
        return Council.open(self.path, staff_id=self.city_staff, keyfile=self.city_keyfile,
                            passphrase=b"city pass")


def make_world(path: str) -> World:
    root = Council.create(path, "Example City council", passphrase=PASS, **WEAK)
    npo = root.member_add("NPO Yorisoi", member_pb2.MEMBER_KIND_NPO,
                          scopes=["identity", "situation", "wishes", "support_plan"])
    city = root.member_add("Example City welfare department",
                           member_pb2.MEMBER_KIND_MUNICIPAL_DEPARTMENT,
                           scopes=["situation", "wishes"])
    npo_kf = root.member_keygen(npo, b"npo pass", **WEAK)
    city_kf = root.member_keygen(city, b"city pass", **WEAK)
    npo_staff = root.staff_add(npo, "Case worker", "coordinator")
    root.staff_pledge(npo_staff, "v2024_04", PLEDGE)
    city_staff = root.staff_add(city, "Welfare officer")
    root.staff_pledge(city_staff, "v2024_04", PLEDGE, witness="Section chief")
    return World(path, root, npo, city, npo_staff, city_staff, npo_kf, city_kf)


@pytest.fixture
def world(tmp_path: "os.PathLike[str]") -> Iterator[World]:
    w = make_world(os.path.join(str(tmp_path), "council"))
    try:
        yield w
    finally:
        w.root.close()
        council.wipe(w.npo_keyfile)
        council.wipe(w.city_keyfile)
