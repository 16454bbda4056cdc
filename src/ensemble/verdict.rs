//! The result of one ensemble call: every variant's run, the vote under the
//! ensemble's policy, and the variants whose results depended on the engine.
//!
//! A [`Verdict`] is plain data once built: the ensemble makes it, and the
//! telemetry, the campaign and the reports read it.

use crate::engine::EngineKind;
use crate::error::{Error, Result};
use crate::outcome::{Outcome, Run};
use crate::value::Value;
use crate::votable::Votable;
use crate::vote::{Decision, Policy};

/// The same variant giving different results on different engines: a compiler or
/// runtime bug, not a variant bug. The one shape of an engine divergence: the
/// verdict holds it, `nvx call --json` writes it (its `outcomes` as an object keyed
/// by engine name, in name order) and a report's signature lists its
/// [`describe`](EngineDivergence::describe) lines.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(description = "A variant whose result depended on the engine.")
)]
pub struct EngineDivergence {
    /// The variant.
    pub variant: String,
    /// What it did on each engine, the voting engine first: its value as WAVE text
    /// (`returned` for typed calls' values, which print in Rust syntax) or its
    /// failure label.
    #[serde(with = "by_engine_name")]
    #[cfg_attr(
        feature = "schema",
        schemars(
            with = "std::collections::BTreeMap<String, String>",
            description = "Its outcome on each engine, by engine name."
        )
    )]
    pub outcomes: Vec<(EngineKind, String)>,
}

/// [`EngineDivergence::outcomes`] as JSON: an object from engine name to outcome.
mod by_engine_name {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::engine::EngineKind;

    pub(super) fn serialize<S: Serializer>(
        outcomes: &[(EngineKind, String)],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let map: BTreeMap<&str, &str> = outcomes
            .iter()
            .map(|(k, o)| (k.name(), o.as_str()))
            .collect();
        map.serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<(EngineKind, String)>, D::Error> {
        let map = BTreeMap::<String, String>::deserialize(d)?;
        map.into_iter()
            .map(|(name, o)| {
                EngineKind::from_name(&name)
                    .map(|k| (k, o))
                    .map_err(serde::de::Error::custom)
            })
            .collect()
    }
}

impl EngineDivergence {
    /// One line, e.g. `nan-bits: cranelift → 9221120237041090560, winch → 18444492273895866368`.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = self
            .outcomes
            .iter()
            .map(|(k, o)| format!("{k} → {o}"))
            .collect();
        format!("{}: {}", self.variant, parts.join(", "))
    }

    /// The engines whose outcome differs from the voting engine's.
    pub fn differing(&self) -> Vec<EngineKind> {
        let first = self.outcomes.first().map(|(_, o)| o);
        self.outcomes
            .iter()
            .skip(1)
            .filter(|(_, o)| Some(o) != first)
            .map(|(k, _)| *k)
            .collect()
    }
}

/// The result of one call: every variant's run and the vote.
#[derive(Clone, Debug)]
pub struct Verdict<T = Value> {
    function: String,
    runs: Vec<Run<T>>,
    decision: Decision,
    policy: Policy,
    engine_divergences: Vec<EngineDivergence>,
    pending: Vec<String>,
}

impl<T> Verdict<T> {
    /// The verdict of a finished vote (the ensemble builds it).
    pub(crate) fn new(
        function: String,
        runs: Vec<Run<T>>,
        decision: Decision,
        policy: Policy,
        engine_divergences: Vec<EngineDivergence>,
        pending: Vec<String>,
    ) -> Self {
        Verdict {
            function,
            runs,
            decision,
            policy,
            engine_divergences,
            pending,
        }
    }
}

impl<T: Votable> Verdict<T> {
    /// The variants that had not finished when an early verdict was returned (see
    /// [`crate::Ensemble::set_early_verdict`]); empty otherwise. They are not in
    /// [`Verdict::runs`].
    pub fn pending(&self) -> &[String] {
        &self.pending
    }

    /// The variants that gave different results on different engines (empty with
    /// one engine). An engine divergence is a compiler or runtime bug; it does not
    /// change the vote, which counts the first engine's results.
    pub fn engine_divergences(&self) -> &[EngineDivergence] {
        &self.engine_divergences
    }

