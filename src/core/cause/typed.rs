//! Why a typed handle could not be made: the Rust parameter and result types do
//! not match the function, or the variant that checks them is not available.

use super::chain::{BoxedError, Chain};

/// Why the Rust types of a typed call were not accepted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TypeCheckProblem {
    /// The first variant does not run on wasmtime, which checks the types.
    #[error("variant `{variant}` does not run on wasmtime; typed calls need wasmtime variants")]
    NotWasmtime {
        /// The variant.
        variant: String,
    },
    /// A thread panicked while holding the instance that checks types.
    #[error("the type-check instance is poisoned")]
    Poisoned,
    /// The variant could not be instantiated to check the types.
    #[error("cannot instantiate it to check types: {}", Chain(&**.0))]
    Instantiate(#[source] BoxedError),
    /// No instance to check the types on.
    #[error("no type-check instance")]
    NoInstance,
    /// The instance lacks the export.
    #[error("export `{function}` missing from the instance")]
    MissingExport {
        /// The function.
        function: String,
    },
    /// wasmtime refused the types.
    #[error("{}", Chain(&**.0))]
    Types(#[source] BoxedError),
}
