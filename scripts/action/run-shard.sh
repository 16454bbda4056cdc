#!/usr/bin/env bash
# The logic of the nvx GitHub Action (action.yml): run one shard of a campaign, or
# merge the shards' reports, and leave JSON, JUnit, HTML and Markdown reports in one
# folder whose paths become step outputs. Plain bash, so it runs anywhere:
# scripts/action/test.sh runs it with a fake GITHUB_OUTPUT and RUNNER_TEMP.
#
# Inputs, as environment variables (action.yml maps its inputs onto them):
#   NVX_ENSEMBLES  ensemble folders, or folders of ensembles, space-separated
#                  (default: wasm-modules)
#   NVX_GENERATE   generated inputs per ensemble (default: nvx's own default)
#   NVX_SEED       seed of the input generator (default: 0)
#   NVX_SHARD      K/N to run one slice, empty for the whole run
#   NVX_ENGINES    engines, e.g. cranelift,winch (default: each manifest's)
#   NVX_CORPUS     corpus files or folders, space-separated (optional)
#   NVX_ARGS       further `nvx campaign` arguments, space-separated (optional)
#   NVX_MERGE      a folder holding shard reports (shard-K-of-N.json, searched
#                  recursively): merge them instead of running a campaign
#   NVX_BIN        the nvx binary (default: `nvx` on PATH); a downloaded artifact
#                  that lost its executable bit gets it back
#   NVX_IMAGE      a container image whose entry point is nvx (the repository's
#                  Containerfile), run with docker instead of NVX_BIN
# Outputs, appended to $GITHUB_OUTPUT (printed when it is unset): exit-code, dir,
# artifact, json, junit, html, markdown. Reports go to $RUNNER_TEMP/nvx-LABEL/,
# LABEL being shard-K-of-N or run. The step summary ($GITHUB_STEP_SUMMARY) gets the
# Markdown report.
# Exit status: nvx's (0 all agreed, 1 a divergence, 2 an error).
set -euo pipefail

fail() {
  echo "nvx action: $*" >&2
  exit 2
}

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  else
    printf '%s=%s\n' "$1" "$2"
  fi
}

# Which nvx to run: a container image, a given binary, or the one on PATH.
if [ -n "${NVX_IMAGE:-}" ]; then
  command -v docker >/dev/null || fail "NVX_IMAGE is set but docker is not installed"
  nvx() {
    # The workspace and the report folder appear at the same paths inside.
    docker run --rm -e CI=true -u "$(id -u):$(id -g)" \
      -v "$PWD:$PWD" -v "$out:$out" -w "$PWD" \
      ${NVX_CACHE_DIR:+-v "$NVX_CACHE_DIR:/var/cache/nvx"} \
      "$NVX_IMAGE" "$@"
  }
else
  bin=${NVX_BIN:-nvx}
  if [[ "$bin" == */* ]]; then
    [ -f "$bin" ] || fail "NVX_BIN: no file $bin"
    [ -x "$bin" ] || chmod +x "$bin"
    bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
  else
    command -v "$bin" >/dev/null || fail "no \`$bin\` on PATH: give the binary in the action's \`nvx\` input, or an image in \`image\`"
  fi
  nvx() { "$bin" "$@"; }
fi

label=run
if [ -n "${NVX_MERGE:-}" ]; then
  [ -z "${NVX_SHARD:-}" ] || fail "give either a shard (NVX_SHARD) or shards to merge (NVX_MERGE), not both"
elif [ -n "${NVX_SHARD:-}" ]; then
  [[ "$NVX_SHARD" =~ ^([0-9]+)/([0-9]+)$ ]] || fail "shard \`$NVX_SHARD\`: expected K/N, e.g. 2/4"
  label="shard-${BASH_REMATCH[1]}-of-${BASH_REMATCH[2]}"
fi
out="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/nvx-$label"
rm -rf "$out"
mkdir -p "$out"
json="$out/$label.json" junit="$out/$label.xml" html="$out/$label.html" md="$out/$label.md"
output dir "$out"
output artifact "nvx-$label"

set +e
if [ -n "${NVX_MERGE:-}" ]; then
  [ -d "$NVX_MERGE" ] || fail "NVX_MERGE: no folder $NVX_MERGE"
  mapfile -t shards < <(find "$NVX_MERGE" -type f -name 'shard-*-of-*.json' | sort -V)
  [ "${#shards[@]}" -gt 0 ] || fail "no shard reports (shard-K-of-N.json) under $NVX_MERGE"
  echo "nvx action: merging ${#shards[@]} shard report(s)"
  nvx merge "${shards[@]}" -o "$json"
  code=$?
  [ "$code" -ge 2 ] || { nvx report "$json" --format junit >"$junit"; true; }
else
  args=(campaign)
  read -r -a ensembles <<<"${NVX_ENSEMBLES:-wasm-modules}"
  args+=("${ensembles[@]}")
  [ -z "${NVX_GENERATE:-}" ] || args+=(--generate "$NVX_GENERATE")
  args+=(--seed "${NVX_SEED:-0}")
  [ -z "${NVX_SHARD:-}" ] || args+=(--shard "$NVX_SHARD")
  [ -z "${NVX_ENGINES:-}" ] || args+=(--engines "$NVX_ENGINES")
  read -r -a corpus <<<"${NVX_CORPUS:-}"
  for c in "${corpus[@]}"; do args+=(--corpus "$c"); done
  read -r -a extra <<<"${NVX_ARGS:-}"
  args+=("${extra[@]}")
  args+=(--json "$json" --junit "$junit")
  echo "nvx action: nvx ${args[*]}"
  CI=${CI:-true} nvx "${args[@]}"
  code=$?
fi
set -e

output exit-code "$code"
if [ "$code" -ge 2 ] || [ ! -s "$json" ]; then
  echo "nvx action: nvx exited with $code and wrote no report" >&2
  exit "$code"
fi
# `nvx report` exits 1 on a run with a divergence, as every command does.
render() {
  local c=0
  nvx report "$json" --format "$1" >"$2" || c=$?
  [ "$c" -le 1 ] || fail "cannot render $json as $1 (exit $c)"
}
render html "$html"
render markdown "$md"
[ -z "${GITHUB_STEP_SUMMARY:-}" ] || cat "$md" >>"$GITHUB_STEP_SUMMARY"
output json "$json"
output junit "$junit"
output html "$html"
output markdown "$md"
exit "$code"
