#!/usr/bin/env bash
# Tests the GitHub Action's script (run-shard.sh) here, as GitHub would run it:
# a fake GITHUB_OUTPUT, RUNNER_TEMP and GITHUB_STEP_SUMMARY, the built nvx, two
# shards of a bundled ensemble and their merge, a divergent ensemble, bad input.
# Then parses action.yml, examples/ci/*.yml and the Kubernetes manifests as YAML
# and checks how they fit together (python3 with PyYAML), and the Kubernetes
# manifests with kubernetes-validate (pip install pyyaml kubernetes-validate).
#   bash scripts/action/test.sh [NVX_BINARY]     (default: target/release/nvx)
set -euo pipefail
cd "$(dirname "$0")/../.."
nvx_bin=$(realpath "${1:-target/release/nvx}")
[ -x "$nvx_bin" ] || { echo "no nvx binary at $nvx_bin (cargo build --release)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NVX_CACHE_DIR="$tmp/cache"
pass=0
check() { # check DESCRIPTION COMMAND...
  if "${@:2}"; then pass=$((pass + 1)); else echo "FAILED: $1" >&2; exit 1; fi
}
# Runs the script in a fresh fake runner; sets $code, $outputs (the GITHUB_OUTPUT file).
run() {
  local runner="$tmp/runner-$((++runs))"
  mkdir -p "$runner/temp"
  : >"$runner/output"
  : >"$runner/summary"
  code=0
  env RUNNER_TEMP="$runner/temp" GITHUB_OUTPUT="$runner/output" GITHUB_STEP_SUMMARY="$runner/summary" \
    "$@" bash scripts/action/run-shard.sh >"$runner/log" 2>&1 || code=$?
  outputs="$runner/output"
  summary="$runner/summary"
  log="$runner/log"
}
runs=0
out() { sed -n "s/^$1=//p" "$outputs"; }

# Two shards of crc32, then the whole run for comparison.
for k in 1 2; do
  run NVX_BIN="$nvx_bin" NVX_ENSEMBLES=wasm-modules/crc32 NVX_GENERATE=30 NVX_SEED=5 NVX_SHARD="$k/2"
  check "shard $k/2 exits 0" [ "$code" = 0 ]
  check "shard $k/2 reports its exit code" [ "$(out exit-code)" = 0 ]
  check "shard $k/2 names its artifact" [ "$(out artifact)" = "nvx-shard-$k-of-2" ]
  for f in json junit html markdown; do
    check "shard $k/2 writes its $f report" [ -s "$(out $f)" ]
  done
  check "shard $k/2's HTML is a page" grep -q '<html' "$(out html)"
  check "shard $k/2's summary is the Markdown report" cmp -s "$summary" "$(out markdown)"
  mkdir -p "$tmp/artifacts/nvx-shard-$k-of-2"
  cp "$(out dir)"/* "$tmp/artifacts/nvx-shard-$k-of-2/"
done
run NVX_BIN="$nvx_bin" NVX_MERGE="$tmp/artifacts"
check "merge exits 0" [ "$code" = 0 ]
check "merge names its artifact nvx-run" [ "$(out artifact)" = nvx-run ]
merged=$(out json)
check "merge writes JUnit" [ -s "$(out junit)" ]
check "merge writes HTML" [ -s "$(out html)" ]
"$nvx_bin" campaign wasm-modules/crc32 --generate 30 --seed 5 -q --json "$tmp/whole.json"
check "merged totals equal the unsharded run's" python3 - "$merged" "$tmp/whole.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
key = lambda r: [(e["name"], e["inputs"], e["divergent_inputs"]) for e in r["ensembles"]]
sys.exit(0 if key(a) == key(b) and a["shards"] else 1)
PY
check "the JUnit reports parse" python3 -c '
import sys, xml.etree.ElementTree as T
for p in sys.argv[1:]: T.parse(p)' "$(out junit)" "$tmp"/artifacts/*/*.xml

# A divergence: exit 1, and every report is still written.
cp "$nvx_bin" "$tmp/nvx-artifact" && chmod -x "$tmp/nvx-artifact"
run NVX_BIN="$tmp/nvx-artifact" NVX_ENSEMBLES=examples/faulty/crc32 NVX_GENERATE=50 NVX_ARGS="--shrink-budget 50"
check "a divergence exits 1" [ "$code" = 1 ]
check "a divergence is reported as exit-code 1" [ "$(out exit-code)" = 1 ]
check "a divergence still writes JUnit with a failure" grep -q '<failure' "$(out junit)"
check "a divergence still writes HTML" [ -s "$(out html)" ]
check "a binary without its executable bit gets it back" [ -x "$tmp/nvx-artifact" ]

# Errors: exit 2 with a message.
run NVX_BIN="$nvx_bin" NVX_SHARD=two
check "a bad shard is exit 2" [ "$code" = 2 ]
check "a bad shard is named" grep -q 'shard `two`' "$log"
run NVX_BIN="$tmp/missing/nvx"
check "a missing binary is exit 2" [ "$code" = 2 ]
run NVX_BIN="$nvx_bin" NVX_ENSEMBLES=no/such/ensemble
check "a missing ensemble is exit 2" [ "$code" = 2 ]
check "a missing ensemble writes exit-code 2" [ "$(out exit-code)" = 2 ]
mkdir -p "$tmp/empty"
run NVX_BIN="$nvx_bin" NVX_MERGE="$tmp/empty"
check "merging nothing is exit 2" [ "$code" = 2 ]
run PATH=/usr/bin:/bin NVX_ENSEMBLES=wasm-modules/crc32
check "no nvx on PATH is exit 2" [ "$code" = 2 ]

# The YAML files, and how they fit together.
check "the YAML files parse and fit together" python3 - <<'PY'
import re, sys, yaml

action = yaml.safe_load(open("action.yml"))
inputs = set(action["inputs"])
steps = action["runs"]["steps"]
assert action["runs"]["using"] == "composite"
script = open("scripts/action/run-shard.sh").read()
env = steps[0]["env"]
for name in inputs - {"artifact", "upload"}:
    assert any(v == "${{ inputs.%s }}" % name for v in env.values()), f"input {name} is not passed to the script"
for var in env:
    assert var in script, f"the script does not read {var}"
used = set(re.findall(r"inputs\.([a-z-]+)", open("action.yml").read()))
assert used <= inputs, f"action.yml uses undeclared inputs {used - inputs}"
outputs = set(re.findall(r"^output ([a-z-]+) ", script, re.M))
for name, o in action["outputs"].items():
    assert name in outputs, f"output {name} is never written by the script"

wf = yaml.safe_load(open("examples/ci/github-actions.yml"))
jobs = wf["jobs"]
for job in jobs.values():
    for step in job["steps"]:
        if step.get("uses") == "./":
            extra = set(step.get("with", {})) - inputs
            assert not extra, f"the workflow passes undeclared inputs {extra}"
shards = jobs["shard"]["strategy"]["matrix"]["shard"]
n = len(shards)
assert shards == list(range(1, n + 1))
action_step = next(s for s in jobs["shard"]["steps"] if s.get("uses") == "./")
assert action_step["with"]["shard"] == "${{ matrix.shard }}/%d" % n
assert "shard" in jobs["merge"]["needs"] and "build" in jobs["shard"]["needs"]
# Shards do no build: their setup is a checkout, a download and a chmod.
for s in jobs["shard"]["steps"]:
    assert "cargo" not in str(s.get("run", "")), "a shard job builds nvx"

docs = [d for d in yaml.safe_load_all(open("examples/ci/kubernetes-indexed-job.yaml")) if d]
claims = {d["metadata"]["name"] for d in docs if d["kind"] == "PersistentVolumeClaim"}
jobs = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Job"}
assert set(jobs) == {"nvx-prepare", "nvx-campaign", "nvx-merge"}, jobs.keys()
for d in docs:
    assert d["apiVersion"] in ("v1", "batch/v1") and "nvx-step" in d["metadata"]["labels"]
for name, job in jobs.items():
    pod = job["spec"]["template"]["spec"]
    assert pod["restartPolicy"] in ("Never", "OnFailure")
    volumes = {v["name"]: v for v in pod["volumes"]}
    for v in volumes.values():
        assert v["persistentVolumeClaim"]["claimName"] in claims, v
    for c in pod.get("initContainers", []) + pod["containers"]:
        assert c["image"] and c["command"], c
        for m in c.get("volumeMounts", []):
            assert m["name"] in volumes, f"{name}: mount of undeclared volume {m['name']}"
campaign = jobs["nvx-campaign"]["spec"]
assert campaign["completionMode"] == "Indexed"
command = " ".join(campaign["template"]["spec"]["containers"][0]["args"])
n = campaign["completions"]
assert f"--shard $K/{n}" in command and "JOB_COMPLETION_INDEX + 1" in command, command
assert f"shard-$K-of-{n}.json" in command
merge = " ".join(jobs["nvx-merge"]["spec"]["template"]["spec"]["containers"][0]["args"])
assert f"shard-*-of-{n}.json" in merge, merge
prepare = " ".join(jobs["nvx-prepare"]["spec"]["template"]["spec"]["containers"][0]["args"])
cache = [e["value"] for e in jobs["nvx-prepare"]["spec"]["template"]["spec"]["containers"][0]["env"] if e["name"] == "NVX_CACHE_DIR"]
assert cache and f"mkdir -p -m 0700 {cache[0]}" in prepare and "nvx prepare" in prepare
shard_env = [e["value"] for e in campaign["template"]["spec"]["containers"][0]["env"] if e["name"] == "NVX_CACHE_DIR"]
assert shard_env == cache, "the shards read another cache than the one prepared"
PY
# The Kubernetes manifests against Kubernetes' own schemas (PyPI kubernetes-validate,
# which carries them, so this works offline); unknown fields are errors.
check "the Kubernetes manifests follow the schemas of Kubernetes 1.30" \
  kubernetes-validate --quiet --strict -k 1.30.0 examples/ci/kubernetes-indexed-job.yaml
echo "scripts/action/test.sh: $pass checks passed"
