//! Supervision of variants over time: a health record per variant and a circuit
//! breaker that takes a variant which keeps failing or dissenting out of service,
//! retries it after a back-off, and brings it back when it agrees again. A variant
//! out of service is not run but still counts, as failed, in every vote.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::outcome::{Outcome, OutcomeKind};

/// The breaker policy. Supervision is off unless an ensemble is given one with
/// [`crate::Ensemble::supervise`].
///
/// A variant's breaker *opens* (the variant goes out of service) after
/// `trip_after` consecutive calls in which it failed or dissented, or, with
/// `max_dissent_rate` set, when over the last `window` calls it ran it failed or
/// dissented in more than that share of them. After `backoff` the breaker is
/// *half-open*: the next call runs the variant as a trial (one trial at a time;
/// concurrent calls keep it out). A trial that sides with the verdict *closes* the
/// breaker; one that fails or dissents opens it again for twice the back-off, up to
/// `max_backoff`.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct Supervision {
    /// Consecutive failures or dissents that open the breaker (at least 1).
    pub trip_after: u32,
    /// Calls in the window the dissent rate is taken over (at least 1).
    pub window: u32,
    /// The dissent rate over a full window that opens the breaker; `None` to trip on
    /// consecutive failures only.
    pub max_dissent_rate: Option<f64>,
    /// How long a breaker stays open before its first trial.
    pub backoff: Duration,
    /// The longest back-off after repeated failed trials.
    pub max_backoff: Duration,
}

impl Default for Supervision {
    /// Five consecutive failures or dissents, or more than half of the last 100
    /// calls; first retry after one second, doubling up to one minute.
    fn default() -> Supervision {
        Supervision {
            trip_after: 5,
            window: 100,
            max_dissent_rate: Some(0.5),
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
        }
    }
}

impl Supervision {
    /// This policy with `trip_after` consecutive failures or dissents.
    pub fn trip_after(mut self, n: u32) -> Supervision {
        self.trip_after = n.max(1);
        self
    }

    /// This policy with a dissent-rate trip: more than `rate` over `window` calls.
    pub fn max_dissent_rate(mut self, rate: Option<f64>, window: u32) -> Supervision {
        self.max_dissent_rate = rate;
        self.window = window.max(1);
        self
    }

    /// This policy with the first back-off `backoff`, doubling up to `max`.
    pub fn backoff(mut self, backoff: Duration, max: Duration) -> Supervision {
        self.backoff = backoff;
        self.max_backoff = max.max(backoff);
        self
    }
}

/// Where a variant's breaker stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BreakerState {
    /// In service: the variant runs on every call.
    Closed,
    /// Out of service: the variant is not run and counts as failed.
    Open,
    /// Back-off over: the next call runs the variant as a trial.
    HalfOpen,
}

impl BreakerState {
    /// `closed`, `open` or `half-open`.
    pub fn name(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open => "open",
            BreakerState::HalfOpen => "half-open",
        }
    }

    /// 0 closed, 1 half-open, 2 open: the value of the breaker-state gauge.
    pub fn level(self) -> f64 {
        match self {
            BreakerState::Closed => 0.0,
            BreakerState::HalfOpen => 1.0,
            BreakerState::Open => 2.0,
        }
    }
}

impl std::fmt::Display for BreakerState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A breaker's change of state, as handed to [`crate::Ensemble::on_breaker`] hooks
/// and logged through `tracing`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BreakerEvent {
    /// The ensemble.
    pub ensemble: String,
    /// The variant.
    pub variant: String,
    /// The state before.
    pub from: BreakerState,
    /// The state after.
    pub to: BreakerState,
    /// Why, e.g. `5 consecutive failures or dissents (last: trap(unreachable))`.
    pub reason: String,
}

/// A snapshot of one variant's health, from [`crate::Ensemble::health`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct VariantHealth {
    /// The variant.
    pub variant: String,
    /// Its breaker's state.
    pub state: BreakerState,
    /// Calls in a row in which it failed or dissented.
    pub consecutive_failures: u32,
    /// Share of the calls in the window in which it failed or dissented (0 with
    /// none yet).
    pub dissent_rate: f64,
    /// Calls it ran in (trials included, calls out of service not).
    pub runs: u64,
    /// Calls it was kept out of service for.
    pub skipped: u64,
    /// Times its breaker opened.
    pub trips: u64,
    /// When its next trial may run, while open.
    pub retry_at: Option<Instant>,
}

