//! Synchronous calls whose variants run in parallel: one call's variants shared
//! between its caller and the process's helper threads. Helpers take variants
//! from the front of the call's queue (slowest expected first), the caller from
//! the back, so a busy helper never delays a call: the caller runs whatever no
//! helper has started, and waits only for variants already running.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, OnceLock};

use crate::backend::Prepared;
use crate::control::CallControl;
use crate::engine::SharedVariant;
use crate::outcome::{Outcome, Run};
use crate::value::Value;
use crate::wit::FuncSig;

/// What is done with the runs of a call whose caller returned before they all
/// finished (an early verdict): called once, by the thread that delivers the last.
pub(super) type Stragglers = Box<dyn FnOnce(Vec<Option<Run<Value>>>) + Send>;

/// One call's variants, shared by its caller and the helpers.
pub(super) struct Work {
    variants: Vec<SharedVariant>,
    call: (FuncSig, Vec<Value>),
    control: Option<CallControl>,
    /// Indices into `variants` still to start, slowest expected first.
    todo: Mutex<VecDeque<usize>>,
    done: Mutex<Done>,
    delivered: Condvar,
}

struct Done {
    slots: Vec<Option<Run<Value>>>,
    left: usize,
    /// Set when the caller returned early; run by whoever delivers the last run.
    stragglers: Option<Stragglers>,
}

impl Work {
    /// The call `call` of `variants` under `control`, with `slots` filled for the
    /// variants that do not run and `order` the others, slowest expected first.
    pub(super) fn new(
        variants: Vec<SharedVariant>,
        call: (FuncSig, Vec<Value>),
        control: Option<CallControl>,
        slots: Vec<Option<Run<Value>>>,
        order: Vec<usize>,
    ) -> Arc<Work> {
        let left = order.len();
        Arc::new(Work {
            variants,
            call,
            control,
            todo: Mutex::new(order.into()),
            done: Mutex::new(Done {
                slots,
                left,
                stragglers: None,
            }),
            delivered: Condvar::new(),
        })
    }

    fn next(&self, front: bool) -> Option<usize> {
        let mut todo = self.todo.lock().ok()?;
        if front {
            todo.pop_front()
        } else {
            todo.pop_back()
        }
    }

    /// Runs variants from the front (a helper) or the back (the caller) until none
    /// is left to start, or `stop` says so after one of them.
    fn drain(&self, front: bool, mut stop: impl FnMut() -> bool) {
        let prepared = Prepared::new(&self.call.0, &self.call.1).with_control(self.control.clone());
        while let Some(i) = self.next(front) {
            let v = &self.variants[i];
            // A backend turns its own failures into outcomes; a panic that still
            // escapes one must not lose the run, or the caller would wait for it.
            let run =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| v.evaluate(&prepared)))
                    .unwrap_or_else(|panic| {
                        Run::without_output(&v.entry().name, Outcome::host_panic(&*panic))
                    });
            self.deliver(i, run);
            if stop() {
                return;
            }
        }
    }

    fn deliver(&self, i: usize, run: Run<Value>) {
        let finish = {
            let Ok(mut done) = self.done.lock() else {
                return;
            };
            done.slots[i] = Some(run);
            done.left = done.left.saturating_sub(1);
            if done.left == 0 {
                done.stragglers
                    .take()
                    .map(|f| (f, std::mem::take(&mut done.slots)))
            } else {
                None
            }
        };
        self.delivered.notify_all();
        if let Some((f, slots)) = finish {
            f(slots);
        }
    }

    /// The caller's part: runs variants from the back, then waits for the rest.
    /// After each run delivered (by anyone), `settled` sees the slots; when it says
    /// the verdict is certain, the caller stops and gets the slots so far, and the
    /// runs still to come go to `stragglers` once all are in. Returns the slots
    /// and whether every run is in.
    pub(super) fn run_here(
        self: &Arc<Self>,
        mut settled: impl FnMut(&[Option<Run<Value>>]) -> bool,
        stragglers: impl FnOnce(&[Option<Run<Value>>]) -> Stragglers,
    ) -> (Vec<Option<Run<Value>>>, bool) {
        let mut early = false;
        self.drain(false, || {
            early = self
                .done
                .lock()
                .is_ok_and(|d| d.left > 0 && settled(&d.slots));
            early
        });
        let Ok(mut done) = self.done.lock() else {
            return (Vec::new(), false);
        };
        loop {
            if done.left == 0 {
                return (std::mem::take(&mut done.slots), true);
            }
            if early || settled(&done.slots) {
                done.stragglers = Some(stragglers(&done.slots));
                let so_far = done.slots.clone();
                drop(done);
                // Variants nobody has started yet still run, on a helper.
                if self.todo.lock().is_ok_and(|t| !t.is_empty()) {
                    helpers().share(self, 1);
                }
                return (so_far, false);
            }
            done = match self.delivered.wait(done) {
                Ok(d) => d,
                Err(_) => return (Vec::new(), false),
            };
        }
    }
}

/// The process's helper threads, started on first use.
pub(super) struct Helpers {
    queue: Mutex<Queue>,
    wake: Condvar,
    /// How many threads serve it.
    threads: std::sync::atomic::AtomicUsize,
}

#[derive(Default)]
struct Queue {
    work: VecDeque<Arc<Work>>,
    asleep: usize,
}

impl Helpers {
    /// How many threads serve it.
    pub(super) fn threads(&self) -> usize {
        self.threads.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Offers `work` to up to `n` helpers.
    pub(super) fn share(&self, work: &Arc<Work>, n: usize) {
        let Ok(mut q) = self.queue.lock() else { return };
        for _ in 0..n {
            q.work.push_back(Arc::clone(work));
        }
        let wake = n.min(q.asleep);
        q.asleep -= wake;
        drop(q);
        for _ in 0..wake {
            self.wake.notify_one();
        }
    }

    fn serve(&self) {
        loop {
            let work = {
                let Ok(mut q) = self.queue.lock() else { return };
                loop {
                    if let Some(w) = q.work.pop_front() {
                        break w;
                    }
                    q.asleep += 1;
                    q = match self.wake.wait(q) {
                        Ok(q) => q,
                        Err(_) => return,
                    };
                }
            };
            work.drain(true, || false);
        }
    }
}

/// The helper threads: one fewer than the cores (at least one), each with a stack
/// for the largest `stack-kib` a manifest may set.
pub(super) fn helpers() -> &'static Helpers {
    static HELPERS: OnceLock<&'static Helpers> = OnceLock::new();
    HELPERS.get_or_init(|| {
        let want = crate::ensemble::cores().saturating_sub(1).max(1);
        let h: &'static Helpers = Box::leak(Box::new(Helpers {
            queue: Mutex::new(Queue::default()),
            wake: Condvar::new(),
            threads: std::sync::atomic::AtomicUsize::new(0),
        }));
        let started = (0..want)
            .filter(|i| {
                std::thread::Builder::new()
                    .name(format!("nvx-call-{i}"))
                    .stack_size((64 << 20) + crate::engine::seam::HOST_STACK_MARGIN)
                    .spawn(move || h.serve())
                    .is_ok()
            })
            .count();
        h.threads
            .store(started, std::sync::atomic::Ordering::Relaxed);
        h
    })
}
