//! Engines: the runtimes and compilers variants run on, picked by name from one
//! registry.
//!
//! An [`Engine`] loads one variant (its checked module bytes) into a
//! [`Backend`], which evaluates calls in nvx's own value space. Everything past
//! that seam — the vote, the campaign, the reports — sees only backends, so a
//! second runtime is one more file beside `wasmtime.rs` and one more line in
//! [`REGISTRY`]. Manifests, flags and reports name engines by [`Engine::name`];
//! an [`EngineKind`] is a handle to a registered engine.
//!
//! - [`backend`]: the [`Backend`] trait, what one loaded variant offers;
//! - [`wasmtime`]: wasmtime with three compilers (Cranelift, Winch, Pulley), its
//!   [`cache`] of compiled modules and its deterministic [`wasi`] profile;
//! - [`v8`]: V8 in Node.js worker processes, components transpiled by jco: a
//!   second, independent runtime;
//! - [`control`]: a caller's deadline and cancellation of one call.

pub mod backend;
pub mod cache;
pub mod control;
pub mod v8;
pub mod wasi;
pub mod wasmtime;

use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::manifest::{Isolation, Limits, VariantEntry};
use crate::wit::FuncSig;

pub use backend::Backend;

/// The status a campaign worker process exits with when a worker process of one
/// of its engines (a Node.js worker of `v8`) died while running an input: the
/// campaign records that input as a harness failure, as when the worker itself
/// dies.
pub const WORKER_DIED: i32 = 70;

static IN_WORKER_PROCESS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Tells every engine that this process is a campaign worker: it runs one input
/// at a time (wasmtime sizes its instance pool for that), and an engine whose own
/// worker process dies holding an input ends this process with [`WORKER_DIED`].
pub fn enter_worker_process(pool_instances: u32) {
    wasmtime::limit_pool(pool_instances);
    IN_WORKER_PROCESS.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether this process is a campaign worker (see [`enter_worker_process`]).
pub fn in_worker_process() -> bool {
    IN_WORKER_PROCESS.load(std::sync::atomic::Ordering::Relaxed)
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

/// Every engine nvx knows, in the order `nvx list` shows them. The first one is the
/// default of a manifest without `engines`.
pub static REGISTRY: &[&dyn Engine] = &[
    &wasmtime::CRANELIFT,
    &wasmtime::WINCH,
    &wasmtime::PULLEY,
    &v8::V8,
    #[cfg(test)]
    &backend::FAKE_ENGINE,
];

/// A registered engine, as manifests, flags and reports name it: compared,
/// hashed, ordered and serialized by its name.
#[derive(Clone, Copy)]
pub struct EngineKind(&'static dyn Engine);

#[allow(non_upper_case_globals)]
impl EngineKind {
    /// wasmtime with Cranelift, the optimizing compiler (the default).
    pub const Cranelift: EngineKind = EngineKind(&wasmtime::CRANELIFT);
    /// wasmtime with Winch, the single-pass baseline compiler (x86-64 only).
    pub const Winch: EngineKind = EngineKind(&wasmtime::WINCH);
    /// wasmtime with Cranelift compiling to Pulley, wasmtime's portable bytecode
    /// interpreter.
    pub const Pulley: EngineKind = EngineKind(&wasmtime::PULLEY);
    /// V8 in Node.js, with components transpiled by jco: a second runtime.
    pub const V8: EngineKind = EngineKind(&v8::V8);
    /// The three wasmtime compilers, which need nothing beyond nvx itself.
    pub const ALL: [EngineKind; 3] = [EngineKind::Cranelift, EngineKind::Winch, EngineKind::Pulley];

    /// The lowercase name used in manifests, flags and reports.
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The engine behind the name.
    pub fn engine(self) -> &'static dyn Engine {
        self.0
    }

    /// The registered engine named `name`.
    ///
    /// # Errors
    /// A message naming the unknown engine and every registered one.
    pub fn from_name(name: &str) -> std::result::Result<EngineKind, String> {
        REGISTRY
            .iter()
            .find(|e| e.name() == name)
            .map(|e| EngineKind(*e))
            .ok_or_else(|| format!("unknown engine `{name}` (nvx has: {})", names().join(", ")))
    }

    /// Parses a comma-separated list such as `cranelift,winch,pulley`: at least
    /// one engine, each named once.
    ///
    /// # Errors
    /// A message naming the unknown or repeated engine.
    pub fn parse_list(text: &str) -> std::result::Result<Vec<EngineKind>, String> {
        let out = text
            .split(',')
            .map(|word| EngineKind::from_name(word.trim()))
            .collect::<std::result::Result<Vec<EngineKind>, String>>()?;
        EngineKind::check_list(&out)?;
        Ok(out)
    }

    /// Checks a list of engines as every place that takes one does: at least one
    /// engine, each named once.
    ///
    /// # Errors
    /// A message saying which rule the list breaks.
    pub fn check_list(engines: &[EngineKind]) -> std::result::Result<(), String> {
        let names: Vec<&str> = engines.iter().map(|k| k.name()).collect();
        crate::manifest::check_engine_names(&names)
    }

    /// Resolves the names of a manifest's `engines`, and checks that each can run
    /// here.
    ///
    /// # Errors
    /// [`Error::Manifest`] naming the manifest and the unknown engine;
    /// [`Error::Usage`] naming an engine that cannot run on this machine and why.
    pub fn resolve(manifest: &Path, names: &[String]) -> Result<Vec<EngineKind>> {
        names
            .iter()
            .map(|n| {
                let kind = EngineKind::from_name(n).map_err(|message| Error::Manifest {
                    path: manifest.to_path_buf(),
                    message: format!("[ensemble] engines: {message}"),
                })?;
                kind.check_available()?;
                Ok(kind)
            })
            .collect()
    }

    /// Whether the engine can run here.
    ///
    /// # Errors
    /// [`Error::Usage`] naming the engine, what it needs and how to install it.
    pub fn check_available(self) -> Result<()> {
        self.0
            .available()
            .map_err(|why| Error::Usage(format!("engine `{}` cannot run here: {why}", self.name())))
    }
}

/// The names of every registered engine, in registry order.
pub fn names() -> Vec<&'static str> {
    REGISTRY
        .iter()
        .map(|e| e.name())
        .filter(|n| !n.starts_with("test-"))
        .collect()
}

impl PartialEq for EngineKind {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for EngineKind {}

impl std::hash::Hash for EngineKind {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name().hash(state);
    }
}

impl PartialOrd for EngineKind {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for EngineKind {
    /// Registry order.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let at = |k: &EngineKind| REGISTRY.iter().position(|e| e.name() == k.name());
        at(self).cmp(&at(other))
    }
}

impl std::fmt::Debug for EngineKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EngineKind({})", self.name())
    }
}

