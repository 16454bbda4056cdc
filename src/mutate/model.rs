//! What a mutation run is asked and what it finds: its [`Options`], and each
//! mutant's [`MutantResult`] with its [`Status`].

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::campaign::options::Options as CampaignOptions;

use super::operator::OperatorKind;

/// Default number of mutants per variant.
pub const DEFAULT_MUTANTS: usize = 50;
/// Mixed into the campaign seed to draw the probe inputs.
pub const PROBE_SALT: u64 = 0x6d75_7461_6e74_7321;

/// What to run.
#[derive(Clone, Debug)]
pub struct Options {
    /// The campaign whose detection power is measured: its corpus, `generate`,
    /// `seed` and `jobs` (mutants run `jobs` at a time). Shards are not supported.
    pub campaign: CampaignOptions,
    /// Only this variant (default: every variant of the ensemble).
    pub variant: Option<String>,
    /// Mutants drawn per variant; 0 takes every candidate site.
    pub mutants: usize,
    /// Extra generated inputs (seed `seed ^ PROBE_SALT`) that tell survivors from
    /// equivalent mutants.
    pub probes: u64,
    /// Append every finished mutant to this file, so the run can be resumed.
    pub journal: Option<PathBuf>,
    /// Skip the mutants the journal already holds.
    pub resume: bool,
}

impl Default for Options {
    fn default() -> Self {
        let campaign = CampaignOptions::default();
        Options {
            probes: campaign.generate,
            campaign,
            variant: None,
            mutants: DEFAULT_MUTANTS,
            journal: None,
            resume: false,
        }
    }
}

/// What became of one mutant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Status {
    /// The campaign detected it.
    Killed,
    /// It changed behaviour, but not where the campaign could see it.
    Survived,
    /// It behaved like the original on every campaign and probe input.
    Equivalent,
    /// The mutated component did not validate or compile (or the harness failed on
    /// it); not counted as a mutant.
    Invalid,
}

impl Status {
    /// The status as the reports and the event stream spell it: `killed`,
    /// `survived`, `equivalent` or `invalid`.
    pub fn label(self) -> &'static str {
        match self {
            Status::Killed => "killed",
            Status::Survived => "survived",
            Status::Equivalent => "equivalent",
            Status::Invalid => "invalid",
        }
    }
}

/// One mutant's result.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MutantResult {
    /// The ensemble's name.
    pub ensemble: String,
    /// The mutated variant.
    pub variant: String,
    /// Where: `func 12 (name) @ 0x1a3`.
    pub location: String,
    /// Function index in the core module.
    pub func: u32,
    /// The function's name from the name section, if any.
    pub func_name: Option<String>,
    /// Byte offset of the instruction in the core module.
    pub offset: usize,
    /// The operator.
    pub operator: OperatorKind,
    /// What changed (`i32.add → i32.sub`).
    pub change: String,
    /// What became of it.
    pub status: Status,
    /// The WIT function of the sample input (the killing input, or for a survivor
    /// an input where it is still silent).
    pub function: Option<String>,
    /// The sample input's arguments in WAVE.
    pub input: Option<String>,
    /// Where the sample came from: a corpus `file:line`, `generated #i`, or
    /// `probe #i`.
    pub origin: Option<String>,
    /// The original variant's outcome on the sample.
    pub original: Option<String>,
    /// The mutant's outcome on the sample.
    pub mutated: Option<String>,
    /// Why an invalid mutant was refused.
    pub reason: Option<String>,
}

impl MutantResult {
    /// The key that identifies a mutant within a run.
    pub(crate) fn key(&self) -> (String, String, u32, usize, OperatorKind) {
        (
            self.ensemble.clone(),
            self.variant.clone(),
            self.func,
            self.offset,
            self.operator,
        )
    }
}
