#!/usr/bin/env bash
# Build recipe for secp256k1-verify / rust-secp256k1 (run from the variant folder).
#   NVX_WIT    absolute path of the function's .wit      NVX_WORLD  world name
#   NVX_OUT    the component to write                    NVX_CACHE  persistent scratch
# Output: a WebAssembly component wrapping the secp256k1 crate, made by the standard
# Rust route (wit-bindgen + cargo --target wasm32-wasip2, linked by rustc's
# wasm-component-ld). The vendored libsecp256k1 (C) is compiled by the cc crate with
# Debian's clang 14 against wasi-libc under /usr.
set -euo pipefail

TOOLCHAIN=1.95.0
TARGET=wasm32-wasip2
CLANG=/usr/bin/clang-14
LLVM_AR=/usr/bin/llvm-ar-14
export RUSTUP_TOOLCHAIN="$TOOLCHAIN"

if [[ "${NVX_PRINT_TOOLCHAIN:-}" == "1" ]]; then
    locked() { awk -v n="$1" '$0 == "name = \"" n "\"" { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock; }
    clangv=$("$CLANG" --version | head -n1)
    echo "$(rustc -V) (rustup $TOOLCHAIN), cargo --target $TARGET, secp256k1 $(locked secp256k1), secp256k1-sys $(locked secp256k1-sys) (libsecp256k1 C via cc $(locked cc), $clangv), wit-bindgen $(locked wit-bindgen)"
    exit 0
fi

: "${NVX_WIT:?}" "${NVX_WORLD:?}" "${NVX_OUT:?}" "${NVX_CACHE:?}"
[[ "$NVX_WORLD" == "secp256k1-verify" ]] || { echo "build.sh: unexpected world $NVX_WORLD" >&2; exit 2; }

# Stage the package with the WIT from $NVX_WIT at the fixed relative path `wit/`
# that `wit_bindgen::generate!` reads.
mkdir -p "$NVX_CACHE"
CACHE=$(cd "$NVX_CACHE" && pwd -P)
STAGE="$CACHE/stage"
rm -rf "$STAGE"
mkdir -p "$STAGE/wit"
cp -R Cargo.toml Cargo.lock rust-toolchain.toml src "$STAGE/"
cp "$NVX_WIT" "$STAGE/wit/$NVX_WORLD.wit"

# Reproducibility: no absolute path of this machine may reach the output.
CARGO_HOME_DIR=$(cd "${CARGO_HOME:-$HOME/.cargo}" && pwd -P)
RUSTUP_HOME_DIR=$(cd "${RUSTUP_HOME:-$HOME/.rustup}" && pwd -P)
sep=$'\x1f'
export CARGO_ENCODED_RUSTFLAGS="--remap-path-prefix=$STAGE=/secp256k1-verify${sep}--remap-path-prefix=$CARGO_HOME_DIR=/cargo${sep}--remap-path-prefix=$RUSTUP_HOME_DIR=/rustup${sep}-Cstrip=symbols"
unset RUSTFLAGS CARGO_BUILD_RUSTFLAGS RUSTC_WRAPPER CARGO_BUILD_RUSTC_WRAPPER CARGO_INCREMENTAL
unset CFLAGS CC AR CRATE_CC_NO_DEFAULTS
export SOURCE_DATE_EPOCH=0
export CARGO_TARGET_DIR="$CACHE/target"

# The C compiler for the target: clang 14 with wasi-libc's headers (Debian's
# wasi-libc lives under /usr). clang 14 does not know the wasip2 triple, so the
# target is pinned to wasm32-wasi through the flags (the last --target wins).
export CC_wasm32_wasip2="$CLANG"
export AR_wasm32_wasip2="$LLVM_AR"
export CFLAGS_wasm32_wasip2="--target=wasm32-wasi --sysroot=/usr -ffile-prefix-map=$CARGO_HOME_DIR=/cargo -ffile-prefix-map=$CACHE=/cache"
export ZERO_AR_DATE=1

(cd "$STAGE" && nice -n 10 cargo build --locked --release --target "$TARGET" -j 1 --quiet)

mkdir -p "$(dirname "$NVX_OUT")"
cp "$CARGO_TARGET_DIR/$TARGET/release/secp256k1_verify_rust_secp256k1.wasm" "$NVX_OUT"
