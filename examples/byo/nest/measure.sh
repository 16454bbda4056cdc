#!/usr/bin/env bash
# Measures, per language, how deeply nested a JSON text ("[[[...]]]") its parser
# accepts under nvx at several `[ensemble.limits] stack-kib` values, and what nvx
# reports one level deeper. Writes a table (Markdown) to stdout; the numbers in
# docs/writing-variants.md come from it.
#
#   examples/byo/nest/measure.sh [LANG...]      (default: every language below)
#
# Languages: c cpp rust rust-unbounded go python javascript zig assemblyscript.
# Each is built with the guide's command, in a copy of this folder under $TMPDIR,
# added alone to an ensemble of its own, and called with `nvx call --json
# ENSEMBLE depth --args-file FILE` on depths found by doubling from 1 and then
# bisection, up to CAP levels. Not part of CI (it makes several hundred calls).
#
# Environment:
#   NVX           the nvx binary (default: target/release/nvx of the repository)
#   NODE_MODULES  node_modules with assemblyscript and componentize-js
#                 (default: target/guest-tools/node_modules of the repository)
#   STACKS        stack-kib values (default "512 2048 8192")
#   CAP           deepest nesting tried (default 1000000: a 2 MB text)
#   JS_CAP        the same for javascript (default 100000: JSON.parse is not bound by
#                 the stack, and a call near its real limit, ~680 000, takes a minute)
#   KEEP=1        keep the temporary folder
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
NVX=${NVX:-$root/target/release/nvx}
NODE_MODULES=${NODE_MODULES:-$root/target/guest-tools/node_modules}
STACKS=${STACKS:-512 2048 8192}
CAP=${CAP:-1000000}
JS_CAP=${JS_CAP:-100000}
cache="$root/target/byo-cache"
langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(c cpp rust rust-unbounded go python javascript zig assemblyscript)

command -v "$NVX" >/dev/null || { echo "error: no nvx at $NVX (set NVX)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/nvx-nest.XXXXXX")
if [ "${KEEP:-}" = 1 ]; then echo "temporary folder (kept): $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
cp -R "$here" "$work/nest"
cd "$work/nest" || exit 2
[ -d "$NODE_MODULES" ] && ln -s "$NODE_MODULES" node_modules
mkdir -p "$cache/rust" "$cache/rust-unbounded"
export GOCACHE="$cache/go-build" GOTOOLCHAIN=local ZIG_GLOBAL_CACHE_DIR="$cache/zig" ZIG_LOCAL_CACHE_DIR="$cache/zig"
export PYTHONDONTWRITEBYTECODE=1
if ! command -v go >/dev/null; then
  gobin=$(python3 -c 'import go, os; print(os.path.join(os.path.dirname(go.__file__), "bin"))' 2>/dev/null) &&
    PATH="$gobin:$PATH"
fi

# build LANG: the guide's command for LANG; prints the path of the module or component
# (the tools' own output goes to stderr).
build() {
  local out
  out=$(build_ "$1") || return 1
  echo "$out" | tail -n 1
}
build_() {
  case $1 in
    c) clang --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -O2 -o c/nest.wasm c/nest.c >&2 && echo c/nest.wasm ;;
    cpp) clang++ --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -O2 -nostdlib++ -fno-exceptions \
      -o cpp/nest.wasm cpp/nest.cpp >&2 && echo cpp/nest.wasm ;;
    rust) (cd rust && CARGO_TARGET_DIR="$cache/rust" cargo build --locked --release --target wasm32-wasip2 --quiet) &&
      echo "$cache/rust/wasm32-wasip2/release/nest_rust.wasm" ;;
    rust-unbounded) (cd rust && CARGO_TARGET_DIR="$cache/rust-unbounded" cargo build --locked --release \
      --target wasm32-wasip2 --features unbounded --quiet) &&
      echo "$cache/rust-unbounded/wasm32-wasip2/release/nest_rust.wasm" ;;
    go) (cd go && GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o nest.wasm .) >&2 && echo go/nest.wasm ;;
    python) componentize-py -d nest.wit -w nest componentize -p python app -o python/nest.wasm >&2 && echo python/nest.wasm ;;
    javascript) npx componentize-js javascript/nest.js --wit nest.wit --world-name nest -o javascript/nest.wasm &&
      echo javascript/nest.wasm ;;
    zig) python3 -m ziglang build-exe zig/nest.zig -target wasm32-wasi -mexec-model=reactor \
      -fno-entry -rdynamic -fno-ubsan-rt -O ReleaseSafe -femit-bin=zig/nest.wasm >&2 && echo zig/nest.wasm ;;
    assemblyscript) npx asc assemblyscript/nest.ts --runtime stub --use abort= -O3 \
      --outFile assemblyscript/nest.wasm >&2 && echo assemblyscript/nest.wasm ;;
    *) echo "unknown language $1" >&2; return 1 ;;
  esac
}

