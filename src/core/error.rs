//! The library's error type: everything that stops nvx from running a call.
//!
//! A variant that traps, hangs or exhausts a limit is not an error but an
//! [`Outcome`](crate::Outcome); errors are for bad ensembles, bad input and bad usage.

use std::path::PathBuf;

use crate::cause::{
    ArgumentProblem, EngineProblem, ManifestProblem, ModuleProblem, TypeCheckProblem, UsageError,
    WitProblem, WorldProblem,
};

/// Why an ensemble could not be loaded or a call could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The manifest is not valid TOML or does not follow the manifest format.
    #[error("invalid manifest {path}: {problem}")]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong, naming the key or variant.
        #[source]
        problem: ManifestProblem,
    },
    /// The WIT package could not be parsed or does not hold the named world.
    #[error("invalid WIT {path}: {problem}")]
    Wit {
        /// The WIT file.
        path: PathBuf,
        /// What is wrong.
        #[source]
        problem: WitProblem,
    },
    /// A module's SHA-256 does not match the manifest.
    #[error(
        "variant `{variant}`: {path} has sha256 {actual}, but the manifest says {expected}; refusing a modified module"
    )]
    HashMismatch {
        /// The variant.
        variant: String,
        /// The module file.
        path: PathBuf,
        /// The hash recorded in the manifest.
        expected: String,
        /// The hash of the file on disk.
        actual: String,
    },
    /// A module is not a valid WebAssembly component.
    #[error("variant `{variant}`: {path} is not a valid WebAssembly component: {problem}")]
    InvalidModule {
        /// The variant.
        variant: String,
        /// The module file.
        path: PathBuf,
        /// What is wrong, with the parser's or compiler's error.
        #[source]
        problem: ModuleProblem,
    },
    /// A component does not implement the ensemble's world.
    #[error("variant `{variant}` ({path}): {problem}")]
    WorldMismatch {
        /// The variant.
        variant: String,
        /// The module file.
        path: PathBuf,
        /// Which function is missing or mistyped, or which import is not allowed
        /// (boxed: it is the largest cause).
        #[source]
        problem: Box<WorldProblem>,
    },
    /// The requested function is not exported by the ensemble's world.
    #[error(
        "ensemble `{ensemble}` has no function `{function}` (it exports: {})",
        available.join(", ")
    )]
    UnknownFunction {
        /// The ensemble.
        ensemble: String,
        /// The requested name.
        function: String,
        /// The functions that do exist.
        available: Vec<String>,
    },
    /// A call's arguments do not fit the function's parameters.
    #[error("function `{function}`: {problem}")]
    BadArguments {
        /// The function.
        function: String,
        /// Which argument is wrong and why.
        #[source]
        problem: ArgumentProblem,
    },
    /// The typed API was used with Rust types that do not match the signature.
    #[error(
        "function `{function}`: the Rust types do not match its signature {signature}: {problem}"
    )]
    TypeMismatch {
        /// The function.
        function: String,
        /// The WIT signature.
        signature: String,
        /// What does not match, in wasmtime's words.
        #[source]
        problem: TypeCheckProblem,
    },
    /// The options of a command do not fit together or do not fit the run.
    #[error(transparent)]
    Usage(#[from] UsageError),
    /// A new campaign was asked to journal into a file that already holds a run;
    /// it is left as it is (resume that run, or remove the file).
    #[error(
        "journal {} already exists; resume that run, or remove the file to start afresh",
        path.display()
    )]
    JournalExists {
        /// The journal file.
        path: PathBuf,
    },
    /// The campaign journal could not be written or read back.
    #[error(transparent)]
    Journal(#[from] crate::journal::JournalError),
    /// The WebAssembly engine could not be set up.
    #[error("cannot set up the WebAssembly engine: {0}")]
    Engine(#[source] EngineProblem),
    /// The ensemble reached no verdict, so there is no agreed value.
    #[error("no verdict for `{function}`: {summary}")]
    NoVerdict {
        /// The function.
        function: String,
        /// How the variants split, as [`Verdict::summary`](crate::Verdict::summary)
        /// words it.
        summary: String,
    },
}

/// Shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn the_functions_that_exist_are_listed_comma_separated() {
        let e = Error::UnknownFunction {
            ensemble: "e".into(),
            function: "f".into(),
            available: vec!["a".into(), "b".into()],
        };
        assert_eq!(
            e.to_string(),
            "ensemble `e` has no function `f` (it exports: a, b)"
        );
    }

    #[test]
    fn a_cause_is_the_source_and_its_library_error_the_next() {
        let parser = toml::from_str::<toml::Table>("[x").expect_err("not TOML");
        let e = Error::Manifest {
            path: "m/nvx.toml".into(),
            problem: ManifestProblem::Toml(Box::new(parser)),
        };
        let text = e.to_string();
        assert!(
            text.starts_with("invalid manifest m/nvx.toml: TOML parse error"),
            "{text}"
        );
        assert!(!text.ends_with('\n'), "{text:?}");
        let problem = e.source().expect("the problem is the source");
        assert!(matches!(
            problem.downcast_ref::<ManifestProblem>(),
            Some(ManifestProblem::Toml(_))
        ));
        let library = problem
            .source()
            .expect("the parser's error is the next source");
        assert!(text.ends_with(library.to_string().trim_end()));
    }

    #[test]
    fn a_usage_error_reads_as_its_cause() {
        let e = Error::from(UsageError::Shard { k: 3, n: 2 });
        assert_eq!(e.to_string(), "shard 3/2: K must be in 1..=N");
    }
}
