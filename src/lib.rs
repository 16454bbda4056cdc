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

// Each folder is a layer, and a module's path is its file's path; the flat paths
// (`nvx::value`, `nvx::input`, ...) stay as re-exports. A layer uses only the
// layers above it in this list (docs/architecture.md; `tests/architecture.rs`
// checks it).
//
// The pure core: values and their WAVE text, outcomes, the vote, the manifest and
// WIT signatures, expected answers, journals, errors and exit codes. No
// WebAssembly runtime here.
pub mod core;
pub use self::core::{
    cause, diversity, error, exit, expect, files, journal, manifest, outcome, value, votable, vote,
    wit,
};

// Engines: the registry of runtimes every variant is run through, the seam
// (`Backend`) and the wasmtime and v8 engines, the compile cache and the WASI profile.
pub mod engine;
pub use engine::{backend, cache, control, wasi};

// The library entry point: an ensemble of variants and its verdicts, the
// supervision of its variants over time, its metrics, and typed calls.
pub mod ensemble;
pub use ensemble::{event, supervise, telemetry, typed, verdict};

// Reports of campaigns, in every format, with their tables (coincident failures,
// input classes) and baselines.
pub mod report;
pub use report::{classes, coincidence};

// Campaigns: input plans (corpus and generator), the run and its worker
// processes, shrinking.
pub mod campaign;
pub use campaign::{generate, input, shrink, worker};

// Mutation testing of campaigns (`nvx mutate`): how many single faults a campaign
// detects.
pub mod mutate;

// Authoring ensembles (`nvx new`, `nvx add`) and the fuzzing entry points.
pub mod author;
pub mod fuzz;

pub use cause::{
    ArgumentProblem, BinaryFault, BuilderProblem, EngineListError, EngineProblem, ExpectProblem,
    ManifestEdit, ManifestProblem, ModuleProblem, MutationJournalProblem, TypeCheckProblem,
    UnsupportedType, UsageError, WitProblem, WorldProblem,
};
pub use control::CallControl;
pub use engine::EngineKind;
pub use ensemble::builder::EnsembleBuilder;
pub use ensemble::{Dissent, Ensemble, Event, Observer, RunOutput, VariantInfo};
pub use error::{Error, Result};
pub use outcome::{Outcome, OutcomeKind, Resource, Run};
pub use supervise::{BreakerEvent, BreakerState, Supervision, VariantHealth};
pub use typed::TypedFunc;
pub use value::{Tolerance, Value, ValueType};
pub use verdict::{EngineDivergence, Verdict};
pub use votable::Votable;
pub use vote::{Decision, Policy};
pub use wit::FuncSig;
