#!/usr/bin/env bash
# Build recipe of json-parse/js-json-parse: json_parse.js -> WebAssembly component
# with componentize-js 0.23.0 (the StarlingMonkey runtime around SpiderMonkey, whose
# initialised heap wizer snapshots). Run from this folder with NVX_WIT, NVX_WORLD,
# NVX_OUT and NVX_TOOLS (NVX_CACHE is not used: componentize-js keeps no cache).
# Needs node, a C compiler (cc) and flock.
set -euo pipefail

tools="${NVX_TOOLS:?NVX_TOOLS not set}"
bca="$tools/node_modules/@bytecodealliance"
pkgver() { node -p 'require(process.argv[1]).version' "$1/package.json"; }

if [ "${NVX_PRINT_TOOLCHAIN:-}" = "1" ]; then
  echo "componentize-js $(pkgver "$bca/componentize-js") (npm @bytecodealliance/componentize-js; jco $(pkgver "$bca/jco"), preview2-shim $(pkgver "$bca/preview2-shim"), wizer $(pkgver "$bca/wizer")), node $(node --version)"
  exit 0
fi

: "${NVX_WIT:?NVX_WIT not set}" "${NVX_WORLD:?NVX_WORLD not set}" "${NVX_OUT:?NVX_OUT not set}"
src="$(pwd)"

# The folder the source is compiled from ends up in the snapshot, so it is a fixed
# path outside the checkout; concurrent builds of this recipe wait for each other.
stage=/tmp/nvx-cjs-json-parse
exec 9>"$stage.lock"
flock 9

rm -rf "$stage"
mkdir -p "$stage/src" "$stage/tmp"
cp "$src/json_parse.js" "$stage/src/json_parse.js"
cp "$NVX_WIT" "$stage/src/world.wit"
cc -O2 -shared -fPIC -o "$stage/det_wasi_shim.so" "$src/det_wasi_shim.c" -ldl

NVX_TOOLS="$tools" NVX_WORLD="$NVX_WORLD" node "$src/build.mjs" "$stage" "$stage/out.wasm"
cp "$stage/out.wasm" "$NVX_OUT"
rm -rf "$stage"
