//! What a campaign runs: the [`Options`] of a run, the baseline mode, and the
//! defaults and size limits every part of a run shares.

use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::report::model::Replay;

/// Default number of generated inputs per ensemble.
pub const DEFAULT_GENERATE: u64 = 1_000;
/// Default number of ensemble calls one signature's shrinking may make.
pub const DEFAULT_SHRINK_BUDGET: usize = 500;
/// Wall-clock cap on shrinking one signature (slow signatures such as timeouts
/// stop early; their shrunk input is then the best found so far).
pub const SHRINK_TIME: Duration = Duration::from_secs(10);
/// Inputs larger than this (bytes of strings and lists) are reported unshrunk.
pub const MAX_SHRINK_BYTES: usize = 64 << 10;
/// Inputs whose WAVE text is longer than this are not parsed again after the run
/// (to shrink them or to record each variant's outcome on them): parsing builds a
/// node per list element, many times the text's size.
pub const MAX_RERUN_TEXT: usize = 1 << 20;
/// A `reproduce` command longer than this would strain the command line (Linux takes at most
/// 128 KiB per argument): the shrunk input goes to a file and the command reads it with
/// `nvx call --args-file`.
pub const MAX_REPRODUCE_LEN: usize = 8 << 10;

/// What to run.
#[derive(Clone, Debug)]
pub struct Options {
    /// Extra corpus files or folders, applied to every ensemble.
    pub corpus: Vec<PathBuf>,
    /// Generated inputs per ensemble.
    pub generate: u64,
    /// Generator seed.
    pub seed: u64,
    /// Parallel workers.
    pub jobs: usize,
    /// `(k, n)`: run only inputs whose index is `k - 1` modulo `n` (1-based `k`).
    pub shard: Option<(u64, u64)>,
    /// Journal file for resumable runs.
    pub journal: Option<PathBuf>,
    /// Continue the run recorded in the journal.
    pub resume: bool,
    /// Calls allowed per signature while shrinking.
    pub shrink_budget: usize,
    /// Where shrunk inputs too long for a `reproduce` command line are written
    /// ([`MAX_REPRODUCE_LEN`]); the system's temporary folder when unset.
    pub inputs_dir: Option<PathBuf>,
    /// Run inputs in `jobs` worker processes started with this command (see
    /// [`crate::worker`]) instead of on threads of this process. The CLI always sets
    /// it; a worker that dies then costs only the input it held.
    pub workers: Option<WorkerCommand>,
    /// What to do with each ensemble's `baseline.json`.
    pub baseline: BaselineMode,
    /// How a signature's [`Replay`] becomes the `reproduce` command of the report,
    /// filled in before the report goes to the observers (the command line quotes
    /// an `nvx call` for a POSIX shell). Unset, `reproduce` stays empty.
    pub reproduce: Option<fn(&Replay) -> String>,
}

/// What a campaign does with each ensemble folder's baseline of known divergences
/// (see [`crate::report::baseline`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BaselineMode {
    /// Mark each divergence known or new by the baseline, where there is one.
    #[default]
    Apply,
    /// Ignore every baseline: every divergence is new (`--no-baseline`).
    Ignore,
    /// Rewrite each ensemble's baseline from the run, keeping the reasons of the
    /// entries that still occur (`--bless`); every divergence is then known.
    Bless,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            corpus: Vec::new(),
            generate: DEFAULT_GENERATE,
            seed: 0,
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            shard: None,
            journal: None,
            resume: false,
            shrink_budget: DEFAULT_SHRINK_BUDGET,
            inputs_dir: None,
            workers: None,
            baseline: BaselineMode::Apply,
            reproduce: None,
        }
    }
}

/// How to start one worker process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerCommand {
    /// The program: an nvx executable.
    pub program: PathBuf,
    /// Its arguments, which make it serve as a worker (`["worker"]` for nvx).
    pub args: Vec<String>,
}

impl WorkerCommand {
    /// This process's own executable, run as `nvx worker`.
    ///
    /// # Errors
    /// [`Error::Io`] when the executable's path cannot be found.
    pub fn current_exe() -> Result<WorkerCommand> {
        let program = std::env::current_exe().map_err(|source| Error::Io {
            path: PathBuf::from("/proc/self/exe"),
            source,
        })?;
        Ok(WorkerCommand {
            program,
            args: vec!["worker".into()],
        })
    }
}
