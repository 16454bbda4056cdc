//! The campaign report: its versioned JSON schema, merging of shards, and the
//! renderers (text, JSON, Markdown, JUnit, HTML) that all read the same data.
//!
//! Schema 1, as written by `nvx campaign --json` and read by `nvx report` and
//! `nvx merge`: `{"schema": 1, "ensembles": [...]}`; each ensemble has `name`,
//! `inputs`, `divergent_inputs`, `signatures`, `variants` and `agreement`, as
//! documented on [`EnsembleReport`]. Fields are only ever added, never renamed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

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
    #[serde(
        default,
        skip_serializing_if = "crate::coincidence::Coincidence::is_empty"
    )]
    pub coincidence: crate::coincidence::Coincidence,
}

/// One kind of divergence: which variants sided against the verdict and how.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SignatureReport {
    /// A stable key of the signature.
    pub key: String,
    /// The function called.
    pub function: String,
    /// Variants outvoted or failed (all variants when there was no verdict).
    pub dissenters: Vec<String>,
    /// The outcome kind of each dissenter, in the same order (`returned` for a
    /// wrong value, `trap(unreachable)`, `timeout`, `exhausted(memory)`, ...).
    pub kinds: Vec<String>,
    /// Whether a verdict was reached despite the dissent.
    pub verdict: bool,
    /// How the variants grouped when there was no verdict.
    #[serde(default)]
    pub groups: Vec<Vec<String>>,
    /// Engine divergences on the first such input: each variant whose result
    /// depended on the engine (a compiler or runtime bug, not a variant bug), as
    /// `variant: cranelift → value, winch → value`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub engine_divergences: Vec<String>,
    /// Set for inputs on which the harness, not a variant, failed: why (e.g. `the
    /// worker process running it was killed by signal 9 (SIGKILL)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub harness_failure: Option<String>,
    /// Set when the corpus line's expected answer (`ARGS => VALUE`) did not hold:
    /// that answer, as WAVE. Such inputs are not shrunk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// Set with `expected`: the verdict's answer as WAVE, when one was reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
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
    /// A command that reproduces the shrunk case.
    #[serde(default)]
    pub reproduce: String,
}

impl SignatureReport {
    /// Each dissenter with its outcome kind, formatted by `f(name, kind)`.
    /// Engine divergences follow, each as `f(variant, "engine divergence: cranelift → …, winch → …")`.
    pub fn dissent(&self, f: impl Fn(&str, &str) -> String) -> Vec<String> {
        self.dissenters
            .iter()
            .zip(&self.kinds)
            .map(|(d, k)| f(d, k))
            .chain(self.engine_divergences.iter().map(|line| {
                let (variant, outcomes) = line.split_once(": ").unwrap_or(("?", line));
                f(variant, &format!("engine divergence: {outcomes}"))
            }))
            .collect()
    }

    /// `expected X, verdict Y` (or `expected X, no verdict`) when the input's expected
    /// answer did not hold.
    pub fn expectation(&self) -> Option<String> {
        let x = self.expected.as_ref()?;
        Some(match &self.answer {
            Some(a) => format!("expected {x}, verdict {a}"),
            None => format!("expected {x}, no verdict"),
        })
    }

