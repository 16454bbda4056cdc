//! The data of a campaign report, as its JSON schema fixes it: the run, each
//! ensemble, each divergence signature with its inputs, the variants' statistics,
//! and a baseline's vocabulary (`known`, `new`, and the entries that no longer
//! occur). Every renderer, the merge and the baseline read these types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::classes::ClassTable;
use super::coincidence::Coincidence;
use super::signature::Signature;

/// A signature's `status` when its baseline lists it.
pub const KNOWN: &str = "known";
/// A signature's `status` otherwise.
pub const NEW: &str = "new";

/// One accepted divergence signature.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The signature key it accepts, exactly as reports give it.
    pub key: String,
    /// Why it is accepted: the finding behind it, who reviewed it.
    pub reason: String,
    /// How the divergence read when it was accepted (informative): its
    /// resolution, dissenters and kinds.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// The first input that showed it then, with its origin (informative).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub example: String,
}

/// The schema version written into every report.
pub const SCHEMA: u32 = 1;

/// A whole campaign run (or a merge of shards).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RunReport {
    /// Always [`SCHEMA`].
    pub schema: u32,
    /// The nvx version that wrote it.
    #[serde(default)]
    pub nvx_version: String,
    /// The generator seed.
    #[serde(default)]
    pub seed: u64,
    /// Generated inputs requested per ensemble.
    #[serde(default)]
    pub generate: u64,
    /// The shards this report covers, as `K/N` (empty for an unsharded run).
    #[serde(default)]
    pub shards: Vec<String>,
    /// One entry per ensemble, in run order.
    pub ensembles: Vec<EnsembleReport>,
    /// Peak resident memory of the campaign, in bytes, where the platform tells it
    /// (Linux): the campaign process's peak plus the peaks of its worker processes
    /// added up (an upper bound on what they held at once); for merged shards, the
    /// largest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_rss_bytes: Option<u64>,
    /// When the run started, in seconds since 1970-01-01 UTC (for merged shards,
    /// the earliest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_unix_s: Option<u64>,
    /// The host it ran on (for merged shards, each distinct host, joined by `, `).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
}

impl RunReport {
    /// Records the start time and host of a run that starts now.
    pub fn stamp_start(&mut self) {
        self.started_unix_s = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .map(|d| d.as_secs());
        self.host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .or_else(|| std::env::var("HOSTNAME").ok())
            .map(|h| h.trim().to_string())
            .unwrap_or_default();
    }
}

fn default_engines() -> Vec<String> {
    vec!["cranelift".to_string()]
}

