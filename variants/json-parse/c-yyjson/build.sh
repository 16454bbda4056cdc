#!/usr/bin/env bash
# Builds json-parse / c-yyjson as a wasm32-wasi core module (canonical-ABI
# exports `json-parse`, `cabi_realloc`, `memory`).
# Env: NVX_OUT (output core module), NVX_CACHE (scratch folder); NVX_WIT,
# NVX_WORLD and NVX_TOOLS are not needed. NVX_PRINT_TOOLCHAIN=1 prints the
# toolchain line and exits.
#
# yyjson itself is not in the repository: it is the copy vendored in the
# crates.io crate yyjson-sys 0.1.0 (yyjson/src/yyjson.c, yyjson.h), which the
# stub Cargo package in this folder pins by checksum in Cargo.lock.
set -euo pipefail
cd "$(dirname "$0")"

CC=clang

if [ "${NVX_PRINT_TOOLCHAIN:-}" = "1" ]; then
    cc_ver=$("$CC" --version | head -n1 | sed -n 's/.*clang version \([0-9][0-9.]*\).*/clang \1/p')
    libc_pkg=$(dpkg-query -W -f='${Version}' wasi-libc 2>/dev/null || echo unknown)
    rt_pkg=$(dpkg-query -W -f='${Version}' libclang-rt-14-dev-wasm32 2>/dev/null || echo unknown)
    echo "$cc_ver + wasi-libc $libc_pkg + libclang-rt-wasm32 $rt_pkg, yyjson 0.10.0 (crates.io yyjson-sys 0.1.0), -O2"
    exit 0
fi

: "${NVX_OUT:?NVX_OUT must name the output core module}"

export LC_ALL=C
export SOURCE_DATE_EPOCH=0

# Fetch the pinned crate and find its folder.
cargo fetch --locked --manifest-path Cargo.toml >&2
crate_dir=$(cargo metadata --locked --format-version 1 --manifest-path Cargo.toml |
    python3 -c 'import json, os, sys
d = json.load(sys.stdin)
print(os.path.dirname([p for p in d["packages"] if p["name"] == "yyjson-sys"][0]["manifest_path"]))')
src="$crate_dir/yyjson/src"
grep -q '#define YYJSON_VERSION_STRING "0.10.0"' "$src/yyjson.h"

# Compile in a scratch folder; the crate's absolute path is mapped to a fixed
# name so that no path of this machine reaches the module.
work="${NVX_CACHE:-$(mktemp -d)}"
mkdir -p "$work"
out_tmp="$work/core.wasm"
rm -f "$out_tmp"

target=(--target=wasm32-wasi --sysroot=/usr)
cflags=(-O2 -std=c11 -DNDEBUG
        -ffile-prefix-map="$PWD"=. -ffile-prefix-map="$crate_dir"=yyjson-sys-0.1.0
        -fdebug-prefix-map="$PWD"=. -fdebug-prefix-map="$crate_dir"=yyjson-sys-0.1.0)
ldflags=(-O2 -nostartfiles -Wl,--no-entry -Wl,--strip-all)

"$CC" "${target[@]}" "${cflags[@]}" -Wall -Wextra -Werror -I "$src" \
    -c json_parse.c -o "$work/json_parse.o"
"$CC" "${target[@]}" "${cflags[@]}" -w -c "$src/yyjson.c" -o "$work/yyjson.o"
"$CC" "${target[@]}" "${ldflags[@]}" -o "$out_tmp" "$work/json_parse.o" "$work/yyjson.o"

cp "$out_tmp" "$NVX_OUT"
