#!/bin/sh
# Install bindings/python offline into a throwaway venv that sees Debian's
# cffi and protobuf (--system-site-packages), with Debian's setuptools
# (--no-build-isolation), then import it and open a council.
#   install-check.sh PYTHON LIBRARY REPO
set -eu
PY=$1 LIB=$2 REPO=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A copy of the package and of proto/, as a fresh clone lays them out, so the
# build leaves nothing behind in the source tree.
mkdir -p "$tmp/src/bindings"
cp -r "$REPO/bindings/python" "$tmp/src/bindings/python"
cp -r "$REPO/proto" "$tmp/src/proto"
rm -rf "$tmp/src/bindings/python/build" "$tmp/src/bindings/python/council/v1" \
       "$tmp/src/bindings/python"/*.egg-info
"$PY" -m venv --system-site-packages "$tmp/venv"
"$tmp/venv/bin/pip" install -q --no-index --no-build-isolation "$tmp/src/bindings/python" \
    >"$tmp/pip.log" 2>&1 || { cat "$tmp/pip.log"; echo "python-install-check: pip install failed"; exit 1; }
cd "$tmp"
COUNCIL_LIBRARY=$LIB VENV=$tmp/venv "$tmp/venv/bin/python" - <<'PYEOF'
import os, tempfile
import council
from council.v1 import member_pb2
venv = os.path.realpath(os.environ["VENV"])
assert os.path.realpath(council.__file__).startswith(venv + "/"), "not the venv's copy"
assert os.path.isfile(os.path.join(os.path.dirname(council.__file__), "v1", "case_pb2.py"))
d = tempfile.mkdtemp()
with council.Council.create(os.path.join(d, "c"), "install check", passphrase=b"pass phrase",
                            kdf_opslimit=council.KDF_OPSLIMIT_MIN,
                            kdf_memlimit=council.KDF_MEMLIMIT_MIN) as c:
    m = c.member_add("NPO", member_pb2.MEMBER_KIND_NPO, scopes=["situation"])
    assert c.member_get(m).name == "NPO"
import importlib.resources
assert (importlib.resources.files("council") / "py.typed").is_file()
print("python-install-check: pip installed the package offline into a venv (with its protoc-made "
      "council.v1 modules); it imported from there and opened a council")
PYEOF
