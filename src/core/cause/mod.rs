//! The typed causes inside [`Error`](crate::Error): one enum per kind of fault
//! (manifest, WIT, module, world, arguments, engine list, engine set-up, usage),
//! each variant naming the key, variant, function or argument at fault.

pub mod arguments;
pub mod chain;
pub mod engine;
pub mod manifest;
pub mod module;
pub mod typed;
pub mod usage;
pub mod wit;

pub use arguments::{ArgumentProblem, ExpectProblem};
pub use chain::{BoxedError, Chain};
pub use engine::{EngineListError, EngineProblem};
pub use manifest::{ManifestEdit, ManifestProblem};
pub use module::{ModuleProblem, WorldProblem};
pub use typed::TypeCheckProblem;
pub use usage::{BinaryFault, BuilderProblem, MutationJournalProblem, UsageError};
pub use wit::{UnsupportedType, WitProblem};