parser_of() {
  case $1 in
    c) echo "recursive descent of our own (c/nest.c), clang -O2" ;;
    cpp) echo "recursive descent of our own (cpp/nest.cpp), clang++ -O2" ;;
    rust) echo "serde_json 1.0.154, default (recursion limit 128)" ;;
    rust-unbounded) echo "serde_json 1.0.154, disable_recursion_limit" ;;
    go) echo "encoding/json Unmarshal into any" ;;
    python) echo "json.loads (CPython of componentize-py)" ;;
    javascript) echo "JSON.parse (StarlingMonkey)" ;;
    zig) echo "std.json.parseFromSliceLeaky(std.json.Value)" ;;
    assemblyscript) echo "recursive descent of our own (assemblyscript/nest.ts), asc -O3" ;;
  esac
}

# set_limits ENSEMBLE KIB: the manifest's limits for one round.
set_limits() {
  python3 - "$1/nvx.toml" "$2" <<'EOF'
import re, sys
path, kib = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r"\n\[ensemble\.limits\]\n(?:[a-z-]+ = \d+\n)*", "\n", text)
limits = f"\n[ensemble.limits]\nstack-kib = {kib}\nmemory-mib = 1024\ntimeout-ms = 60000\n"
text = re.sub(r"(\[ensemble\]\n(?:[^\[\n][^\n]*\n|\n(?!\[))*)", lambda m: m.group(1).rstrip("\n") + "\n" + limits + "\n", text, count=1)
open(path, "w").write(text)
EOF
}

# probe ENSEMBLE N: "ok" when the variant returns ok(N) for N nested arrays, else what it did.
probe() {
  python3 -c 'import sys; n = int(sys.argv[1]); print("\"" + "[" * n + "]" * n + "\"")' "$2" >"$work/args"
  "$NVX" call --json "$1" depth --args-file "$work/args" >"$work/call.json" 2>"$work/call.err"
  python3 - "$work/call.json" "$2" <<'EOF'
import json, sys
try:
    v = json.load(open(sys.argv[1]))["variants"][0]
except (ValueError, KeyError, IndexError):
    print("error: " + open(sys.argv[1].replace(".json", ".err")).read().strip().replace("\n", " ")[:200])
    sys.exit()
if v.get("value") == f"ok({sys.argv[2]})":
    print("ok")
else:
    value = v.get("value")
    print(v["label"] + (f" {value[:100]}" if value else ""))
EOF
}

# deepest ENSEMBLE CAP: "N|what happens at N+1" (N is CAP when everything up to CAP passed).
deepest() {
  local ens=$1 CAP=$2 lo=0 hi=1 r fail_at="" fail_what=""
  while :; do
    r=$(probe "$ens" "$hi")
    if [ "$r" != ok ]; then fail_at=$hi; fail_what=$r; break; fi
    lo=$hi
    [ "$hi" -ge "$CAP" ] && break
    hi=$((hi * 2 > CAP ? CAP : hi * 2))
  done
  if [ -z "$fail_at" ]; then echo "$lo|passes at the cap"; return; fi
  hi=$fail_at
  while [ $((hi - lo)) -gt 1 ]; do
    local mid=$(((lo + hi) / 2))
    r=$(probe "$ens" "$mid")
    if [ "$r" = ok ]; then lo=$mid; else hi=$mid; fail_what=$r; fi
  done
  echo "$lo|$fail_what"
}

header="| language | parser |"
rule="|---|---|"
for kib in $STACKS; do header+=" $kib KiB |"; rule+="---|"; done
rows=()
details=()
for lang in "${langs[@]}"; do
  echo "== $lang: building" >&2
  if ! out=$(build "$lang" 2>"$work/$lang.build"); then
    sed 's/^/   | /' "$work/$lang.build" >&2
    rows+=("| $lang | build failed |")
    continue
  fi
  ens="$work/ens-$lang"
  "$NVX" new "$ens" --wit nest.wit --world nest >/dev/null &&
    "$NVX" add "$ens" "$out" --name "$lang" --language "$lang" >"$work/$lang.add" 2>&1 ||
    { sed 's/^/   | /' "$work/$lang.add" >&2; rows+=("| $lang | add failed |"); continue; }
  row="| $lang | $(parser_of "$lang") |"
  for kib in $STACKS; do
    set_limits "$ens" "$kib"
    start=$SECONDS
    cap=$CAP
    [ "$lang" = javascript ] && [ "$JS_CAP" -lt "$CAP" ] && cap=$JS_CAP
    result=$(deepest "$ens" "$cap")
    n=${result%%|*}
    what=${result#*|}
    if [ "$what" = "passes at the cap" ]; then
      line="$n levels pass (the cap: nothing deeper was tried)"
      row+=" ≥ $n |"
    else
      line="$n levels pass; $((n + 1)) gives $what"
      row+=" $n |"
    fi
    echo "   stack-kib $kib: $line ($((SECONDS - start)) s)" >&2
    details+=("$lang, stack-kib $kib: $line")
  done
  rows+=("$row")
done

echo "$header"
echo "$rule"
printf '%s\n' "${rows[@]}"
echo
printf -- '- %s\n' "${details[@]}"
