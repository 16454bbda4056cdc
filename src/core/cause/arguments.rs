//! Why a call's arguments (on the command line, in a corpus line or from the
//! library) do not fit the function, and why an expected answer does not fit its
//! result.

use std::path::PathBuf;

use super::chain::BoxedError;
use crate::value::{Value, ValueType, WaveError};

/// Why arguments do not fit a function's parameters.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ArgumentProblem {
    /// The wrong number of arguments.
    #[error("expected {expected} argument(s) ({signature}), got {got}")]
    Count {
        /// How many the function takes.
        expected: usize,
        /// Its WIT signature.
        signature: String,
        /// How many were given.
        got: usize,
    },
    /// An argument is not WAVE text of its parameter's type.
    #[error("argument `{name}`: {source}")]
    Wave {
        /// The parameter.
        name: String,
        /// The WAVE parser's error.
        #[source]
        source: WaveError,
    },
    /// A comma-separated argument tuple does not parse.
    #[error("{0}")]
    Tuple(#[source] WaveError),
    /// A value given from Rust is not of its parameter's type.
    #[error("argument `{name}` = {value} is not a {ty}")]
    WrongType {
        /// The parameter.
        name: String,
        /// The value given.
        value: Value,
        /// The parameter's type.
        ty: ValueType,
    },
    /// A corpus line of an ensemble with several functions does not say which.
    #[error(
        "ensemble `{ensemble}` exports {} functions; write the line as `func(args)` with one of: {}",
        functions.len(),
        functions.join(", ")
    )]
    WhichFunction {
        /// The ensemble.
        ensemble: String,
        /// Its functions.
        functions: Vec<String>,
    },
    /// A corpus line's fault, at `file:line`.
    #[error("{}:{line}: {problem}", file.display())]
    AtLine {
        /// The corpus file.
        file: PathBuf,
        /// The line, counted from 1.
        line: usize,
        /// What is wrong with it.
        #[source]
        problem: Box<ArgumentProblem>,
    },
    /// A corpus line's expected answer (after `=>`) does not fit, at `file:line`.
    #[error("{}:{line}: expected answer: {problem}", file.display())]
    Expected {
        /// The corpus file.
        file: PathBuf,
        /// The line, counted from 1.
        line: usize,
        /// What is wrong with the answer.
        #[source]
        problem: ExpectProblem,
    },
    /// Another error of the call, such as an unknown function (an
    /// [`Error`](crate::Error)).
    #[error("{0}")]
    Call(#[source] BoxedError),
}

/// Why an expected answer does not fit the function's result.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExpectProblem {
    /// The function returns nothing.
    #[error("`{function}` returns nothing ({signature}), so a line cannot expect an answer")]
    ReturnsNothing {
        /// The function.
        function: String,
        /// Its WIT signature.
        signature: String,
    },
    /// `=>` with nothing after it.
    #[error("`=>` must be followed by the expected answer (a WAVE value)")]
    Missing,
    /// The answer is not WAVE text of the result type.
    #[error("{0}")]
    Wave(#[source] WaveError),
    /// `some(_)`, `ok(_)` or `err(_)` where the result type has no such case.
    #[error(
        "`{text}` does not fit the result type {ty}: `some(_)` needs an option, `ok(_)` and `err(_)` a result whose case carries a value"
    )]
    Shape {
        /// The answer as written.
        text: String,
        /// The result type.
        ty: ValueType,
    },
    /// Another error of the call, such as an unknown function (an
    /// [`Error`](crate::Error)).
    #[error("{0}")]
    Call(#[source] BoxedError),
}
