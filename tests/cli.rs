//! Integration tests of the `nvx` command line: the real binary
//! (`CARGO_BIN_EXE_nvx`) on real components, checked by exit code
//! (`nvx::exit::{AGREED, DIVERGED, ERROR}`) and by its JSON output.
//!
//! - `call`: every fixture ensemble of tests/fixtures (agreement, wrong answers,
//!   traps, timeouts, memory / stack / output exhaustion, float equality and
//!   tolerance, NaN, strings, options), load errors and bad usage.
//! - `bundled`: every SPEC.md test vector of the ensembles shipped in
//!   wasm-modules/, and `nvx list`.
//! - `library`: async and typed calls, dissent hooks.
//! - `supervision`: the circuit breaker, metrics, caller deadlines and
//!   cancellation.
//! - `campaign`: `nvx campaign` / `merge` / `report`: corpora, shrinking and
//!   reproduce commands, hostile variants, determinism, shards, journals
//!   (resume, torn tails, kill -9) and report formats.
//! - `html`: the HTML report of the faulty demo in headless Chromium.

//! - `attribution`: every divergent input named in every report; huge inputs
//!   clipped.
//! - `smoke`: every registered engine on the same fixtures.
//! - `v8`: the second runtime: bundled ensembles, WASI, limits, a killed Node
//!   worker, a missing Node, the transpile cache.
//! - `baseline`: known divergences, `--bless`, `--no-baseline`, across shards.
//! - `authoring`: `nvx add --replace` and `nvx remove`, with failure injection.
//! - `mutate`: `nvx mutate` scores, survivors, journals and reports.
//! - `arena`: a Go variant's fixed `cabi_realloc` arena running out traps (issue 22).
//! - `prepare`: `nvx prepare` fills the caches, and a campaign after it compiles nothing.
//! - `install`: `nvx --version`, and the Containerfile against the repository.
//!
//! Compiled modules are cached in `$CARGO_TARGET_TMPDIR/nvx-cli-cache`.

#[path = "cli/support.rs"]
mod support;

#[path = "cli/call.rs"]
mod call;

#[path = "cli/authoring.rs"]
mod authoring;

#[path = "cli/baseline.rs"]
mod baseline;

#[path = "cli/v8.rs"]
mod v8;

#[path = "cli/smoke.rs"]
mod smoke;

#[path = "cli/attribution.rs"]
mod attribution;

#[path = "cli/bundled.rs"]
mod bundled;

#[path = "cli/campaign.rs"]
mod campaign;

#[path = "cli/library.rs"]
mod library;

#[path = "cli/supervision.rs"]
mod supervision;

#[path = "cli/wasi.rs"]
mod wasi;

#[path = "cli/cache.rs"]
mod cache;

#[path = "cli/output.rs"]
mod output;

#[path = "cli/limits.rs"]
mod limits;

#[path = "cli/hardening.rs"]
mod hardening;

#[path = "cli/engines.rs"]
mod engines;

#[path = "cli/workers.rs"]
mod workers;

#[path = "cli/expect.rs"]
mod expect;

#[path = "cli/diversity.rs"]
mod diversity;

#[path = "cli/coincidence.rs"]
mod coincidence;

#[path = "cli/html.rs"]
mod html;

#[path = "cli/mutate.rs"]
mod mutate;

#[path = "cli/arena.rs"]
mod arena;

#[path = "cli/prepare.rs"]
mod prepare;

#[path = "cli/install.rs"]
mod install;
