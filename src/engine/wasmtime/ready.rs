//! Fresh instances made ahead of time: each variant keeps a few never-used
//! instances ([`Ready`]), made by one refill thread per process between calls,
//! which also drops the instances calls are done with. A call takes one, uses it
//! once and hands it back to be dropped, so instantiation and the reset of its
//! memory leave the call's path; isolation is unchanged, since no instance serves
//! two calls.
//!
//! The refill thread runs in Linux's idle scheduling class, so it works only in a
//! core's idle time and never takes CPU from a caller; when the machine is busy,
//! calls find nothing ready and instantiate as they would without it.
//!
//! Bounds: at most `depth` ready instances per variant and engine (default
//! [`DEFAULT_DEPTH`]), and at most [`MAX_LIVE`] instances in the process waiting
//! to be used or dropped (fewer when the engine's instance pool is small), so the
//! pool never takes the slots a call needs. A variant is refilled only from its
//! second call on, so a one-call process (`nvx call`) makes no instance it never
//! uses; campaign workers, which already keep every core busy, never use it (see
//! [`crate::engine::seam::on_worker_thread`]).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, Weak};

use wasmtime::Store;
use wasmtime::component::Instance;

use super::context::{Ctx, Recipe};

/// Ready instances each variant keeps by default (per engine).
pub(crate) const DEFAULT_DEPTH: usize = 1;
/// The most ready instances a variant may be asked to keep.
pub(crate) const MAX_DEPTH: usize = 16;
/// The most instances the process keeps ready or waiting to be dropped, over all
/// variants and engines.
pub(crate) const MAX_LIVE: usize = 64;

/// A never-used instance and its armed store.
type Fresh = (Store<Ctx>, Instance);

/// Instances alive in the pool: ready, being made, or waiting to be dropped.
static LIVE: AtomicUsize = AtomicUsize::new(0);

/// Reserves room for one more instance in the pool; `false` when it is full.
fn reserve() -> bool {
    let cap = MAX_LIVE.min(super::config::pool_instances() / 4);
    LIVE.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
        (n < cap).then_some(n + 1)
    })
    .is_ok()
}

fn release() {
    LIVE.fetch_sub(1, Ordering::AcqRel);
}

/// The ready instances of one variant on one engine.
pub(crate) struct Ready {
    recipe: Recipe,
    stores: Mutex<Vec<Fresh>>,
    /// How many it keeps.
    depth: AtomicUsize,
    /// Refills asked for and not yet done.
    queued: AtomicUsize,
    /// Set when instantiating it failed once: every call then instantiates on its
    /// own path and reports the failure.
    off: AtomicBool,
    /// Set by its first call.
    used: AtomicBool,
    /// Calls that found an instance ready.
    served: AtomicUsize,
}

impl Ready {
    /// An empty pool for instances of `recipe`.
    pub(super) fn new(recipe: Recipe) -> Arc<Ready> {
        Arc::new(Ready {
            recipe,
            stores: Mutex::new(Vec::new()),
            depth: AtomicUsize::new(DEFAULT_DEPTH),
            queued: AtomicUsize::new(0),
            off: AtomicBool::new(false),
            used: AtomicBool::new(false),
            served: AtomicUsize::new(0),
        })
    }

    /// A ready instance, if one is waiting.
    pub(super) fn take(&self) -> Option<Fresh> {
        let fresh = self.stores.lock().ok()?.pop()?;
        release();
        self.served.fetch_add(1, Ordering::Relaxed);
        Some(fresh)
    }

    /// Stops making instances ahead of time (instantiating failed) and drops those
    /// made.
    pub(super) fn disable(&self) {
        self.off.store(true, Ordering::Relaxed);
        self.drain();
    }

    fn drain(&self) {
        let dropped = self
            .stores
            .lock()
            .map(|mut s| std::mem::take(&mut *s))
            .unwrap_or_default();
        for _ in &dropped {
            release();
        }
    }

    /// Keeps up to `depth` ready instances (0 turns the pool off for this variant).
    pub(super) fn set_depth(&self, depth: usize) {
        let depth = depth.min(MAX_DEPTH);
        self.depth.store(depth, Ordering::Relaxed);
        let extra: Vec<Fresh> = self
            .stores
            .lock()
            .map(|mut s| {
                let keep = depth.min(s.len());
                s.split_off(keep)
            })
            .unwrap_or_default();
        for _ in &extra {
            release();
        }
    }

    /// How many more instances it wants: its depth less those ready or queued.
    fn wanted(&self) -> usize {
        if self.off.load(Ordering::Relaxed) {
            return 0;
        }
        let have = self.stores.lock().map_or(usize::MAX, |s| s.len());
        self.depth
            .load(Ordering::Relaxed)
            .saturating_sub(have.saturating_add(self.queued.load(Ordering::Relaxed)))
    }

