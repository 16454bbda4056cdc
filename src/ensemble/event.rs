//! The one stream of events nvx emits, and the observers that subscribe to it.
//!
//! A library call emits its verdict, each dissent, each engine divergence and each
//! circuit-breaker transition; a campaign adds its progress, the divergences it
//! finds, its shrinking and the end of the run. Every consumer is an
//! [`Observer`] of this one stream: the `tracing` log ([`Log`]) and the metrics
//! ([`crate::telemetry`]) of a library call, the hooks of
//! [`crate::Ensemble::on_dissent`] and [`crate::Ensemble::on_breaker`], and a
//! campaign's progress display and report writers. An event borrows what it describes; an observer
//! that keeps something copies it.

use std::time::Duration;

use crate::outcome::OutcomeKind;
use crate::supervise::{BreakerEvent, BreakerState};
use crate::verdict::{EngineDivergence, Verdict};
use crate::votable::Votable;

/// Something nvx did, as every observer sees it.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A library call is complete: its verdict, whatever the result type.
    Verdict {
        /// The ensemble.
        ensemble: &'a str,
        /// The call's verdict.
        verdict: &'a dyn VerdictView,
        /// Wall time of the whole call.
        elapsed: Duration,
    },
    /// A variant dissented in a call: outvoted, failed, or part of a split.
    Dissent(&'a Dissent<'a>),
    /// A variant's result depended on the engine: a compiler or runtime bug.
    EngineDivergence {
        /// The ensemble.
        ensemble: &'a str,
        /// The function called.
        function: &'a str,
        /// The variant and its outcome on each engine.
        divergence: &'a EngineDivergence,
    },
    /// A variant's circuit breaker changed state.
    Breaker(&'a BreakerEvent),
    /// A campaign's ensemble is about to run its inputs; `done` were recovered
    /// from the journal.
    EnsembleStarted {
        /// The ensemble.
        name: &'a str,
        /// Inputs in this shard.
        total: u64,
        /// Inputs already done (resumed).
        done: u64,
    },
    /// Something the user should know that does not stop the run (a repaired
    /// journal).
    Warning {
        /// The warning, one line.
        message: &'a str,
    },
    /// One campaign input finished.
    InputDone {
        /// Whether it diverged.
        divergent: bool,
    },
    /// A campaign input diverged.
    DivergenceFound {
        /// The ensemble.
        ensemble: &'a str,
        /// The input's index in the ensemble's plan.
        index: u64,
        /// The divergence signature's key.
        key: &'a str,
    },
    /// A campaign is shrinking the divergences of an ensemble.
    Shrinking {
        /// The ensemble.
        name: &'a str,
        /// Signatures to shrink.
        signatures: usize,
    },
    /// A campaign's ensemble is complete, its signatures shrunk.
    EnsembleDone {
        /// The ensemble.
        name: &'a str,
        /// Wall time of its inputs and shrinking.
        elapsed: Duration,
    },
    /// A campaign is complete: the last event of a run, carrying its report.
    /// The report writers of `nvx campaign` are observers of this event.
    RunDone {
        /// Ensembles run.
        ensembles: usize,
        /// Inputs run, in all ensembles of this shard.
        inputs: u64,
        /// Inputs that diverged.
        divergent: u64,
        /// Wall time of the run.
        elapsed: Duration,
        /// The run's report (a [`crate::report::RunReport`]), which
        /// [`crate::campaign::run`] then returns.
        report: &'a dyn RunOutput,
    },
    /// A mutation analysis is running the unmutated ensemble on its campaign and
    /// probe inputs.
    MutationBaseline {
        /// The ensemble.
        ensemble: &'a str,
        /// Campaign inputs plus probe inputs.
        inputs: u64,
    },
    /// A variant's mutants are about to run.
    MutantsStarted {
        /// The ensemble.
        ensemble: &'a str,
        /// The mutated variant.
        variant: &'a str,
        /// Candidate sites of the variant's core module.
        sites: usize,
        /// Mutants drawn.
        mutants: usize,
        /// Mutants recovered from the journal.
        done: usize,
    },
    /// One mutant finished.
    MutantDone {
        /// The ensemble.
        ensemble: &'a str,
        /// The mutated variant.
        variant: &'a str,
        /// Where: `func 12 (name) @ 0x1a3`.
        location: &'a str,
        /// The change made there: `i32.add -> i32.sub`.
        change: &'a str,
        /// What became of it, as the mutation report spells it: `killed`,
        /// `survived`, `equivalent` or `invalid`.
        status: &'a str,
    },
    /// A mutation analysis is complete: the last event of `nvx mutate`, carrying
    /// its report (a [`crate::mutate::MutateReport`]).
    MutationDone {
        /// Variants analysed.
        variants: usize,
        /// Wall time of the analysis.
        elapsed: Duration,
        /// The analysis's report, which [`crate::mutate::run`] then returns.
        report: &'a dyn RunOutput,
    },
}

