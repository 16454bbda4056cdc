//! Calling an ensemble: every variant on the same input, on this thread (shared
//! with the helper threads when that pays, see `parallel.rs`) or concurrently on
//! tokio, the vote (early, when asked and certain), the comparison of engines, and
//! the events each call emits.

use std::sync::Arc;

use crate::backend::Prepared;
use crate::control::CallControl;
use crate::engine::{self, EngineKind, SharedVariant};
use crate::error::Result;
use crate::event::{Dissent, Event};
use crate::outcome::{Outcome, Run};
use crate::supervise::Admission;
use crate::value::{Tolerance, Value};
use crate::verdict::{EngineDivergence, Verdict};
use crate::votable::Votable;
use crate::vote::{Decision, decide};
use crate::wit::FuncSig;

use super::{Ensemble, ShadowRuns};

/// What running a call's variants in parallel must save, by their recent times,
/// for a synchronous call to use the helper threads: waking a helper and handing
/// runs back costs a few microseconds, so calls of small functions stay on the
/// caller's thread.
pub(crate) const PARALLEL_SAVING: std::time::Duration = std::time::Duration::from_micros(40);

impl Ensemble {
    /// Runs every variant on `args` (one after another on this thread) and votes.
    ///
    /// # Errors
    /// [`Error::UnknownFunction`] or [`Error::BadArguments`]; a divergence is not an
    /// error but a [`Verdict`] with dissenters.
    pub fn call(&self, func: &str, args: &[Value]) -> Result<Verdict> {
        self.call_with(func, args, self.needs_own_thread(), None, false)
    }

    /// Like [`Ensemble::call`], under the caller's `control`: when its deadline
    /// passes or it is cancelled (from another thread), the variants still running
    /// stop within one epoch tick (2 ms) and those not yet started do not start;
    /// each is [`Outcome::Cancelled`] and counts as failed, so the verdict is still
    /// an honest vote over what finished.
    ///
    /// # Errors
    /// As [`Ensemble::call`].
    pub fn call_controlled(
        &self,
        func: &str,
        args: &[Value],
        control: &CallControl,
    ) -> Result<Verdict> {
        self.call_with(
            func,
            args,
            self.needs_own_thread(),
            Some(control.clone()),
            false,
        )
    }

    /// Whether a synchronous call must leave this thread: WASI variants make
    /// blocking host calls, which cannot run on a thread driving an async runtime.
    pub(crate) fn needs_own_thread(&self) -> bool {
        self.every_variant().any(|v| v.blocks()) && tokio::runtime::Handle::try_current().is_ok()
    }

    /// [`Ensemble::call`] on the current thread, for callers that know it may
    /// block: the campaign's worker threads, which already keep every core busy, so
    /// their calls run the variants one after another and engines do no work for
    /// them on threads of their own.
    pub(crate) fn call_here(&self, func: &str, args: &[Value]) -> Result<Verdict> {
        self.call_with(func, args, false, None, true)
    }

