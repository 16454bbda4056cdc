//! What one variant did with one input: returned a value, or failed in a named way.
//!
//! Failures are data, not errors: they are outvoted and reported like dissent.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::value::{Tolerance, Value};
use crate::votable::Votable;

/// The resource a variant ran out of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Resource {
    /// Linear memory beyond `memory-mib`.
    Memory,
    /// WebAssembly stack beyond `stack-kib`.
    Stack,
    /// A result larger than `output-kib`.
    Output,
    /// The `fuel` budget.
    Fuel,
}

impl Resource {
    /// The lowercase name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Resource::Memory => "memory",
            Resource::Stack => "stack",
            Resource::Output => "output",
            Resource::Fuel => "fuel",
        }
    }
}

/// What kind of outcome a run had: the one vocabulary of outcome kinds that the
/// campaign, the reports and the CLI's JSON share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum OutcomeKind {
    /// Returned a value.
    Returned,
    /// Trapped.
    Trapped,
    /// Ran past its deadline.
    TimedOut,
    /// Exhausted a resource limit.
    Exhausted,
    /// Could not be instantiated.
    InstantiationFailed,
    /// Called WASI `exit`.
    Exited,
    /// Stopped by the caller's deadline or cancellation.
    Cancelled,
    /// Not run: its circuit breaker was open.
    OutOfService,
}

impl OutcomeKind {
    /// The kind's name, as it appears in JSON: `returned`, `trapped`, `timed-out`,
    /// `exhausted`, `instantiation-failed`, `exited`, `cancelled`, `out-of-service`.
    pub fn name(self) -> &'static str {
        match self {
            OutcomeKind::Returned => "returned",
            OutcomeKind::Trapped => "trapped",
            OutcomeKind::TimedOut => "timed-out",
            OutcomeKind::Exhausted => "exhausted",
            OutcomeKind::InstantiationFailed => "instantiation-failed",
            OutcomeKind::Exited => "exited",
            OutcomeKind::Cancelled => "cancelled",
            OutcomeKind::OutOfService => "out-of-service",
        }
    }
}

impl fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The outcome of one variant on one input. `T` is the result type: [`Value`] for
/// dynamic calls, the caller's Rust type for typed calls.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Outcome<T = Value> {
    /// The variant returned this value; only these vote.
    Returned(T),
    /// The variant trapped.
    Trapped {
        /// The trap code (`unreachable`, `memory out of bounds`, ...).
        kind: String,
        /// The full message, with a WebAssembly backtrace when available.
        message: String,
    },
    /// The variant ran past `timeout-ms`.
    TimedOut,
    /// The variant exhausted a resource limit.
    Exhausted(Resource),
    /// The variant could not be instantiated.
    InstantiationFailed(String),
    /// The variant called WASI `exit` with this status (`exit(ok)` is 0, `exit(err)`
    /// is 1, `exit-with-code(n)` is n). It returned no value, so it does not vote.
    Exited(i32),
    /// The caller's deadline passed or the caller cancelled the call while the
    /// variant ran (see [`crate::CallControl`]); the variant was stopped. It counts
    /// as failed.
    Cancelled,
    /// The variant was not run: its circuit breaker had taken it out of service
    /// (see [`crate::Supervision`]). It counts as failed, so the electorate never
    /// shrinks.
    OutOfService,
}

impl<T> Outcome<T> {
    /// The returned value, if any.
    pub fn value(&self) -> Option<&T> {
        match self {
            Outcome::Returned(v) => Some(v),
            Outcome::Trapped { .. }
            | Outcome::TimedOut
            | Outcome::Exhausted(_)
            | Outcome::InstantiationFailed(_)
            | Outcome::Exited(_)
            | Outcome::Cancelled
            | Outcome::OutOfService => None,
        }
    }

    /// A short label of the outcome: its [kind](OutcomeKind::name), with the detail
    /// that tells failures of one kind apart: `returned`, `trap(unreachable)`,
    /// `timed-out`, `exhausted(memory)`, `instantiation-failed`, `exited(1)`,
    /// `cancelled`, `out-of-service`. Signatures, reports, metrics and failure
    /// counts all name outcomes by it.
    pub fn label(&self) -> String {
        match self {
            Outcome::Returned(_) => OutcomeKind::Returned.name().into(),
            Outcome::Trapped { kind, .. } => format!("trap({kind})"),
            Outcome::TimedOut => OutcomeKind::TimedOut.name().into(),
            Outcome::Exhausted(r) => format!("exhausted({})", r.name()),
            Outcome::InstantiationFailed(_) => OutcomeKind::InstantiationFailed.name().into(),
            Outcome::Exited(n) => format!("exited({n})"),
            Outcome::Cancelled => OutcomeKind::Cancelled.name().into(),
            Outcome::OutOfService => OutcomeKind::OutOfService.name().into(),
        }
    }

