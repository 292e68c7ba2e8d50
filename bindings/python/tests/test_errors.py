"""Every exception class the issue names, each from a real refusal by the library; the
mapping of every COUNCIL_E* code; no secret in exception text or repr."""
from __future__ import annotations

import os
import uuid

import pytest

import council
from council import Council, consent_pb2, errors

from conftest import PASS, WEAK, World


def test_every_code_has_a_class() -> None:
    names = [n for n in dir(council._lib) if n.startswith("COUNCIL_E") and
             isinstance(getattr(council._lib, n), int)]
    codes = {getattr(council._lib, n) for n in names} | {council._lib.COUNCIL_ERROR}
    assert codes == set(errors.BY_CODE)
    for code, cls in errors.BY_CODE.items():
        assert issubclass(cls, council.CouncilError)
        e = errors.error_for(code, "m")
        assert type(e) is cls and e.code == code
        assert e.codename.startswith("COUNCIL_E") and e.codename in str(e)
    unknown = errors.error_for(-99, "m")
    assert type(unknown) is council.CouncilError and unknown.code == -99


def test_auth_error_wrong_passphrase(world: World) -> None:
    secret = b"a wrong passphrase 123"
    with pytest.raises(council.AuthError) as e:
        Council.open(world.path, passphrase=secret)
    assert e.value.code == -5 and e.value.message
    assert secret.decode() not in str(e.value) and secret.decode() not in repr(e.value)


def test_denied_error_staff_calls_secretariat(world: World) -> None:
    with world.staff("city") as city:
        with pytest.raises(council.DeniedError) as e:
            city.member_add("Someone", 5)
        assert e.value.code == -6


def test_no_consent_error_share_outside_consent(world: World) -> None:
    with world.staff("npo") as npo:
        case = npo.case_create()
        npo.section_write(case.case_id, case.person_id, "situation", {"text": "x"})
        cid = npo.consent_record(case.case_id, case.person_id, scopes=["situation"],
                                 purposes=["referral"],
                                 method=consent_pb2.CONSENT_METHOD_ORAL,
                                 recipient_members=[world.city])
        d = npo.case_share_check(case.case_id, world.city, ["wishes"], purpose="referral",
                                 basis="consent", consent_id=cid)
        assert not d.allowed and d.code == -7 and d.reason
        with pytest.raises(council.NoConsentError) as e:
            npo.case_share(case.case_id, world.city, ["wishes"], purpose="referral",
                           basis="consent", consent_id=cid)
        assert e.value.code == -7


def test_tamper_error_checkpoint_signature(world: World) -> None:
    note = world.root.audit_checkpoint()
    vkey = world.root.info().log_verifier_key
    assert council.audit_verify_checkpoint(note, vkey).ok
    lines = note.split("\n")
    lines[1] = str(int(lines[1]) + 1)          # the tree size, under the signature
    with pytest.raises(council.TamperError) as e:
        council.audit_verify_checkpoint("\n".join(lines), vkey)
    assert e.value.code == -8


def test_format_error_damaged_session_secret(world: World) -> None:
    with pytest.raises(council.FormatError) as e:
        Council.open(world.path, session_secret=bytearray(b"\x01" * 40))
    assert e.value.code == -9


def test_not_found_error_unknown_member(world: World) -> None:
    with pytest.raises(council.NotFoundError) as e:
        world.root.member_get(uuid.uuid4())
    assert e.value.code == -11


def test_limit_error_audit_list(world: World) -> None:
    with pytest.raises(council.LimitError) as e:
        world.root.audit_list(limit=council.AUDIT_LIST_MAX + 1)
    assert e.value.code == -13


def test_misuse_error_commit_without_batch(world: World) -> None:
    with pytest.raises(council.MisuseError) as e:
        world.root.batch_commit()
    assert e.value.code == -12


def test_invalid_argument_error(world: World) -> None:
    with pytest.raises(council.InvalidArgumentError) as e:
        world.root.scope_add("Not A Code")
    assert e.value.code == -2 and isinstance(e.value, ValueError)


def test_exists_error_create_twice(world: World) -> None:
    with pytest.raises(council.ExistsError) as e:
        Council.create(world.path, "again", passphrase=PASS, **WEAK)
    assert e.value.code == -10


def test_secrets_never_in_repr(world: World) -> None:
    sec = world.root.session_secret()
    with Council.open(world.path, session_secret=sec) as c:
        r = repr(c)
        assert "open" in r and sec.hex() not in r and str(bytes(sec)) not in r
    council.wipe(sec)
    assert sec == bytearray(len(sec))


def test_str_secret_refused(world: World) -> None:
    with pytest.raises(TypeError):
        Council.open(world.path, passphrase="council passphrase")  # type: ignore[arg-type]


def test_naive_datetime_refused(world: World) -> None:
    import datetime as dt
    with pytest.raises(council.InvalidArgumentError):
        world.root.member_withdraw(world.city, "left", when=dt.datetime(2026, 1, 1))


def test_member_keys_repr_hides_secrets() -> None:
    keys = council.member_keypair()
    r = repr(keys)
    assert keys.box_public_key.hex() in r
    assert keys.box_secret_key.hex() not in r and keys.sign_seed.hex() not in r
    with council.wiping(keys.box_secret_key) as sk, council.wiping(keys.sign_seed):
        assert len(sk) == 32
    assert keys.box_secret_key == bytearray(32) and keys.sign_seed == bytearray(32)


def test_store_io_error_path_under_a_file(tmp_path) -> None:
    f = tmp_path / "a-file"
    f.write_bytes(b"")
    with pytest.raises(council.StoreIOError) as e:
        Council.create(str(f / "council"), "x", passphrase=PASS, **WEAK)
    assert e.value.code == -4 and isinstance(e.value, OSError)