/// What one run meant for a variant's health.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mark {
    /// It sided with the verdict.
    Agreed,
    /// It failed (trapped, timed out, exhausted a limit, ...) or was outvoted.
    Failed,
    /// Neither: it returned a value in a vote that reached no verdict, or the
    /// caller cancelled it.
    Neutral,
}

impl Mark {
    /// What `outcome` means for its variant's health, in a call whose vote
    /// `reached` a verdict or not, where the variant `dissented` or not.
    pub(crate) fn of<T>(outcome: &Outcome<T>, reached: bool, dissented: bool) -> Mark {
        // A cancelled run was stopped by its caller, and a value in a vote without
        // a verdict was neither right nor wrong: neither says anything of health.
        if outcome.kind() == OutcomeKind::Cancelled || (outcome.value().is_some() && !reached) {
            Mark::Neutral
        } else if dissented {
            Mark::Failed
        } else {
            Mark::Agreed
        }
    }
}

/// Whether a variant runs in a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Admission {
    /// In service.
    Run,
    /// Half-open: this call is its trial.
    Trial,
    /// Out of service: not run, counted as failed.
    Skip,
}

impl Admission {
    /// Whether the variant runs.
    pub(crate) fn runs(self) -> bool {
        self != Admission::Skip
    }
}

#[derive(Debug)]
struct Health {
    state: BreakerState,
    streak: u32,
    window: VecDeque<bool>,
    failed_in_window: u32,
    runs: u64,
    skipped: u64,
    trips: u64,
    backoff: Duration,
    retry_at: Option<Instant>,
    trial_running: bool,
}

/// The shared health records of an ensemble's variants under one policy.
#[derive(Debug)]
pub(crate) struct Supervisor {
    policy: Supervision,
    names: Vec<String>,
    health: Vec<Mutex<Health>>,
}

impl Supervisor {
    /// Every variant in service.
    pub(crate) fn new(policy: Supervision, names: Vec<String>) -> Supervisor {
        let health = names
            .iter()
            .map(|_| {
                Mutex::new(Health {
                    state: BreakerState::Closed,
                    streak: 0,
                    window: VecDeque::new(),
                    failed_in_window: 0,
                    runs: 0,
                    skipped: 0,
                    trips: 0,
                    backoff: policy.backoff,
                    retry_at: None,
                    trial_running: false,
                })
            })
            .collect();
        Supervisor {
            policy,
            names,
            health,
        }
    }

    /// Whether variant `i` runs in a call starting `now`, and the transition
    /// (open → half-open) that admitting it made, if any.
    pub(crate) fn admit(&self, i: usize, now: Instant) -> (Admission, Option<BreakerEvent>) {
        let Some(Ok(mut h)) = self.health.get(i).map(Mutex::lock) else {
            return (Admission::Run, None);
        };
        match h.state {
            BreakerState::Closed => (Admission::Run, None),
            BreakerState::Open if h.retry_at.is_some_and(|t| now >= t) => {
                h.state = BreakerState::HalfOpen;
                h.trial_running = true;
                let event = self.event(i, BreakerState::Open, BreakerState::HalfOpen, || {
                    format!("back-off of {:?} over; trying it again", h.backoff)
                });
                (Admission::Trial, Some(event))
            }
            BreakerState::HalfOpen if !h.trial_running => {
                h.trial_running = true;
                (Admission::Trial, None)
            }
            _ => {
                h.skipped += 1;
                (Admission::Skip, None)
            }
        }
    }