    /// Whether two engines running the same variant on the same input must agree
    /// on this outcome. A timeout, cancellation, or running out of stack or fuel
    /// depends on how fast or how frugal an engine's code is, and a variant out of
    /// service did not run, so these are shown but never counted as an engine
    /// divergence.
    pub fn comparable_across_engines(&self) -> bool {
        match self {
            Outcome::TimedOut | Outcome::Cancelled | Outcome::OutOfService => false,
            Outcome::Exhausted(r) => match r {
                Resource::Stack | Resource::Fuel => false,
                Resource::Memory | Resource::Output => true,
            },
            Outcome::Returned(_)
            | Outcome::Trapped { .. }
            | Outcome::InstantiationFailed(_)
            | Outcome::Exited(_) => true,
        }
    }

    /// The outcome kind alone.
    pub fn kind(&self) -> OutcomeKind {
        match self {
            Outcome::Returned(_) => OutcomeKind::Returned,
            Outcome::Trapped { .. } => OutcomeKind::Trapped,
            Outcome::TimedOut => OutcomeKind::TimedOut,
            Outcome::Exhausted(_) => OutcomeKind::Exhausted,
            Outcome::InstantiationFailed(_) => OutcomeKind::InstantiationFailed,
            Outcome::Exited(_) => OutcomeKind::Exited,
            Outcome::Cancelled => OutcomeKind::Cancelled,
            Outcome::OutOfService => OutcomeKind::OutOfService,
        }
    }

    /// The outcome as one short text: the returned value printed by `value`, or
    /// the failure's [`label`](Outcome::label). Reports and the CLI show outcomes
    /// through this.
    pub fn brief(&self, value: impl FnOnce(&T) -> String) -> String {
        match self.value() {
            Some(v) => value(v),
            None => self.label(),
        }
    }

    /// Details of a failure (trap message, exhausted resource), empty for a value.
    pub fn detail(&self) -> String {
        match self {
            Outcome::Returned(_) => String::new(),
            Outcome::Trapped { message, .. } => message.clone(),
            Outcome::TimedOut => "deadline exceeded".into(),
            Outcome::Exhausted(r) => format!("{} limit exceeded", r.name()),
            Outcome::InstantiationFailed(m) => m.clone(),
            Outcome::Exited(n) => format!("called exit with status {n}"),
            Outcome::Cancelled => "stopped by the caller's deadline or cancellation".into(),
            Outcome::OutOfService => "not run: its circuit breaker is open".into(),
        }
    }

    /// The failure of a run that panicked in the host (in nvx, wasmtime or WASI,
    /// not in the variant's code): a bug, contained, reported as the trap kind
    /// `host-panic` with the panic's message. Never an instantiation failure.
    pub fn host_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Outcome::Trapped {
            kind: "host-panic".into(),
            message: format!(
                "the host panicked while running this variant (a bug in nvx or wasmtime, contained): {what}"
            ),
        }
    }

    /// Applies `f` to a returned value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Outcome<U> {
        match self {
            Outcome::Returned(v) => Outcome::Returned(f(v)),
            Outcome::Trapped { kind, message } => Outcome::Trapped { kind, message },
            Outcome::TimedOut => Outcome::TimedOut,
            Outcome::Exhausted(r) => Outcome::Exhausted(r),
            Outcome::InstantiationFailed(m) => Outcome::InstantiationFailed(m),
            Outcome::Exited(n) => Outcome::Exited(n),
            Outcome::Cancelled => Outcome::Cancelled,
            Outcome::OutOfService => Outcome::OutOfService,
        }
    }
}

impl<T: Votable> Outcome<T> {
    /// Whether two outcomes are the same behaviour, the one rule of sameness that
    /// engine comparison, agreement counts and mutation scores share: two values
    /// that are equal (floats by bits, NaNs equal) or, when `tol` is set, within it;
    /// or two failures with the same [label](Outcome::label). A value and a failure
    /// are never the same.
    pub fn same_as(&self, other: &Outcome<T>, tol: &Tolerance) -> bool {
        match (self.value(), other.value()) {
            (Some(x), Some(y)) if tol.is_set() => x.within(y, tol),
            (Some(x), Some(y)) => x.same(y),
            (None, None) => self.label() == other.label(),
            (Some(_), None) | (None, Some(_)) => false,
        }
    }

