//! The seam between nvx and its runtimes: the [`Engine`] trait every runtime
//! implements, what an ensemble asks of it when loading a variant
//! ([`LoadSettings`]), and the checks and host-side rules every engine shares
//! (the module hash, the host stack, worker processes). Engines use this file;
//! only the registry in `engine/mod.rs` uses the engines.

use std::path::Path;
use std::sync::Arc;

use crate::engine::backend::Backend;
use crate::error::{Error, Result};
use crate::manifest::{Isolation, Limits, Manifest, VariantEntry};
use crate::wit::FuncSig;

/// The status a campaign worker process exits with when a worker process of one
/// of its engines (a Node.js worker of `v8`) died while running an input: the
/// campaign records that input as a harness failure, as when the worker itself
/// dies.
pub const WORKER_DIED: i32 = 70;

static IN_WORKER_PROCESS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Marks this process as a campaign worker (see
/// [`crate::engine::enter_worker_process`]).
pub(crate) fn mark_worker_process() {
    IN_WORKER_PROCESS.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether this process is a campaign worker (see
/// [`crate::engine::enter_worker_process`]).
pub fn in_worker_process() -> bool {
    IN_WORKER_PROCESS.load(std::sync::atomic::Ordering::Relaxed)
}

thread_local! {
    /// Set while this thread runs a campaign worker's calls (see [`as_worker_thread`]).
    static WORKER_THREAD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with this thread marked as a campaign worker's: calls made back to
/// back by one of several threads that already keep every core busy. Engines then
/// do nothing for later calls on threads of their own (the wasmtime engines make
/// no instances ahead of time), so a campaign gets no threads fighting its workers.
pub(crate) fn as_worker_thread<R>(f: impl FnOnce() -> R) -> R {
    let was = WORKER_THREAD.replace(true);
    let r = f();
    WORKER_THREAD.set(was);
    r
}

/// Whether calls on this thread are a campaign worker's: in a worker process, or
/// inside [`as_worker_thread`].
pub(crate) fn on_worker_thread() -> bool {
    in_worker_process() || WORKER_THREAD.get()
}

/// Library calls running in this process (see [`CallRunning`]).
static CALLS_RUNNING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Marks a library call as running while it lives: an engine's background work
/// (the wasmtime refill thread) waits for no call to be running, so that it uses
/// the time between calls and never disturbs one.
pub(crate) struct CallRunning(());

impl CallRunning {
    /// Marks a call as running until the value is dropped.
    pub(crate) fn start() -> CallRunning {
        CALLS_RUNNING.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        CallRunning(())
    }
}

impl Drop for CallRunning {
    fn drop(&mut self) {
        CALLS_RUNNING.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// Whether some library call is running in this process.
pub(crate) fn calls_running() -> bool {
    CALLS_RUNNING.load(std::sync::atomic::Ordering::Acquire) > 0
}

/// Native stack a thread needs beyond `stack-kib` for the host frames around a
/// call.
pub(crate) const HOST_STACK_MARGIN: usize = 1 << 20;
/// The smallest native stack nvx assumes of a caller's thread (Rust's default for
/// spawned threads is 2 MiB).
const ASSUMED_THREAD_STACK: usize = 2 << 20;

/// Runs `f` on a thread whose native stack can hold a wasm stack of `stack_kib`
/// plus the host's frames: the current thread when a default-sized thread
/// suffices and `own_thread` is false, else a scoped thread with a large enough
/// stack. A deeply recursing variant then exhausts its own limit
/// (`exhausted(stack)`) instead of overflowing the host thread, whatever
/// `stack-kib` is. `own_thread` is for WASI variants called synchronously from
/// inside an async runtime, where wasmtime-wasi's blocking host calls cannot run.
pub(crate) fn with_stack<R: Send>(
    stack_kib: u64,
    own_thread: bool,
    f: impl FnOnce() -> R + Send,
) -> R {
    let need = usize::try_from(stack_kib.saturating_mul(1024))
        .unwrap_or(usize::MAX)
        .saturating_add(HOST_STACK_MARGIN);
    if need <= ASSUMED_THREAD_STACK && !own_thread {
        return f();
    }
    let need = need.max(ASSUMED_THREAD_STACK);
    let mut f = Some(f);
    let ran = std::thread::scope(|scope| {
        let slot = &mut f;
        std::thread::Builder::new()
            .name("nvx-deep-stack".into())
            .stack_size(need)
            .spawn_scoped(scope, move || slot.take().map(|f| f()))
            .ok()
            .and_then(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    });
    match (ran, f) {
        (Some(r), _) => r,
        // No thread could be started: run here and hope the stack suffices.
        (None, Some(f)) => f(),
        (None, None) => unreachable!("the closure ran but returned nothing"),
    }
}

/// Whether `bytes` are a core module (version 1) rather than a component.
pub fn is_core_module(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && bytes[4..8] == [1, 0, 0, 0]
}

/// The SHA-256 of `bytes` (lowercase hex), checked against `entry`'s: what
/// every engine does first when it loads a variant from `path`.
///
/// # Errors
/// [`Error::HashMismatch`] naming the variant, the file and both digests.
pub(crate) fn checked_sha256(path: &Path, bytes: &[u8], entry: &VariantEntry) -> Result<String> {
    use sha2::{Digest, Sha256};
    let actual = format!("{:x}", Sha256::digest(bytes));
    if !actual.eq_ignore_ascii_case(&entry.sha256) {
        return Err(Error::HashMismatch {
            variant: entry.name.clone(),
            path: path.to_path_buf(),
            expected: entry.sha256.to_ascii_lowercase(),
            actual,
        });
    }
    Ok(actual)
}

/// Shared handle to a loaded variant, for running on other threads.
pub(crate) type SharedVariant = Arc<dyn Backend>;

/// What an ensemble asks of every engine when it loads a variant: the manifest's
/// limits, whether WASI is allowed, and the isolation between calls.
#[derive(Clone, Copy, Debug)]
pub struct LoadSettings {
    /// What one call may spend.
    pub limits: Limits,
    /// Whether the variant may import the deterministic WASI profile.
    pub allow_wasi: bool,
    /// Fresh instance per call, or reused instances.
    pub isolation: Isolation,
}

impl LoadSettings {
    /// The settings a manifest's `[ensemble]` table gives.
    pub fn of(manifest: &Manifest) -> LoadSettings {
        LoadSettings {
            limits: manifest.ensemble.limits,
            allow_wasi: manifest.ensemble.wasi,
            isolation: manifest.ensemble.isolation,
        }
    }
}

/// A runtime (or a compiler of one) that loads variants into [`Backend`]s.
pub trait Engine: Send + Sync + 'static {
    /// The lowercase name manifests, flags and reports use (`cranelift`).
    fn name(&self) -> &'static str;
    /// The runtime and its version, as `nvx list` shows it
    /// (`wasmtime 48.0.8, Cranelift`).
    fn version(&self) -> String;
    /// Whether it can run on this machine; when not, why, naming what it needs
    /// and how to get it.
    fn available(&self) -> std::result::Result<(), String> {
        Ok(())
    }
    /// Verifies `bytes` against `entry`'s SHA-256, compiles them and checks them
    /// against the world `funcs`; `path` names the module in errors.
    ///
    /// # Errors
    /// [`Error::HashMismatch`], [`Error::InvalidModule`] or
    /// [`Error::WorldMismatch`] naming the variant and the file.
    fn load(
        &self,
        path: &Path,
        bytes: &[u8],
        entry: &VariantEntry,
        funcs: &[FuncSig],
        settings: &LoadSettings,
    ) -> Result<Arc<dyn Backend>>;
}
