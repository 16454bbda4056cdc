//! CI comparison runs: every variant of each ensemble on every input of a
//! deterministic input sequence, in parallel, with divergences grouped by
//! signature, shrunk, journaled for resumption and summarised in a [`RunReport`].
//!
//! The input sequence of an ensemble is its corpus lines (the ensemble's own
//! `corpus/` folder, then `--corpus` files) followed by `generate` generated inputs;
//! input `i` depends only on the seed and `i`, so shards and resumed runs see exactly
//! the inputs an uninterrupted run would.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::ensemble::{Ensemble, Verdict};
use crate::error::{Error, Result};
use crate::generate::{Hints, generate_args};
use crate::input::{Input, corpus_files, read_corpus};
use crate::journal::Journal;
use crate::outcome::Outcome;
pub use crate::report::Signature;
use crate::report::baseline::Baseline;
use crate::report::{
    Agreement, EnsembleReport, LatencyCounter, Replay, RunReport, SCHEMA, SignatureReport,
    VariantStats, fractions, sort_signatures,
};
use crate::shrink::shrink;
use crate::value::{Value, args_to_wave};

/// Records a worker collects before handing them to the collector.
const BATCH: usize = 32;
/// Longest a finished record waits in a worker's batch.
const BATCH_WAIT: Duration = Duration::from_millis(50);

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
    pub workers: Option<crate::worker::WorkerCommand>,
    /// What to do with each ensemble's `baseline.json`.
    pub baseline: BaselineMode,
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
        }
    }
}

/// Progress of a campaign, for progress bars and logs.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Event {
    /// An ensemble's inputs are about to run; `done` were recovered from the journal.
    EnsembleStarted {
        /// The ensemble.
        name: String,
        /// Inputs in this shard.
        total: u64,
        /// Inputs already done (resumed).
        done: u64,
    },
    /// Something the user should know that does not stop the run (a repaired journal).
    Warning {
        /// The warning, one line.
        message: String,
    },
    /// One input finished.
    InputDone {
        /// Whether it diverged.
        divergent: bool,
    },
    /// Shrinking the divergences of an ensemble.
    Shrinking {
        /// The ensemble.
        name: String,
        /// Signatures to shrink.
        signatures: usize,
    },
    /// An ensemble is complete, its signatures shrunk.
    EnsembleDone {
        /// The ensemble.
        name: String,
        /// Wall time of its inputs and shrinking.
        elapsed: Duration,
    },
}

/// One input's result as journaled: everything the statistics need.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InputRecord {
    /// The ensemble's folder, as given on the command line.
    pub ensemble: String,
    /// Position in the ensemble's input sequence.
    pub index: u64,
    /// Whether it came from a corpus.
    pub corpus: bool,
    /// Each variant's outcome label (`returned`, `trap(unreachable)`, ...).
    pub labels: Vec<String>,
    /// Each variant's latency.
    pub elapsed_ns: Vec<u64>,
    /// Each variant's dissent.
    pub dissent: Vec<bool>,
    /// For each pair `i < j` in row order, whether the two had the same outcome.
    pub agree_pairs: Vec<bool>,
    /// Whether a verdict was reached.
    pub verdict: bool,
    /// When the input carried an expected answer: for each variant, whether its
    /// outcome was not that answer. Empty otherwise.
    pub wrong: Vec<bool>,
    /// Whether the agreed answer was non-trivial.
    pub nontrivial: bool,
    /// Set when the input diverged.
    pub divergence: Option<Divergence>,
    /// Set when the harness, not a variant, failed on this input (the worker
    /// process running it died): why. No variant's statistics count it.
    pub harness: Option<String>,
}

/// A divergent input's signature and the input itself.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Divergence {
    /// What diverged and how.
    #[serde(with = "JournalSignature")]
    pub signature: Signature,
    /// The arguments as WAVE.
    pub args: String,
    /// Where the input came from.
    pub origin: String,
    /// The input's name (the nearest `#` comment above its corpus line).
    pub name: Option<String>,
    /// Each variant's outcome, in manifest order: its value as WAVE, clipped to
    /// [`crate::report::MAX_LISTED_OUTCOME`] bytes, or its failure.
    pub outcomes: Vec<String>,
}

impl Divergence {
    fn new(signature: Signature, input: &Input, outcomes: Vec<String>) -> Divergence {
        Divergence {
            signature,
            args: args_to_wave(&input.args),
            origin: input.origin.clone(),
            name: input.name.clone(),
            outcomes,
        }
    }
}

/// A variant's outcome as a signature's list of inputs shows it.
fn listed_outcome(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Returned(v) => crate::report::clip_input(
            &v.to_wave(),
            crate::report::MAX_LISTED_OUTCOME,
            "in the variant's own call",
        ),
        other => other.label(),
    }
}

/// How the journal stores a [`Signature`]: every field, always. The report's JSON
/// leaves empty optional fields out, which bincode cannot read back.
#[derive(Serialize, Deserialize)]
#[serde(remote = "Signature")]
struct JournalSignature {
    key: String,
    function: String,
    dissenters: Vec<String>,
    kinds: Vec<String>,
    verdict: bool,
    groups: Vec<Vec<String>>,
    engine_divergences: Vec<String>,
    harness_failure: Option<String>,
    expected: Option<String>,
    answer: Option<String>,
}

/// The journal's first record: a resumed run must match it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Header {
    ensembles: Vec<(String, Vec<String>)>,
    engines: Vec<Vec<crate::EngineKind>>,
    seed: u64,
    generate: u64,
    shard: Option<(u64, u64)>,
    corpus: Vec<String>,
}

/// An ensemble's whole input plan.
#[derive(Clone)]
pub(crate) struct Plan {
    pub(crate) ensemble: Ensemble,
    /// The ensemble's resolved folder, as its records name it.
    pub(crate) id: String,
    corpus: Vec<Input>,
    /// The input class of each corpus input, an index into `classes`.
    corpus_class: Vec<u32>,
    /// Input class names: the corpus files, then the generated inputs' classes (one
    /// per function, in function order).
    classes: Vec<String>,
    /// The class of each corpus input in the input-class table, an index into
    /// `table_classes`.
    table_class: Vec<u32>,
    /// The input-class table's classes (see [`crate::classes`]), in the run's order:
    /// the corpus files or the classes they declare (with whether they were
    /// declared), then the generated inputs' classes.
    table_classes: Vec<(String, bool)>,
    hints: BTreeMap<String, (Hints, Vec<Vec<Value>>)>,
    total: u64,
}