    /// Records what variant `i`'s run (admitted as `admission`) meant, finishing
    /// at `now`; returns the transition it caused, if any. `what` describes the
    /// outcome for the event's reason.
    pub(crate) fn record(
        &self,
        i: usize,
        admission: Admission,
        mark: Mark,
        now: Instant,
        what: impl FnOnce() -> String,
    ) -> Option<BreakerEvent> {
        if admission == Admission::Skip {
            return None;
        }
        let Some(Ok(mut h)) = self.health.get(i).map(Mutex::lock) else {
            return None;
        };
        if admission == Admission::Trial {
            h.trial_running = false;
        }
        if mark == Mark::Neutral {
            return None;
        }
        h.runs += 1;
        let failed = mark == Mark::Failed;
        h.window.push_back(failed);
        h.failed_in_window += u32::from(failed);
        while h.window.len() > self.policy.window as usize {
            if h.window.pop_front() == Some(true) {
                h.failed_in_window -= 1;
            }
        }
        h.streak = if failed { h.streak + 1 } else { 0 };
        match (h.state, failed) {
            (BreakerState::HalfOpen, false) if admission == Admission::Trial => {
                h.state = BreakerState::Closed;
                h.backoff = self.policy.backoff;
                h.retry_at = None;
                h.window.clear();
                h.failed_in_window = 0;
                Some(
                    self.event(i, BreakerState::HalfOpen, BreakerState::Closed, || {
                        "its trial agreed with the verdict".into()
                    }),
                )
            }
            (BreakerState::HalfOpen, true) if admission == Admission::Trial => {
                h.backoff = (h.backoff * 2).min(self.policy.max_backoff);
                h.state = BreakerState::Open;
                h.retry_at = now.checked_add(h.backoff);
                h.trips += 1;
                let backoff = h.backoff;
                Some(
                    self.event(i, BreakerState::HalfOpen, BreakerState::Open, || {
                        format!("its trial {}; next trial in {backoff:?}", what())
                    }),
                )
            }
            (BreakerState::Closed, true) => {
                let rate_trip = self.policy.max_dissent_rate.is_some_and(|max| {
                    h.window.len() == self.policy.window as usize
                        && f64::from(h.failed_in_window) / h.window.len() as f64 > max
                });
                if h.streak < self.policy.trip_after && !rate_trip {
                    return None;
                }
                let reason = if h.streak >= self.policy.trip_after {
                    format!(
                        "{} consecutive failures or dissents (last: {})",
                        h.streak,
                        what()
                    )
                } else {
                    format!(
                        "failed or dissented in {} of the last {} calls (last: {})",
                        h.failed_in_window,
                        h.window.len(),
                        what()
                    )
                };
                h.state = BreakerState::Open;
                h.retry_at = now.checked_add(h.backoff);
                h.trips += 1;
                Some(self.event(i, BreakerState::Closed, BreakerState::Open, || reason))
            }
            _ => None,
        }
    }

    /// Every variant's health now.
    pub(crate) fn health(&self) -> Vec<VariantHealth> {
        self.names
            .iter()
            .zip(&self.health)
            .filter_map(|(name, h)| {
                let h = h.lock().ok()?;
                Some(VariantHealth {
                    variant: name.clone(),
                    state: h.state,
                    consecutive_failures: h.streak,
                    dissent_rate: if h.window.is_empty() {
                        0.0
                    } else {
                        f64::from(h.failed_in_window) / h.window.len() as f64
                    },
                    runs: h.runs,
                    skipped: h.skipped,
                    trips: h.trips,
                    retry_at: (h.state == BreakerState::Open)
                        .then_some(h.retry_at)
                        .flatten(),
                })
            })
            .collect()
    }

