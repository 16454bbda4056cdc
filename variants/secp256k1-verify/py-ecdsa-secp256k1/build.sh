#!/usr/bin/env bash
# Build recipe for secp256k1-verify/py-ecdsa-secp256k1: componentize-py 0.25.1 writes a finished
# component (CPython 3.14.0 with the standard library, app.py, and the pure-Python
# packages ecdsa 0.19.2 and six 1.17.0 pinned with hashes in requirements.txt).
#
# Steps:
#  1. The two wheels are fetched from PyPI by pip (--require-hashes, --no-deps,
#     wheels only) into $NVX_CACHE/wheels, or taken from there when already present
#     and their SHA-256 still matches requirements.txt.
#  2. Their package files (ecdsa/, six.py; not the .dist-info metadata) are unpacked,
#     in the zip's own order, next to app.py in a fresh source folder, with every
#     timestamp set to 0.
#  3. componentize-py runs as in the other Python variants of this repository, made
#     byte-identical by the same means: a fresh folder holding only the sources, an
#     empty VIRTUAL_ENV, a private tmpfs in a new mount namespace, and repro.c
#     preloaded into the componentize-py process alone (it pins random bytes, clocks,
#     device numbers and timestamps; see its header).
# The component keeps its WASI imports; nvx's host gives them a deterministic,
# capability-free WASI.
# Needs: componentize-py 0.25.1 and pip for python3, cc, util-linux unshare (run as
# root, or with unprivileged user namespaces), x86_64 Linux; PyPI on the first build.
set -euo pipefail

want=0.25.1
ecdsa_version=0.19.2
six_version=1.17.0
version() { python3 -c 'import importlib.metadata as m; print(m.version("componentize-py"))'; }

if [ "${NVX_PRINT_TOOLCHAIN:-}" = "1" ]; then
  echo "componentize-py $(version) (PyPI componentize-py; bundled CPython 3.14.0 for wasm32-wasip2); ecdsa $ecdsa_version + six $six_version (PyPI, pure Python)"
  exit 0
fi

: "${NVX_OUT:?}"
here="$(pwd)"
wit="${NVX_WIT:-$here/../secp256k1-verify.wit}"
world="${NVX_WORLD:-secp256k1-verify}"
have="$(version)"
if [ "$have" != "$want" ]; then
  echo "build.sh: componentize-py $want is required (found $have): python3 -m pip install componentize-py==$want" >&2
  exit 1
fi
python="$(python3 -c 'import sys; print(sys.executable)')"
case "$NVX_OUT" in /*) out="$NVX_OUT" ;; *) out="$here/$NVX_OUT" ;; esac
case "$wit" in /*) ;; *) wit="$here/$wit" ;; esac

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# 1. The wheels, checked against the hashes in requirements.txt.
cache="${NVX_CACHE:-$scratch/cache}"
case "$cache" in /*) ;; *) cache="$here/$cache" ;; esac
wheels="$cache/wheels"
mkdir -p "$wheels"
ecdsa_whl="$wheels/ecdsa-$ecdsa_version-py2.py3-none-any.whl"
six_whl="$wheels/six-$six_version-py2.py3-none-any.whl"
"$python" - "$here/requirements.txt" "$ecdsa_whl" "$six_whl" > "$scratch/sums" <<'PY'
import os, re, sys
pins = {}
for line in open(sys.argv[1]):
    m = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)\s+--hash=sha256:([0-9a-f]{64})", line)
    if m:
        pins[m.group(1)] = (m.group(2), m.group(3))
for whl in sys.argv[2:]:
    name, ver = os.path.basename(whl).split("-")[:2]
    assert pins[name][0] == ver, (name, ver, pins[name])
    print(pins[name][1] + "  " + whl)
PY
if ! sha256sum --quiet -c "$scratch/sums" >/dev/null 2>&1; then
  rm -f "$ecdsa_whl" "$six_whl"
  "$python" -m pip download --quiet --disable-pip-version-check --no-deps \
    --only-binary :all: --require-hashes -r "$here/requirements.txt" -d "$wheels"
  sha256sum --quiet -c "$scratch/sums"
fi

mkdir "$scratch/fs"
cc -O2 -shared -fPIC -o "$scratch/repro.so" "$here/repro.c"

if [ "$(id -u)" = 0 ]; then isolate=(unshare --mount); else isolate=(unshare --user --map-root-user --mount); fi

"${isolate[@]}" env SCRATCH="$scratch" HERE="$here" WIT="$wit" WORLD="$world" OUT="$out" PYTHON="$python" \
  ECDSA_WHL="$ecdsa_whl" SIX_WHL="$six_whl" \
  bash -euo pipefail -c '
  fs="$SCRATCH/fs"
  mount -t tmpfs -o size=1g,mode=0755 py-ecdsa-secp256k1-build "$fs"
  mkdir -p "$fs/src" "$fs/venv/lib/site-packages" "$fs/tmp"
  cp "$HERE/app.py" "$fs/src/app.py"
  # 2. The package files of both wheels, in zip order, without the .dist-info.
  "$PYTHON" - "$fs/src" "$ECDSA_WHL" "$SIX_WHL" <<"PY"
import os, sys, zipfile
dest = sys.argv[1]
for whl in sys.argv[2:]:
    with zipfile.ZipFile(whl) as z:
        for info in z.infolist():
            top = info.filename.split("/")[0]
            if top.endswith(".dist-info") or info.is_dir():
                continue
            path = os.path.join(dest, info.filename)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(z.read(info))
PY
  cp "$WIT" "$fs/world.wit"
  find "$fs/src" "$fs/venv" "$fs/world.wit" -depth -exec touch -h -d @0 {} +
  cd "$fs"
  # 3. componentize-py.
  TMPDIR="$fs/tmp" VIRTUAL_ENV="$fs/venv" PYTHONDONTWRITEBYTECODE=1 PYTHONHASHSEED=0 \
  LD_PRELOAD="$SCRATCH/repro.so" \
    "$PYTHON" -c "import sys; from componentize_py import script; sys.argv[0] = \"componentize-py\"; sys.exit(script())" \
      -q -d "$fs/world.wit" -w "$WORLD" componentize -p "$fs/src" app -o "$fs/out.wasm"
  cp "$fs/out.wasm" "$OUT"
'
