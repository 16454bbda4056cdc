//! One divergence signature: which variants sided against the verdict and how. The
//! campaign groups divergent inputs by it, journals it with each such input, checks it
//! while shrinking, and the report carries it for each kind of divergence.

use serde::{Deserialize, Serialize};

use crate::verdict::Verdict;
use crate::vote::Decision;

/// What diverged and how: the fields shared by a journaled divergent input
/// ([`crate::campaign::Divergence`]) and a report's signature ([`super::SignatureReport`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// A stable key of the signature: function, verdict or not, dissenters with
    /// kinds, groups, engine divergences.
    pub key: String,
    /// The function called.
    pub function: String,
    /// Variants outvoted or failed (all variants when there was no verdict), in
    /// manifest order.
    pub dissenters: Vec<String>,
    /// The outcome kind of each dissenter, in the same order (`returned` for a
    /// wrong value, `trap(unreachable)`, `timed-out`, `exhausted(memory)`, ...).
    pub kinds: Vec<String>,
    /// Whether a verdict was reached despite the dissent.
    pub verdict: bool,
    /// How the variants grouped (sorted names) when there was no verdict.
    #[serde(default)]
    pub groups: Vec<Vec<String>>,
    /// Engine divergences on the first such input: each variant whose result
    /// depended on the engine (a compiler or runtime bug, not a variant bug), as
    /// `variant: cranelift → value, winch → value` (see
    /// [`crate::EngineDivergence::describe`]).
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
}

impl Signature {
    /// The divergence signature of a verdict, or `None` when every variant agreed on
    /// every engine.
    pub fn of(v: &Verdict) -> Option<Signature> {
        if !v.diverged() {
            return None;
        }
        let engine_divergences: Vec<String> = v
            .engine_divergences()
            .iter()
            .map(crate::EngineDivergence::describe)
            .collect();
        let mut engine_key: Vec<String> = v
            .engine_divergences()
            .iter()
            .map(|d| {
                let names: Vec<&str> = d.differing().iter().map(|k| k.name()).collect();
                format!("{}@{}", d.variant, names.join("+"))
            })
            .collect();
        engine_key.sort();
        let engine_key = if engine_key.is_empty() {
            String::new()
        } else {
            format!("|engines:{}", engine_key.join(","))
        };
        if v.unanimous() {
            return Some(Signature {
                key: format!("{}|agreed||{engine_key}", v.function()),
                function: v.function().to_string(),
                verdict: v.reached(),
                engine_divergences,
                ..Signature::default()
            });
        }
        let runs = v.runs();
        let dissent: Vec<&crate::outcome::Run> = v.dissenting_runs().collect();
        let dissenters: Vec<String> = dissent.iter().map(|r| r.variant.clone()).collect();
        let kinds: Vec<String> = dissent.iter().map(|r| r.outcome.label()).collect();
        let groups: Vec<Vec<String>> = match v.decision() {
            Decision::NoVerdict { groups, .. } => groups
                .iter()
                .map(|g| {
                    let mut names: Vec<String> = g
                        .iter()
                        .filter_map(|i| runs.get(*i))
                        .map(|r| r.variant.clone())
                        .collect();
                    names.sort();
                    names
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut sorted_groups = groups.clone();
        sorted_groups.sort();
        let pairs: Vec<String> = dissenters
            .iter()
            .zip(&kinds)
            .map(|(d, k)| format!("{d}:{k}"))
            .collect();
        let key = format!(
            "{}|{}|{}|{}",
            v.function(),
            if v.reached() {
                "outvoted"
            } else {
                "no-verdict"
            },
            pairs.join(","),
            sorted_groups
                .iter()
                .map(|g| g.join("+"))
                .collect::<Vec<_>>()
                .join("/")
        ) + &engine_key;
        Some(Signature {
            key,
            function: v.function().to_string(),
            dissenters,
            kinds,
            verdict: v.reached(),
            groups,
            engine_divergences,
            ..Signature::default()
        })
    }

    /// The signature of an input on which every variant agreed but whose expected
    /// answer did not hold (completed by [`Signature::expecting`]).
    pub fn agreed(function: &str, verdict: bool) -> Signature {
        Signature {
            key: format!("{function}|agreed||"),
            function: function.to_string(),
            verdict,
            ..Signature::default()
        }
    }

    /// This signature for an input whose expected answer (`expected`, as WAVE) did not
    /// hold, failing the way `tag` names; `answer` is the verdict's, when one was reached.
    pub fn expecting(mut self, tag: &str, expected: String, answer: Option<String>) -> Signature {
        self.key = format!("{}|expected:{tag}", self.key);
        self.expected = Some(expected);
        self.answer = answer;
        self
    }

    /// The signature of an input the ensemble could not be called on: every variant
    /// (`names`) dissents with the same `label`.
    pub fn call_error(function: &str, names: Vec<String>, label: String) -> Signature {
        let n = names.len();
        Signature {
            key: format!("{function}|error"),
            function: function.to_string(),
            dissenters: names,
            kinds: vec![label; n],
            ..Signature::default()
        }
    }

    /// The signature of an input on which the harness, not a variant, failed (`why`).
    pub fn harness_failure(function: &str, why: &str) -> Signature {
        Signature {
            key: format!("{function}|harness-failure"),
            function: function.to_string(),
            harness_failure: Some(why.to_string()),
            ..Signature::default()
        }
    }

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
    /// depended on the engine; for an expected answer that did not hold, which way
    /// it failed.
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
