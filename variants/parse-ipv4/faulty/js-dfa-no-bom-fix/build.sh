#!/usr/bin/env bash
# The js-dfa variant built without bom_fix.js: what componentize-js 0.23.0 makes of
# the same source by default (see variants/parse-ipv4/FINDINGS.md).
set -euo pipefail
cd "$(dirname "$0")/../../js-dfa"
NVX_JS_NO_BOM_FIX=1 exec bash build.sh
