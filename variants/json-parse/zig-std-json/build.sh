#!/usr/bin/env bash
# Build recipe for json-parse/zig-std-json: json_parse.zig -> a core module (no imports)
# exporting `json-parse`, `cabi_realloc` and `memory`, which the build wraps into a
# component. It is the zig recipe of variants/BUILDING.md plus -fno-ubsan-rt (so that
# the UBSan runtime's __ubsan_handle_* functions are neither linked nor exported) and
# private cache folders under NVX_CACHE.
# Needs: Zig 0.14.1 from PyPI (pip install ziglang==0.14.1), run as `python3 -m ziglang`.
set -euo pipefail

want=0.14.1
zig() { python3 -m ziglang "$@"; }

if [ "${NVX_PRINT_TOOLCHAIN:-}" = "1" ]; then
  echo "zig $(zig version) (PyPI ziglang), std.json of its standard library, -target wasm32-freestanding -O ReleaseSafe"
  exit 0
fi

: "${NVX_OUT:?NVX_OUT must be set}"
have="$(zig version)"
if [ "$have" != "$want" ]; then
  echo "build.sh: zig $want is required (found $have): pip install ziglang==$want" >&2
  exit 1
fi

cache="${NVX_CACHE:-${TMPDIR:-/tmp}/nvx-zig-std-json-cache}"
mkdir -p "$cache"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

zig build-exe json_parse.zig -target wasm32-freestanding -fno-entry -rdynamic \
  -O ReleaseSafe -fstrip -fno-ubsan-rt \
  --cache-dir "$cache/local" --global-cache-dir "$cache/global" \
  -femit-bin="$work/core.wasm"
cp "$work/core.wasm" "$NVX_OUT"
