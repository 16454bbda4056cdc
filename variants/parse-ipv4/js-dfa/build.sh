#!/usr/bin/env bash
# Build recipe for parse-ipv4/js-dfa: bom_fix.js + parse_ipv4.js -> WebAssembly component with
# componentize-js 0.23.0 (StarlingMonkey/SpiderMonkey engine, snapshotted by wizer).
# Run from the variant folder with NVX_WIT, NVX_WORLD, NVX_OUT, NVX_TOOLS (NVX_CACHE is
# not needed). Needs node, a C compiler (cc) and flock.
set -euo pipefail

tools="${NVX_TOOLS:?NVX_TOOLS not set}"
pkg="$tools/node_modules/@bytecodealliance"
ver() { node -p "require(process.argv[1]).version" "$1/package.json"; }

if [ "${NVX_PRINT_TOOLCHAIN:-}" = "1" ]; then
  echo "componentize-js $(ver "$pkg/componentize-js") (npm @bytecodealliance/componentize-js; jco $(ver "$pkg/jco"), preview2-shim $(ver "$pkg/preview2-shim"), wizer $(ver "$pkg/wizer")), node $(node --version)"
  exit 0
fi

: "${NVX_WIT:?}" "${NVX_WORLD:?}" "${NVX_OUT:?}"
here="$(pwd)"

# The staging folder's path is recorded in the component, so it is fixed; builds of
# this recipe take turns on it.
stage=/tmp/nvx-componentize-js
exec 9>"$stage.lock"
flock 9

rm -rf "$stage"
mkdir -p "$stage/src" "$stage/tmp"
# The compiled source is bom_fix.js (the TextDecoder BOM workaround, see that file)
# followed by parse_ipv4.js; NVX_JS_NO_BOM_FIX=1 compiles parse_ipv4.js alone (only to
# demonstrate the toolchain fault).
if [ "${NVX_JS_NO_BOM_FIX:-}" = "1" ]; then
  cp "$here/parse_ipv4.js" "$stage/src/parse_ipv4.js"
else
  cat "$here/bom_fix.js" "$here/parse_ipv4.js" > "$stage/src/parse_ipv4.js"
fi
cp "$NVX_WIT" "$stage/src/world.wit"
cc -O2 -shared -fPIC -o "$stage/det_wasi_shim.so" "$here/det_wasi_shim.c" -ldl

NVX_TOOLS="$tools" NVX_WORLD="$NVX_WORLD" node "$here/build.mjs" "$stage" "$stage/out.wasm"
cp "$stage/out.wasm" "$NVX_OUT"
rm -rf "$stage"