/// The finished report of a campaign or a mutation analysis, as observers of
/// [`Event::RunDone`] and [`Event::MutationDone`] read it: rendered in any of its
/// formats, or as the data itself.
pub trait RunOutput: Sync {
    /// The report in the format `format` (`text`, `json`, `markdown`, `junit`,
    /// `html`, as `nvx report --format` names them), or `None` when the report has
    /// no such format.
    fn render(&self, format: &str) -> Option<String>;

    /// The formats [`RunOutput::render`] knows.
    fn formats(&self) -> Vec<&'static str>;

    /// The report itself, for an observer that reads it as data:
    /// `output.as_any().downcast_ref::<nvx::report::RunReport>()`.
    fn as_any(&self) -> &dyn std::any::Any;
}

impl std::fmt::Debug for dyn RunOutput + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOutput")
            .field("formats", &self.formats())
            .finish()
    }
}

/// A dissent, as handed to the callback of [`crate::Ensemble::on_dissent`] and
/// logged as a `tracing` warning.
#[derive(Clone, Debug)]
pub struct Dissent<'a> {
    /// The ensemble.
    pub ensemble: &'a str,
    /// The function called.
    pub function: &'a str,
    /// The dissenting variant.
    pub variant: &'a str,
    /// What it did: its value as WAVE text (dynamic calls), `returned` (typed
    /// calls), or the failure label (`trap(unreachable)`, `timed-out`, ...).
    pub outcome: String,
    /// Whether the ensemble still reached a verdict.
    pub verdict_reached: bool,
}

/// A subscriber to the [`Event`] stream. Any `Fn(&Event)` that is `Send + Sync`
/// is one.
pub trait Observer: Send + Sync {
    /// Called for every event, in the order they happen, on the thread that
    /// caused it. It should be quick: a library call waits for it.
    fn on_event(&self, event: &Event<'_>);
}

impl<F: Fn(&Event<'_>) + Send + Sync> Observer for F {
    fn on_event(&self, event: &Event<'_>) {
        self(event)
    }
}

/// One run of a verdict as observers see it, whatever the result type.
#[derive(Clone, Copy, Debug)]
pub struct RunFacts<'a> {
    /// The variant.
    pub variant: &'a str,
    /// Its outcome's kind.
    pub kind: OutcomeKind,
    /// Wall time of instantiation plus call.
    pub elapsed: Duration,
    /// Whether it dissented.
    pub dissented: bool,
}

/// What observers read of a [`Verdict`] of any result type.
pub trait VerdictView {
    /// The function called.
    fn function(&self) -> &str;
    /// Whether a verdict was reached.
    fn reached(&self) -> bool;
    /// How many variants voted.
    fn len(&self) -> usize;
    /// Whether no variant voted.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The run of the variant at `index`, in manifest order.
    fn run(&self, index: usize) -> Option<RunFacts<'_>>;
    /// The variants whose result depended on the engine.
    fn engine_divergences(&self) -> &[EngineDivergence];
}

impl std::fmt::Debug for dyn VerdictView + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerdictView")
            .field("function", &self.function())
            .field("reached", &self.reached())
            .field("variants", &self.len())
            .finish()
    }
}