    fn event(
        &self,
        i: usize,
        from: BreakerState,
        to: BreakerState,
        reason: impl FnOnce() -> String,
    ) -> BreakerEvent {
        BreakerEvent {
            ensemble: String::new(),
            variant: self.names.get(i).cloned().unwrap_or_default(),
            from,
            to,
            reason: reason(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sup(policy: Supervision) -> Supervisor {
        Supervisor::new(policy, vec!["a".into(), "b".into()])
    }

    /// Runs one call for variant 0 with `mark`, returning its admission and the
    /// transitions.
    fn call(
        s: &Supervisor,
        mark: Mark,
        now: Instant,
    ) -> (Admission, Vec<(BreakerState, BreakerState)>) {
        let (adm, ev) = s.admit(0, now);
        let mut seen: Vec<_> = ev.into_iter().map(|e| (e.from, e.to)).collect();
        if let Some(e) = s.record(0, adm, mark, now, || "trap(unreachable)".into()) {
            seen.push((e.from, e.to));
        }
        (adm, seen)
    }

    #[test]
    fn k_consecutive_failures_open_the_breaker_and_a_success_resets_the_streak() {
        let s = sup(Supervision::default()
            .trip_after(3)
            .max_dissent_rate(None, 10));
        let t = Instant::now();
        call(&s, Mark::Failed, t);
        call(&s, Mark::Failed, t);
        call(&s, Mark::Agreed, t);
        call(&s, Mark::Failed, t);
        assert_eq!(call(&s, Mark::Failed, t).1, []);
        assert_eq!(
            call(&s, Mark::Failed, t).1,
            [(BreakerState::Closed, BreakerState::Open)]
        );
        assert_eq!(call(&s, Mark::Agreed, t).0, Admission::Skip);
        let h = &s.health()[0];
        assert_eq!(
            (h.state, h.trips, h.skipped, h.runs),
            (BreakerState::Open, 1, 1, 6)
        );
        assert_eq!(s.health()[1].state, BreakerState::Closed, "b untouched");
    }

    #[test]
    fn a_trial_after_the_backoff_closes_on_agreement_and_reopens_longer_on_failure() {
        let backoff = Duration::from_secs(10);
        let s = sup(Supervision::default()
            .trip_after(1)
            .backoff(backoff, Duration::from_secs(25)));
        let t0 = Instant::now();
        call(&s, Mark::Failed, t0);
        assert_eq!(call(&s, Mark::Agreed, t0 + backoff / 2).0, Admission::Skip);
        // Back-off over: a failed trial doubles it.
        let t1 = t0 + backoff;
        let (adm, seen) = call(&s, Mark::Failed, t1);
        assert_eq!(adm, Admission::Trial);
        assert_eq!(
            seen,
            [
                (BreakerState::Open, BreakerState::HalfOpen),
                (BreakerState::HalfOpen, BreakerState::Open)
            ]
        );
        assert_eq!(s.health()[0].retry_at, Some(t1 + 2 * backoff));
        assert_eq!(call(&s, Mark::Agreed, t1 + backoff).0, Admission::Skip);
        // Another failed trial: capped at 25 s.
        let t2 = t1 + 2 * backoff;
        call(&s, Mark::Failed, t2);
        assert_eq!(s.health()[0].retry_at, Some(t2 + Duration::from_secs(25)));
        // A trial that agrees closes it, and the back-off starts over.
        let t3 = t2 + Duration::from_secs(25);
        let (adm, seen) = call(&s, Mark::Agreed, t3);
        assert_eq!(adm, Admission::Trial);
        assert_eq!(
            seen.last(),
            Some(&(BreakerState::HalfOpen, BreakerState::Closed))
        );
        assert_eq!(call(&s, Mark::Agreed, t3).0, Admission::Run);
        call(&s, Mark::Failed, t3);
        assert_eq!(s.health()[0].retry_at, Some(t3 + backoff));
        assert_eq!(s.health()[0].trips, 4);
    }

    #[test]
    fn one_trial_at_a_time_and_a_neutral_trial_leaves_it_half_open() {
        let s = sup(Supervision::default()
            .trip_after(1)
            .backoff(Duration::ZERO, Duration::ZERO));
        let t = Instant::now();
        call(&s, Mark::Failed, t);
        let (first, _) = s.admit(0, t);
        let (second, _) = s.admit(0, t);
        assert_eq!((first, second), (Admission::Trial, Admission::Skip));
        assert_eq!(s.record(0, first, Mark::Neutral, t, String::new), None);
        assert_eq!(s.health()[0].state, BreakerState::HalfOpen);
        assert_eq!(call(&s, Mark::Agreed, t).0, Admission::Trial);
        assert_eq!(s.health()[0].state, BreakerState::Closed);
    }

    #[test]
    fn a_dissent_rate_over_a_full_window_opens_the_breaker() {
        let s = sup(Supervision::default()
            .trip_after(100)
            .max_dissent_rate(Some(0.5), 4));
        let t = Instant::now();
        for mark in [Mark::Failed, Mark::Agreed, Mark::Failed] {
            assert_eq!(call(&s, mark, t).1, []);
        }
        // 3 of 4 failed, but not in a row.
        assert_eq!(
            call(&s, Mark::Failed, t).1,
            [(BreakerState::Closed, BreakerState::Open)]
        );
        assert!((s.health()[0].dissent_rate - 0.75).abs() < 1e-12);
    }
}