    /// `outvoted` when a verdict was reached, else `no verdict`; `engine divergence`
    /// when every variant agreed on the voting engine but some variant's result
    /// depended on the engine.
    pub fn resolution(&self) -> &'static str {
        if self.harness_failure.is_some() {
            "harness failure (the worker process running it died; no variant is blamed)"
        } else if self.expected.is_some() {
            if !self.verdict {
                crate::expect::Judgement::NoVerdict.describe()
            } else if self.dissenters.is_empty() {
                crate::expect::Judgement::AllAgreedWrong.describe()
            } else {
                crate::expect::Judgement::WrongVerdict.describe()
            }
        } else if self.dissenters.is_empty() && !self.engine_divergences.is_empty() {
            "engine divergence (a compiler or runtime bug, not a variant bug)"
        } else if self.verdict {
            "outvoted"
        } else {
            "no verdict"
        }
    }
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
    fn bucket(ns: u64) -> u32 {
        if ns < 16 {
            return ns as u32;
        }
        let e = 63 - ns.leading_zeros();
        let sub = (ns >> (e - 3)) & 7;
        16 + (e - 4) * 8 + sub as u32
    }

    fn upper(bucket: u32) -> u64 {
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

    /// Whether any ensemble diverged on any input.
    pub fn diverged(&self) -> bool {
        self.ensembles
            .iter()
            .any(|e| e.divergent_inputs > 0 || e.harness_failures > 0)
    }

    /// Merges shard reports of the same campaign into one, with totals equal to the
    /// unsharded run.
    ///
    /// # Errors
    /// [`ReportError::Mismatch`] when seeds, ensembles or variants differ, when a
    /// report is not a shard (a full run), when shards of different splits (`1/2`
    /// and `2/3`) are mixed, when a shard appears twice, or when shards are missing.
    pub fn merge(parts: &[(String, RunReport)]) -> Result<RunReport, ReportError> {
        let Some((_, first)) = parts.first() else {
            return Ok(RunReport {
                schema: SCHEMA,
                ..RunReport::default()
            });
        };
        let mut out = RunReport {
            schema: SCHEMA,
            nvx_version: first.nvx_version.clone(),
            seed: first.seed,
            generate: first.generate,
            shards: Vec::new(),
            ensembles: Vec::new(),
            peak_rss_bytes: parts.iter().filter_map(|(_, r)| r.peak_rss_bytes).max(),
        };
        for (path, r) in parts {
            let mismatch = |message: String| ReportError::Mismatch {
                path: path.clone(),
                message,
            };
            if r.seed != out.seed || r.generate != out.generate {
                return Err(mismatch(format!(
                    "seed {} / generate {} differ from the first report's {} / {}",
                    r.seed, r.generate, out.seed, out.generate
                )));
            }
            for s in &r.shards {
                if out.shards.contains(s) {
                    return Err(mismatch(format!("shard {s} appears twice")));
                }
                out.shards.push(s.clone());
            }
            for e in &r.ensembles {
                match out
                    .ensembles
                    .iter_mut()
                    .find(|o| o.name == e.name && o.dir == e.dir)
                {
                    None => out.ensembles.push(e.clone()),
                    Some(o) => o.merge(e).map_err(mismatch)?,
                }
            }
        }
        check_shard_set(parts)?;
        out.shards.sort();
        Ok(out)
    }
}