    /// Announces the calls this thread makes next through [`Ensemble::call_here`],
    /// in order, to every backend (see [`Backend::ahead`]): a campaign worker
    /// does so for each batch of inputs. The announcement stops at the first call
    /// that names no function or does not fit its signature; with supervision on,
    /// nothing is announced, since a breaker may keep a variant out of a call.
    pub(crate) fn ahead<'a>(&self, calls: impl IntoIterator<Item = (&'a str, &'a [Value])>) {
        if self.supervisor.is_some() {
            return;
        }
        let mut prepared = Vec::new();
        for (func, args) in calls {
            let Ok(sig) = self.function(func) else { break };
            if self.check_args(sig, args).is_err() {
                break;
            }
            prepared.push(Prepared::new(sig, args));
        }
        if prepared.is_empty() {
            return;
        }
        for v in self
            .inner
            .variants
            .iter()
            .chain(self.inner.shadows.iter().flatten())
        {
            v.ahead(&prepared);
        }
    }

    fn call_with(
        &self,
        func: &str,
        args: &[Value],
        own_thread: bool,
        control: Option<CallControl>,
        worker: bool,
    ) -> Result<Verdict> {
        let sig = self.function(func)?;
        self.check_args(sig, args)?;
        let started = std::time::Instant::now();
        let admissions = self.admit();
        if !worker && let Some(order) = self.parallel_order(&admissions) {
            let call = (sig.clone(), args.to_vec());
            return Ok(self.call_parallel(call, own_thread, control, admissions, order, started));
        }
        let prepared = Prepared::new(sig, args).with_control(control);
        let (runs, shadows) = engine::with_stack(self.limits().stack_kib, own_thread, || {
            let run = || self.run_everywhere(&admissions, |v| v.evaluate(&prepared));
            if worker {
                engine::seam::as_worker_thread(run)
            } else {
                run()
            }
        });
        self.learn(
            runs.iter()
                .chain(shadows.iter().flat_map(|(_, r)| r))
                .map(Some),
        );
        Ok(self.finish(sig, runs, &shadows, &admissions, started))
    }

    /// The variants of a call to run in parallel, slowest expected first, or
    /// `None` to run them one after another: with parallelism 1, with fewer than
    /// two to run, or when their recent times say parallel threads would save less
    /// than [`PARALLEL_SAVING`] (an early verdict counts as a saving once the
    /// call takes that long).
    pub(super) fn parallel_order(&self, admissions: &[Admission]) -> Option<Vec<usize>> {
        let threads = self.parallelism as u64;
        if threads < 2 {
            return None;
        }
        let n = self.inner.variants.len().max(1);
        let mut order: Vec<(usize, u64)> = self
            .inner
            .expected
            .iter()
            .enumerate()
            .filter(|(i, _)| admissions.get(i % n).is_none_or(|a| a.runs()))
            .map(|(i, t)| (i, t.load(std::sync::atomic::Ordering::Relaxed)))
            .collect();
        if order.len() < 2 {
            return None;
        }
        let total: u64 = order.iter().map(|(_, t)| t).sum();
        let longest = order.iter().map(|&(_, t)| t).max().unwrap_or(0);
        let saving = total.saturating_sub(longest.max(total / threads));
        let worth = |ns: u64| ns >= PARALLEL_SAVING.as_nanos() as u64;
        if !(worth(saving) || (self.early && worth(total))) {
            return None;
        }
        order.sort_by_key(|&(_, t)| std::cmp::Reverse(t));
        Some(order.into_iter().map(|(i, _)| i).collect())
    }

    /// [`Ensemble::call`] with the variants `order` shared between this thread
    /// and the helper threads (see `parallel.rs`), returning early when
    /// [`Ensemble::set_early_verdict`] is on and the verdict is certain.
    fn call_parallel(
        &self,
        call: (FuncSig, Vec<Value>),
        own_thread: bool,
        control: Option<CallControl>,
        admissions: Vec<Admission>,
        order: Vec<usize>,
        started: std::time::Instant,
    ) -> Verdict {
        let all: Vec<SharedVariant> = self.every_variant().cloned().collect();
        let n = self.inner.variants.len();
        let slots = all
            .iter()
            .enumerate()
            .map(|(i, v)| {
                (!admissions.get(i % n.max(1)).is_none_or(|a| a.runs()))
                    .then(|| Run::without_output(&v.entry().name, Outcome::OutOfService))
            })
            .collect();
        let sig = call.0.clone();
        let helpers = super::parallel::helpers();
        let share = (self.parallelism - 1)
            .min(helpers.threads())
            .min(order.len() - 1);
        let work = super::parallel::Work::new(all, call, control, slots, order);
        helpers.share(&work, share);
        let settled = |slots: &[Option<Run<Value>>]| {
            self.early && {
                let (decision, pending) = self.early_decision(slots);
                self.inner.policy.settled(&decision, pending, n)
            }
        };
        let stragglers = |slots: &[Option<Run<Value>>]| -> super::parallel::Stragglers {
            let this = self.clone();
            let sig = sig.clone();
            let pending = self.pending_names(slots);
            let admissions = admissions.clone();
            Box::new(move |slots| {
                this.learn(slots.iter().map(Option::as_ref));
                this.finish_stragglers(&sig, slots, &pending, &admissions, started);
            })
        };
        let running = engine::seam::CallRunning::start();
        let (slots, whole) = engine::with_stack(self.limits().stack_kib, own_thread, || {
            work.run_here(settled, stragglers)
        });
        drop(running);
        if whole {
            self.learn(slots.iter().map(Option::as_ref));
            let (runs, shadows) = self.split_slots(slots);
            self.finish(&sig, runs, &shadows, &admissions, started)
        } else {
            let (decision, _) = self.early_decision(&slots);
            self.early_verdict(&sig, &slots, decision)
        }
    }

    /// The vote over the voting runs among `slots` so far, and how many are still
    /// to come.
    fn early_decision(&self, slots: &[Option<Run<Value>>]) -> (Decision, usize) {
        let n = self.inner.variants.len().min(slots.len());
        let ballots: Vec<Option<&Value>> = slots[..n]
            .iter()
            .map(|r| r.as_ref().and_then(|r| r.outcome.value()))
            .collect();
        let pending = slots[..n].iter().filter(|r| r.is_none()).count();
        (self.decide(&ballots), pending)
    }

    /// The voting variants whose runs are missing from `slots`.
    fn pending_names(&self, slots: &[Option<Run<Value>>]) -> Vec<String> {
        self.inner
            .variants
            .iter()
            .zip(slots)
            .filter(|(_, r)| r.is_none())
            .map(|(v, _)| v.entry().name.clone())
            .collect()
    }

    /// Like [`Ensemble::call`], with the variants run concurrently on tokio's
    /// blocking pool (worth it when a call takes more than tens of microseconds).
    ///
    /// With [`Ensemble::set_early_verdict`] on, it returns as soon as the verdict
    /// is certain; see there.
    ///
    /// # Errors
    /// As [`Ensemble::call`].
    ///
    /// Dropping the future before it completes (for example under
    /// `tokio::time::timeout`) cancels the call: its variants stop within one epoch
    /// tick, as with [`CallControl::cancel`].
    pub async fn call_async(&self, func: &str, args: Vec<Value>) -> Result<Verdict> {
        self.call_async_controlled(func, args, CallControl::new())
            .await
    }

    /// [`Ensemble::call_async`] under the caller's `control`; see
    /// [`Ensemble::call_controlled`].
    ///
    /// # Errors
    /// As [`Ensemble::call`].
    pub async fn call_async_controlled(
        &self,
        func: &str,
        args: Vec<Value>,
        control: CallControl,
    ) -> Result<Verdict> {
        // Cancels the call's variants if this future is dropped before it is done.
        let mut guard = CancelOnDrop(Some(control.clone()));
        let verdict = self.call_async_inner(func, args, control).await;
        guard.0 = None;
        verdict
    }

    async fn call_async_inner(
        &self,
        func: &str,
        args: Vec<Value>,
        control: CallControl,
    ) -> Result<Verdict> {
        let sig = self.function(func)?.clone();
        self.check_args(&sig, &args)?;
        let _running = engine::seam::CallRunning::start();
        let started = std::time::Instant::now();
        let admissions = self.admit();
        let call = Arc::new((sig, args));
        let all: Vec<SharedVariant> = self.every_variant().cloned().collect();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, Run<Value>)>();
        let stack_kib = self.limits().stack_kib;
        let n = self.inner.variants.len();
        for (i, v) in all.iter().enumerate() {
            if !admissions.get(i % n.max(1)).is_none_or(|a| a.runs()) {
                let _ = tx.send((
                    i,
                    Run::without_output(&v.entry().name, Outcome::OutOfService),
                ));
                continue;
            }
            let (v, call, tx) = (Arc::clone(v), Arc::clone(&call), tx.clone());
            let control = control.clone();
            let task = tokio::task::spawn_blocking(move || {
                engine::with_stack(stack_kib, false, || {
                    v.evaluate(&Prepared::new(&call.0, &call.1).with_control(Some(control)))
                })
            });
            let name = all[i].entry().name.clone();
            tokio::spawn(async move {
                let run = task.await.unwrap_or_else(|e| {
                    Run::without_output(
                        name,
                        match e.try_into_panic() {
                            Ok(panic) => Outcome::host_panic(&*panic),
                            Err(e) => {
                                Outcome::InstantiationFailed(format!("the run was lost: {e}"))
                            }
                        },
                    )
                });
                let _ = tx.send((i, run));
            });
        }
        drop(tx);
        let mut slots: Vec<Option<Run<Value>>> = (0..all.len()).map(|_| None).collect();
        let mut left = all.len();
        while left > 0 {
            let Some((i, run)) = rx.recv().await else {
                break;
            };
            slots[i] = Some(run);
            left -= 1;
            if self.early && left > 0 {
                let (decision, pending) = self.early_decision(&slots);
                if self.inner.policy.settled(&decision, pending, n) {
                    return Ok(self.finish_early(
                        &call.0,
                        slots,
                        decision,
                        rx,
                        (admissions, started),
                    ));
                }
            }
        }
        self.learn(slots.iter().map(Option::as_ref));
        let (runs, shadows) = self.split_slots(slots);
        Ok(self.finish(&call.0, runs, &shadows, &admissions, started))
    }

    /// Whether [`Ensemble::call_async`], and [`Ensemble::call`] when it runs its
    /// variants in parallel (see [`Ensemble::set_parallelism`]), return as soon as
    /// the verdict is certain (off by default). Certain means: under `majority`, more than half of all
    /// variants returned one value; under `quorum`, K agree and the variants outside
    /// that group, finished or not, number fewer than K. Other policies always wait
    /// for every variant. The early [`Verdict`] holds the finished runs only;
    /// [`Verdict::pending`] names the others. Stragglers finish in the background:
    /// each that dissents still fires the dissent hooks and the `tracing` warning,
    /// and engine divergences found then are logged. With a tolerance, the agreed
    /// value is chosen among the finished runs.
    pub fn set_early_verdict(&mut self, early: bool) {
        self.early = early;
    }

    /// Splits the slots of all runs (voting engine first, then each further
    /// engine's) into the voting runs and the others, filling a missing run with a
    /// failure that says so.
    fn split_slots<T>(&self, slots: Vec<Option<Run<T>>>) -> (Vec<Run<T>>, ShadowRuns<T>) {
        let n = self.inner.variants.len();
        let mut runs: Vec<Run<T>> = slots
            .into_iter()
            .zip(self.every_variant())
            .map(|(r, v)| {
                r.unwrap_or_else(|| {
                    Run::without_output(
                        &v.entry().name,
                        Outcome::InstantiationFailed("the run never reported back".into()),
                    )
                })
            })
            .collect();
        let mut rest = runs.split_off(n.min(runs.len()));
        let mut shadows = Vec::new();
        for &k in self.inner.engines.iter().skip(1) {
            let tail = rest.split_off(n.min(rest.len()));
            shadows.push((k, std::mem::replace(&mut rest, tail)));
        }
        (runs, shadows)
    }

    /// The early verdict over the finished voting runs; the rest are awaited in the
    /// background and announced when they come in.
    fn finish_early(
        &self,
        sig: &FuncSig,
        slots: Vec<Option<Run<Value>>>,
        decision: Decision,
        mut rx: tokio::sync::mpsc::UnboundedReceiver<(usize, Run<Value>)>,
        (admissions, started): (Vec<Admission>, std::time::Instant),
    ) -> Verdict {
        let pending = self.pending_names(&slots);
        let verdict = self.early_verdict(sig, &slots, decision);
        let (this, sig) = (self.clone(), sig.clone());
        tokio::spawn(async move {
            let mut slots = slots;
            while let Some((i, run)) = rx.recv().await {
                slots[i] = Some(run);
            }
            this.learn(slots.iter().map(Option::as_ref));
            this.finish_stragglers(&sig, slots, &pending, &admissions, started);
        });
        verdict
    }

    /// The early verdict over the finished voting runs among `slots`, announced.
    fn early_verdict(
        &self,
        sig: &FuncSig,
        slots: &[Option<Run<Value>>],
        decision: Decision,
    ) -> Verdict {
        let n = self.inner.variants.len().min(slots.len());
        let finished: Vec<usize> = (0..n).filter(|&i| slots[i].is_some()).collect();
        let at = |i: usize| finished.iter().position(|&f| f == i);
        let decision = match decision {
            Decision::Agreed {
                winner,
                supporters,
                dissenters,
            } => Decision::Agreed {
                winner: at(winner).unwrap_or(0),
                supporters: supporters.into_iter().filter_map(at).collect(),
                dissenters: dissenters.into_iter().filter_map(at).collect(),
            },
            other => other,
        };
        let runs: Vec<Run<Value>> = finished.iter().filter_map(|&i| slots[i].clone()).collect();
        let verdict = Verdict::new(
            sig.name.clone(),
            runs,
            decision,
            self.inner.policy,
            Vec::new(),
            self.pending_names(slots),
        );
        self.announce(&verdict, |_| true);
        verdict
    }

    /// Once the stragglers of an early verdict are in: the whole verdict, with the
    /// dissent of the `pending` variants, every engine divergence (the early
    /// verdict compared no engines) and the call's metrics.
    fn finish_stragglers(
        &self,
        sig: &FuncSig,
        slots: Vec<Option<Run<Value>>>,
        pending: &[String],
        admissions: &[Admission],
        started: std::time::Instant,
    ) {
        let (runs, shadows) = self.split_slots(slots);
        let whole = self.verdict(sig, runs, &shadows);
        self.announce(&whole, |v| pending.iter().any(|p| p == v));
        self.after(&whole, admissions, started);
    }

    pub(crate) fn finish<T: Votable>(
        &self,
        sig: &FuncSig,
        runs: Vec<Run<T>>,
        shadows: &[(EngineKind, Vec<Run<T>>)],
        admissions: &[Admission],
        started: std::time::Instant,
    ) -> Verdict<T> {
        let verdict = self.verdict(sig, runs, shadows);
        self.announce(&verdict, |_| true);
        self.after(&verdict, admissions, started);
        verdict
    }

    /// The vote over every variant's run, and the engine divergences among `shadows`.
    fn verdict<T: Votable>(
        &self,
        sig: &FuncSig,
        runs: Vec<Run<T>>,
        shadows: &[(EngineKind, Vec<Run<T>>)],
    ) -> Verdict<T> {
        let ballots: Vec<Option<&T>> = runs.iter().map(|r| r.outcome.value()).collect();
        let decision = self.decide(&ballots);
        let first = self
            .inner
            .engines
            .first()
            .copied()
            .unwrap_or(EngineKind::Cranelift);
        let engine_divergences = engine_split(first, &runs, shadows);
        Verdict::new(
            sig.name.clone(),
            runs,
            decision,
            self.inner.policy,
            engine_divergences,
            Vec::new(),
        )
    }

    /// The vote over `ballots` under the ensemble's policy and tolerance.
    fn decide<T: Votable>(&self, ballots: &[Option<&T>]) -> Decision {
        let tol = self.tolerance();
        if tol.is_set() {
            decide(
                ballots,
                self.inner.policy,
                |a, b| a.within(b, &tol),
                |v| v.numeric(),
            )
        } else {
            decide(
                ballots,
                self.inner.policy,
                |a, b| a.same(b),
                |v| v.numeric(),
            )
        }
    }

    /// Emits the verdict's engine divergences, and the dissents of the variants
    /// `dissent_of` selects.
    fn announce<T: Votable>(&self, verdict: &Verdict<T>, dissent_of: impl Fn(&str) -> bool) {
        for divergence in verdict.engine_divergences() {
            self.emit(&Event::EngineDivergence {
                ensemble: self.name(),
                function: verdict.function(),
                divergence,
            });
        }
        let reached = verdict.reached();
        for run in verdict.dissenting_runs().filter(|r| dissent_of(&r.variant)) {
            let d = Dissent {
                ensemble: self.name(),
                function: verdict.function(),
                variant: &run.variant,
                outcome: run.outcome.describe(),
                verdict_reached: reached,
            };
            self.emit(&Event::Dissent(&d));
        }
    }
}

