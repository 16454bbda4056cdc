#!/usr/bin/env bash
# Build recipe for json-parse/py-json: componentize-py 0.25.1 writes a finished
# component (CPython with the standard library, and app.py imported).
#
# Byte-identical output. componentize-py starts CPython and imports app.py inside
# wasmtime, then stores the guest's memory in the component; it has no option that
# makes this reproducible, and a plain run gives a different file every time. What
# the guest can learn from the host is therefore pinned here:
#  - the Python path holds only a fresh folder with app.py (the guest would otherwise
#    write __pycache__ next to it, and the next build would see that), and
#    VIRTUAL_ENV names an empty venv (otherwise componentize-py puts the host's
#    site-packages on the path and the guest records its listing);
#  - all of it lives on a private tmpfs in a new mount namespace, so inode numbers
#    and directory order follow the order of creation and nothing else;
#  - repro.c, compiled here and preloaded into the componentize-py process alone,
#    pins random bytes, clocks, device numbers and timestamps (see its header).
# The component keeps its WASI imports; nvx's host gives them a deterministic,
# capability-free WASI.
# Needs: componentize-py 0.25.1, cc, util-linux unshare (run as root, or with
# unprivileged user namespaces), x86_64 Linux.
set -euo pipefail

want=0.25.1
version() { python3 -c 'import importlib.metadata as m; print(m.version("componentize-py"))'; }

if [ "${NVX_PRINT_TOOLCHAIN:-}" = "1" ]; then
  echo "componentize-py $(version) (PyPI componentize-py; bundled CPython 3.14.0 for wasm32-wasip2)"
  exit 0
fi

: "${NVX_OUT:?}"
here="$(pwd)"
wit="${NVX_WIT:-$here/../json-parse.wit}"
world="${NVX_WORLD:-json-parse}"
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
mkdir "$scratch/fs"
cc -O2 -shared -fPIC -o "$scratch/repro.so" "$here/repro.c"

if [ "$(id -u)" = 0 ]; then isolate=(unshare --mount); else isolate=(unshare --user --map-root-user --mount); fi

"${isolate[@]}" env SCRATCH="$scratch" HERE="$here" WIT="$wit" WORLD="$world" OUT="$out" PYTHON="$python" \
  bash -euo pipefail -c '
  fs="$SCRATCH/fs"
  mount -t tmpfs -o size=1g,mode=0755 py-json-build "$fs"
  mkdir -p "$fs/src" "$fs/venv/lib/site-packages" "$fs/tmp"
  cp "$HERE/app.py" "$fs/src/app.py"
  cp "$WIT" "$fs/world.wit"
  touch -d @0 "$fs/src/app.py" "$fs/world.wit" "$fs/src" "$fs/venv/lib/site-packages" "$fs/venv/lib" "$fs/venv"
  cd "$fs"
  TMPDIR="$fs/tmp" VIRTUAL_ENV="$fs/venv" PYTHONDONTWRITEBYTECODE=1 PYTHONHASHSEED=0 \
  LD_PRELOAD="$SCRATCH/repro.so" \
    "$PYTHON" -c "import sys; from componentize_py import script; sys.argv[0] = \"componentize-py\"; sys.exit(script())" \
      -q -d "$fs/world.wit" -w "$WORLD" componentize -p "$fs/src" app -o "$fs/out.wasm"
  cp "$fs/out.wasm" "$OUT"
'
