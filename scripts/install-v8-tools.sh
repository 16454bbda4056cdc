#!/usr/bin/env bash
# Installs what nvx's v8 engine needs: Node.js (Debian's, when missing) and jco,
# pinned by scripts/v8/package-lock.json, into target/v8-tools.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tools="$here/target/v8-tools"
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  export DEBIAN_FRONTEND=noninteractive
  sudo_ apt-get update -qq
  sudo_ apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "the v8 engine needs Node.js 20 or later; this machine has $(node --version)" >&2
  exit 1
fi
mkdir -p "$tools"
if ! cmp -s "$here/scripts/v8/package-lock.json" "$tools/package-lock.json" || [ ! -d "$tools/node_modules/@bytecodealliance/jco" ]; then
  cp "$here/scripts/v8/package.json" "$here/scripts/v8/package-lock.json" "$tools/"
  (cd "$tools" && npm ci --silent --no-audit --no-fund >/dev/null)
fi
echo "v8 engine: Node.js $(node --version), jco $(node -p "require('$tools/node_modules/@bytecodealliance/jco/package.json').version")"