impl Plan {
    pub(crate) fn new(ensemble: &Ensemble, opts: &Options) -> Result<Plan> {
        let mut files = Vec::new();
        let own = ensemble.dir().join("corpus");
        if own.is_dir() {
            files.extend(corpus_files(&own)?);
        }
        for c in &opts.corpus {
            files.extend(corpus_files(c)?);
        }
        let mut corpus = Vec::new();
        for f in &files {
            corpus.extend(read_corpus(ensemble, f)?);
        }
        let manifest_path = ensemble.dir().join("nvx.toml");
        if let Some(stray) = ensemble
            .manifest()
            .generate
            .keys()
            .find(|k| !ensemble.functions().iter().any(|f| f.name == **k))
        {
            let names: Vec<&str> = ensemble
                .functions()
                .iter()
                .map(|f| f.name.as_str())
                .collect();
            return Err(Error::Manifest {
                path: manifest_path,
                message: format!(
                    "[generate.{stray}] names a function the world does not export (it exports: {})",
                    names.join(", ")
                ),
            });
        }
        let mut hints = BTreeMap::new();
        for f in ensemble.functions() {
            let h: Hints = match ensemble.manifest().generate.get(&f.name) {
                Some(v) => v
                    .clone()
                    .try_into()
                    .map_err(|e: toml::de::Error| Error::Manifest {
                        path: manifest_path.clone(),
                        message: format!("[generate.{}]: {}", f.name, e.to_string().trim_end()),
                    })?,
                None => Hints::default(),
            };
            let unknown = h.unknown_params(&f.params);
            if !unknown.is_empty() {
                return Err(Error::Manifest {
                    path: manifest_path.clone(),
                    message: format!(
                        "[generate.{}] names parameter(s) {} that `{}` does not have ({})",
                        f.name,
                        unknown.join(", "),
                        f.name,
                        f.signature()
                    ),
                });
            }
            let seeds = h
                .seeds
                .iter()
                .map(|s| {
                    ensemble
                        .parse_arg_line(&f.name, s)
                        .map_err(|e| Error::Manifest {
                            path: manifest_path.clone(),
                            message: format!("[generate.{}] seed `{s}`: {e}", f.name),
                        })
                })
                .collect::<Result<Vec<_>>>()?;
            hints.insert(f.name.clone(), (h, seeds));
        }
        let total = (corpus.len() as u64)
            .checked_add(opts.generate)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "{} generated inputs plus {} corpus inputs of `{}` exceed the 2^64 inputs a campaign can number",
                    opts.generate,
                    corpus.len(),
                    ensemble.name()
                ))
            })?;
        let (corpus_class, classes) = input_classes(ensemble, &corpus, false);
        let classes = classes.into_iter().map(|(c, _)| c).collect();
        let (table_class, table_classes) = input_classes(ensemble, &corpus, true);
        Ok(Plan {
            ensemble: ensemble.clone(),
            id: ensemble_id(ensemble),
            corpus,
            corpus_class,
            classes,
            table_class,
            table_classes,
            hints,
            total,
        })
    }

    /// The input class of input `i`: its corpus file, or its function's generated
    /// inputs.
    pub(crate) fn class_of(&self, i: u64) -> &str {
        let k = self.class_index(i, &self.corpus_class, self.classes.len());
        self.classes.get(k).map_or("generated", String::as_str)
    }

    /// The class of input `i` in the input-class table: its name, its rank in the
    /// run's order, and whether a corpus file declared it.
    pub(crate) fn table_class_of(&self, i: u64) -> (&str, u32, bool) {
        let k = self.class_index(i, &self.table_class, self.table_classes.len());
        self.table_classes
            .get(k)
            .map_or(("generated", u32::MAX, false), |(c, own)| {
                (c.as_str(), u32::try_from(k).unwrap_or(u32::MAX), *own)
            })
    }

    /// Input `i`'s index into a list of classes of length `len` whose last entries
    /// are the generated inputs' classes, one per function.
    fn class_index(&self, i: u64, corpus_class: &[u32], len: usize) -> usize {
        let c = self.corpus.len() as u64;
        if i < c {
            usize::try_from(i)
                .ok()
                .and_then(|i| corpus_class.get(i))
                .map_or(0, |k| *k as usize)
        } else {
            let nf = self.ensemble.functions().len().max(1) as u64;
            len.saturating_sub(nf as usize) + usize::try_from((i - c) % nf).unwrap_or(0)
        }
    }

    /// How many inputs the sequence holds (corpus lines plus generated inputs).
    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// The input at position `i` of the sequence.
    pub(crate) fn input(&self, i: u64, seed: u64) -> Input {
        let c = self.corpus.len() as u64;
        if let Some(input) = usize::try_from(i)
            .ok()
            .filter(|_| i < c)
            .and_then(|i| self.corpus.get(i))
        {
            return input.clone();
        }
        let g = i - c;
        let funcs = self.ensemble.functions();
        let nf = funcs.len().max(1) as u64;
        let f = &funcs[usize::try_from(g % nf).unwrap_or(0)];
        let (h, seeds) = self
            .hints
            .get(&f.name)
            .map(|(h, s)| (h.clone(), s.as_slice()))
            .unwrap_or_default();
        let stream = seed ^ fnv1a(&format!("{}/{}", self.ensemble.name(), f.name));
        let args = generate_args(stream, g / nf, &f.params, &h, seeds);
        Input {
            function: f.name.clone(),
            args,
            origin: "generated".into(),
            name: None,
            class: None,
            expected: None,
        }
    }
}

/// The input classes of a plan: each corpus input's file (relative to the ensemble
/// folder when it lies inside it), then `generated` (or `generated FUNCTION` for each
/// function of an ensemble that exports several). With `declared`, an input in a
/// `# class: LABEL` section of its file is in the class `FILE: LABEL`.
fn input_classes(
    ensemble: &Ensemble,
    corpus: &[Input],
    declared: bool,
) -> (Vec<u32>, Vec<(String, bool)>) {
    let dir = ensemble.dir().display().to_string();
    let mut classes: Vec<(String, bool)> = Vec::new();
    let mut index: BTreeMap<String, u32> = BTreeMap::new();
    let corpus_class = corpus
        .iter()
        .map(|input| {
            let file = input
                .origin
                .rsplit_once(':')
                .map_or(input.origin.as_str(), |(f, _)| f);
            let file = file
                .strip_prefix(&dir)
                .and_then(|f| f.strip_prefix('/'))
                .unwrap_or(file);
            let (class, own) = match (&input.class, declared) {
                (Some(label), true) => (format!("{file}: {label}"), true),
                _ => (file.to_string(), false),
            };
            *index.entry(class.clone()).or_insert_with(|| {
                classes.push((class, own));
                u32::try_from(classes.len() - 1).unwrap_or(u32::MAX)
            })
        })
        .collect();
    match ensemble.functions() {
        [_] | [] => classes.push(("generated".into(), false)),
        many => classes.extend(
            many.iter()
                .map(|f| (format!("generated {}", f.name), false)),
        ),
    }
    (corpus_class, classes)
}

/// Identifies an ensemble within a run: its folder, since two folders may hold
/// ensembles of the same name (a bundled one and its faulty demo copy).
/// The ensemble's folder, resolved, so every spelling of one path names one ensemble in a journal.
fn ensemble_id(e: &Ensemble) -> String {
    canonical(e.dir())
}