impl std::fmt::Display for EngineKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for EngineKind {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        EngineKind::from_name(s)
    }
}

impl serde::Serialize for EngineKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for EngineKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        EngineKind::from_name(&name).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_to_their_engines_and_back() {
        for e in REGISTRY {
            let k = EngineKind::from_name(e.name()).unwrap();
            assert_eq!(k.name(), e.name());
            assert_eq!(k.to_string().parse::<EngineKind>().unwrap(), k);
        }
        assert_eq!(EngineKind::Cranelift.name(), "cranelift");
        assert_eq!(
            EngineKind::ALL.map(EngineKind::name),
            ["cranelift", "winch", "pulley"]
        );
        let err = EngineKind::from_name("v9").unwrap_err();
        assert!(
            err.contains("`v9`") && err.contains("cranelift, winch, pulley"),
            "{err}"
        );
        assert!(!names().iter().any(|n| n.starts_with("test-")));
    }

    #[test]
    fn lists_take_each_engine_once() {
        assert_eq!(
            EngineKind::parse_list("winch, cranelift").unwrap(),
            [EngineKind::Winch, EngineKind::Cranelift]
        );
        assert!(
            EngineKind::parse_list("winch,winch")
                .unwrap_err()
                .contains("twice")
        );
        assert!(EngineKind::parse_list("").is_err());
        assert!(EngineKind::Winch > EngineKind::Cranelift);
        let json = serde_json::to_string(&[EngineKind::Pulley]).unwrap();
        assert_eq!(json, "[\"pulley\"]");
        let back: Vec<EngineKind> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, [EngineKind::Pulley]);
        assert!(serde_json::from_str::<EngineKind>("\"nope\"").is_err());
    }
}