/// The results for one ensemble.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct EnsembleReport {
    /// The ensemble's name.
    pub name: String,
    /// The folder it was loaded from.
    #[serde(default)]
    pub dir: String,
    /// The voting policy.
    #[serde(default)]
    pub policy: String,
    /// The engines every variant ran on, the voting one first.
    #[serde(default = "default_engines")]
    pub engines: Vec<String>,
    /// Inputs run.
    pub inputs: u64,
    /// Inputs on which some variant dissented or failed, or gave different results
    /// on different engines.
    pub divergent_inputs: u64,
    /// Inputs on which some variant gave different results on different engines (a
    /// compiler or runtime bug, not a variant bug).
    #[serde(default)]
    pub engine_divergent_inputs: u64,
    /// Inputs on which the harness failed (the worker process running them died);
    /// they blame no variant and count in `inputs` but not in `divergent_inputs`.
    #[serde(default)]
    pub harness_failures: u64,
    /// Inputs on which no verdict was reached.
    #[serde(default)]
    pub no_verdict_inputs: u64,
    /// Inputs from corpus files.
    #[serde(default)]
    pub corpus_inputs: u64,
    /// Inputs from the generator.
    #[serde(default)]
    pub generated_inputs: u64,
    /// Inputs whose agreed answer was not trivial (`none`, `err`, `false`, zero or
    /// empty): how much of the run exercised real work.
    #[serde(default)]
    pub nontrivial_inputs: u64,
    /// Divergences grouped by signature, most frequent first.
    pub signatures: Vec<SignatureReport>,
    /// Per-variant statistics, in manifest order.
    pub variants: Vec<VariantStats>,
    /// Pairwise agreement.
    pub agreement: Agreement,
    /// Diversity audit: parts (language, toolchain, backend, lineage) shared by
    /// enough variants to win the vote together.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_parts: Vec<crate::diversity::SharedPart>,
    /// Coincident failures: pairs of variants failing together, and the difficulty
    /// of each input class (absent in reports of older versions).
    #[serde(default, skip_serializing_if = "Coincidence::is_empty")]
    pub coincidence: Coincidence,
    /// The variant × input-class table: per input class (corpus file, the classes a
    /// corpus declares with `# class:` lines, generated inputs), how often each
    /// variant sided with the verdict and gave the expected answer (absent in
    /// reports of older versions).
    #[serde(default, skip_serializing_if = "ClassTable::is_empty")]
    pub classes: ClassTable,
    /// Wall time of the ensemble's inputs and shrinking, in nanoseconds (for merged
    /// shards, added up).
    #[serde(default)]
    pub elapsed_ns: u64,
    /// The baseline applied to this ensemble's divergences, if any (its path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// Baseline entries no input of the run showed: divergences fixed since, or
    /// keys that changed (a renamed variant).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stale_baseline: Vec<Entry>,
}

impl EnsembleReport {
    /// Signatures the baseline accepts, and those it does not.
    pub fn known_and_new(&self) -> (usize, usize) {
        let known = self.signatures.iter().filter(|s| s.is_known()).count();
        (known, self.signatures.len() - known)
    }

    /// Divergent inputs whose signature the baseline does not accept.
    pub fn new_divergences(&self) -> u64 {
        self.signatures
            .iter()
            .filter(|s| !s.is_known())
            .map(|s| s.count)
            .sum()
    }
}

/// One kind of divergence: which variants sided against the verdict and how.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SignatureReport {
    /// What diverged and how; its fields sit at the top level of the JSON object.
    #[serde(flatten)]
    pub signature: Signature,
    /// How many inputs showed this signature.
    pub count: u64,
    /// Position of the first such input in the run's input sequence.
    pub first_index: u64,
    /// Where that input came from (`file:line` or `generated`).
    #[serde(default)]
    pub origin: String,
    /// The first such input: WAVE arguments joined with `, `.
    pub example_input: String,
    /// That input shrunk while the signature holds, in the same form.
    pub shrunk_input: String,
    /// Each variant's outcome on the shrunk input.
    #[serde(default)]
    pub outcomes: BTreeMap<String, String>,
    /// Wall time of shrinking the case and rerunning it, in nanoseconds.
    #[serde(default)]
    pub shrink_ns: u64,
    /// A command that reproduces the shrunk case, as the command line renders it
    /// from [`replay`](SignatureReport::replay); empty in a report that no command
    /// line rendered. When the input could not be written for a replay, why.
    #[serde(default)]
    pub reproduce: String,
    /// What reruns the shrunk case, as data (absent from reports written before it
    /// was added, which carry only `reproduce`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<Replay>,
    /// When `example_input` is clipped ([`MAX_REPORT_INPUT`]): a file holding the
    /// whole first input as one corpus line (`nvx call --args-file`), if it could
    /// be written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example_args_file: Option<String>,
    /// Every input that showed this signature, in input order: all of them, with
    /// each one's origin and each variant's outcome.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<DivergentInput>,
    /// `known` when the ensemble's baseline accepts this signature, else `new`
    /// (see [`baseline`]); only new divergences fail a run. Empty in reports
    /// older than baselines, which counts as new.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub status: String,
    /// Why the baseline accepts it, when it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_reason: Option<String>,
}

