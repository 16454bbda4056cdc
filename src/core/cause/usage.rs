//! Why a command's options, or a call of the library, do not fit together or do
//! not fit the ensemble: bad shards, taken or unknown variant names, an engine
//! that cannot run here, a builder missing a part, a mutation journal of another
//! run.

use std::path::PathBuf;

use super::engine::EngineListError;

/// A request that cannot be carried out as asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UsageError {
    /// `--shard K/N` outside `1..=N`.
    #[error("shard {k}/{n}: K must be in 1..=N")]
    Shard {
        /// The shard asked for.
        k: u64,
        /// The shard count.
        n: u64,
    },
    /// `--bless` together with `--shard`.
    #[error(
        "--bless rewrites each baseline from the whole run: run it without --shard (or bless the merged report's findings by hand)"
    )]
    BlessShard,
    /// `--resume` of a journal written by another run.
    #[error(
        "journal {} belongs to a different run (ensembles, variants, engines, seed, generated input count, shard or corpus files differ); it was left as it is",
        path.display()
    )]
    JournalOfOtherRun {
        /// The journal file.
        path: PathBuf,
    },
    /// More inputs than a campaign can number.
    #[error(
        "{generated} generated inputs plus {corpus} corpus inputs of `{ensemble}` exceed the 2^64 inputs a campaign can number"
    )]
    TooManyInputs {
        /// `--generate`.
        generated: u64,
        /// The corpus inputs.
        corpus: usize,
        /// The ensemble.
        ensemble: String,
    },
    /// `nvx prepare` was asked to fill a compile cache that is off.
    #[error(
        "the compile cache is off (NVX_CACHE_DIR=off), so there is nothing to fill; set NVX_CACHE_DIR to a folder"
    )]
    CacheOff,
    /// The compile cache folder cannot be used (it cannot be created, or its group
    /// or others may write to it).
    #[error("cannot fill the compile cache {}: {problem}", dir.display())]
    CacheUnusable {
        /// The cache folder.
        dir: std::path::PathBuf,
        /// Why not.
        #[source]
        problem: super::chain::BoxedError,
    },
    /// An engine list breaks a rule of engine lists.
    #[error("engine list: {0}")]
    EngineList(#[source] EngineListError),
    /// A load with no engine at all.
    #[error("[ensemble] engines: name at least one engine")]
    NoEngine,
    /// The engine cannot run on this machine; `why` is the engine's own account
    /// of what it needs and how to install it.
    #[error("engine `{engine}` cannot run here: {why}")]
    EngineUnavailable {
        /// The engine.
        engine: &'static str,
        /// What is missing.
        why: String,
    },
    /// An [`EnsembleBuilder`](crate::EnsembleBuilder) missing a part or given a
    /// wrong one.
    #[error("ensemble builder for {}: {problem}", origin.display())]
    Builder {
        /// The folder the built ensemble names in messages.
        origin: PathBuf,
        /// What is missing or wrong.
        problem: BuilderProblem,
    },
    /// The baseline could not be encoded as JSON.
    #[error("encoding the baseline: {0}")]
    EncodeBaseline(#[source] serde_json::Error),
    /// `nvx new` into a folder that holds files.
    #[error("{} already exists and is not an empty folder", dir.display())]
    FolderNotEmpty {
        /// The folder.
        dir: PathBuf,
    },
    /// `nvx new` given a path without a folder name.
    #[error("{} does not end in a folder name", dir.display())]
    NoFolderName {
        /// The path.
        dir: PathBuf,
    },
    /// A path that names no file.
    #[error("{} is not a file", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// `nvx add` with an empty `--language`.
    #[error("variant `{variant}`: its language must not be empty")]
    EmptyLanguage {
        /// The variant.
        variant: String,
    },
    /// `nvx add` of a name the ensemble already has.
    #[error(
        "ensemble `{ensemble}` already has a variant named `{variant}` (`nvx add --replace` replaces it, `nvx remove` removes it)"
    )]
    VariantExists {
        /// The ensemble.
        ensemble: String,
        /// The name.
        variant: String,
    },
    /// `nvx add` whose module file is another variant's.
    #[error("{} is the module of variant `{other}`; choose another --name", path.display())]
    ModuleOfOther {
        /// The module file.
        path: PathBuf,
        /// The variant it belongs to.
        other: String,
    },
    /// `nvx add` whose module file exists already.
    #[error("{} already exists; choose another --name or remove the file", path.display())]
    FileExists {
        /// The file.
        path: PathBuf,
    },
    /// A variant name the ensemble does not have (`nvx remove`).
    #[error(
        "ensemble `{ensemble}` has no variant named `{variant}` (it has: {})",
        listed(available)
    )]
    NoSuchVariant {
        /// The ensemble.
        ensemble: String,
        /// The name asked for.
        variant: String,
        /// The names it has.
        available: Vec<String>,
    },
    /// A variant name the ensemble does not have (`nvx mutate --variant`).
    #[error("ensemble `{ensemble}` has no variant `{variant}` (it has: {})", available.join(", "))]
    NoVariantToMutate {
        /// The ensemble.
        ensemble: String,
        /// The name asked for.
        variant: String,
        /// The names it has.
        available: Vec<String>,
    },
    /// No `[[variant]]` table of that name in the manifest text.
    #[error(
        "no `[[variant]]` table with name = {} in the manifest",
        toml::Value::String(name.clone())
    )]
    NoVariantTable {
        /// The name.
        name: String,
    },
    /// A variant name outside the allowed characters or length.
    #[error(
        "{name:?} is not a valid variant name: use 1 to 64 ASCII letters, digits, `-` or `_`, not starting with `-`"
    )]
    BadVariantName {
        /// The name.
        name: String,
    },
    /// A file that should be a WebAssembly binary is not.
    #[error("{} is not a WebAssembly binary (it does not start with `\\0asm`)", path.display())]
    NotWasm {
        /// The file.
        path: PathBuf,
    },
    /// `nvx mutate --shard`.
    #[error("nvx mutate runs whole campaigns, not shards")]
    MutateShard,
    /// `nvx mutate` of an ensemble whose campaign has no inputs.
    #[error(
        "the campaign of `{ensemble}` has no inputs (no corpus lines and --generate 0): nothing to measure"
    )]
    NoInputs {
        /// The ensemble.
        ensemble: String,
    },
    /// A thread running the unmutated campaign panicked.
    #[error("a baseline thread panicked")]
    BaselinePanicked,
    /// An ensemble of one variant returned no run.
    #[error("a one-variant ensemble returned no run")]
    NoRun,
    /// A mutant's campaign produced no result.
    #[error("mutant {mutant} of `{variant}` produced no result")]
    NoMutantResult {
        /// Where the mutant is (function and offset).
        mutant: String,
        /// The variant.
        variant: String,
    },
    /// A mutation journal that cannot be used.
    #[error("journal {}: {problem}", path.display())]
    MutationJournal {
        /// The journal file.
        path: PathBuf,
        /// What is wrong.
        #[source]
        problem: MutationJournalProblem,
    },
    /// A module `nvx mutate` cannot take apart.
    #[error(transparent)]
    Binary(#[from] BinaryFault),
}