/// `path` resolved to an absolute path without symlinks, or as given when it cannot be resolved.
fn canonical(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// FNV-1a, a stable hash for deriving per-function generator streams.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Runs a campaign over `ensembles`, reporting progress through `on_event`.
///
/// # Errors
/// Corpus and manifest-hint errors (naming `file:line`), journal errors, and a
/// journal that belongs to a different run. Divergences are not errors.
pub fn run(
    ensembles: &[Ensemble],
    opts: &Options,
    mut on_event: impl FnMut(&Event),
) -> Result<RunReport> {
    if let Some((k, n)) = opts.shard
        && (n == 0 || k == 0 || k > n)
    {
        return Err(Error::Usage(format!("shard {k}/{n}: K must be in 1..=N")));
    }
    if opts.baseline == BaselineMode::Bless && opts.shard.is_some() {
        return Err(Error::Usage(
            "--bless rewrites each baseline from the whole run: run it without --shard (or bless the merged report's findings by hand)".into(),
        ));
    }
    let plans = ensembles
        .iter()
        .map(|e| Plan::new(e, opts))
        .collect::<Result<Vec<_>>>()?;
    // Every baseline is read before any input runs, so a broken one stops the run
    // at once, naming the file.
    let baselines = match opts.baseline {
        BaselineMode::Ignore => vec![None; ensembles.len()],
        _ => ensembles
            .iter()
            .map(|e| Baseline::load(e.dir()))
            .collect::<Result<Vec<_>>>()?,
    };
    let header = Header {
        ensembles: ensembles
            .iter()
            .map(|e| {
                (
                    e.name().to_string(),
                    e.variants().map(|v| v.sha256.to_string()).collect(),
                )
            })
            .collect(),
        engines: ensembles.iter().map(|e| e.engines().to_vec()).collect(),
        seed: opts.seed,
        generate: opts.generate,
        shard: opts.shard,
        corpus: opts.corpus.iter().map(|p| canonical(p)).collect(),
    };
    let (mut journal, recovered) = open_journal(opts, &header)?;
    if let Some(repair) = journal.as_ref().and_then(|j| j.recovery().describe()) {
        on_event(&Event::Warning {
            message: format!(
                "journal {}: {repair}; the inputs it held run again",
                journal
                    .as_ref()
                    .map_or(Path::new(""), |j| j.path())
                    .display()
            ),
        });
    }
    let mut report = RunReport {
        schema: SCHEMA,
        nvx_version: env!("CARGO_PKG_VERSION").to_string(),
        seed: opts.seed,
        generate: opts.generate,
        shards: opts
            .shard
            .map(|(k, n)| format!("{k}/{n}"))
            .into_iter()
            .collect(),
        ensembles: Vec::new(),
        ..RunReport::default()
    };
    report.stamp_start();
    let mut workers_rss = 0u64;
    for (k, plan) in plans.iter().enumerate() {
        let name = plan.ensemble.name().to_string();
        let id = plan.id.clone();
        let mut stats = Stats::new(&plan.ensemble);
        let class = |i: u64| (plan.class_of(i), plan.table_class_of(i));
        let mut done = HashSet::new();
        for r in recovered.iter().filter(|r| r.ensemble == id) {
            if done.insert(r.index) {
                stats.add(r, class(r.index));
            }
        }
        // The inputs of this shard are numbered lazily, never listed: a campaign
        // over 2^63 inputs starts at once, in constant memory.
        let todo = Todo::new(plan.total, opts.shard, done);
        on_event(&Event::EnsembleStarted {
            name: name.clone(),
            total: todo.in_shard,
            done: todo.done.len() as u64,
        });
        let start = Instant::now();
        let sink = |rec: InputRecord| {
            if let Some(j) = journal.as_mut() {
                j.append(&rec)?;
            }
            on_event(&Event::InputDone {
                divergent: rec.divergence.is_some(),
            });
            stats.add(&rec, class(rec.index));
            Ok(())
        };
        match &opts.workers {
            Some(cmd) => {
                let peak = crate::worker::run_inputs(plan, opts, cmd, todo, sink)?;
                workers_rss = workers_rss.max(peak);
            }
            None => run_inputs(plan, opts, todo, sink)?,
        }
        let mut er = stats.finish(&plan.ensemble);
        // Shrinking is announced while the ensemble's progress is still open, so
        // the announcement shows; the ensemble is done once its signatures are shrunk.
        on_event(&Event::Shrinking {
            name: name.clone(),
            signatures: er.signatures.len(),
        });
        shrink_signatures(&plan.ensemble, &mut er.signatures, opts);
        let dir = plan.ensemble.dir();
        match (opts.baseline, baselines.get(k).and_then(Option::as_ref)) {
            (BaselineMode::Bless, old) => {
                let blessed = Baseline::bless(&er, old);
                match blessed.write(dir) {
                    Ok(path) => blessed.apply(&mut er, &path),
                    // The run's findings are not lost for want of a writable
                    // folder: they are reported against the old baseline, if any.
                    Err(e) => {
                        on_event(&Event::Warning {
                            message: format!("--bless: {e}; the baseline was left as it was"),
                        });
                        if let Some(b) = old {
                            b.apply(&mut er, &Baseline::path(dir));
                        }
                    }
                }
            }
            (BaselineMode::Apply, Some(b)) => b.apply(&mut er, &Baseline::path(dir)),
            _ => {}
        }
        er.elapsed_ns = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        on_event(&Event::EnsembleDone {
            name: name.clone(),
            elapsed: start.elapsed(),
        });
        report.ensembles.push(er);
    }
    if let Some(j) = journal {
        j.finish()?;
    }
    // This process's peak, plus the worker processes' peaks added up (each
    // ensemble's workers run at their own time, so the largest set counts).
    report.peak_rss_bytes = peak_rss_bytes().map(|p| p.saturating_add(workers_rss));
    Ok(report)
}

/// The process's peak resident set size so far (`VmHWM`), on Linux.
pub fn peak_rss_bytes() -> Option<u64> {
    peak_rss_of("self")
}

/// The peak resident set size (`VmHWM`) of process `pid` (`self` for this one), on
/// Linux.
pub(crate) fn peak_rss_of(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()?;
    kib.checked_mul(1024)
}

fn open_journal(
    opts: &Options,
    header: &Header,
) -> Result<(Option<Journal<InputRecord>>, Vec<InputRecord>)> {
    let Some(path) = &opts.journal else {
        return Ok((None, Vec::new()));
    };
    if opts.resume && path.exists() {
        let resumed: Option<(Journal<InputRecord>, Header, Vec<InputRecord>)> =
            Journal::resume_if(path, |h: &Header| h == header)?;
        let Some((j, _, records)) = resumed else {
            return Err(Error::Usage(format!(
                "journal {} belongs to a different run (ensembles, variants, engines, seed, generated input count, shard or corpus files differ); it was left as it is",
                path.display()
            )));
        };
        return Ok((Some(j), records));
    }
    // Never throw recorded work away silently.
    if !opts.resume && std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
        return Err(Error::JournalExists { path: path.clone() });
    }
    Ok((Some(Journal::create(path, header)?), Vec::new()))
}