impl SignatureReport {
    /// Whether the ensemble's baseline accepts this divergence.
    pub fn is_known(&self) -> bool {
        self.status == KNOWN
    }
}

/// One divergent input of a signature, as every report lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DivergentInput {
    /// Position in the run's input sequence (a generated input is the one its
    /// seed gives at this position).
    pub index: u64,
    /// Where it came from: `file:line` of a corpus, or `generated`.
    pub origin: String,
    /// Its name: the nearest `#` comment above its corpus line, if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its arguments as WAVE, clipped to [`MAX_LISTED_INPUT`] bytes (the origin
    /// finds the whole input).
    pub input: String,
    /// Each variant's outcome on it: its value as WAVE (clipped to
    /// [`MAX_LISTED_OUTCOME`] bytes) or its failure, by variant name.
    pub outcomes: BTreeMap<String, String>,
}

/// Inputs (WAVE text) longer than this many bytes are clipped in every report: the
/// first this many bytes are kept, followed by a note giving the whole length and
/// the file that holds the whole input ([`clip_input`]).
pub const MAX_REPORT_INPUT: usize = 4 << 10;
/// The input text kept for each entry of a signature's list of inputs.
pub const MAX_LISTED_INPUT: usize = 256;
/// The value text kept for each variant's outcome in that list.
pub const MAX_LISTED_OUTCOME: usize = 128;

/// `text` when it is at most `max` bytes long; else its first `max` bytes (cut at
/// a character boundary) and a note: `… [clipped: N bytes in all; whole input in
/// FILE]`, or `…; whole input at ORIGIN]` when no file holds it.
pub fn clip_input(text: &str, max: usize, whole: &str) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(
        "{}… [clipped: {} bytes in all; whole input {whole}]",
        &text[..cut],
        text.len()
    )
}

/// What reruns a signature's shrunk input with `nvx call`: the data of a reproduce
/// command, which the command line renders and quotes for a shell.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replay {
    /// The ensemble's folder.
    pub ensemble: String,
    /// The engines to run on, when they differ from the manifest's (empty when not).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub engines: Vec<String>,
    /// The function.
    pub function: String,
    /// The arguments, one WAVE value each (empty when they are in `args_file`).
    #[serde(default)]
    pub args: Vec<String>,
    /// A file holding the arguments as one corpus line, for inputs too long for a
    /// command line (`nvx call --args-file`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args_file: Option<String>,
}

/// Statistics of one variant over the run.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct VariantStats {
    /// The variant.
    pub name: String,
    /// Its language (from the manifest).
    #[serde(default)]
    pub language: String,
    /// Inputs on which it was on the winning side.
    pub agreed: u64,
    /// Inputs on which it dissented (wrong value, failure, or no verdict).
    pub dissented: u64,
    /// Failures by outcome label.
    pub failures: BTreeMap<String, u64>,
    /// Median latency (instantiation plus call) in nanoseconds.
    pub latency_p50_ns: u64,
    /// 99th-percentile latency in nanoseconds.
    pub latency_p99_ns: u64,
    /// The latency histogram the percentiles come from (kept so shards merge exactly).
    #[serde(default)]
    pub latency: Histogram,
}

/// Pairwise agreement: how often two variants had the same outcome (equal values,
/// or the same failure).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Agreement {
    /// Variant names, the row and column order.
    pub variants: Vec<String>,
    /// Fraction of inputs on which each pair agreed.
    pub matrix: Vec<Vec<f64>>,
    /// The counts behind the fractions.
    pub counts: Vec<Vec<u64>>,
}

/// A log-linear latency histogram: exact below 16 ns, then 8 buckets per power of
/// two (about 9% resolution). Mergeable by adding counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Histogram {
    /// `[bucket, count]` pairs for the non-empty buckets, ascending.
    pub buckets: Vec<(u32, u64)>,
}