    /// The outcome as text for messages: the value's
    /// [`describe`](Votable::describe), or the failure's label.
    pub fn describe(&self) -> String {
        self.brief(Votable::describe)
    }
}

impl fmt::Display for Outcome<Value> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.brief(|v| v.to_string()))
    }
}

/// One variant's run on one input.
#[derive(Clone, Debug)]
pub struct Run<T = Value> {
    /// The variant's name.
    pub variant: String,
    /// What it did.
    pub outcome: Outcome<T>,
    /// Wall time of instantiation plus call.
    pub elapsed: Duration,
    /// What the variant wrote to WASI stdout (capped at `output-kib`; empty when
    /// it wrote nothing or imports no WASI).
    pub stdout: String,
    /// What the variant wrote to WASI stderr (capped likewise).
    pub stderr: String,
}

impl<T> Run<T> {
    /// A run of `variant` that took no time and wrote nothing: one that was never
    /// started (out of service, cancelled before it began) or whose result was lost.
    pub fn without_output(variant: impl Into<String>, outcome: Outcome<T>) -> Run<T> {
        Run {
            variant: variant.into(),
            outcome,
            elapsed: Duration::ZERO,
            stdout: String::new(),
            stderr: String::new(),
        }
    }

    /// The outcome's detail followed by the captured stdout and stderr, if any:
    /// what reports show about a run beyond its label.
    pub fn detail(&self) -> String {
        let mut s = self.outcome.detail();
        for (name, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            if !text.is_empty() {
                if !s.is_empty() {
                    s.push('\n');
                }
                s.push_str(&format!("{name}: {}", text.trim_end()));
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every outcome's label begins with its kind's name, so labels, kinds,
    /// metrics and signatures speak one vocabulary.
    #[test]
    fn labels_begin_with_the_kind_name() {
        let all: [Outcome; 8] = [
            Outcome::Returned(Value::U32(1)),
            Outcome::Trapped {
                kind: "unreachable".into(),
                message: String::new(),
            },
            Outcome::TimedOut,
            Outcome::Exhausted(Resource::Stack),
            Outcome::InstantiationFailed("x".into()),
            Outcome::Exited(3),
            Outcome::Cancelled,
            Outcome::OutOfService,
        ];
        let labels: Vec<String> = all.iter().map(Outcome::label).collect();
        assert_eq!(
            labels,
            [
                "returned",
                "trap(unreachable)",
                "timed-out",
                "exhausted(stack)",
                "instantiation-failed",
                "exited(3)",
                "cancelled",
                "out-of-service"
            ]
        );
        for o in &all {
            let name = o.kind().name();
            let label = o.label();
            let head = label.split('(').next().unwrap_or_default();
            // `trap(..)` is the one label shortened from its kind, `trapped`.
            let expect = if name == "trapped" { "trap" } else { name };
            assert_eq!(head, expect, "{label} against {name}");
        }
    }

    #[test]
    fn sameness_of_outcomes() {
        let exact = Tolerance::default();
        let rel = Tolerance {
            rel: Some(1e-9),
            ..Tolerance::default()
        };
        let a = Outcome::Returned(Value::F64(1.0));
        let b = Outcome::Returned(Value::F64(1.0 + 1e-12));
        assert!(a.same_as(&a, &exact));
        assert!(!a.same_as(&b, &exact));
        assert!(a.same_as(&b, &rel));
        // Exact means by bits: 0.0 and -0.0 differ, NaNs agree.
        let z = Outcome::Returned(Value::F64(0.0));
        let nz = Outcome::Returned(Value::F64(-0.0));
        assert!(!z.same_as(&nz, &exact));
        let nan = Outcome::Returned(Value::F64(f64::NAN));
        assert!(nan.same_as(&nan, &exact));
        // Failures compare by label, values never equal failures.
        assert!(Outcome::<Value>::TimedOut.same_as(&Outcome::TimedOut, &exact));
        assert!(!Outcome::<Value>::Exited(1).same_as(&Outcome::Exited(2), &exact));
        assert!(!a.same_as(&Outcome::TimedOut, &rel));
        assert!(!Outcome::TimedOut.same_as(&a, &rel));
        let trap = |k: &str, m: &str| Outcome::<Value>::Trapped {
            kind: k.into(),
            message: m.into(),
        };
        assert!(trap("unreachable", "one").same_as(&trap("unreachable", "two"), &exact));
        assert!(!trap("unreachable", "").same_as(&trap("stack overflow", ""), &exact));
    }
}