    /// Whether anything diverged: a variant dissented or failed, or a variant's
    /// result depended on the engine.
    pub fn diverged(&self) -> bool {
        !self.unanimous() || !self.engine_divergences.is_empty()
    }

    /// Whether a value won under the ensemble's policy.
    pub fn reached(&self) -> bool {
        matches!(self.decision, Decision::Agreed { .. })
    }

    /// Whether every variant returned the agreed value (no dissent, no failure).
    pub fn unanimous(&self) -> bool {
        matches!(&self.decision, Decision::Agreed { dissenters, .. } if dissenters.is_empty())
    }

    /// The agreed value.
    ///
    /// # Errors
    /// [`Error::NoVerdict`] describing how the variants split.
    pub fn value(&self) -> Result<&T> {
        match &self.decision {
            Decision::Agreed { winner, .. } => self
                .runs
                .get(*winner)
                .and_then(|r| r.outcome.value())
                .ok_or_else(|| Error::NoVerdict {
                    function: self.function.clone(),
                    summary: "the winning run has no value".into(),
                }),
            _ => Err(Error::NoVerdict {
                function: self.function.clone(),
                summary: self.summary(),
            }),
        }
    }

    /// Every variant's run, in manifest order.
    pub fn runs(&self) -> &[Run<T>] {
        &self.runs
    }

    /// The raw decision of the voter (indices into [`Verdict::runs`]).
    pub fn decision(&self) -> &Decision {
        &self.decision
    }

    /// The policy the vote used.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// The function that was called.
    pub fn function(&self) -> &str {
        &self.function
    }

    /// Whether the run at `index` dissented: outvoted, failed, or part of a split
    /// with no verdict.
    pub fn is_dissenter(&self, index: usize) -> bool {
        match &self.decision {
            Decision::Agreed { dissenters, .. } => dissenters.contains(&index),
            Decision::NoVerdict { .. } => true,
        }
    }

    /// The runs that dissented (all of them when there is no verdict).
    pub fn dissenting_runs(&self) -> impl Iterator<Item = &Run<T>> {
        self.runs
            .iter()
            .enumerate()
            .filter(|(i, _)| self.is_dissenter(*i))
            .map(|(_, r)| r)
    }

    /// Names of the dissenting variants.
    pub fn dissenters(&self) -> Vec<&str> {
        self.dissenting_runs().map(|r| r.variant.as_str()).collect()
    }

    /// One line describing the vote, e.g. `2 of 3 agree; c-table trap(unreachable)`.
    pub fn summary(&self) -> String {
        let n = self.runs.len();
        match &self.decision {
            Decision::Agreed {
                supporters,
                dissenters,
                ..
            } => {
                let mut s = format!("{} of {n} agree under {}", supporters.len(), self.policy);
                for &d in dissenters {
                    if let Some(r) = self.runs.get(d) {
                        s.push_str(&format!("; {} {}", r.variant, describe_outcome(&r.outcome)));
                    }
                }
                s
            }
            Decision::NoVerdict { groups, failed } => {
                let name = |i: &usize| self.runs.get(*i).map_or("?", |r| r.variant.as_str());
                let mut parts: Vec<String> = groups
                    .iter()
                    .map(|g| {
                        let who: Vec<&str> = g.iter().map(name).collect();
                        let val = g
                            .first()
                            .and_then(|i| self.runs.get(*i))
                            .map(|r| describe_outcome(&r.outcome));
                        format!("{{{}}} {}", who.join(", "), val.unwrap_or_default())
                    })
                    .collect();
                for f in failed {
                    if let Some(r) = self.runs.get(*f) {
                        parts.push(format!("{} {}", r.variant, describe_outcome(&r.outcome)));
                    }
                }
                format!(
                    "no verdict under {} among {n} variants: {}",
                    self.policy,
                    parts.join("; ")
                )
            }
        }
    }
}

/// An outcome in a vote summary: `returned VALUE`, or the failure's label (the one
/// outcome vocabulary of reports and the CLI).
fn describe_outcome<T: Votable>(o: &Outcome<T>) -> String {
    o.brief(|v| format!("returned {}", v.describe()))
}