/// Runs the given input indices on `opts.jobs` blocking workers under tokio,
/// feeding each finished record to `sink` on this thread, in completion order.
fn run_inputs(
    plan: &Plan,
    opts: &Options,
    todo: Todo,
    mut sink: impl FnMut(InputRecord) -> Result<()>,
) -> Result<()> {
    if todo.in_shard <= todo.done.len() as u64 {
        return Ok(());
    }
    let jobs = opts.jobs.max(1);
    let rt = tokio::runtime::Builder::new_current_thread()
        .max_blocking_threads(jobs)
        .build()
        .map_err(|e| Error::Engine(format!("cannot start the tokio runtime: {e}")))?;
    let todo = Arc::new(todo);
    let next = Arc::new(AtomicU64::new(0));
    let shared = Arc::new(SharedPlan {
        seed: opts.seed,
        plan: plan.clone(),
    });
    rt.block_on(async {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<InputRecord>>(4 * jobs);
        let mut workers = Vec::new();
        for _ in 0..jobs {
            let (tx, todo, next, shared) = (
                tx.clone(),
                Arc::clone(&todo),
                Arc::clone(&next),
                Arc::clone(&shared),
            );
            workers.push(tokio::task::spawn_blocking(move || {
                // Records travel in small batches: a wake-up of the collector per
                // input cost more than a small input's whole run.
                let mut batch = Vec::with_capacity(BATCH);
                let mut sent = Instant::now();
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(i) = todo.index(k) else { break };
                    if todo.done.contains(&i) {
                        continue;
                    }
                    let input = shared.plan.input(i, shared.seed);
                    batch.push(run_one(&shared.plan.ensemble, &shared.plan.id, i, &input));
                    if (batch.len() >= BATCH || sent.elapsed() >= BATCH_WAIT)
                        && tx
                            .blocking_send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                            .is_err()
                    {
                        return;
                    }
                    if batch.is_empty() {
                        sent = Instant::now();
                    }
                }
                if !batch.is_empty() {
                    let _ = tx.blocking_send(batch);
                }
            }));
        }
        drop(tx);
        let mut result = Ok(());
        'recv: while let Some(batch) = rx.recv().await {
            for rec in batch {
                if let Err(e) = sink(rec) {
                    // Stop handing out work; workers exit when the channel closes.
                    next.store(u64::MAX / 2, Ordering::Relaxed);
                    result = Err(e);
                    break 'recv;
                }
            }
        }
        drop(rx);
        for w in workers {
            let _ = w.await;
        }
        result
    })
}

struct SharedPlan {
    seed: u64,
    plan: Plan,
}

/// The inputs one run still has to do: positions 0.. of this shard's slice of
/// `0..total`, minus those a journal recorded as done.
pub(crate) struct Todo {
    total: u64,
    shard: Option<(u64, u64)>,
    /// How many inputs the shard holds.
    in_shard: u64,
    pub(crate) done: HashSet<u64>,
}

impl Todo {
    pub(crate) fn new(total: u64, shard: Option<(u64, u64)>, done: HashSet<u64>) -> Todo {
        let in_shard = match shard {
            // Inputs k-1, k-1+n, k-1+2n, … below total.
            Some((k, n)) if total > k - 1 => (total - (k - 1)).div_ceil(n),
            Some(_) => 0,
            None => total,
        };
        Todo {
            total,
            shard,
            in_shard,
            done,
        }
    }

    /// The input index at position `p` of the shard, if there is one.
    pub(crate) fn index(&self, p: u64) -> Option<u64> {
        if p >= self.in_shard {
            return None;
        }
        let i = match self.shard {
            Some((k, n)) => p.checked_mul(n)?.checked_add(k - 1)?,
            None => p,
        };
        (i < self.total).then_some(i)
    }
}

/// Runs one input and condenses the verdict into a record naming the ensemble `id`.
pub fn run_one(ensemble: &Ensemble, id: &str, index: u64, input: &Input) -> InputRecord {
    let verdict = match ensemble.call_here(&input.function, &input.args) {
        Ok(v) => v,
        Err(e) => {
            // Generated and parsed inputs always fit the signature; if one ever does
            // not, record it as a divergence of every variant rather than lose it.
            let n = ensemble.variants().count();
            let names: Vec<String> = ensemble.variants().map(|v| v.entry.name.clone()).collect();
            let label = format!("call-error({e})");
            return InputRecord {
                ensemble: id.to_string(),
                index,
                corpus: input.origin != "generated",
                labels: vec![label.clone(); n],
                elapsed_ns: vec![0; n],
                dissent: vec![true; n],
                agree_pairs: vec![true; n * n.saturating_sub(1) / 2],
                verdict: false,
                wrong: Vec::new(),
                nontrivial: false,
                divergence: Some(Divergence::new(
                    Signature::call_error(&input.function, names, label.clone()),
                    input,
                    vec![label; n],
                )),
                harness: None,
            };
        }
    };
    let runs = verdict.runs();
    let n = runs.len();
    let tol = ensemble.tolerance();
    let mut agree_pairs = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            let same = match (&runs[i].outcome, &runs[j].outcome) {
                (Outcome::Returned(a), Outcome::Returned(b)) => {
                    if tol.is_set() {
                        a.within(b, &tol)
                    } else {
                        a.same(b)
                    }
                }
                (a, b) => a.label() == b.label(),
            };
            agree_pairs.push(same);
        }
    }
    let judged = input.expected.as_ref().map(|x| {
        (
            x,
            crate::expect::judge(x, verdict.value().ok(), verdict.unanimous(), &tol),
        )
    });
    let failed = judged.as_ref().filter(|(_, j)| j.failed());
    let found = match (Signature::of(&verdict), failed) {
        (None, None) => None,
        (Some(s), None) => Some(s),
        (s, Some((x, j))) => {
            // The expected answer did not hold: a signature of its own kind, also
            // when every variant agreed.
            let s = s.unwrap_or_else(|| Signature::agreed(verdict.function(), verdict.reached()));
            Some(s.expecting(
                j.tag(),
                x.to_wave(),
                verdict.value().ok().map(Value::to_wave),
            ))
        }
    };
    let divergence = found.map(|signature| {
        Divergence::new(
            signature,
            input,
            runs.iter().map(|r| listed_outcome(&r.outcome)).collect(),
        )
    });
    let wrong = judged.map_or_else(Vec::new, |(x, _)| {
        crate::expect::wrong_outcomes(x, runs.iter().map(|r| &r.outcome), &tol)
    });
    InputRecord {
        ensemble: id.to_string(),
        index,
        corpus: input.origin != "generated",
        labels: runs.iter().map(|r| r.outcome.label()).collect(),
        elapsed_ns: runs
            .iter()
            .map(|r| u64::try_from(r.elapsed.as_nanos()).unwrap_or(u64::MAX))
            .collect(),
        dissent: (0..n).map(|i| verdict.is_dissenter(i)).collect(),
        agree_pairs,
        verdict: verdict.reached(),
        wrong,
        nontrivial: verdict.value().is_ok_and(|v| !trivial(v)),
        divergence,
        harness: None,
    }
}

/// The record of an input on which the harness failed (`why`): it blames no
/// variant, and forms a signature of its own so the input is reported.
pub(crate) fn harness_failure(plan: &Plan, index: u64, input: &Input, why: &str) -> InputRecord {
    let n = plan.ensemble.variants().count();
    InputRecord {
        ensemble: plan.id.clone(),
        index,
        corpus: input.origin != "generated",
        labels: vec!["not-run".into(); n],
        elapsed_ns: vec![0; n],
        dissent: vec![false; n],
        agree_pairs: vec![false; n * n.saturating_sub(1) / 2],
        verdict: false,
        wrong: Vec::new(),
        nontrivial: false,
        divergence: Some(Divergence::new(
            Signature::harness_failure(&input.function, why),
            input,
            vec!["not-run".into(); n],
        )),
        harness: Some(why.to_string()),
    }
}