/// What an [`EnsembleBuilder`](crate::EnsembleBuilder) is missing or was given wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuilderProblem {
    /// No manifest text.
    #[error("no manifest given")]
    NoManifest,
    /// No WIT text.
    #[error("no WIT given")]
    NoWit,
    /// A module path given twice.
    #[error("module `{}` is given twice", path.display())]
    ModuleTwice {
        /// The path.
        path: PathBuf,
    },
    /// A module whose path no variant has.
    #[error("module `{}` is the path of no variant in the manifest", path.display())]
    StrayModule {
        /// The path.
        path: PathBuf,
    },
    /// A variant without its module.
    #[error("no module given for variant `{variant}` (path `{}`)", path.display())]
    MissingModule {
        /// The variant.
        variant: String,
        /// Its module path.
        path: PathBuf,
    },
    /// A module above the size cap.
    #[error("module `{}` is larger than {max} bytes", path.display())]
    TooLarge {
        /// The path.
        path: PathBuf,
        /// The cap.
        max: u64,
    },
}

/// Why a mutation journal cannot be resumed or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MutationJournalProblem {
    /// It cannot be read or written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A record cannot be encoded.
    #[error("{0}")]
    Encode(#[from] serde_json::Error),
    /// The file is empty.
    #[error("is empty")]
    Empty,
    /// The first line is not a mutation journal's header.
    #[error("not a mutation journal ({0})")]
    NotAJournal(#[source] serde_json::Error),
    /// The header is another run's.
    #[error("belongs to another run (ensemble, variants, seed, inputs or --mutants differ)")]
    OtherRun,
    /// A record before the last does not parse.
    #[error("damaged record: {0}")]
    Damaged(#[source] serde_json::Error),
    /// A record before the last has no line end.
    #[error("damaged record")]
    Unterminated,
}

/// Why `nvx mutate` cannot take a module apart or put it back together.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BinaryFault {
    /// A section header is cut short.
    #[error("truncated section header")]
    TruncatedSection,
    /// A section's size runs past the end.
    #[error("section runs past the end of the component")]
    SectionPastEnd,
    /// Neither a component nor a core module.
    #[error("not a WebAssembly component or core module binary")]
    NotWasm,
    /// A component without a core module.
    #[error("the component holds no core module")]
    NoCoreModule,
    /// The validator refused it.
    #[error("invalid: {0}")]
    Invalid(#[source] wasmparser::BinaryReaderError),
    /// A `.wat` file that does not assemble.
    #[error("text module: {0}")]
    Text(#[source] wat::Error),
    /// The core module does not parse.
    #[error("core module: {0}")]
    CoreModule(#[source] wasmparser::BinaryReaderError),
    /// A mutant's offset is in no function body.
    #[error("no function body holds offset {offset:#x}")]
    NoFunctionAt {
        /// The offset.
        offset: usize,
    },
}

fn listed(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}
