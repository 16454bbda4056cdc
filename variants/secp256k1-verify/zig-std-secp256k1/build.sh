#!/usr/bin/env bash
# Build recipe for secp256k1-verify/zig-std-secp256k1: secp256k1_verify.zig -> a core
# module (no imports) exporting `secp256k1-verify`, `cabi_realloc` and `memory`, which the
# build wraps into a component. It is the zig recipe of variants/BUILDING.md plus
# -fno-ubsan-rt (so that the UBSan runtime's __ubsan_handle_* functions are neither linked
# nor exported), -j1, and private cache folders under NVX_CACHE.
# Needs: Zig 0.14.1 from PyPI (pip install ziglang==0.14.1), run as `python3 -m ziglang`.
set -euo pipefail

want=0.14.1
zig() { python3 -m ziglang "$@"; }

if [ "${NVX_PRINT_TOOLCHAIN:-}" = "1" ]; then
  echo "zig $(zig version) (PyPI ziglang), std.crypto.sign.ecdsa over std.crypto.ecc.Secp256k1 of its standard library, -target wasm32-freestanding -O ReleaseSafe"
  exit 0
fi

: "${NVX_OUT:?NVX_OUT must be set}"
have="$(zig version)"
if [ "$have" != "$want" ]; then
  echo "build.sh: zig $want is required (found $have): pip install ziglang==$want" >&2
  exit 1
fi

cache="${NVX_CACHE:-${TMPDIR:-/tmp}/nvx-zig-std-secp256k1-cache}"
mkdir -p "$cache"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

zig build-exe secp256k1_verify.zig -target wasm32-freestanding -fno-entry -rdynamic \
  -O ReleaseSafe -fstrip -fno-ubsan-rt -j1 \
  --cache-dir "$cache/local" --global-cache-dir "$cache/global" \
  -femit-bin="$work/core.wasm"
cp "$work/core.wasm" "$NVX_OUT"