/// The divergence signature of a verdict, or `None` when every variant agreed on
/// every engine (see [`Signature::of`]).
pub fn signature(v: &Verdict) -> Option<Signature> {
    Signature::of(v)
}

/// Where a listed input's whole text is found: its corpus line, or the generated
/// input at its position.
fn where_is(origin: &str, index: u64) -> String {
    if origin == "generated" {
        format!("generated input #{index} of the run's seed")
    } else {
        origin.to_string()
    }
}

/// Whether an agreed answer is trivial: `none`, `err`, `false`, zero, or empty.
fn trivial(v: &Value) -> bool {
    match v {
        Value::Option(None) | Value::Result(Err(_)) | Value::Bool(false) => true,
        Value::String(s) => s.is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::List(l) => l.is_empty(),
        Value::Option(Some(_)) => false,
        other => other.as_f64() == Some(0.0),
    }
}

/// Which variants failed on an input, as the coincident-failure statistics count it
/// (see [`crate::coincidence`]): not the expected answer when the input carried one;
/// otherwise not on the verdict's side; `None` when there was no verdict, as such
/// inputs are counted apart.
fn failed(r: &InputRecord, n: usize) -> Option<Vec<bool>> {
    if !r.wrong.is_empty() {
        Some(
            (0..n)
                .map(|i| r.wrong.get(i).copied().unwrap_or(true))
                .collect(),
        )
    } else if r.verdict {
        Some(
            (0..n)
                .map(|i| r.dissent.get(i).copied().unwrap_or(true))
                .collect(),
        )
    } else {
        None
    }
}

/// Running totals of one ensemble.
struct Stats {
    names: Vec<String>,
    inputs: u64,
    divergent: u64,
    engine_divergent: u64,
    harness_failures: u64,
    no_verdict: u64,
    corpus: u64,
    nontrivial: u64,
    agreed: Vec<u64>,
    dissented: Vec<u64>,
    failures: Vec<BTreeMap<String, u64>>,
    latency: Vec<LatencyCounter>,
    pairs: Vec<Vec<u64>>,
    coincidence: crate::coincidence::Coincidence,
    classes: crate::classes::ClassTable,
    signatures: BTreeMap<String, SignatureTally>,
}

/// A signature's inputs so far: how many, the earliest in full, and every one as
/// the reports list it.
struct SignatureTally {
    count: u64,
    first: Divergence,
    first_index: u64,
    inputs: Vec<crate::report::DivergentInput>,
}

impl Stats {
    fn new(e: &Ensemble) -> Stats {
        let names: Vec<String> = e.variants().map(|v| v.entry.name.clone()).collect();
        let n = names.len();
        let coincidence = crate::coincidence::Coincidence::new(names.clone());
        let classes = crate::classes::ClassTable::new(names.clone());
        Stats {
            names,
            inputs: 0,
            divergent: 0,
            engine_divergent: 0,
            harness_failures: 0,
            no_verdict: 0,
            corpus: 0,
            nontrivial: 0,
            agreed: vec![0; n],
            dissented: vec![0; n],
            failures: vec![BTreeMap::new(); n],
            latency: vec![LatencyCounter::default(); n],
            pairs: vec![vec![0; n]; n],
            coincidence,
            classes,
            signatures: BTreeMap::new(),
        }
    }

    /// Counts one input's record; `class` is its input class, and its class in the
    /// input-class table with that class's rank and whether it was declared.
    fn add(&mut self, r: &InputRecord, (class, (row, rank, declared)): (&str, (&str, u32, bool))) {
        let n = self.names.len();
        self.inputs += 1;
        self.corpus += u64::from(r.corpus);
        if r.harness.is_some() {
            self.harness_failures += 1;
            if let Some(d) = &r.divergence {
                self.note_signature(d, r.index);
            }
            return;
        }
        self.nontrivial += u64::from(r.nontrivial);
        self.no_verdict += u64::from(!r.verdict);
        match failed(r, n) {
            Some(f) => self.coincidence.record(class, &f),
            None => self.coincidence.record_no_verdict(class),
        }
        self.classes.record(
            row,
            rank,
            declared,
            &crate::classes::Sides {
                verdict: r.verdict,
                dissent: &r.dissent,
                wrong: &r.wrong,
            },
        );
        for i in 0..n {
            if r.dissent.get(i).copied().unwrap_or(true) {
                self.dissented[i] += 1;
            } else {
                self.agreed[i] += 1;
            }
            if let Some(l) = r.labels.get(i).filter(|l| *l != "returned") {
                *self.failures[i].entry(l.clone()).or_default() += 1;
            }
            if let Some(ns) = r.elapsed_ns.get(i) {
                self.latency[i].record(*ns);
            }
            self.pairs[i][i] += 1;
        }
        let mut k = 0;
        for i in 0..n {
            for j in i + 1..n {
                if r.agree_pairs.get(k).copied().unwrap_or(false) {
                    self.pairs[i][j] += 1;
                    self.pairs[j][i] += 1;
                }
                k += 1;
            }
        }
        if let Some(d) = &r.divergence {
            self.divergent += 1;
            if !d.signature.engine_divergences.is_empty() {
                self.engine_divergent += 1;
            }
            self.note_signature(d, r.index);
        }
    }

    /// Counts a divergent input under its signature, keeping the earliest example
    /// and listing the input.
    fn note_signature(&mut self, d: &Divergence, index: u64) {
        let listed = crate::report::DivergentInput {
            index,
            origin: d.origin.clone(),
            name: d.name.clone(),
            input: crate::report::clip_input(
                &d.args,
                crate::report::MAX_LISTED_INPUT,
                &format!("at {}", where_is(&d.origin, index)),
            ),
            outcomes: self
                .names
                .iter()
                .cloned()
                .zip(d.outcomes.iter().cloned())
                .collect(),
        };
        let entry = self
            .signatures
            .entry(d.signature.key.clone())
            .or_insert_with(|| SignatureTally {
                count: 0,
                first: d.clone(),
                first_index: index,
                inputs: Vec::new(),
            });
        entry.count += 1;
        entry.inputs.push(listed);
        if index < entry.first_index {
            entry.first = d.clone();
            entry.first_index = index;
        }
    }

