//! Options that `nvx campaign` and `nvx mutate` share, each group a struct that
//! both commands flatten: the campaign's inputs and workers, the engines, the
//! journal, and quiet output.
//!
//! The help texts are those of `nvx campaign`; `nvx mutate` rewords some of them
//! with `mut_arg`, since there the workers run mutants, not inputs.

use std::path::PathBuf;

use nvx::campaign::{DEFAULT_GENERATE, Options};

/// The inputs of a campaign, their seed, and how many run at once.
#[derive(clap::Args, Debug)]
pub(crate) struct Inputs {
    /// Corpus file or folder: one WAVE argument tuple per line, `#` comments. Repeatable.
    #[arg(long)]
    pub corpus: Vec<PathBuf>,
    /// Generated inputs per ensemble.
    #[arg(long, default_value_t = DEFAULT_GENERATE)]
    pub generate: u64,
    /// Seed of the input generator; the same seed gives the same inputs everywhere.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Parallel workers (default: all cores).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
}

impl Inputs {
    /// Campaign options with these inputs, seed and workers (at least one), and
    /// every other option at its default.
    pub fn campaign_options(&self) -> Options {
        let defaults = Options::default();
        Options {
            corpus: self.corpus.clone(),
            generate: self.generate,
            seed: self.seed,
            jobs: self.jobs.unwrap_or(defaults.jobs).max(1),
            ..defaults
        }
    }
}

/// `--engines LIST`: the engines every variant runs on instead of the manifest's.
#[derive(clap::Args, Debug)]
pub(crate) struct Engines {
    /// Run every variant on these engines (the first one's results vote; `nvx list` names them)
    /// instead of each manifest's `engines`, e.g. `cranelift,winch,pulley`.
    #[arg(long, value_name = "LIST", value_parser = super::parse_engines)]
    pub engines: Option<super::EngineList>,
}

impl Engines {
    /// The engines asked for, or `None` for each manifest's own.
    pub fn list(&self) -> Option<&[nvx::EngineKind]> {
        self.engines.as_ref().map(|e| e.0.as_slice())
    }
}

/// `--journal FILE` and `--resume`: a run that can be continued after it stops.
#[derive(clap::Args, Debug)]
pub(crate) struct Journal {
    /// Append every finished input to this journal, so the run can be resumed.
    #[arg(long)]
    pub journal: Option<PathBuf>,
    /// Continue the run recorded in --journal, skipping inputs already done.
    #[arg(long, requires = "journal")]
    pub resume: bool,
}

/// `--quiet`: only the exit code and the report files.
#[derive(clap::Args, Debug)]
pub(crate) struct Quiet {
    /// No progress bar and no summary; only the exit code and the report files.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}
