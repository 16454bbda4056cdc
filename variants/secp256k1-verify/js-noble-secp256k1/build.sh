#!/usr/bin/env bash
# Build recipe of secp256k1-verify/js-noble-secp256k1, run from this folder with
# NVX_WIT, NVX_WORLD, NVX_OUT, NVX_TOOLS and NVX_CACHE:
#   1. npm ci of package-lock.json (@noble/curves 1.9.7, its dependency
#      @noble/hashes 1.8.0, esbuild 0.28.2) into NVX_CACHE, reused while the lock
#      file is unchanged;
#   2. esbuild bundles secp256k1_verify.js and the two packages into one ES module
#      (StarlingMonkey resolves no package names);
#   3. componentize-js 0.23.0 from NVX_TOOLS turns the bundle into a component
#      (wizer snapshots the initialised SpiderMonkey heap; build.mjs pins what varies).
# Needs node and npm, a C compiler (cc) and flock.
set -euo pipefail

tools="${NVX_TOOLS:?NVX_TOOLS not set}"
bca="$tools/node_modules/@bytecodealliance"
pkgver() { node -p 'require(process.argv[1]).version' "$1/package.json"; }
locked() { node -p 'require("./package-lock.json").packages["node_modules/" + process.argv[1]].version' "$1"; }

if [ "${NVX_PRINT_TOOLCHAIN:-}" = "1" ]; then
  echo "componentize-js $(pkgver "$bca/componentize-js") (jco $(pkgver "$bca/jco"), wizer $(pkgver "$bca/wizer")), esbuild $(locked esbuild), @noble/curves $(locked @noble/curves), @noble/hashes $(locked @noble/hashes), node $(node --version)"
  exit 0
fi

: "${NVX_WIT:?NVX_WIT not set}" "${NVX_WORLD:?NVX_WORLD not set}" "${NVX_OUT:?NVX_OUT not set}" "${NVX_CACHE:?NVX_CACHE not set}"
[ "$NVX_WORLD" = "secp256k1-verify" ] || { echo "build.sh: unexpected world $NVX_WORLD" >&2; exit 2; }
src="$(pwd)"
mkdir -p "$NVX_CACHE"
cache="$(cd "$NVX_CACHE" && pwd -P)"

# 1. Dependencies, exactly as locked (no install scripts: esbuild finds its binary
#    package by itself).
deps="$cache/deps"
stamp="$(sha256sum package.json package-lock.json | sha256sum | cut -c1-64)"
if [ "$(cat "$deps/.stamp" 2>/dev/null)" != "$stamp" ] || [ ! -d "$deps/node_modules" ]; then
  rm -rf "$deps"
  mkdir -p "$deps"
  cp package.json package-lock.json "$deps/"
  (cd "$deps" && npm_config_cache="$cache/npm-cache" npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$stamp" > "$deps/.stamp"
fi

# The folder the source is compiled from is stored in the snapshot, so it is a fixed
# path; concurrent builds of this recipe wait for each other.
stage=/tmp/nvx-cjs-js-noble-secp256k1
exec 9>"$stage.lock"
flock 9

rm -rf "$stage"
mkdir -p "$stage/src" "$stage/tmp" "$stage/bundle"

# 2. One ES module: the wrapper and the library code as published (no minification,
#    no syntax lowering), bundled from a fixed folder so that the path comments in it
#    are the same everywhere.
cp "$src/secp256k1_verify.js" "$stage/bundle/secp256k1_verify.js"
mkdir -p "$stage/bundle/node_modules"
cp -R "$deps/node_modules/@noble" "$stage/bundle/node_modules/@noble"
(cd "$stage/bundle" && node "$deps/node_modules/esbuild/bin/esbuild" secp256k1_verify.js \
  --bundle --format=esm --platform=neutral --target=esnext --charset=utf8 \
  --legal-comments=inline --log-level=warning --outfile="$stage/src/secp256k1_verify.js")

cp "$NVX_WIT" "$stage/src/world.wit"
cc -O2 -shared -fPIC -o "$stage/det_wasi_shim.so" "$src/det_wasi_shim.c" -ldl

# 3. The component.
NVX_TOOLS="$tools" NVX_WORLD="$NVX_WORLD" node "$src/build.mjs" "$stage" "$stage/out.wasm"
mkdir -p "$(dirname "$NVX_OUT")"
cp "$stage/out.wasm" "$NVX_OUT"
rm -rf "$stage"