impl<T: Votable> VerdictView for Verdict<T> {
    fn function(&self) -> &str {
        Verdict::function(self)
    }
    fn reached(&self) -> bool {
        Verdict::reached(self)
    }
    fn len(&self) -> usize {
        self.runs().len()
    }
    fn run(&self, index: usize) -> Option<RunFacts<'_>> {
        self.runs().get(index).map(|r| RunFacts {
            variant: &r.variant,
            kind: r.outcome.kind(),
            elapsed: r.elapsed,
            dissented: self.is_dissenter(index),
        })
    }
    fn engine_divergences(&self) -> &[EngineDivergence] {
        Verdict::engine_divergences(self)
    }
}

/// The `tracing` log of library calls: a warning for each dissent, engine
/// divergence and breaker that opens, and an info line for the breaker's other
/// transitions. Every ensemble has it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Log;

impl Observer for Log {
    fn on_event(&self, event: &Event<'_>) {
        match event {
            Event::EngineDivergence {
                ensemble,
                function,
                divergence,
            } => tracing::warn!(
                ensemble = *ensemble,
                function = *function,
                variant = %divergence.variant,
                outcomes = %divergence.describe(),
                "engine divergence (a compiler or runtime bug, not a variant bug)"
            ),
            Event::Dissent(d) => tracing::warn!(
                ensemble = d.ensemble,
                function = d.function,
                variant = d.variant,
                outcome = %d.outcome,
                verdict_reached = d.verdict_reached,
                "variant dissented"
            ),
            Event::Breaker(e) if e.to == BreakerState::Open => tracing::warn!(
                ensemble = %e.ensemble,
                variant = %e.variant,
                from = %e.from,
                reason = %e.reason,
                "variant taken out of service (circuit breaker open)"
            ),
            Event::Breaker(e) => tracing::info!(
                ensemble = %e.ensemble,
                variant = %e.variant,
                from = %e.from,
                to = %e.to,
                reason = %e.reason,
                "circuit breaker changed state"
            ),
            Event::Verdict { .. }
            | Event::EnsembleStarted { .. }
            | Event::Warning { .. }
            | Event::InputDone { .. }
            | Event::DivergenceFound { .. }
            | Event::Shrinking { .. }
            | Event::EnsembleDone { .. }
            | Event::RunDone { .. }
            | Event::MutationBaseline { .. }
            | Event::MutantsStarted { .. }
            | Event::MutantDone { .. }
            | Event::MutationDone { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{Outcome, Run};
    use crate::value::Value;
    use crate::vote::{Decision, Policy};

    #[test]
    fn a_verdict_of_any_type_is_seen_through_one_view() {
        let runs = vec![
            Run::without_output("a", Outcome::Returned(Value::U32(1))),
            Run::without_output("b", Outcome::<Value>::TimedOut),
        ];
        let v = Verdict::new(
            "f".into(),
            runs,
            Decision::Agreed {
                winner: 0,
                supporters: vec![0],
                dissenters: vec![1],
            },
            Policy::Plurality,
            Vec::new(),
            Vec::new(),
        );
        let view: &dyn VerdictView = &v;
        assert_eq!(view.function(), "f");
        assert!(view.reached());
        assert_eq!(view.len(), 2);
        let b = view.run(1).unwrap();
        assert_eq!(
            (b.variant, b.kind, b.dissented),
            ("b", OutcomeKind::TimedOut, true)
        );
        assert!(!view.run(0).unwrap().dissented);
        assert!(view.run(2).is_none());
    }

    #[test]
    fn closures_are_observers() {
        let seen = std::sync::Mutex::new(Vec::new());
        let o = |e: &Event<'_>| {
            if let Event::InputDone { divergent } = e {
                seen.lock().unwrap().push(*divergent);
            }
        };
        o.on_event(&Event::InputDone { divergent: true });
        o.on_event(&Event::Warning { message: "w" });
        assert_eq!(*seen.lock().unwrap(), [true]);
    }
}