/// Checks that `parts` are shards of one split that together cover it exactly,
/// over the same ensembles.
fn check_shard_set(parts: &[(String, RunReport)]) -> Result<(), ReportError> {
    let mismatch = |path: &str, message: String| ReportError::Mismatch {
        path: path.to_string(),
        message,
    };
    let Some((first_path, first)) = parts.first() else {
        return Ok(());
    };
    let ensembles = |r: &RunReport| {
        let mut v: Vec<(String, String)> = r
            .ensembles
            .iter()
            .map(|e| (e.name.clone(), e.dir.clone()))
            .collect();
        v.sort();
        v
    };
    let want = ensembles(first);
    let mut split: Option<u64> = None;
    let mut seen = std::collections::BTreeSet::new();
    for (path, r) in parts {
        if r.shards.is_empty() {
            return Err(mismatch(
                path,
                "it is a full run, not a shard; merge joins the shards of one `--shard K/N` split"
                    .into(),
            ));
        }
        if ensembles(r) != want {
            let names = |v: &[(String, String)]| {
                v.iter()
                    .map(|(n, d)| format!("{n} ({d})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return Err(mismatch(
                path,
                format!(
                    "its ensembles [{}] differ from those of {first_path} [{}]",
                    names(&ensembles(r)),
                    names(&want)
                ),
            ));
        }
        for s in &r.shards {
            let parsed = s.split_once('/').and_then(|(k, n)| {
                Some((k.trim().parse::<u64>().ok()?, n.trim().parse::<u64>().ok()?))
            });
            let Some((k, n)) = parsed.filter(|(k, n)| *k >= 1 && k <= n) else {
                return Err(mismatch(path, format!("shard `{s}` is not K/N")));
            };
            match split {
                None => split = Some(n),
                Some(m) if m != n => {
                    return Err(mismatch(
                        path,
                        format!(
                            "shard {s} belongs to a split into {n}, the others to a split into {m}"
                        ),
                    ));
                }
                Some(_) => {}
            }
            if !seen.insert(k) {
                return Err(mismatch(path, format!("shard {s} appears twice")));
            }
        }
    }
    if let Some(n) = split {
        let missing: Vec<String> = (1..=n)
            .filter(|k| !seen.contains(k))
            .map(|k| format!("{k}/{n}"))
            .collect();
        if !missing.is_empty() {
            return Err(mismatch(
                first_path,
                format!(
                    "shard(s) {} are missing; the merged totals would cover only part of the run",
                    missing.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

impl EnsembleReport {
    fn merge(&mut self, e: &EnsembleReport) -> Result<(), String> {
        let names = |v: &[VariantStats]| v.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        if names(&self.variants) != names(&e.variants) {
            return Err(format!(
                "ensemble `{}` ({}) has different variants",
                e.name, e.dir
            ));
        }
        self.inputs += e.inputs;
        if self.engines != e.engines {
            return Err(format!(
                "ensemble `{}` ({}) ran on other engines ({} against {})",
                e.name,
                e.dir,
                e.engines.join(", "),
                self.engines.join(", ")
            ));
        }
        self.divergent_inputs += e.divergent_inputs;
        self.engine_divergent_inputs += e.engine_divergent_inputs;
        self.harness_failures += e.harness_failures;
        self.no_verdict_inputs += e.no_verdict_inputs;
        self.corpus_inputs += e.corpus_inputs;
        self.generated_inputs += e.generated_inputs;
        self.nontrivial_inputs += e.nontrivial_inputs;
        self.coincidence.merge(&e.coincidence)?;
        for s in &e.signatures {
            match self.signatures.iter_mut().find(|o| o.key == s.key) {
                None => self.signatures.push(s.clone()),
                Some(o) => {
                    let count = o.count + s.count;
                    if s.first_index < o.first_index {
                        *o = s.clone();
                    }
                    o.count = count;
                }
            }
        }
        sort_signatures(&mut self.signatures);
        for (a, b) in self.variants.iter_mut().zip(&e.variants) {
            a.agreed += b.agreed;
            a.dissented += b.dissented;
            for (k, c) in &b.failures {
                *a.failures.entry(k.clone()).or_default() += c;
            }
            a.latency.merge(&b.latency);
            a.latency_p50_ns = a.latency.quantile(0.5);
            a.latency_p99_ns = a.latency.quantile(0.99);
        }
        let n = self.agreement.counts.len();
        if e.agreement.counts.len() == n {
            for i in 0..n {
                for j in 0..n {
                    let add = e
                        .agreement
                        .counts
                        .get(i)
                        .and_then(|r| r.get(j))
                        .copied()
                        .unwrap_or(0);
                    if let Some(c) = self.agreement.counts.get_mut(i).and_then(|r| r.get_mut(j)) {
                        *c += add;
                    }
                }
            }
        }
        self.agreement.matrix = fractions(&self.agreement.counts, self.inputs);
        Ok(())
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

/// Formats nanoseconds compactly for tables (`812ns`, `14.2µs`, `3.10ms`, `1.20s`).
pub fn ns(n: u64) -> String {
    match n {
        0..=999 => format!("{n}ns"),
        1_000..=999_999 => format!("{:.1}µs", n as f64 / 1e3),
        1_000_000..=999_999_999 => format!("{:.2}ms", n as f64 / 1e6),
        _ => format!("{:.2}s", n as f64 / 1e9),
    }
}

fn pct(x: f64) -> String {
    let p = x * 100.0;
    if p > 99.99 && p < 100.0 {
        "99.99%".into()
    } else {
        format!("{p:.2}%")
    }
}

/// Renders the plain-text summary printed at the end of a campaign.
pub fn render_text(r: &RunReport) -> String {
    let mut s = String::new();
    for e in &r.ensembles {
        let status = if e.divergent_inputs == 0 {
            "all variants agreed"
        } else {
            "DIVERGED"
        };
        let _ = writeln!(
            s,
            "{}: {} inputs ({} corpus, {} generated, {} non-trivial), {} divergent, {} without verdict — {status}",
            e.name,
            e.inputs,
            e.corpus_inputs,
            e.generated_inputs,
            e.nontrivial_inputs,
            e.divergent_inputs,
            e.no_verdict_inputs
        );
        if e.harness_failures > 0 {
            let _ = writeln!(
                s,
                "  {} input(s) not checked: the worker process running them died (a harness failure; no variant is blamed)",
                e.harness_failures
            );
        }
        for p in &e.shared_parts {
            let _ = writeln!(s, "  ⚠ diversity: {}", p.warning);
        }
        if e.engines.len() > 1 {
            let _ = writeln!(
                s,
                "  engines: {} (the vote counts {}); {} input(s) with an engine divergence (a compiler or runtime bug, not a variant bug)",
                e.engines.join(", "),
                e.engines[0],
                e.engine_divergent_inputs
            );
        }
        let w = e
            .variants
            .iter()
            .map(|v| v.name.len())
            .max()
            .unwrap_or(7)
            .max(7);
        let _ = writeln!(
            s,
            "  {:<w$}  {:>9}  {:>9}  {:>9}  {:>9}  failures",
            "variant", "agreement", "dissented", "p50", "p99"
        );
        for v in &e.variants {
            let rate = if e.inputs == 0 {
                1.0
            } else {
                v.agreed as f64 / e.inputs as f64
            };
            let fails: Vec<String> = v.failures.iter().map(|(k, c)| format!("{k}×{c}")).collect();
            let _ = writeln!(
                s,
                "  {:<w$}  {:>9}  {:>9}  {:>9}  {:>9}  {}",
                v.name,
                pct(rate),
                v.dissented,
                ns(v.latency_p50_ns),
                ns(v.latency_p99_ns),
                if fails.is_empty() {
                    "-".into()
                } else {
                    fails.join(", ")
                }
            );
        }
        if e.divergent_inputs > 0 && e.variants.len() > 1 {
            let _ = writeln!(s, "  pairwise agreement:");
            let cols: String = (1..=e.agreement.variants.len())
                .map(|i| format!("{:>9}", format!("[{i}]")))
                .collect();
            let _ = writeln!(s, "  {:<w$}      {cols}", "");
            for (i, (name, row)) in e
                .agreement
                .variants
                .iter()
                .zip(&e.agreement.matrix)
                .enumerate()
            {
                let cells: String = row.iter().map(|x| format!("{:>9}", pct(*x))).collect();
                let _ = writeln!(s, "  {name:<w$} {:>4} {cells}", format!("[{}]", i + 1));
            }
        }
        s.push_str(&crate::coincidence::render_text(&e.coincidence));
        for sig in &e.signatures {
            let who = sig.dissent(|d, k| format!("{d} [{k}]"));
            let _ = writeln!(
                s,
                "  ✗ {} input(s), {}{}",
                sig.count,
                sig.resolution(),
                if who.is_empty() {
                    String::new()
                } else {
                    format!(": {}", who.join(", "))
                }
            );
            if let Some(x) = sig.expectation() {
                let _ = writeln!(s, "      {}", clip(&x, 200));
            }
            let _ = writeln!(
                s,
                "      first: {}({})  [{}]",
                sig.function,
                clip(&sig.example_input, 120),
                sig.origin
            );
            let _ = writeln!(
                s,
                "      shrunk: {}({})",
                sig.function,
                clip(&sig.shrunk_input, 120)
            );
            for (v, o) in &sig.outcomes {
                let _ = writeln!(s, "        {v}: {}", clip(o, 100));
            }
            let _ = writeln!(s, "      reproduce: {}", sig.reproduce);
        }
    }
    s
}

/// Shortens text to at most `max` characters, marking the cut with `…`.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Renders Markdown for CI step summaries.
pub fn render_markdown(r: &RunReport) -> String {
    let mut s = String::from("# nvx campaign\n\n");
    let _ = writeln!(
        s,
        "| ensemble | inputs | divergent | no verdict | signatures | result |\n|---|---:|---:|---:|---:|---|"
    );
    for e in &r.ensembles {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            e.name,
            e.inputs,
            e.divergent_inputs,
            e.no_verdict_inputs,
            e.signatures.len(),
            if e.divergent_inputs == 0 {
                "✅ agreed"
            } else {
                "❌ diverged"
            }
        );
    }
    for e in &r.ensembles {
        let _ = writeln!(s, "\n## {}\n", e.name);
        for p in &e.shared_parts {
            let _ = writeln!(s, "> ⚠ diversity: {}\n", p.warning);
        }
        let _ = writeln!(
            s,
            "| variant | language | agreed | dissented | failures | p50 | p99 |\n|---|---|---:|---:|---|---:|---:|"
        );
        for v in &e.variants {
            let fails: Vec<String> = v.failures.iter().map(|(k, c)| format!("{k}×{c}")).collect();
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} |",
                v.name,
                v.language,
                v.agreed,
                v.dissented,
                if fails.is_empty() {
                    "–".into()
                } else {
                    fails.join(", ")
                },
                ns(v.latency_p50_ns),
                ns(v.latency_p99_ns)
            );
        }
        s.push_str(&crate::coincidence::render_markdown(&e.coincidence));
        for sig in &e.signatures {
            let who = sig.dissent(|d, k| format!("`{d}` ({k})"));
            let _ = writeln!(
                s,
                "\n**{} input(s), {}**: {}  \n{}shrunk: `{}({})`  \nreproduce: `{}`",
                sig.count,
                sig.resolution(),
                who.join(", "),
                sig.expectation()
                    .map(|x| format!("{}  \n", clip(&x, 200)))
                    .unwrap_or_default(),
                sig.function,
                clip(&sig.shrunk_input, 200),
                sig.reproduce
            );
        }
    }
    s
}

fn xml(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '&' => "&amp;".into(),
            '<' => "&lt;".into(),
            '>' => "&gt;".into(),
            '"' => "&quot;".into(),
            '\'' => "&apos;".into(),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {
                format!("&#{};", c as u32)
            }
            c => c.to_string(),
        })
        .collect()
}

/// Renders JUnit XML: a test suite per ensemble, a failing test case per signature
/// (a passing `agreement` case when there is none).
pub fn render_junit(r: &RunReport) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let failures: usize = r.ensembles.iter().map(|e| e.signatures.len()).sum();
    let tests: usize = r.ensembles.iter().map(|e| e.signatures.len().max(1)).sum();
    let _ = writeln!(
        s,
        "<testsuites name=\"nvx campaign\" tests=\"{tests}\" failures=\"{failures}\">"
    );
    for e in &r.ensembles {
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">",
            xml(&e.name),
            e.signatures.len().max(1),
            e.signatures.len()
        );
        let _ = writeln!(
            s,
            "    <properties><property name=\"inputs\" value=\"{}\"/><property name=\"divergent_inputs\" value=\"{}\"/></properties>",
            e.inputs, e.divergent_inputs
        );
        if e.signatures.is_empty() {
            let _ = writeln!(
                s,
                "    <testcase classname=\"{}\" name=\"agreement on {} inputs\"/>",
                xml(&e.name),
                e.inputs
            );
        }
        for sig in &e.signatures {
            let who = sig.dissent(|d, k| format!("{d} [{k}]"));
            let name = if who.is_empty() {
                format!("{}: {}", sig.function, sig.resolution())
            } else {
                format!("{}: {}", sig.function, who.join(", "))
            };
            let body = format!(
                "{} input(s); {}{}\nfirst input: {}({}) [{}]\nshrunk input: {}({})\n{}\nreproduce: {}",
                sig.count,
                sig.resolution(),
                sig.expectation()
                    .map(|x| format!("; {x}"))
                    .unwrap_or_default(),
                sig.function,
                sig.example_input,
                sig.origin,
                sig.function,
                sig.shrunk_input,
                sig.outcomes
                    .iter()
                    .map(|(v, o)| format!("  {v}: {o}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                sig.reproduce
            );
            let _ = writeln!(
                s,
                "    <testcase classname=\"{}\" name=\"{}\">\n      <failure message=\"{} input(s) diverged\" type=\"divergence\">{}</failure>\n    </testcase>",
                xml(&e.name),
                xml(&name),
                sig.count,
                xml(&body)
            );
        }
        let _ = writeln!(s, "  </testsuite>");
    }
    s.push_str("</testsuites>\n");
    s
}

/// Renders a self-contained HTML page.
pub fn render_html(r: &RunReport) -> String {
    let mut s = String::from(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>nvx campaign</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}.bad{color:#b00}.ok{color:#070}code{background:#f4f4f4}</style></head><body><h1>nvx campaign</h1>",
    );
    for e in &r.ensembles {
        let _ = write!(
            s,
            "<h2>{}</h2><p class=\"{}\">{} inputs, {} divergent, {} without verdict</p><table><tr><th>variant</th><th>language</th><th>agreed</th><th>dissented</th><th>p50</th><th>p99</th></tr>",
            xml(&e.name),
            if e.divergent_inputs == 0 { "ok" } else { "bad" },
            e.inputs,
            e.divergent_inputs,
            e.no_verdict_inputs
        );
        for v in &e.variants {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                xml(&v.name),
                xml(&v.language),
                v.agreed,
                v.dissented,
                ns(v.latency_p50_ns),
                ns(v.latency_p99_ns)
            );
        }
        s.push_str("</table>");
        s.push_str(&crate::coincidence::render_html(&e.coincidence));
        for sig in &e.signatures {
            let _ = write!(
                s,
                "<p class=\"bad\">{} input(s): {}</p><p>shrunk: <code>{}({})</code><br>reproduce: <code>{}</code></p>",
                sig.count,
                xml(&sig.dissent(|d, k| format!("{d} [{k}]")).join(", ")),
                xml(&sig.function),
                xml(&sig.shrunk_input),
                xml(&sig.reproduce)
            );
        }
    }
    s.push_str("</body></html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_are_close() {
        let mut c = LatencyCounter::default();
        for ns in 1..=10_000u64 {
            c.record(ns * 100);
        }
        let h = c.histogram();
        let p50 = h.quantile(0.5) as f64;
        assert!((p50 / 500_000.0 - 1.0).abs() < 0.13, "{p50}");
        let p99 = h.quantile(0.99) as f64;
        assert!((p99 / 990_000.0 - 1.0).abs() < 0.13, "{p99}");
        assert_eq!(Histogram::default().quantile(0.5), 0);
        for b in 0..200 {
            assert_eq!(Histogram::bucket(Histogram::upper(b)), b, "bucket {b}");
        }
    }

    #[test]
    fn merge_adds_totals_and_keeps_the_earliest_example() {
        let sig = |first: u64, count: u64| SignatureReport {
            key: "k".into(),
            first_index: first,
            count,
            example_input: format!("{first}"),
            ..SignatureReport::default()
        };
        let part = |shard: &str, first: u64| RunReport {
            schema: SCHEMA,
            shards: vec![shard.into()],
            ensembles: vec![EnsembleReport {
                name: "e".into(),
                inputs: 10,
                divergent_inputs: 2,
                signatures: vec![sig(first, 2)],
                variants: vec![VariantStats {
                    name: "a".into(),
                    agreed: 8,
                    ..VariantStats::default()
                }],
                agreement: Agreement {
                    variants: vec!["a".into()],
                    matrix: vec![vec![1.0]],
                    counts: vec![vec![10]],
                },
                ..EnsembleReport::default()
            }],
            ..RunReport::default()
        };
        let m = RunReport::merge(&[("a".into(), part("2/2", 7)), ("b".into(), part("1/2", 4))])
            .unwrap();
        let e = &m.ensembles[0];
        assert_eq!(
            (e.inputs, e.divergent_inputs, e.variants[0].agreed),
            (20, 4, 16)
        );
        assert_eq!((e.signatures[0].count, e.signatures[0].first_index), (4, 4));
        assert_eq!(m.shards, vec!["1/2".to_string(), "2/2".to_string()]);
        assert!(
            RunReport::merge(&[("a".into(), part("1/2", 1)), ("b".into(), part("1/2", 1))])
                .is_err()
        );
    }
}
