//! Calls sent ahead. A campaign worker announces each batch of inputs
//! ([`Backend::ahead`](crate::backend::Backend::ahead)); the variant sends them
//! in one frame to a Node worker of their own, which runs them one after another
//! while the campaign's other engines work and answers each as it finishes. The
//! calls then claim their answers in order.
//!
//! Timing stays per call: a call's answer is due `timeout-ms` after the later of
//! the moment its batch was sent and the arrival of the answer before it (the
//! worker starts a call only when it has answered the previous one), and its
//! time is measured from there to its own answer's arrival. A call that comes out
//! of order drops what was sent ahead (its worker is killed) and runs as usual.

use std::collections::VecDeque;
use std::time::Instant;

use serde_json::Value as Json;

use super::worker::{Lost, NodeWorker};

/// A worker holding calls sent ahead.
pub(super) struct Ahead {
    worker: NodeWorker,
    /// The calls sent and not yet claimed, each with when its batch was sent.
    pending: VecDeque<(Json, Instant)>,
    /// When the last claimed answer arrived.
    last: Instant,
}

/// An answer claimed: when its call started (at the latest) and the reply.
pub(super) struct Claimed {
    pub(super) started: Instant,
    pub(super) arrived: Instant,
    pub(super) reply: Json,
}

impl Ahead {
    /// A worker, idle until calls are sent to it.
    pub(super) fn new(worker: NodeWorker) -> Ahead {
        Ahead {
            worker,
            pending: VecDeque::new(),
            last: Instant::now(),
        }
    }

    /// Sends `calls` (each a call frame's JSON) as one batch, queued behind any
    /// still pending. `Err` when the worker is gone: drop it.
    pub(super) fn send(&mut self, calls: Vec<Json>) -> Result<(), Lost> {
        let sent = Instant::now();
        self.worker
            .send(&serde_json::json!({"op": "batch", "calls": calls}))?;
        self.pending.extend(calls.into_iter().map(|c| (c, sent)));
        Ok(())
    }

    /// Whether `call` is the next one sent.
    pub(super) fn is_next(&self, call: &Json) -> bool {
        self.pending.front().is_some_and(|(c, _)| c == call)
    }

    /// Whether every call sent has been claimed.
    pub(super) fn is_drained(&self) -> bool {
        self.pending.is_empty()
    }

    /// The worker, once drained.
    pub(super) fn into_worker(self) -> NodeWorker {
        self.worker
    }

    /// The next call's answer (see [`Ahead::is_next`]), waited for until
    /// `timeout` after the call could first have started, or until `control`
    /// says stop (or its own deadline passes).
    pub(super) fn claim(
        &mut self,
        timeout: std::time::Duration,
        control: Option<&crate::control::CallControl>,
    ) -> Result<Claimed, (Instant, Lost)> {
        let Some((_, sent)) = self.pending.pop_front() else {
            return Err((Instant::now(), Lost::Died("no call was sent ahead".into())));
        };
        let started = sent.max(self.last);
        let deadline = control
            .and_then(crate::control::CallControl::deadline)
            .map_or(started + timeout, |d| d.min(started + timeout));
        match self.worker.receive(deadline, control) {
            Ok((arrived, reply)) => {
                self.last = arrived;
                Ok(Claimed {
                    started,
                    arrived,
                    reply,
                })
            }
            Err(lost) => Err((started, lost)),
        }
    }
}
