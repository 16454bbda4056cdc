#!/usr/bin/env bash
# Build recipe for parse-f64/py-float. componentize-py writes a finished component.
#
# Reproducibility: componentize-py pre-initializes CPython in wasmtime and snapshots
# the guest memory, so host randomness, clocks, directory listings and stat results
# (mtimes, inode and device numbers) seen during that run end up in the output, and
# componentize-py 0.25.1 has no flag or environment variable to pin them. So:
#  - only app.py is on the Python path, in a fresh directory, and VIRTUAL_ENV points
#    at an empty venv (otherwise componentize-py mounts the host's site-packages and
#    the snapshot records its listing);
#  - everything the guest can see lives in a private tmpfs (a mount namespace), so
#    inode numbers and directory order depend only on the order of creation;
#  - detshim.c (compiled here, LD_PRELOADed into the componentize-py process only)
#    pins random bytes, clocks, device numbers and timestamps; see its header.
# The standard build: the component keeps its WASI imports (the nvx host provides a
# deterministic, capability-free WASI); nothing is stubbed.
# Needs: componentize-py 0.25.1, a C compiler (cc), util-linux unshare, x86_64 Linux.
set -euo pipefail

if [ "${NVX_PRINT_TOOLCHAIN:-}" = "1" ]; then
  echo "componentize-py $(python3 -c 'import importlib.metadata as m; print(m.version("componentize-py"))') (PyPI componentize-py; bundled CPython 3.14.0 for wasm32-wasip2)"
  exit 0
fi

: "${NVX_WIT:?}" "${NVX_WORLD:?}" "${NVX_OUT:?}"
want=0.25.1
have="$(python3 -c 'import importlib.metadata as m; print(m.version("componentize-py"))')"
if [ "$have" != "$want" ]; then
  echo "build.sh: componentize-py $want is required (found $have): pip install componentize-py==$want" >&2
  exit 1
fi
here="$(pwd)"
py="$(python3 -c 'import sys; print(sys.executable)')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/fs"
cc -O2 -shared -fPIC -o "$work/detshim.so" "$here/detshim.c" -ldl

if [ "$(id -u)" = 0 ]; then ns=(unshare --mount); else ns=(unshare --user --map-root-user --mount); fi

"${ns[@]}" env WORK="$work" HERE="$here" PY="$py" bash -euo pipefail -c '
  fs="$WORK/fs"
  mount -t tmpfs -o size=1g,mode=0755 nvx-py-build "$fs"
  mkdir -p "$fs/src" "$fs/venv/lib/site-packages" "$fs/tmp"
  cp "$HERE/app.py" "$fs/src/app.py"
  cp "$NVX_WIT" "$fs/world.wit"
  touch -d @0 "$fs/src/app.py" "$fs/world.wit" "$fs/src" "$fs/venv/lib/site-packages" "$fs/venv/lib" "$fs/venv"
  cd "$fs"
  TMPDIR="$fs/tmp" VIRTUAL_ENV="$fs/venv" PYTHONDONTWRITEBYTECODE=1 PYTHONHASHSEED=0 \
  LD_PRELOAD="$WORK/detshim.so" \
    "$PY" -c "import sys; from componentize_py import script; sys.argv[0] = \"componentize-py\"; sys.exit(script())" \
      -q -d "$fs/world.wit" -w "$NVX_WORLD" componentize -p "$fs/src" app -o "$fs/out.wasm"
  cp "$fs/out.wasm" "$NVX_OUT"
'
