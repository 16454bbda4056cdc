#!/usr/bin/env bash
# Builds the sha256 variant as a wasm32-wasip1 reactor core module.
# Env: NVX_OUT (output core module), NVX_WIT, NVX_WORLD, NVX_TOOLS, NVX_CACHE
# (the last four are not needed by this build). NVX_PRINT_TOOLCHAIN=1 prints
# the toolchain line and exits.
set -euo pipefail
cd "$(dirname "$0")"

CXX=clang++

if [ "${NVX_PRINT_TOOLCHAIN:-}" = "1" ]; then
    cxx_ver=$("$CXX" --version | head -n1)
    clang_pkg=$(dpkg-query -W -f='${Version}' clang-14 2>/dev/null || echo unknown)
    lld_pkg=$(dpkg-query -W -f='${Version}' lld-14 2>/dev/null || echo unknown)
    libc_pkg=$(dpkg-query -W -f='${Version}' wasi-libc 2>/dev/null || echo unknown)
    rt_pkg=$(dpkg-query -W -f='${Version}' libclang-rt-14-dev-wasm32 2>/dev/null || echo unknown)
    echo "$cxx_ver (clang-14 $clang_pkg, lld-14 $lld_pkg, wasi-libc $libc_pkg, libclang-rt-14-dev-wasm32 $rt_pkg), freestanding C++17 -nostdlib++"
    exit 0
fi

: "${NVX_OUT:?NVX_OUT must name the output core module}"

# Fixed environment for reproducibility.
export LC_ALL=C
export SOURCE_DATE_EPOCH=0

"$CXX" --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -nostdlib++ \
    -O2 -std=c++17 -fno-exceptions -fno-rtti \
    -Wall -Wextra -Werror \
    -ffile-prefix-map="$PWD"=. \
    -Wl,--strip-all \
    -o "$NVX_OUT" sha256.cpp
