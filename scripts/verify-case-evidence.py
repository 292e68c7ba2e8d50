#!/usr/bin/python3
"""verify-case-evidence.py - an independent verifier of a libcouncil case
evidence file (doc/audit-format.md section 11), written from the format
documents alone: no libcouncil, no generated protobuf code. It needs only
hashlib and python3-cryptography (Ed25519).

    verify-case-evidence.py FILE --key VKEY|@VKEYFILE [--json]

Checks, in order: the header; the checkpoint (a C2SP signed note) against
the council's log verifier key (key name, key id, Ed25519 over the body;
the origin is the key name); then each event: in ascending order and below
the checkpoint's tree size, a protobuf AuditEvent whose own seq (field 1)
is the one the file gives and whose case_ref (field 7) is the file's, and
whose RFC 9162 inclusion proof leads from SHA-256(0x00 || bytes) to the
checkpoint's root. Exit 0 when everything verifies, 1 when something does
not (the reason on stderr), 2 for a usage error.
"""
import base64
import binascii
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FILE_MAX = 64 * 1024 * 1024
NOTE_MAX = 16384
EVENT_MAX = 65536
PROOF_MAX = 64
MAGIC = "council-case-evidence/v1"


class Refused(Exception):
    """The file does not verify."""


def b64(text, want=None):
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Refused("malformed base64") from None
    if base64.b64encode(raw).decode() != text:
        raise Refused("non-canonical base64")
    if want is not None and len(raw) != want:
        raise Refused("a hash is not %d bytes" % want)
    return raw


def number(text):
    if not text.isdigit() or not text.isascii() or (len(text) > 1 and text[0] == "0") or len(text) > 20:
        raise Refused("malformed number %r" % text[:24])
    v = int(text)
    if v >= 1 << 64:
        raise Refused("number out of range")
    return v


# ------------------------------------------------------------- signed notes

def parse_vkey(text):
    """C2SP verifier key: name+hexid+base64(0x01 || 32-byte public key)."""
    parts = text.strip().split("+", 2)
    if len(parts) != 3:
        raise Refused("the log key is not a verifier key")
    name, keyid, blob = parts
    raw = b64(blob)
    if len(raw) != 33 or raw[0] != 0x01 or len(keyid) != 8:
        raise Refused("the log key is not an Ed25519 verifier key")
    want = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if want.hex() != keyid:
        raise Refused("the log key's id does not match its key")
    return name, want, raw[1:]


def verify_note(note, vkey):
    """Return (origin, size, root) of a checkpoint signed by vkey."""
    name, keyid, pk = vkey
    if len(note) > NOTE_MAX or not note.endswith(b"\n"):
        raise Refused("malformed checkpoint")
    sep = note.find(b"\n\n")
    if sep < 0:
        raise Refused("malformed checkpoint: no signatures")
    body = note[: sep + 1]
    lines = body.decode("utf-8").split("\n")[:-1]
    if len(lines) < 3:
        raise Refused("malformed checkpoint body")
    origin, size, root = lines[0], number(lines[1]), b64(lines[2], 32)
    ok = False
    for sig in note[sep + 2:].decode("utf-8").split("\n")[:-1]:
        if not sig.startswith("\u2014 "):
            raise Refused("malformed signature line")
        fields = sig[2:].split(" ")
        if len(fields) != 2:
            raise Refused("malformed signature line")
        raw = b64(fields[1])
        if fields[0] != name or len(raw) != 68 or raw[:4] != keyid:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(pk).verify(raw[4:], body)
            ok = True
        except InvalidSignature:
            pass
    if not ok:
        raise Refused("the checkpoint carries no valid signature of the log key")
    if origin != name:
        raise Refused("the checkpoint's origin is not the log key's name")
    return origin, size, root


# --------------------------------------------------------------- protobuf

def varint(buf, i):
    v, shift = 0, 0
    while True:
        if i >= len(buf) or shift > 63:
            raise Refused("truncated varint")
        b = buf[i]
        i += 1
        v |= (b & 0x7F) << shift
        if not b & 0x80:
            return v, i
        shift += 7


