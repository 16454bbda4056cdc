//! What can go wrong naming engines (`[ensemble] engines`, `--engines`) and
//! setting one up (its compiler, its worker processes, the tokio runtime).

use std::path::PathBuf;

use super::chain::{BoxedError, Chain};

/// Why a list of engine names was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EngineListError {
    /// The list is empty.
    #[error("name at least one engine (such as cranelift, winch, pulley)")]
    Empty,
    /// A name is not lowercase letters, digits and `-`.
    #[error("{name:?} is not an engine name (lowercase letters, digits and `-`)")]
    NotAName {
        /// The name as given.
        name: String,
    },
    /// An engine is named twice.
    #[error("`{name}` is named twice")]
    Twice {
        /// The engine.
        name: String,
    },
    /// No engine of that name is registered.
    #[error("unknown engine `{name}` (nvx has: {})", known.join(", "))]
    Unknown {
        /// The name as given.
        name: String,
        /// The registered engines.
        known: Vec<String>,
    },
}

/// Why the WebAssembly engine, or the processes and threads that run it, could
/// not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineProblem {
    /// wasmtime refused the configuration of a compiler.
    #[error("{compiler}: {}", Chain(&**source))]
    Config {
        /// The compiler (`cranelift`, `winch`, `pulley`).
        compiler: &'static str,
        /// wasmtime's error.
        #[source]
        source: BoxedError,
    },
    /// A thread panicked while holding the registry of engines.
    #[error("engine registry poisoned")]
    RegistryPoisoned,
    /// The tokio runtime of a campaign did not start.
    #[error("cannot start the tokio runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// The v8 engine's files could not be written.
    #[error("v8: {0}")]
    V8Files(#[source] std::io::Error),
    /// A campaign worker process was started without its pipes.
    #[error("worker process has no pipes")]
    WorkerPipes,
    /// The setup could not be sent to a campaign worker process.
    #[error("campaign worker process: cannot send the setup: {0}")]
    WorkerSetup(#[source] std::io::Error),
    /// An ensemble's modules changed between the campaign's start and a worker's.
    #[error(
        "campaign worker process: ensemble {} changed on disk while the campaign ran (its variants' SHA-256 differ)",
        dir.display()
    )]
    WorkerStale {
        /// The ensemble folder.
        dir: PathBuf,
    },
    /// A campaign worker process could not load the ensemble; `why` is its own
    /// message, sent over the pipe.
    #[error("campaign worker process: {why}")]
    WorkerFailed {
        /// The worker's message.
        why: String,
    },
    /// A campaign worker process answered the setup with a record.
    #[error("campaign worker process: answered the setup with a record")]
    WorkerProtocol,
    /// A campaign worker process died while loading.
    #[error("campaign worker process: died while loading: {status}")]
    WorkerDied {
        /// How it ended, in words.
        status: String,
    },
    /// Worker processes died again and again without finishing an input.
    #[error(
        "campaign worker processes for {} died {times} times in a row without finishing an input (last: {last}); stopping",
        dir.display()
    )]
    WorkersFruitless {
        /// The ensemble folder.
        dir: PathBuf,
        /// How many died in a row.
        times: u32,
        /// How the last one ended, in words.
        last: String,
    },
}
