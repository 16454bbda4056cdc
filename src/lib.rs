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

pub mod author;
pub mod backend;
pub mod cache;
pub mod campaign;
pub mod engine;
pub mod ensemble;
pub mod error;
pub mod exit;
pub mod files;
pub mod fuzz;
pub mod generate;
pub mod input;
pub mod journal;
pub mod manifest;
pub mod outcome;
pub mod report;
pub mod shrink;
pub mod value;
pub mod votable;
pub mod vote;
pub mod wasi;
pub mod wit;
pub mod worker;

pub use engine::EngineKind;
pub use ensemble::{Dissent, EngineDivergence, Ensemble, TypedFunc, VariantInfo, Verdict};
pub use error::{Error, Result};
pub use outcome::{Outcome, Resource, Run};
pub use value::{Tolerance, Value, ValueType};
pub use votable::Votable;
pub use vote::{Decision, Policy};
pub use wit::FuncSig;