    fn finish(self, e: &Ensemble) -> EnsembleReport {
        let langs: Vec<String> = e.variants().map(|v| v.entry.language.clone()).collect();
        let variants = (0..self.names.len())
            .map(|i| {
                let h = self.latency[i].histogram();
                VariantStats {
                    name: self.names[i].clone(),
                    language: langs.get(i).cloned().unwrap_or_default(),
                    agreed: self.agreed[i],
                    dissented: self.dissented[i],
                    failures: self.failures[i].clone(),
                    latency_p50_ns: h.quantile(0.5),
                    latency_p99_ns: h.quantile(0.99),
                    latency: h,
                }
            })
            .collect();
        let mut signatures: Vec<SignatureReport> = self
            .signatures
            .into_values()
            .map(|mut t| {
                t.inputs.sort_by_key(|i| i.index);
                SignatureReport {
                    signature: t.first.signature,
                    count: t.count,
                    first_index: t.first_index,
                    origin: t.first.origin,
                    example_input: t.first.args.clone(),
                    shrunk_input: t.first.args,
                    outcomes: BTreeMap::new(),
                    shrink_ns: 0,
                    reproduce: String::new(),
                    replay: None,
                    example_args_file: None,
                    inputs: t.inputs,
                    status: crate::report::baseline::NEW.to_string(),
                    known_reason: None,
                }
            })
            .collect();
        sort_signatures(&mut signatures);
        EnsembleReport {
            name: e.name().to_string(),
            dir: e.dir().display().to_string(),
            policy: e.policy().to_string(),
            engines: e.engines().iter().map(|k| k.name().to_string()).collect(),
            inputs: self.inputs,
            divergent_inputs: self.divergent,
            engine_divergent_inputs: self.engine_divergent,
            harness_failures: self.harness_failures,
            no_verdict_inputs: self.no_verdict,
            corpus_inputs: self.corpus,
            generated_inputs: self.inputs - self.corpus,
            nontrivial_inputs: self.nontrivial,
            signatures,
            variants,
            agreement: Agreement {
                variants: self.names,
                matrix: fractions(&self.pairs, self.inputs),
                counts: self.pairs,
            },
            elapsed_ns: 0,
            shared_parts: crate::diversity::shared_parts(e.policy(), &e.manifest().variants),
            coincidence: self.coincidence,
            classes: self.classes,
            baseline: None,
            stale_baseline: Vec::new(),
        }
    }
}

/// Shrinks each signature's first input while its signature holds, and fills in
/// the outcomes on the shrunk input and a reproducing command.
fn shrink_signatures(e: &Ensemble, sigs: &mut [SignatureReport], opts: &Options) {
    std::thread::scope(|scope| {
        let chunks = sigs.len().div_ceil(opts.jobs.max(1)).max(1);
        for part in sigs.chunks_mut(chunks) {
            scope.spawn(move || {
                for s in part {
                    let start = Instant::now();
                    shrink_one(e, s, opts);
                    s.shrink_ns = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
                    clip_inputs(e, s, opts);
                }
            });
        }
    });
}

fn shrink_one(e: &Ensemble, s: &mut SignatureReport, opts: &Options) {
    // An input that took a worker process down is not run here, in the process
    // that holds the run's results: it would risk them all. An input whose text is
    // huge is not parsed again either: parsing builds a node per list element, many
    // times the text's size. Both are reported as found.
    if s.signature.harness_failure.is_some() || s.example_input.len() > MAX_RERUN_TEXT {
        s.shrunk_input = s.example_input.clone();
        fill_replay(e, s, opts, None);
        return;
    }
    let budget = opts.shrink_budget;
    let Ok(sig) = e.function(&s.signature.function).cloned() else {
        return;
    };
    let Ok(args) = e.parse_arg_line(&s.signature.function, &s.example_input) else {
        return;
    };
    let start = Instant::now();
    let key = s.signature.key.clone();
    // Every candidate is a copy of the input, so a huge input is reported as found,
    // unshrunk: shrinking it would cost time and memory in proportion to its size.
    // An input with an expected answer is kept as it is: the answer belongs to that
    // input, so no smaller input could be checked against it.
    let small = if s.signature.expected.is_some()
        || args.iter().map(Value::size_hint).sum::<usize>() > MAX_SHRINK_BYTES
    {
        args
    } else {
        shrink(&args, &sig.param_types(), budget, |cand| {
            (start.elapsed() < SHRINK_TIME).then(|| {
                e.call(&s.signature.function, cand)
                    .ok()
                    .and_then(|v| signature(&v))
                    .is_some_and(|sig| sig.key == key)
            })
        })
        .0
    };
    s.shrunk_input = args_to_wave(&small);
    if let Ok(v) = e.call(&s.signature.function, &small) {
        s.outcomes = v
            .runs()
            .iter()
            .map(|r| {
                let mut text = r.outcome.brief(Value::to_wave);
                for (name, out) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
                    if !out.is_empty() {
                        let clipped = crate::report::clip(out.trim_end(), 200);
                        text.push_str(&format!(" [{name}: {clipped:?}]"));
                    }
                }
                (r.variant.clone(), text)
            })
            .collect();
    }
    fill_replay(e, s, opts, Some(&small));
}

/// What reruns the signature's shrunk input (`args`, when parsed): the arguments
/// inline, or, when they would make a command longer than [`MAX_REPRODUCE_LEN`],
/// a file written for them. The CLI renders it as a command line. When the file
/// cannot be written, `reproduce` says why and there is no replay.
fn fill_replay(e: &Ensemble, s: &mut SignatureReport, opts: &Options, args: Option<&[Value]>) {
    let engines: Vec<String> = if e.engines().iter().map(|k| k.name()).eq(e
        .manifest()
        .ensemble
        .engines
        .iter()
        .map(String::as_str))
    {
        Vec::new()
    } else {
        e.engines().iter().map(|k| k.name().to_string()).collect()
    };
    let mut replay = Replay {
        ensemble: e.dir().display().to_string(),
        engines,
        function: s.signature.function.clone(),
        args: Vec::new(),
        args_file: None,
    };
    if s.shrunk_input.len() <= MAX_REPRODUCE_LEN {
        let parsed;
        let args = match args {
            Some(a) => Some(a),
            None => {
                parsed = e
                    .parse_arg_line(&s.signature.function, &s.shrunk_input)
                    .ok();
                parsed.as_deref()
            }
        };
        if let Some(args) = args {
            let waves: Vec<String> = args.iter().map(Value::to_wave).collect();
            // Room for quoting and for the command around the arguments.
            let len = waves.iter().map(|w| w.len() + 3).sum::<usize>() + replay.ensemble.len() + 64;
            if len <= MAX_REPRODUCE_LEN {
                replay.args = waves;
                s.replay = Some(replay);
                return;
            }
        }
    }
    let folder = inputs_folder(opts);
    match write_args_file(&folder, e.name(), &s.shrunk_input) {
        Ok(file) => {
            replay.args_file = Some(file.display().to_string());
            s.replay = Some(replay);
        }
        Err(err) => {
            s.reproduce = format!(
                "the input is too long for a command line and could not be written to {}: {err}; it is the shrunk input of this report",
                folder.display()
            );
        }
    }
}

/// Clips the signature's first and shrunk inputs to
/// [`crate::report::MAX_REPORT_INPUT`] bytes, once the reproduce command no longer
/// needs them whole: each clipped one names the file that holds it whole (written
/// here for the first input, the replay's own for the shrunk one).
fn clip_inputs(e: &Ensemble, s: &mut SignatureReport, opts: &Options) {
    use crate::report::{MAX_REPORT_INPUT, clip_input};
    let at_origin = format!("at {}", where_is(&s.origin, s.first_index));
    if s.example_input.len() > MAX_REPORT_INPUT {
        let whole = match write_args_file(&inputs_folder(opts), e.name(), &s.example_input) {
            Ok(file) => {
                let file = file.display().to_string();
                s.example_args_file = Some(file.clone());
                format!("in {file}")
            }
            Err(_) => at_origin.clone(),
        };
        s.example_input = clip_input(&s.example_input, MAX_REPORT_INPUT, &whole);
    }
    if s.shrunk_input.len() > MAX_REPORT_INPUT {
        let whole = match s.replay.as_ref().and_then(|r| r.args_file.as_ref()) {
            Some(file) => format!("in {file}"),
            None => "in this run's reproduce command".to_string(),
        };
        s.shrunk_input = clip_input(&s.shrunk_input, MAX_REPORT_INPUT, &whole);
    }
    for o in s.outcomes.values_mut() {
        if o.len() > MAX_REPORT_INPUT {
            *o = clip_input(o, MAX_REPORT_INPUT, "from the reproduce command");
        }
    }
}

