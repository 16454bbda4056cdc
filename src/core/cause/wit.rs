//! Why a WIT package cannot give an ensemble its functions: it does not parse,
//! it lacks the world, the world exports nothing, or a function uses a type nvx
//! cannot pass.

use super::chain::{BoxedError, Chain};

/// Why a WIT package was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WitProblem {
    /// The package does not parse.
    #[error("{}", Chain(&**.0))]
    Parse(#[source] BoxedError),
    /// The world is not in the package (or, unnamed, the package has several).
    #[error("{}", Chain(&**.0))]
    World(#[source] BoxedError),
    /// The world exports no functions.
    #[error("world `{world}` exports no functions")]
    NoFunctions {
        /// The world.
        world: String,
    },
    /// A function uses a type nvx cannot pass.
    #[error("function `{function}`: {ty}")]
    Unsupported {
        /// The function (`interface#name` for one in an interface).
        function: String,
        /// The type.
        #[source]
        ty: UnsupportedType,
    },
}

/// A WIT type that is not a value nvx can compare.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnsupportedType {
    /// `error-context`.
    #[error("error-context values are not supported")]
    ErrorContext,
    /// A resource, stream, future or another kind of type that is not a value.
    #[error("type `{kind}` is not supported (only value types can be compared)")]
    Kind {
        /// The kind of type, as wit-parser names it.
        kind: String,
    },
}
