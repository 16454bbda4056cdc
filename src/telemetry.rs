//! Metrics of library calls through the `metrics` crate facade: counters of calls,
//! verdicts, dissents by kind and engine divergences, latency histograms per
//! function and per variant, and each variant's breaker state. Any `metrics`
//! recorder (a Prometheus exporter, a test recorder) receives them; without one
//! they cost a few atomic operations per call.
//!
//! | metric | kind | labels |
//! |---|---|---|
//! | `nvx_calls_total` | counter | `ensemble`, `function` |
//! | `nvx_verdicts_total` | counter | `ensemble`, `function` |
//! | `nvx_no_verdicts_total` | counter | `ensemble`, `function` |
//! | `nvx_call_duration_seconds` | histogram | `ensemble`, `function` |
//! | `nvx_variant_duration_seconds` | histogram | `ensemble`, `variant` |
//! | `nvx_dissents_total` | counter | `ensemble`, `variant`, `kind` |
//! | `nvx_engine_divergences_total` | counter | `ensemble`, `variant` |
//! | `nvx_breaker_state` | gauge (0 closed, 1 half-open, 2 open) | `ensemble`, `variant` |
//! | `nvx_breaker_transitions_total` | counter | `ensemble`, `variant`, `to` |
//!
//! A dissent's `kind` is `outvoted` (returned a value that lost the vote, or no
//! value won) or the failure's kind: `trapped`, `timed-out`, `exhausted`,
//! `instantiation-failed`, `exited`, `cancelled`, `out-of-service`.

use std::sync::Arc;
use std::time::Duration;

use metrics::SharedString;

use crate::ensemble::Verdict;
use crate::outcome::Outcome;
use crate::supervise::BreakerEvent;
use crate::votable::Votable;

/// The label values of one ensemble, made once so that each call only clones
/// reference counts.
#[derive(Debug)]
pub(crate) struct Labels {
    ensemble: SharedString,
    functions: Vec<SharedString>,
    variants: Vec<SharedString>,
}

fn shared(s: &str) -> SharedString {
    SharedString::from(Arc::<str>::from(s))
}

impl Labels {
    /// Labels for ensemble `name`, its functions and its variants, in order.
    pub(crate) fn new<'a>(
        name: &str,
        functions: impl Iterator<Item = &'a str>,
        variants: impl Iterator<Item = &'a str>,
    ) -> Labels {
        Labels {
            ensemble: shared(name),
            functions: functions.map(shared).collect(),
            variants: variants.map(shared).collect(),
        }
    }

    fn function(&self, name: &str) -> SharedString {
        self.functions
            .iter()
            .find(|f| f.as_ref() == name)
            .cloned()
            .unwrap_or_else(|| shared(name))
    }

    fn variant(&self, i: usize, name: &str) -> SharedString {
        self.variants
            .get(i)
            .cloned()
            .unwrap_or_else(|| shared(name))
    }

    /// Records one call's verdict, which took `elapsed`.
    pub(crate) fn verdict<T: Votable>(&self, verdict: &Verdict<T>, elapsed: Duration) {
        let function = self.function(verdict.function());
        let ensemble = self.ensemble.clone();
        metrics::counter!("nvx_calls_total", "ensemble" => ensemble.clone(), "function" => function.clone())
            .increment(1);
        if verdict.reached() {
            metrics::counter!("nvx_verdicts_total", "ensemble" => ensemble.clone(), "function" => function.clone())
                .increment(1);
        } else {
            metrics::counter!("nvx_no_verdicts_total", "ensemble" => ensemble.clone(), "function" => function.clone())
                .increment(1);
        }
        metrics::histogram!("nvx_call_duration_seconds", "ensemble" => ensemble.clone(), "function" => function)
            .record(elapsed.as_secs_f64());
        for (i, run) in verdict.runs().iter().enumerate() {
            let variant = self.variant(i, &run.variant);
            if !matches!(run.outcome, Outcome::OutOfService) {
                metrics::histogram!("nvx_variant_duration_seconds", "ensemble" => ensemble.clone(), "variant" => variant.clone())
                    .record(run.elapsed.as_secs_f64());
            }
            if verdict.is_dissenter(i) {
                let kind = match run.outcome {
                    Outcome::Returned(_) => "outvoted",
                    ref other => other.kind().name(),
                };
                metrics::counter!("nvx_dissents_total", "ensemble" => ensemble.clone(), "variant" => variant, "kind" => kind)
                    .increment(1);
            }
        }
        for d in verdict.engine_divergences() {
            metrics::counter!("nvx_engine_divergences_total", "ensemble" => ensemble.clone(), "variant" => shared(&d.variant))
                .increment(1);
        }
    }

    /// Records a breaker's change of state.
    pub(crate) fn breaker(&self, event: &BreakerEvent) {
        let variant = shared(&event.variant);
        metrics::gauge!("nvx_breaker_state", "ensemble" => self.ensemble.clone(), "variant" => variant.clone())
            .set(event.to.level());
        metrics::counter!("nvx_breaker_transitions_total", "ensemble" => self.ensemble.clone(), "variant" => variant, "to" => event.to.name())
            .increment(1);
    }

    /// Sets every variant's breaker-state gauge to closed (supervision starting).
    pub(crate) fn breakers_closed(&self) {
        for v in &self.variants {
            metrics::gauge!("nvx_breaker_state", "ensemble" => self.ensemble.clone(), "variant" => v.clone())
                .set(0.0);
        }
    }
}