/// Where args files go: `--inputs-dir`, else `nvx-inputs` in the temp folder.
fn inputs_folder(opts: &Options) -> PathBuf {
    opts.inputs_dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("nvx-inputs"))
}

/// Writes `args` (a corpus line) to a file named by its hash in `folder`, for
/// `nvx call --args-file`.
fn write_args_file(folder: &Path, ensemble: &str, args: &str) -> std::io::Result<PathBuf> {
    use sha2::Digest;
    let hash = format!("{:x}", sha2::Sha256::digest(args.as_bytes()));
    let hex = &hash[..16];
    let safe: String = ensemble
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    std::fs::create_dir_all(folder)?;
    let file = folder.join(format!("{safe}-{hex}.args"));
    let tmp = folder.join(format!(".{safe}-{hex}.args.tmp"));
    std::fs::write(&tmp, format!("{args}\n"))?;
    std::fs::rename(&tmp, &file)?;
    Ok(file)
}

/// Finds ensembles under `path`: the folder itself if it holds `nvx.toml`, else each
/// subfolder that does (sorted).
///
/// # Errors
/// [`Error::Io`] when `path` cannot be read, [`Error::Manifest`] when it holds no
/// ensemble at all.
pub fn discover(path: &Path) -> Result<Vec<PathBuf>> {
    if path.join("nvx.toml").is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("nvx.toml").is_file())
        .collect();
    out.sort();
    if out.is_empty() {
        return Err(Error::Manifest {
            path: path.join("nvx.toml"),
            message:
                "no nvx.toml here or in any subfolder: not an ensemble or a folder of ensembles"
                    .into(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake variant of `f(x: u32) -> u32`: `answer(x)` is its run's outcome.
    struct Fake {
        entry: crate::manifest::VariantEntry,
        answer: Answer,
    }

    impl crate::backend::Backend for Fake {
        fn entry(&self) -> &crate::manifest::VariantEntry {
            &self.entry
        }
        fn sha256(&self) -> &str {
            &self.entry.sha256
        }
        fn evaluate(&self, args: &crate::backend::Prepared<'_>) -> crate::outcome::Run<Value> {
            let x = match args.values() {
                [Value::U32(x)] => *x,
                other => panic!("the fake takes one u32, got {other:?}"),
            };
            crate::outcome::Run {
                variant: self.entry.name.clone(),
                outcome: (self.answer)(x),
                elapsed: Duration::from_micros(u64::from(x % 7)),
                stdout: String::new(),
                stderr: String::new(),
            }
        }
    }

    fn triple(x: u32) -> Outcome<Value> {
        Outcome::Returned(Value::U32(x.wrapping_mul(3)))
    }

    /// Wrong on odd numbers above 4.
    fn off_by_one(x: u32) -> Outcome<Value> {
        let v = x.wrapping_mul(3);
        Outcome::Returned(Value::U32(if x % 2 == 1 && x > 4 { v + 1 } else { v }))
    }

    /// Traps on multiples of 100 000.
    fn trapper(x: u32) -> Outcome<Value> {
        if x.is_multiple_of(100_000) {
            Outcome::Trapped {
                kind: "unreachable".into(),
                message: "fake".into(),
            }
        } else {
            triple(x)
        }
    }

    /// How a fake answers each input.
    type Answer = fn(u32) -> Outcome<Value>;

    /// An ensemble of fakes named after their behaviour.
    fn fakes(variants: &[(&str, Answer)]) -> Ensemble {
        let names: Vec<&str> = variants.iter().map(|(n, _)| *n).collect();
        crate::ensemble::u32_fakes("majority", &names, |i, entry| {
            Arc::new(Fake {
                entry: entry.clone(),
                answer: variants[i].1,
            })
        })
    }

    fn run_fakes(e: &Ensemble, generate: u64, jobs: usize) -> crate::report::EnsembleReport {
        let opts = Options {
            generate,
            jobs,
            ..Options::default()
        };
        let mut report = run(std::slice::from_ref(e), &opts, |_| {}).unwrap();
        report.ensembles.remove(0)
    }

    #[test]
    fn statistics_signatures_and_shrinking_on_a_fake_backend() {
        let e = fakes(&[("a", triple), ("b", triple), ("odd", off_by_one)]);
        let r = run_fakes(&e, 2000, 2);
        assert_eq!(r.inputs, 2000);
        assert!(r.engines.is_empty());
        // Every input where `odd` is wrong, and only those, diverged: count them.
        let plan = Plan::new(&e, &Options::default()).unwrap();
        let wrong = (0..2000)
            .filter(|&i| match plan.input(i, 0).args.as_slice() {
                [Value::U32(x)] => x % 2 == 1 && *x > 4,
                _ => false,
            })
            .count() as u64;
        assert!(
            wrong > 0 && wrong < 2000,
            "the generator must hit both kinds"
        );
        assert_eq!(r.divergent_inputs, wrong);
        assert_eq!(r.no_verdict_inputs, 0);
        assert_eq!(r.signatures.len(), 1);
        let sig = &r.signatures[0];
        assert_eq!(sig.signature.dissenters, ["odd"]);
        assert_eq!(sig.signature.kinds, ["returned"]);
        assert!(sig.signature.verdict);
        assert_eq!(sig.count, wrong);
        // Shrunk to the smallest input that still shows the fault.
        assert_eq!(sig.shrunk_input, "5");
        assert_eq!(sig.outcomes["odd"], "16");
        assert_eq!(sig.outcomes["a"], "15");
        // Per-variant statistics and the pairwise matrix.
        let by = |n: &str| r.variants.iter().find(|v| v.name == n).unwrap();
        assert_eq!(by("a").dissented, 0);
        assert_eq!(by("odd").dissented, wrong);
        assert_eq!(by("odd").agreed, 2000 - wrong);
        assert_eq!(r.agreement.counts[0][1], 2000);
        assert_eq!(r.agreement.counts[0][2], 2000 - wrong);
    }

    #[test]
    fn failures_split_by_kind_and_runs_repeat_exactly() {
        let e = fakes(&[("a", triple), ("t", trapper), ("odd", off_by_one)]);
        let r1 = run_fakes(&e, 3000, 1);
        let r2 = run_fakes(&e, 3000, 2);
        let keys = |r: &crate::report::EnsembleReport| {
            r.signatures
                .iter()
                .map(|s| (s.signature.key.clone(), s.count, s.shrunk_input.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keys(&r1),
            keys(&r2),
            "one job and two give the same findings"
        );
        let trap = r1
            .signatures
            .iter()
            .find(|s| s.signature.dissenters == ["t"])
            .expect("the generator's edge values include 0, a multiple of 100 000");
        assert_eq!(trap.signature.kinds, ["trap(unreachable)"]);
        assert_eq!(trap.shrunk_input, "0");
        let t = r1.variants.iter().find(|v| v.name == "t").unwrap();
        assert_eq!(t.failures.get("trap(unreachable)"), Some(&trap.count));
    }

    #[test]
    fn shrinking_is_announced_before_the_ensemble_is_done() {
        let e = fakes(&[("a", triple), ("b", triple), ("odd", off_by_one)]);
        let opts = Options {
            generate: 50,
            jobs: 1,
            ..Options::default()
        };
        let mut events = Vec::new();
        run(std::slice::from_ref(&e), &opts, |ev| {
            events.push(match ev {
                Event::EnsembleStarted { .. } => "started",
                Event::Shrinking { signatures: 1, .. } => "shrinking 1",
                Event::Shrinking { .. } => "shrinking other",
                Event::EnsembleDone { .. } => "done",
                _ => "other",
            })
        })
        .unwrap();
        events.retain(|e| *e != "other");
        assert_eq!(events, ["started", "shrinking 1", "done"]);
    }

    #[test]
    fn library_errors_name_options_not_command_line_flags() {
        let e = fakes(&[("a", triple), ("b", triple)]);
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("run.journal");
        std::fs::write(&journal, b"x").unwrap();
        let errors = [
            Options {
                shard: Some((3, 2)),
                ..Options::default()
            },
            Options {
                journal: Some(journal),
                ..Options::default()
            },
        ]
        .map(|opts| run(std::slice::from_ref(&e), &opts, |_| {}).unwrap_err());
        assert!(matches!(errors[1], Error::JournalExists { .. }));
        for err in errors {
            let text = err.to_string();
            assert!(!text.contains("--"), "{text}");
        }
    }

    #[test]
    fn expected_answers_are_checked_kept_unshrunk_and_survive_resume() {
        let e = fakes(&[("a", triple), ("b", triple), ("odd", off_by_one)]);
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("expect.wave");
        std::fs::write(
            &corpus,
            "# right, with odd outvoted\n9 => 27\n# everyone agrees on 6\n2 => 7\n2 => 6\n# the majority says 33, odd 34\n11 => 34\n40\n",
        )
        .unwrap();
        let journal = dir.path().join("run.journal");
        let opts = Options {
            corpus: vec![corpus.clone()],
            generate: 0,
            jobs: 2,
            journal: Some(journal.clone()),
            ..Options::default()
        };
        let check = |r: &crate::report::EnsembleReport| {
            assert_eq!(r.inputs, 5);
            assert_eq!(r.divergent_inputs, 3, "{:#?}", r.signatures);
            let by_kind = |k: &str| {
                r.signatures
                    .iter()
                    .find(|s| s.signature.key.ends_with(k))
                    .unwrap_or_else(|| panic!("no signature ending in {k}: {:#?}", r.signatures))
            };
            let agreed = by_kind("|expected:all-agreed-wrong");
            assert_eq!(
                agreed.signature.resolution(),
                "all agreed on a wrong answer"
            );
            assert_eq!(agreed.signature.expected.as_deref(), Some("7"));
            assert_eq!(agreed.signature.answer.as_deref(), Some("6"));
            assert!(agreed.signature.dissenters.is_empty());
            assert_eq!(agreed.shrunk_input, "2", "kept as it is");
            let wrong = by_kind("|expected:wrong-verdict");
            assert_eq!(wrong.signature.dissenters, ["odd"]);
            assert_eq!(wrong.signature.answer.as_deref(), Some("33"));
            // Not shrunk although a smaller input shows the same dissent.
            assert_eq!(wrong.shrunk_input, "11");
            assert_eq!(wrong.outcomes["odd"], "34");
            let outvoted = r
                .signatures
                .iter()
                .find(|s| s.signature.expected.is_none())
                .expect("the plain dissent on 9");
            assert_eq!(outvoted.signature.resolution(), "outvoted");
            assert_eq!(outvoted.shrunk_input, "5", "shrunk as usual");
        };
        let first = run(std::slice::from_ref(&e), &opts, |_| {}).unwrap();
        check(&first.ensembles[0]);
        assert!(first.diverged());
        let resumed = run(
            std::slice::from_ref(&e),
            &Options {
                resume: true,
                ..opts.clone()
            },
            |_| {},
        )
        .unwrap();
        check(&resumed.ensembles[0]);
        // And the report's JSON keeps them.
        let json = serde_json::to_string(&resumed).unwrap();
        let back = RunReport::from_json("run.json", &json).unwrap();
        check(&back.ensembles[0]);
    }

    #[test]
    fn coincident_failures_are_counted_per_input_and_survive_resume_and_shards() {
        let e = fakes(&[("a", triple), ("t", trapper), ("odd", off_by_one)]);
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("c.wave");
        // 2: all agree on 6, expected 7 (everyone failed); 7: odd is outvoted;
        // 100000: t traps; 4: right.
        std::fs::write(&corpus, "2 => 7\n7\n100000\n4 => 12\n").unwrap();
        let opts = Options {
            corpus: vec![corpus.clone()],
            generate: 200,
            jobs: 2,
            ..Options::default()
        };
        let whole = run(std::slice::from_ref(&e), &opts, |_| {}).unwrap();
        let c = &whole.ensembles[0].coincidence;
        assert_eq!(c.inputs, 204);
        let file = corpus.display().to_string();
        let k = &c.classes[&file];
        assert_eq!(
            (k.inputs, k.failures, k.any_failed, k.all_failed),
            (4, 5, 3, 1)
        );
        assert_eq!(c.classes["generated"].inputs, 200);
        // Failures per variant, counted against the plan.
        let plan = Plan::new(&e, &opts).unwrap();
        let odd_wrong = (4..204)
            .filter(|&i| match plan.input(i, 0).args.as_slice() {
                [Value::U32(x)] => x % 2 == 1 && *x > 4,
                _ => false,
            })
            .count() as u64;
        assert_eq!(c.both[2][2], odd_wrong + 2, "7 and the agreed-wrong 2");
        assert_eq!(c.both[0][2], 1, "a and odd failed together on 2 only");
        // Shards merge to the whole; a resumed run counts the same.
        let parts: Vec<(String, RunReport)> = (1..=3)
            .map(|k| {
                let part = run(
                    std::slice::from_ref(&e),
                    &Options {
                        shard: Some((k, 3)),
                        ..opts.clone()
                    },
                    |_| {},
                )
                .unwrap();
                (format!("s{k}"), part)
            })
            .collect();
        let merged = RunReport::merge(&parts).unwrap();
        assert_eq!(&merged.ensembles[0].coincidence, c);
        let journal = dir.path().join("j");
        let jopts = Options {
            journal: Some(journal),
            ..opts.clone()
        };
        run(std::slice::from_ref(&e), &jopts, |_| {}).unwrap();
        let resumed = run(
            std::slice::from_ref(&e),
            &Options {
                resume: true,
                ..jopts
            },
            |_| {},
        )
        .unwrap();
        assert_eq!(&resumed.ensembles[0].coincidence, c);
    }

    #[test]
    fn trivial_answers() {
        assert!(trivial(&Value::Option(None)));
        assert!(trivial(&Value::U32(0)));
        assert!(!trivial(&Value::Option(Some(Box::new(Value::U32(0))))));
        assert!(!trivial(&Value::F64(-1.5)));
        assert!(trivial(&Value::Bytes(Vec::new())));
    }
}
