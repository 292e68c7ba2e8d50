#!/usr/bin/python3
"""A caseworker refers a person to another member: how a case system calls libcouncil.

The NPO's case system knows the person by name. It asks the council whether the
person has a case (council_case_find), checks the disclosure before it promises
anything (the dry run, council_case_share_check), shares what the person consented
to, and handles a refusal: a scope the person did not consent to is not shared.

Run it from the source tree after `make` (it sets up a throwaway council first):

    COUNCIL_LIBRARY=build/libcouncil.so.0 PYTHONPATH=build/python \\
        /usr/bin/python3 bindings/python/examples/referral.py

or, with the package installed into a venv made from Debian's interpreter
(`/usr/bin/python3 -m venv --system-site-packages ~/venv`) and libcouncil
installed, `~/venv/bin/python referral.py`.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid

import council
from council import Council, case_pb2, consent_pb2, member_pb2

# The cheapest Argon2id cost keeps the example fast; real councils use the default (0).
WEAK = dict(kdf_opslimit=council.KDF_OPSLIMIT_MIN, kdf_memlimit=council.KDF_MEMLIMIT_MIN)


def setup(path: str) -> dict:
    """The secretariat's part, done once: a council, two members with keys and staff."""
    ids: dict = {}
    with Council.create(path, "Example City council", passphrase=b"council passphrase",
                        **WEAK) as root:
        ids["npo"] = root.member_add("NPO Yorisoi", member_pb2.MEMBER_KIND_NPO,
                                     scopes=["identity", "situation", "wishes"])
        ids["city"] = root.member_add("Example City welfare department",
                                      member_pb2.MEMBER_KIND_MUNICIPAL_DEPARTMENT,
                                      scopes=["situation", "wishes"])
        for who in ("npo", "city"):
            ids[who + "_keyfile"] = root.member_keygen(ids[who], b"member passphrase", **WEAK)
            ids[who + "_staff"] = root.staff_add(ids[who], "Caseworker")
            root.staff_pledge(ids[who + "_staff"], "v2024_04",
                              "I keep secret what council work tells me.\n")
    return ids


def refer(session: Council, name: str, birth_date: str, recipient: uuid.UUID,
          scopes: list) -> list:
    """Refer the person called `name` to `recipient`: share each scope the disclosure
    decision allows, and report the others. Returns the scopes shared."""
    matches = session.case_find(name, birth_date).matches
    if not matches:
        print("referral: no case for this person: open one first")
        return []
    m = matches[0]  # a blind-index match: a real system confirms the identity section
    case_id = council.to_uuid(m.case_id)
    print("referral: found case %s (name %s, birth date %s)" % (
        case_id, "matches" if m.name_matches else "differs",
        "matches" if m.birth_date_matches else "differs"))
    consent = [r for r in session.consent_list(case_id).records
               if r.status == consent_pb2.CONSENT_STATUS_ACTIVE and not r.refusal]
    consent_id = council.to_uuid(consent[0].id) if consent else None
    shared = []
    for scope in scopes:
        decision = session.case_share_check(case_id, recipient, [scope], purpose="referral",
                                            basis="consent", consent_id=consent_id)
        if not decision.allowed:
            print("referral: %s not shared: %s" % (scope, decision.reason))
            continue
        try:
            session.case_share(case_id, recipient, [scope], purpose="referral", basis="consent",
                               consent_id=consent_id)
        except council.NoConsentError as e:  # the decision changed since the dry run
            print("referral: %s refused: %s" % (scope, e.message))
            continue
        except council.CouncilError as e:
            print("referral: %s failed: %s" % (scope, e))
            continue
        print("referral: %s shared (%s)" % (scope, decision.reason))
        shared.append(scope)
    return shared


def main() -> int:
    tmp = tempfile.mkdtemp(prefix="council-referral-")
    path = os.path.join(tmp, "council")
    try:
        ids = setup(path)
        with Council.open(path, staff_id=ids["npo_staff"], keyfile=ids["npo_keyfile"],
                          passphrase=b"member passphrase") as npo:
            # Earlier: the NPO opened the person's case and recorded their written consent
            # to a referral to the city, of their situation (not of their wishes).
            case = npo.case_create()
            npo.section_write(case.case_id, case.person_id, "identity",
                              {"identity": {"name": "Yamada Taro", "birthDate": "1950-04-01"}})
            npo.section_write(case.case_id, case.person_id, "situation",
                              case_pb2.Section(text="Lives alone. Rarely goes out."))
            npo.section_write(case.case_id, case.person_id, "wishes",
                              {"wishes": {"wants": ["someone to talk to"]}})
            npo.consent_record(case.case_id, case.person_id, scopes=["situation"],
                               purposes=["referral"],
                               method=consent_pb2.CONSENT_METHOD_WRITTEN,
                               recipient_members=[ids["city"]])

            # Now: the caseworker refers the person to the city.
            shared = refer(npo, "YAMADA  taro", "1950-04-01", ids["city"],
                           ["situation", "wishes", "identity"])
        with Council.open(path, staff_id=ids["city_staff"], keyfile=ids["city_keyfile"],
                          passphrase=b"member passphrase") as city:
            rec = city.section_read(case.case_id, case.person_id, "situation", "referral")
            print("city: reads situation, version %d, %d bytes" % (rec.version,
                                                                    rec.section.ByteSize()))
            try:
                city.section_read(case.case_id, case.person_id, "wishes", "referral")
            except council.DeniedError as e:
                print("city: wishes refused (%s)" % e.codename)
        for k in ("npo_keyfile", "city_keyfile"):
            council.wipe(ids[k])
        return 0 if shared == ["situation"] else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
