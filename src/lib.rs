//! nvx runs several independently written implementations ("variants") of the same
//! function, each a WebAssembly component, on the same inputs, and votes on the
//! results. A variant that is wrong, traps, hangs or eats memory is outvoted and
//! reported; it never takes the caller down.
//!
//! ```no_run
//! use nvx::{Ensemble, Value};
//!
//! # fn main() -> Result<(), nvx::Error> {
//! let ensemble = Ensemble::open("wasm-modules/crc32")?;
//! let verdict = ensemble.call("crc32", &[Value::Bytes(b"123456789".to_vec())])?;
//! if !verdict.unanimous() {
//!     eprintln!("divergence: {}", verdict.summary());
//! }
//! assert!(verdict.value()?.same(&Value::U32(0xCBF4_3926)));
//!
//! // Typed calls for callers who know the signature:
//! let crc = ensemble.typed::<(&[u8],), (u32,)>("crc32")?;
//! let (value,) = *crc.call((b"123456789".as_slice(),))?.value()?;
//! assert_eq!(value, 0xCBF4_3926);
//! # Ok(())
//! # }
//! ```

// The source tree shows the layers; module paths stay flat (`nvx::value`,
// `nvx::campaign`, ...).
//
// The pure core: values and their WAVE text, outcomes, the vote, the manifest and
// WIT signatures, errors and exit codes. No WebAssembly runtime here.
#[path = "core/diversity.rs"]
pub mod diversity;
#[path = "core/error.rs"]
pub mod error;
#[path = "core/exit.rs"]
pub mod exit;
#[path = "core/files.rs"]
pub mod files;
#[path = "core/manifest.rs"]
pub mod manifest;
#[path = "core/outcome.rs"]
pub mod outcome;
#[path = "core/value.rs"]
pub mod value;
#[path = "core/votable.rs"]
pub mod votable;
#[path = "core/vote.rs"]
pub mod vote;
#[path = "core/wit.rs"]
pub mod wit;

// Engines: the registry of runtimes every variant is run through, the seam
// (`Backend`) and the wasmtime engine, its compile cache and the WASI profile.
pub mod engine;
pub use engine::{backend, cache, control, wasi};

// The library entry point: an ensemble of variants and its verdicts, the
// supervision of its variants over time, its metrics, and typed calls.
pub mod ensemble;
pub mod supervise;
pub mod telemetry;
pub mod typed;

// Campaigns: input plans (corpus and generator), expected answers, the run and its
// worker processes, journals, shrinking.
#[path = "campaign/run.rs"]
pub mod campaign;
#[path = "campaign/classes.rs"]
pub mod classes;
#[path = "campaign/coincidence.rs"]
pub mod coincidence;
#[path = "campaign/expect.rs"]
pub mod expect;
#[path = "campaign/generate.rs"]
pub mod generate;
#[path = "campaign/input.rs"]
pub mod input;
#[path = "campaign/journal.rs"]
pub mod journal;
#[path = "campaign/shrink.rs"]
pub mod shrink;
#[path = "campaign/worker.rs"]
pub mod worker;

// Reports of campaigns, in every format.
pub mod report;

// Mutation testing of campaigns (`nvx mutate`): how many single faults a campaign
// detects.
pub mod mutate;

// Authoring ensembles (`nvx new`, `nvx add`) and the fuzzing entry points.
pub mod author;
pub mod fuzz;

pub use control::CallControl;
pub use engine::EngineKind;
pub use ensemble::{Dissent, EngineDivergence, Ensemble, EnsembleBuilder, VariantInfo, Verdict};
pub use error::{Error, Result};
pub use outcome::{Outcome, OutcomeKind, Resource, Run};
pub use supervise::{BreakerEvent, BreakerState, Supervision, VariantHealth};
pub use typed::TypedFunc;
pub use value::{Tolerance, Value, ValueType};
pub use votable::Votable;
pub use vote::{Decision, Policy};
pub use wit::FuncSig;
