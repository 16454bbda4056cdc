//! What can be wrong with an ensemble's files: `nvx.toml` (its TOML, its keys, its
//! `[[variant]]` entries and `[generate.*]` hints), an edit that would break it,
//! and the accepted divergences in `baseline.json`.

use std::path::PathBuf;

use super::chain::{BoxedError, trimmed};
use super::engine::EngineListError;
use crate::vote::PolicyError;

/// An edit of the manifest by `nvx add` or `nvx remove`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ManifestEdit {
    /// Writing a `[[variant]]` entry (`nvx add`).
    Write,
    /// Removing one (`nvx remove`).
    Remove,
}

impl std::fmt::Display for ManifestEdit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ManifestEdit::Write => "writing",
            ManifestEdit::Remove => "removing",
        })
    }
}

/// Why a manifest (or an ensemble's baseline) was refused, naming the key or
/// variant at fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ManifestProblem {
    /// The file is not TOML, or its tables do not follow the manifest format.
    #[error("{}", trimmed(.0))]
    Toml(#[source] Box<toml::de::Error>),
    /// The file is not TOML, read for an edit that keeps its formatting.
    #[error("{}", trimmed(.0))]
    TomlEdit(#[source] Box<toml_edit::TomlError>),
    /// The manifest could not be written back after a change.
    #[error("{0}")]
    Rewrite(#[source] toml::ser::Error),
    /// No `[[variant]]` entry; `hint` adds how to add one.
    #[error(
        "no [[variant]] entries{}",
        if *hint { " (add one with `nvx add ENSEMBLE FILE --name N --language L`)" } else { "" }
    )]
    NoVariants {
        /// Whether the message says how to add a variant.
        hint: bool,
    },
    /// The variants are written some other way than as `[[variant]]` tables.
    #[error("its variants are not written as `[[variant]]` tables; edit the file by hand")]
    NotVariantTables,
    /// `[ensemble] engines` breaks a rule of engine lists or names no engine nvx has.
    #[error("[ensemble] engines: {0}")]
    Engines(#[source] EngineListError),
    /// A variant has an empty name.
    #[error("a variant with path {} has an empty name", path.display())]
    EmptyVariantName {
        /// The variant's module path.
        path: PathBuf,
    },
    /// A variant name holds control characters (which could forge terminal output).
    #[error("variant name {name:?} (path {}) contains control characters", path.display())]
    ControlCharacters {
        /// The name.
        name: String,
        /// The variant's module path.
        path: PathBuf,
    },
    /// Two variants share a name.
    #[error("variant name `{name}` appears twice")]
    DuplicateVariant {
        /// The name.
        name: String,
    },
    /// A variant's `sha256` is not 64 hex digits.
    #[error("variant `{variant}`: sha256 must be 64 hex digits, got `{sha256}`")]
    BadSha256 {
        /// The variant.
        variant: String,
        /// What the manifest says.
        sha256: String,
    },
    /// `policy` or `quorum` does not make a voting policy.
    #[error("{0}")]
    Policy(#[source] PolicyError),
    /// A float tolerance is negative, infinite or NaN.
    #[error("[ensemble.tolerance] {key} must be a finite number >= 0, got {value}")]
    Tolerance {
        /// `abs` or `rel`.
        key: &'static str,
        /// The value given.
        value: f64,
    },
    /// A limit is zero.
    #[error("[ensemble.limits] {key} must be at least 1")]
    ZeroLimit {
        /// The limit's key.
        key: &'static str,
    },
    /// `memory-mib` is above what a 32-bit memory can address.
    #[error(
        "[ensemble.limits] memory-mib is {mib}, above the 4096 MiB a 32-bit memory can address"
    )]
    MemoryTooLarge {
        /// The value given.
        mib: u64,
    },
    /// `stack-kib` is above nvx's cap.
    #[error("[ensemble.limits] stack-kib is {kib}, above the 65536 KiB nvx allows")]
    StackTooLarge {
        /// The value given.
        kib: u64,
    },
    /// A folder given as ensembles holds no manifest, nor do its subfolders.
    #[error("no nvx.toml here or in any subfolder: not an ensemble or a folder of ensembles")]
    NoEnsemble,
    /// `[generate.F]` names a function the world does not export.
    #[error(
        "[generate.{function}] names a function the world does not export (it exports: {})",
        available.join(", ")
    )]
    GenerateUnknownFunction {
        /// The name in the table header.
        function: String,
        /// The functions that do exist.
        available: Vec<String>,
    },
    /// `[generate.F]` does not follow the hint format.
    #[error("[generate.{function}]: {}", trimmed(source))]
    GenerateHints {
        /// The function.
        function: String,
        /// The TOML error.
        #[source]
        source: Box<toml::de::Error>,
    },
    /// `[generate.F]` names parameters the function does not have.
    #[error(
        "[generate.{function}] names parameter(s) {} that `{function}` does not have ({signature})",
        params.join(", ")
    )]
    GenerateUnknownParams {
        /// The function.
        function: String,
        /// The unknown parameter names.
        params: Vec<String>,
        /// The function's WIT signature.
        signature: String,
    },
    /// A seed input of `[generate.F]` does not fit the function.
    #[error("[generate.{function}] seed `{seed}`: {source}")]
    GenerateSeed {
        /// The function.
        function: String,
        /// The seed as written.
        seed: String,
        /// Why its arguments do not fit (an [`Error`](crate::Error)).
        #[source]
        source: BoxedError,
    },
    /// The manifest as `nvx add` or `nvx remove` would leave it does not load.
    #[error("{edit} the entry would break the manifest: {source}")]
    EditBreaks {
        /// The edit.
        edit: ManifestEdit,
        /// Why the edited manifest is refused (an [`Error`](crate::Error)).
        #[source]
        source: BoxedError,
    },
    /// A variant to remove is defined more than once.
    #[error("variant `{name}` is defined more than once; edit the file by hand")]
    DefinedTwice {
        /// The variant.
        name: String,
    },
    /// `baseline.json` is not JSON of the baseline format.
    #[error("{0}")]
    BaselineJson(#[source] serde_json::Error),
    /// `baseline.json` has another schema version.
    #[error("schema {found} (this nvx reads baseline schema {expected})")]
    BaselineSchema {
        /// The version in the file.
        found: u32,
        /// The version this nvx reads.
        expected: u32,
    },
    /// A baseline entry has an empty key.
    #[error("entry {entry} has an empty key")]
    BaselineEmptyKey {
        /// The entry, counted from 1.
        entry: usize,
    },
    /// A baseline entry gives no reason.
    #[error("entry `{key}` has no reason: say why the divergence is accepted")]
    BaselineNoReason {
        /// The entry's key.
        key: String,
    },
    /// A baseline lists a key twice.
    #[error("`{key}` is listed twice")]
    BaselineTwice {
        /// The key.
        key: String,
    },
}