/// Each variant whose outcome on some further engine differs from its outcome on
/// the voting engine `first`.
fn engine_split<T: Votable>(
    first: EngineKind,
    runs: &[Run<T>],
    shadows: &[(EngineKind, Vec<Run<T>>)],
) -> Vec<EngineDivergence> {
    let show = Outcome::<T>::describe;
    let mut out = Vec::new();
    if shadows.is_empty() {
        return out;
    }
    for (i, run) in runs.iter().enumerate() {
        let others: Vec<(EngineKind, &Run<T>)> = shadows
            .iter()
            .filter_map(|(k, rs)| rs.get(i).map(|r| (*k, r)))
            .collect();
        // The WASI profile is deterministic on every engine, so what a variant
        // writes is compared too.
        let same_output = |r: &Run<T>| r.stdout == run.stdout && r.stderr == run.stderr;
        let differs = others.iter().any(|(_, r)| {
            run.outcome.comparable_across_engines()
                && r.outcome.comparable_across_engines()
                && (!run.outcome.same_as(&r.outcome, &Tolerance::default()) || !same_output(r))
        });
        if differs {
            let outputs_differ = others.iter().any(|(_, r)| !same_output(r));
            let show_run = |r: &Run<T>| {
                if outputs_differ {
                    format!(
                        "{} (stdout {:?}, stderr {:?})",
                        show(&r.outcome),
                        clip(&r.stdout),
                        clip(&r.stderr)
                    )
                } else {
                    show(&r.outcome)
                }
            };
            let mut outcomes = vec![(first, show_run(run))];
            outcomes.extend(others.iter().map(|(k, r)| (*k, show_run(r))));
            out.push(EngineDivergence {
                variant: run.variant.clone(),
                outcomes,
            });
        }
    }
    out
}

/// The head of a captured output, for an engine divergence's description.
fn clip(text: &str) -> String {
    const SHOWN: usize = 80;
    match text.char_indices().nth(SHOWN) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Cancels a call's [`CallControl`] when dropped armed: the future of an async call
/// dropped before it finished.
struct CancelOnDrop(Option<CallControl>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(c) = &self.0 {
            c.cancel();
        }
    }
}