impl Histogram {
    pub(crate) fn bucket(ns: u64) -> u32 {
        if ns < 16 {
            return ns as u32;
        }
        let e = 63 - ns.leading_zeros();
        let sub = (ns >> (e - 3)) & 7;
        16 + (e - 4) * 8 + sub as u32
    }

    pub(crate) fn upper(bucket: u32) -> u64 {
        if bucket < 16 {
            return u64::from(bucket);
        }
        let e = (bucket - 16) / 8 + 4;
        let sub = u64::from((bucket - 16) % 8);
        ((8 + sub + 1) << (e - 3)).saturating_sub(1)
    }

    /// Adds samples from a dense map of bucket counts.
    pub fn add_counts(&mut self, counts: &BTreeMap<u32, u64>) {
        let mut all: BTreeMap<u32, u64> = self.buckets.iter().copied().collect();
        for (b, c) in counts {
            *all.entry(*b).or_default() += c;
        }
        self.buckets = all.into_iter().collect();
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, other: &Histogram) {
        self.add_counts(&other.buckets.iter().copied().collect());
    }

    /// The `q`-quantile (0..=1), as the upper edge of its bucket; 0 when empty.
    pub fn quantile(&self, q: f64) -> u64 {
        let total: u64 = self.buckets.iter().map(|(_, c)| c).sum();
        if total == 0 {
            return 0;
        }
        let rank = ((q * total as f64).ceil() as u64).clamp(1, total);
        let mut seen = 0;
        for (b, c) in &self.buckets {
            seen += c;
            if seen >= rank {
                return Self::upper(*b);
            }
        }
        self.buckets.last().map_or(0, |(b, _)| Self::upper(*b))
    }
}

/// Collects latency samples before they become a [`Histogram`].
#[derive(Clone, Debug, Default)]
pub struct LatencyCounter {
    counts: BTreeMap<u32, u64>,
}

impl LatencyCounter {
    /// Records one sample.
    pub fn record(&mut self, ns: u64) {
        *self.counts.entry(Histogram::bucket(ns)).or_default() += 1;
    }

    /// The histogram of what was recorded.
    pub fn histogram(&self) -> Histogram {
        let mut h = Histogram::default();
        h.add_counts(&self.counts);
        h
    }
}

/// Errors of reading or merging reports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The file is not a schema-1 report.
    #[error("{path}: not an nvx run report: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// Two reports disagree on something that must match to merge them.
    #[error("cannot merge {path}: {message}")]
    Mismatch {
        /// The file that does not fit.
        path: String,
        /// What differs.
        message: String,
    },
}

impl RunReport {
    /// Parses a report, checking the schema version.
    ///
    /// # Errors
    /// [`ReportError::Invalid`] naming `path`.
    pub fn from_json(path: &str, text: &str) -> Result<RunReport, ReportError> {
        let r: RunReport = serde_json::from_str(text).map_err(|e| ReportError::Invalid {
            path: path.into(),
            message: e.to_string(),
        })?;
        if r.schema != SCHEMA {
            return Err(ReportError::Invalid {
                path: path.into(),
                message: format!("schema {} (this nvx reads {SCHEMA})", r.schema),
            });
        }
        Ok(r)
    }

    /// Whether any ensemble diverged on any input in a way its baseline does not
    /// accept (with no baseline: on any input at all), or the harness failed.
    pub fn diverged(&self) -> bool {
        self.ensembles
            .iter()
            .any(|e| e.harness_failures > 0 || e.signatures.iter().any(|s| !s.is_known()))
    }
}

/// Orders signatures by count (descending), then by first appearance.
pub fn sort_signatures(s: &mut [SignatureReport]) {
    s.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.first_index.cmp(&b.first_index))
    });
}

/// Turns pair counts into fractions of `inputs`.
pub fn fractions(counts: &[Vec<u64>], inputs: u64) -> Vec<Vec<f64>> {
    counts
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| {
                    if inputs == 0 {
                        1.0
                    } else {
                        *c as f64 / inputs as f64
                    }
                })
                .collect()
        })
        .collect()
}