    /// After a call: asks the refill thread for the instances it now lacks, from
    /// the second call on.
    pub(super) fn after_call(self: &Arc<Self>) {
        if !self.used.swap(true, Ordering::Relaxed) {
            return;
        }
        let Some(refiller) = refiller() else { return };
        for _ in 0..self.wanted() {
            if !reserve() {
                break;
            }
            self.queued.fetch_add(1, Ordering::Relaxed);
            refiller.push(Job::Refill(Arc::downgrade(self)));
        }
    }

    /// Whether it keeps no instances ahead of time (depth 0): calls then
    /// instantiate and drop their instances on their own path.
    pub(super) fn is_off(&self) -> bool {
        self.depth.load(Ordering::Relaxed) == 0
    }

    /// Waits for the refill thread to finish its queue, then makes the instances
    /// still lacking now, on this thread.
    pub(super) fn fill_now(&self) {
        self.used.store(true, Ordering::Relaxed);
        // Let the refill thread finish first (up to a second), so its work does
        // not overlap the calls that follow.
        if let Some(r) = refiller() {
            let until = std::time::Instant::now() + std::time::Duration::from_secs(1);
            while r.working() && std::time::Instant::now() < until {
                std::thread::sleep(std::time::Duration::from_micros(20));
            }
        }
        if self.off.load(Ordering::Relaxed) {
            return;
        }
        let have = self.stores.lock().map_or(usize::MAX, |s| s.len());
        for _ in have..self.depth.load(Ordering::Relaxed) {
            if !reserve() {
                break;
            }
            self.make();
        }
    }

    /// Makes one instance into the pool, for which room was reserved.
    fn make(&self) {
        // A panic in wasmtime is a bug; it turns the pool off rather than take the
        // refill thread down.
        let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.recipe.instantiate::<()>(None)
        }));
        match made {
            Ok(Ok(fresh)) if !self.off.load(Ordering::Relaxed) => {
                if let Ok(mut s) = self.stores.lock()
                    && s.len() < self.depth.load(Ordering::Relaxed)
                {
                    s.push(fresh);
                    return;
                }
            }
            Ok(Ok(_)) => {}
            Ok(Err(_)) | Err(_) => self.off.store(true, Ordering::Relaxed),
        }
        release();
    }
}

impl Drop for Ready {
    fn drop(&mut self) {
        self.drain();
    }
}

/// Hands a store a call is done with to the refill thread, which drops it (the
/// reset of its memory then leaves the call's path); drops it here when the pool
/// is full or there is no refill thread.
pub(super) fn retire(store: Store<Ctx>) {
    match refiller() {
        Some(r) if reserve() => r.push(Job::Retire(store)),
        _ => drop(store),
    }
}

/// Work for the refill thread.
enum Job {
    /// Make one instance of a variant (room reserved), unless it is gone.
    Refill(Weak<Ready>),
    /// Drop a used store (room reserved).
    Retire(Store<Ctx>),
}

/// The refill thread's queue.
struct Refiller {
    jobs: Mutex<Queue>,
    wake: Condvar,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    /// Whether the thread waits for work (so a push must wake it).
    asleep: bool,
    /// Whether it is running a job taken from the queue.
    busy: bool,
}

impl Refiller {
    fn push(&self, job: Job) {
        let Ok(mut q) = self.jobs.lock() else {
            Self::run(job);
            return;
        };
        q.jobs.push_back(job);
        if std::mem::take(&mut q.asleep) {
            self.wake.notify_one();
        }
    }

    fn serve(&self) {
        loop {
            let job = {
                let Ok(mut q) = self.jobs.lock() else { return };
                loop {
                    if let Some(job) = q.jobs.pop_front() {
                        break job;
                    }
                    q.asleep = true;
                    q = match self.wake.wait(q) {
                        Ok(q) => q,
                        Err(_) => return,
                    };
                }
            };
            // Work only between calls: memory work on a second core while a call
            // runs interrupts it (TLB shootdowns), which costs it more than
            // instantiating on its own path would.
            let mut nap = std::time::Duration::from_micros(50);
            while crate::engine::seam::calls_running() {
                std::thread::sleep(nap);
                nap = (nap * 2).min(std::time::Duration::from_millis(1));
            }
            if let Ok(mut q) = self.jobs.lock() {
                q.busy = true;
            }
            Self::run(job);
            if let Ok(mut q) = self.jobs.lock() {
                q.busy = false;
            }
        }
    }

    /// Whether it has work queued or running.
    fn working(&self) -> bool {
        self.jobs.lock().is_ok_and(|q| q.busy || !q.jobs.is_empty())
    }

