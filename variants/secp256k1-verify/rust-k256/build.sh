#!/usr/bin/env bash
# Build recipe for secp256k1-verify / rust-k256 (run from the variant folder).
#   NVX_WIT    absolute path of the function's .wit      NVX_WORLD  world name
#   NVX_OUT    the component to write                    NVX_CACHE  persistent scratch
# Output: a WebAssembly component wrapping k256 (RustCrypto), made by the standard Rust
# route (wit-bindgen + cargo --target wasm32-wasip2, linked by rustc's wasm-component-ld).
set -euo pipefail

TOOLCHAIN=1.95.0
TARGET=wasm32-wasip2
export RUSTUP_TOOLCHAIN="$TOOLCHAIN"

if [[ "${NVX_PRINT_TOOLCHAIN:-}" == "1" ]]; then
    locked() { awk -v n="$1" '$0 == "name = \"" n "\"" { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock; }
    echo "$(rustc -V) (rustup $TOOLCHAIN), cargo --target $TARGET, k256 $(locked k256) (ecdsa $(locked ecdsa), elliptic-curve $(locked elliptic-curve)), wit-bindgen $(locked wit-bindgen)"
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
export SOURCE_DATE_EPOCH=0
export CARGO_TARGET_DIR="$CACHE/target"

(cd "$STAGE" && cargo build --locked --release --target "$TARGET" -j 1 --quiet)

mkdir -p "$(dirname "$NVX_OUT")"
cp "$CARGO_TARGET_DIR/$TARGET/release/secp256k1_verify_rust_k256.wasm" "$NVX_OUT"
