//! The engine seam: what the voter, the campaign and the reports need of a variant,
//! in nvx's own value space. A [`Backend`] is one loaded, checked variant that
//! evaluates a function on [`Value`]s into a [`Run`] (its [`crate::Outcome`], time
//! and captured output). Nothing past this trait sees wasmtime: the wasmtime
//! engines of [`crate::engine`] make backends, and tests use fakes to
//! drive the campaign's statistics, signatures and shrinking without WebAssembly.
//! Typed calls ([`crate::Ensemble::typed`]) stay a wasmtime-only fast path, reached
//! through [`Backend::native`].

use std::any::Any;
use std::sync::OnceLock;

use crate::control::CallControl;
use crate::manifest::VariantEntry;
use crate::outcome::Run;
use crate::value::Value;
use crate::wit::FuncSig;

/// The arguments of one call, shared by every variant that evaluates them; an
/// engine may cache its own encoding of them here (the wasmtime engines convert
/// them to wasmtime values once, not once per variant).
pub struct Prepared<'a> {
    sig: &'a FuncSig,
    values: &'a [Value],
    cache: OnceLock<Box<dyn Any + Send + Sync>>,
    control: Option<CallControl>,
}

impl<'a> Prepared<'a> {
    /// Arguments `values` for `sig` (already checked against it).
    pub fn new(sig: &'a FuncSig, values: &'a [Value]) -> Prepared<'a> {
        Prepared {
            sig,
            values,
            cache: OnceLock::new(),
            control: None,
        }
    }

    /// The same arguments under the caller's `control`: a backend stops the call
    /// when it says so and reports [`crate::Outcome::Cancelled`].
    pub fn with_control(mut self, control: Option<CallControl>) -> Prepared<'a> {
        self.control = control;
        self
    }

    /// The caller's control of this call, if any.
    pub fn control(&self) -> Option<&CallControl> {
        self.control.as_ref()
    }

    /// The function called.
    pub fn sig(&self) -> &FuncSig {
        self.sig
    }

    /// The arguments.
    pub fn values(&self) -> &[Value] {
        self.values
    }

    /// An engine's encoding of the arguments, made by `make` on first use and
    /// shared by every variant after; `None` when another engine's encoding of
    /// another type was cached first.
    pub fn engine_cache<T: Any + Send + Sync>(&self, make: impl FnOnce() -> T) -> Option<&T> {
        self.cache
            .get_or_init(|| Box::new(make()))
            .downcast_ref::<T>()
    }
}

/// One loaded variant, ready to evaluate any function of its ensemble's world.
pub trait Backend: Send + Sync {
    /// Its manifest entry (name, path, language, provenance).
    fn entry(&self) -> &VariantEntry;
    /// The SHA-256 of its module, as checked.
    fn sha256(&self) -> &str;
    /// Evaluates `args.sig()` on `args.values()` inside the variant's limits. Never
    /// fails: every failure (a trap, a timeout, an exhausted limit, a host panic)
    /// is the run's outcome.
    fn evaluate(&self, args: &Prepared<'_>) -> Run<Value>;
    /// Announces the calls that come next from this thread, in this order, so that
    /// an engine whose calls cross a process boundary can send them in one batch
    /// and run them while the caller is busy with other variants (a campaign
    /// worker announces each batch of inputs). A later call that is not the next
    /// announced one is still answered correctly: the head start is dropped and it
    /// runs as usual. Engines that run calls in-process ignore it.
    fn ahead(&self, _calls: &[Prepared<'_>]) {}
    /// Keeps up to `instances` fresh instances made ahead of time for its calls
    /// (0: every call instantiates on its own path). Engines that do not make
    /// instances ahead of time ignore it.
    fn keep_ready(&self, _instances: usize) {}
    /// Makes the instances [`Backend::keep_ready`] asks for now, on this thread.
    fn warm_up(&self) {}
    /// Whether its calls make blocking host calls, which must not run on a thread
    /// that drives an async runtime.
    fn blocks(&self) -> bool {
        false
    }
    /// Warnings raised while loading it.
    fn warnings(&self) -> &[String] {
        &[]
    }
    /// The WASI interfaces it imports (as checked against the profile).
    fn imports(&self) -> &[String] {
        &[]
    }
    /// The engine's own object behind the backend, for engine-specific fast paths
    /// (typed calls downcast it to the wasmtime engine's variant); `None` for
    /// backends that offer none.
    fn native(&self) -> Option<&dyn Any> {
        None
    }
}

/// Calls the test engine's backends served.
#[cfg(test)]
pub(crate) static FAKE_CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The tests' engine, registered in [`crate::engine::REGISTRY`] like any other:
/// Cranelift behind a backend that counts its calls.
#[cfg(test)]
pub(crate) struct FakeEngine;

/// The one [`FakeEngine`].
#[cfg(test)]
pub(crate) static FAKE_ENGINE: FakeEngine = FakeEngine;

#[cfg(test)]
impl crate::engine::seam::Engine for FakeEngine {
    fn name(&self) -> &'static str {
        "test-fake"
    }

    fn version(&self) -> String {
        "Cranelift behind a counting backend (tests only)".into()
    }

    fn load(
        &self,
        path: &std::path::Path,
        bytes: &[u8],
        entry: &VariantEntry,
        funcs: &[FuncSig],
        settings: &crate::engine::seam::LoadSettings,
    ) -> crate::Result<std::sync::Arc<dyn Backend>> {
        let inner = crate::EngineKind::Cranelift
            .engine()
            .load(path, bytes, entry, funcs, settings)?;
        Ok(std::sync::Arc::new(Counting(inner)))
    }
}

/// A backend that counts its calls into [`FAKE_CALLS`].
#[cfg(test)]
struct Counting(std::sync::Arc<dyn Backend>);

#[cfg(test)]
impl Backend for Counting {
    fn entry(&self) -> &VariantEntry {
        self.0.entry()
    }
    fn sha256(&self) -> &str {
        self.0.sha256()
    }
    fn evaluate(&self, args: &Prepared<'_>) -> Run<Value> {
        FAKE_CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.0.evaluate(args)
    }
    fn blocks(&self) -> bool {
        self.0.blocks()
    }
}