    fn run(job: Job) {
        match job {
            Job::Refill(ready) => {
                if let Some(ready) = ready.upgrade() {
                    ready.queued.fetch_sub(1, Ordering::Relaxed);
                    ready.make();
                } else {
                    release();
                }
            }
            Job::Retire(store) => {
                drop(store);
                release();
            }
        }
    }
}

/// The process's refill thread, started on first use; `None` when no thread can
/// be started (then calls instantiate on their own path).
fn refiller() -> Option<&'static Refiller> {
    static REFILLER: OnceLock<Option<&'static Refiller>> = OnceLock::new();
    *REFILLER.get_or_init(|| {
        let r: &'static Refiller = Box::leak(Box::new(Refiller {
            jobs: Mutex::new(Queue::default()),
            wake: Condvar::new(),
        }));
        std::thread::Builder::new()
            .name("nvx-refill".into())
            // Instantiating runs start functions, which may use a wasm stack of
            // the largest `stack-kib` a manifest may set (64 MiB), plus the host's
            // frames; the stack is reserved, not touched.
            .stack_size((64 << 20) + crate::engine::seam::HOST_STACK_MARGIN)
            .spawn(move || {
                idle_priority();
                r.serve()
            })
            .ok()
            .map(|_| r)
    })
}

/// Lowers this thread to Linux's idle scheduling class: it runs only on a core
/// nothing else wants, so refilling never takes CPU time from a caller (or from
/// anything else on the machine). Where that fails, it runs as any thread.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn idle_priority() {
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: `sched_setscheduler` on the calling thread (pid 0) with a valid,
    // initialized parameter; it touches no memory of ours beyond reading `param`.
    let _ = unsafe { libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) };
}

#[cfg(not(target_os = "linux"))]
fn idle_priority() {}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::load::LoadedVariant;
    use crate::{Ensemble, Value};

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    }

    /// The pool of an ensemble's first variant.
    fn pool(e: &Ensemble) -> &super::Ready {
        let v = e.first_variant().expect("a variant");
        let w: &LoadedVariant = v.native().and_then(|n| n.downcast_ref()).expect("wasmtime");
        &w.ready
    }

    fn ready_count(e: &Ensemble) -> usize {
        pool(e).stores.lock().map(|s| s.len()).unwrap_or(0)
    }

    fn served(e: &Ensemble) -> usize {
        pool(e).served.load(std::sync::atomic::Ordering::Relaxed)
    }

    #[test]
    fn a_call_takes_a_ready_instance_and_sees_nothing_of_earlier_calls() {
        let e = Ensemble::open(fixture("carry")).expect("open carry");
        assert_eq!(ready_count(&e), 0, "nothing is made before a call asks");
        for n in 1..=5 {
            e.warm_up();
            assert_eq!(ready_count(&e), 1, "one instance ready");
            let v = e.call("carry", &[]).expect("call");
            assert!(v.value().expect("verdict").same(&Value::U32(0)));
            assert_eq!(served(&e), n, "each call took the ready instance");
        }
        e.set_ready_instances(0);
        e.warm_up();
        assert_eq!(ready_count(&e), 0, "depth 0 keeps none");
    }

    #[test]
    fn a_ready_instance_gives_byte_identical_results_and_output() {
        // Go's runtime reads the clocks and random bytes while it starts, which here
        // happens at instantiation: ahead of time, or on the call's path.
        let input = [Value::Bytes(b"\x00\x01nvx\xff".to_vec())];
        let inline = Ensemble::open(fixture("arena")).expect("open arena");
        inline.set_ready_instances(0);
        let ahead = Ensemble::open(fixture("arena")).expect("open arena");
        let facts = |v: &crate::Verdict| -> Vec<String> {
            v.runs()
                .iter()
                .map(|r| {
                    format!(
                        "{} {:?} {:?} {:?}",
                        r.variant, r.outcome, r.stdout, r.stderr
                    )
                })
                .collect()
        };
        let want = facts(&inline.call("encode", &input).expect("call"));
        for n in 1..=4 {
            ahead.warm_up();
            assert_eq!(facts(&ahead.call("encode", &input).expect("call")), want);
            assert_eq!(served(&ahead), n);
            assert_eq!(facts(&inline.call("encode", &input).expect("call")), want);
        }
    }

    #[test]
    fn a_campaign_thread_makes_nothing_ahead_of_time() {
        let e = Ensemble::open(fixture("carry")).expect("open carry");
        for _ in 0..3 {
            let v = e.call_here("carry", &[]).expect("call");
            assert!(v.value().expect("verdict").same(&Value::U32(0)));
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert_eq!((ready_count(&e), served(&e)), (0, 0));
    }
}
