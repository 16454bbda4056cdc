//! What one variant did with one input: returned a value, or failed in a named way.
//!
//! Failures are data, not errors: they are outvoted and reported like dissent.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::value::Value;

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
            _ => None,
        }
    }

    /// A short label of the outcome kind: `returned`, `trap(unreachable)`, `timeout`,
    /// `exhausted(memory)`, `instantiation-failed`. Used in divergence signatures.
    pub fn label(&self) -> String {
        match self {
            Outcome::Returned(_) => "returned".into(),
            Outcome::Trapped { kind, .. } => format!("trap({kind})"),
            Outcome::TimedOut => "timeout".into(),
            Outcome::Exhausted(r) => format!("exhausted({})", r.name()),
            Outcome::InstantiationFailed(_) => "instantiation-failed".into(),
            Outcome::Exited(n) => format!("exited({n})"),
            Outcome::Cancelled => "cancelled".into(),
            Outcome::OutOfService => "out-of-service".into(),
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
        match self {
            Outcome::Returned(v) => value(v),
            other => other.label(),
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