def event_fields(buf):
    """The fields of an AuditEvent: {number: [values]} (varints as ints,
    length-delimited fields as bytes). Only wire types 0 and 2 occur."""
    out, i = {}, 0
    while i < len(buf):
        key, i = varint(buf, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            val, i = varint(buf, i)
        elif wire == 2:
            n, i = varint(buf, i)
            if n > len(buf) - i:
                raise Refused("truncated field")
            val, i = buf[i:i + n], i + n
        else:
            raise Refused("unexpected wire type %d" % wire)
        out.setdefault(field, []).append(val)
    return out


# ------------------------------------------------------------- RFC 9162

def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(index, size, leaf, proof, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


# ------------------------------------------------------------------ file

def verify_file(data, vkey):
    if len(data) > FILE_MAX:
        raise Refused("the file is too large")
    pos = 0

    def line():
        nonlocal pos
        nl = data.find(b"\n", pos)
        if nl < 0:
            raise Refused("truncated file")
        text = data[pos:nl]
        pos = nl + 1
        try:
            return text.decode("ascii")
        except UnicodeDecodeError:
            raise Refused("not a case evidence file") from None

    def keyed(key):
        text = line()
        if not text.startswith(key + " "):
            raise Refused("expected %s" % key)
        return text[len(key) + 1:]

    if line() != MAGIC:
        raise Refused("not a case evidence file")
    origin = keyed("origin")
    ref_hex = keyed("case_ref")
    if len(ref_hex) != 64 or any(c not in "0123456789abcdef" for c in ref_hex):
        raise Refused("malformed case_ref")
    ref = bytes.fromhex(ref_hex)
    created = number(keyed("created"))
    tree_size = number(keyed("tree_size"))
    count = number(keyed("events"))
    note_len = number(keyed("checkpoint"))
    if note_len == 0 or note_len > NOTE_MAX or note_len > len(data) - pos:
        raise Refused("malformed checkpoint length")
    note = data[pos:pos + note_len]
    pos += note_len
    cp_origin, cp_size, root = verify_note(note, vkey)
    if cp_origin != origin:
        raise Refused("the origin line is not the checkpoint's")
    if cp_size != tree_size:
        raise Refused("tree_size is not the checkpoint's")
    if count == 0 or count > tree_size:
        raise Refused("bad event count")
    last = -1
    for _ in range(count):
        seq = number(keyed("event"))
        if seq <= last or seq >= tree_size:
            raise Refused("event %d: out of order or past the checkpoint" % seq)
        last = seq
        body = b64(line())
        if not body or len(body) > EVENT_MAX:
            raise Refused("event %d: bad length" % seq)
        m = number(keyed("proof"))
        if m > PROOF_MAX:
            raise Refused("event %d: proof too long" % seq)
        proof = [b64(line(), 32) for _ in range(m)]
        fields = event_fields(body)
        if fields.get(1) != [seq]:
            raise Refused("event %d: its sequence number is not the one given" % seq)
        if fields.get(7) != [ref]:
            raise Refused("event %d does not name the case" % seq)
        leaf = hashlib.sha256(b"\x00" + body).digest()
        if not verify_inclusion(seq, tree_size, leaf, proof, root):
            raise Refused("event %d is not in the tree of the checkpoint" % seq)
    if line() != "end" or pos != len(data):
        raise Refused("the file does not end after its events")
    return {"ok": True, "events": count, "tree_size": tree_size, "root_hash": root.hex(),
            "case_ref": ref_hex, "created": created}


def main(argv):
    args, key, as_json, path = argv[1:], None, False, None
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--key" and i + 1 < len(args):
            key = args[i + 1]
            i += 2
            continue
        if a == "--json":
            as_json = True
        elif a.startswith("-") or path is not None:
            print("usage: verify-case-evidence.py FILE --key VKEY|@FILE [--json]", file=sys.stderr)
            return 2
        else:
            path = a
        i += 1
    if path is None or key is None:
        print("usage: verify-case-evidence.py FILE --key VKEY|@FILE [--json]", file=sys.stderr)
        return 2
    try:
        if key.startswith("@"):
            with open(key[1:], encoding="utf-8") as f:
                key = f.read()
        with open(path, "rb") as f:
            data = f.read(FILE_MAX + 1)
        result = verify_file(data, parse_vkey(key))
    except (Refused, OSError, UnicodeDecodeError) as e:
        if as_json:
            print(json.dumps({"ok": False, "message": str(e)}))
        print("verify-case-evidence: refused: %s" % e, file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps(result))
    else:
        print("verified: %d events of case %s in a tree of %d" %
              (result["events"], result["case_ref"], result["tree_size"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
