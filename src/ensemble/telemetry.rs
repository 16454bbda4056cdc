//! Metrics of library calls through the `metrics` crate facade: counters of calls,
//! verdicts, dissents by kind and engine divergences, latency histograms per
//! function and per variant, and each variant's breaker state. Any `metrics`
//! recorder (a Prometheus exporter, a test recorder) receives them; without one
//! they cost a few atomic operations per call. They are an [`Observer`] of the
//! ensemble's event stream, subscribed to every ensemble.
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

use metrics::{Key, Label, Level, Metadata, SharedString};

use crate::event::{Event, Observer, VerdictView};
use crate::outcome::OutcomeKind;
use crate::supervise::BreakerEvent;

static META: Metadata<'static> = Metadata::new(module_path!(), Level::INFO, Some(module_path!()));

/// The keys of one function's metrics.
#[derive(Debug)]
struct FunctionKeys {
    name: String,
    calls: Key,
    verdicts: Key,
    no_verdicts: Key,
    duration: Key,
}

/// The label values and the per-call metric keys of one ensemble, made once, so
/// that a call registers its metrics without building a key.
#[derive(Debug)]
pub(crate) struct Labels {
    ensemble: SharedString,
    functions: Vec<FunctionKeys>,
    variants: Vec<SharedString>,
    variant_durations: Vec<Key>,
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
        let ensemble = shared(name);
        let key = |metric: &'static str, label: &'static str, value: &SharedString| {
            Key::from_parts(
                metric,
                vec![
                    Label::new("ensemble", ensemble.clone()),
                    Label::new(label, value.clone()),
                ],
            )
        };
        let functions = functions
            .map(|f| {
                let v = shared(f);
                FunctionKeys {
                    name: f.to_string(),
                    calls: key("nvx_calls_total", "function", &v),
                    verdicts: key("nvx_verdicts_total", "function", &v),
                    no_verdicts: key("nvx_no_verdicts_total", "function", &v),
                    duration: key("nvx_call_duration_seconds", "function", &v),
                }
            })
            .collect();
        let variants: Vec<SharedString> = variants.map(shared).collect();
        let variant_durations = variants
            .iter()
            .map(|v| key("nvx_variant_duration_seconds", "variant", v))
            .collect();
        Labels {
            ensemble,
            functions,
            variants,
            variant_durations,
        }
    }

    fn variant(&self, i: usize, name: &str) -> SharedString {
        self.variants
            .get(i)
            .cloned()
            .unwrap_or_else(|| shared(name))
    }

    /// Records one call's verdict, which took `elapsed`.
    fn verdict(&self, verdict: &dyn VerdictView, elapsed: Duration) {
        let Some(keys) = self.functions.iter().find(|f| f.name == verdict.function()) else {
            return;
        };
        let runs = || (0..verdict.len()).filter_map(|i| verdict.run(i));
        metrics::with_recorder(|r| {
            r.register_counter(&keys.calls, &META).increment(1);
            let outcome = if verdict.reached() {
                &keys.verdicts
            } else {
                &keys.no_verdicts
            };
            r.register_counter(outcome, &META).increment(1);
            r.register_histogram(&keys.duration, &META)
                .record(elapsed.as_secs_f64());
            for (run, key) in runs().zip(&self.variant_durations) {
                if run.kind != OutcomeKind::OutOfService {
                    r.register_histogram(key, &META)
                        .record(run.elapsed.as_secs_f64());
                }
            }
        });
        let ensemble = &self.ensemble;
        for (i, run) in runs().enumerate() {
            if run.dissented {
                // An outvoted value, or the failure's kind.
                let kind = if run.kind == OutcomeKind::Returned {
                    "outvoted"
                } else {
                    run.kind.name()
                };
                let variant = self.variant(i, run.variant);
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
    fn breaker(&self, event: &BreakerEvent) {
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

/// The metrics are an observer of the event stream: verdicts and breaker
/// transitions are counted, the other events are not metrics.
impl Observer for Labels {
    fn on_event(&self, event: &Event<'_>) {
        match event {
            Event::Verdict {
                verdict, elapsed, ..
            } => self.verdict(*verdict, *elapsed),
            Event::Breaker(e) => self.breaker(e),
            Event::Dissent(_)
            | Event::EngineDivergence { .. }
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
