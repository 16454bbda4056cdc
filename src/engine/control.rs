//! The caller's hold on a call in flight: a deadline and a cancellation flag that
//! stop the call's variants within one epoch tick (2 ms), each then reported as
//! [`crate::Outcome::Cancelled`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A deadline and cancellation for one call (or several): hand it to
/// [`crate::Ensemble::call_controlled`] or [`crate::Ensemble::call_async_controlled`],
/// keep a clone, and [`CallControl::cancel`] it from any thread. Variants still
/// running when the deadline passes or the call is cancelled are stopped at their
/// next epoch tick and count as failed; their instances are dropped, not reused.
///
/// Dropping the future of [`crate::Ensemble::call_async`] cancels that call the
/// same way, so a `tokio::time::timeout` around it leaves nothing running.
#[derive(Clone, Debug, Default)]
pub struct CallControl {
    inner: Arc<State>,
}

#[derive(Debug, Default)]
struct State {
    cancelled: AtomicBool,
    deadline: Option<Instant>,
}

impl CallControl {
    /// A control with no deadline, cancelled only by [`CallControl::cancel`].
    pub fn new() -> CallControl {
        CallControl::default()
    }

    /// A control whose call stops at `deadline`.
    pub fn until(deadline: Instant) -> CallControl {
        CallControl {
            inner: Arc::new(State {
                cancelled: AtomicBool::new(false),
                deadline: Some(deadline),
            }),
        }
    }

    /// A control whose call stops `timeout` from now.
    pub fn within(timeout: Duration) -> CallControl {
        match Instant::now().checked_add(timeout) {
            Some(deadline) => CallControl::until(deadline),
            None => CallControl::new(),
        }
    }

    /// Stops every call under this control: running variants stop at their next
    /// epoch tick, and variants not yet started do not start.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::Relaxed);
    }

    /// The deadline, if any.
    pub fn deadline(&self) -> Option<Instant> {
        self.inner.deadline
    }

    /// Whether calls under this control must stop: cancelled, or past the deadline.
    pub fn stopped(&self) -> bool {
        self.inner.cancelled.load(Ordering::Relaxed)
            || self.inner.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// The error a variant's run is stopped with when its [`CallControl`] stops it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stopped;

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stopped by the caller's deadline or cancellation")
    }
}

impl std::error::Error for Stopped {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_control_stops_when_cancelled_or_past_its_deadline() {
        let c = CallControl::new();
        assert!(!c.stopped());
        let clone = c.clone();
        clone.cancel();
        assert!(c.stopped(), "a clone's cancel reaches the original");

        let past = CallControl::until(Instant::now());
        assert!(past.stopped());
        let far = CallControl::within(Duration::from_secs(3600));
        assert!(!far.stopped());
        assert!(far.deadline().is_some());
        assert!(CallControl::within(Duration::MAX).deadline().is_none());
    }
}
