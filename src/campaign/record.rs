//! One input's run condensed into an [`InputRecord`]: what the statistics, the
//! journal and the worker processes carry, with the divergence it showed, if any.

use serde::{Deserialize, Serialize};

use crate::ensemble::Ensemble;
use crate::input::Input;
use crate::outcome::Outcome;
use crate::report::Signature;
use crate::value::{Value, args_to_wave};
use crate::verdict::Verdict;

use super::plan::Plan;

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
    #[serde(with = "crate::journal::as_json")]
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
pub(crate) fn listed_outcome(outcome: &Outcome) -> String {
    outcome.brief(|v| {
        crate::report::clip_input(
            &v.to_wave(),
            crate::report::MAX_LISTED_OUTCOME,
            "in the variant's own call",
        )
    })
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
            agree_pairs.push(runs[i].outcome.same_as(&runs[j].outcome, &tol));
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
pub(crate) fn where_is(origin: &str, index: u64) -> String {
    if origin == "generated" {
        format!("generated input #{index} of the run's seed")
    } else {
        origin.to_string()
    }
}

/// Whether an agreed answer is trivial: `none`, `err`, `false`, zero, or empty.
pub(crate) fn trivial(v: &Value) -> bool {
    match v {
        Value::Option(None) | Value::Result(Err(_)) | Value::Bool(false) => true,
        Value::String(s) => s.is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::List(l) => l.is_empty(),
        Value::Option(Some(_)) => false,
        other => other.as_f64() == Some(0.0),
    }
}
