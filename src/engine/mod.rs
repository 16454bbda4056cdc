//! Engines: the runtimes and compilers variants run on, picked by name from one
//! registry.
//!
//! An [`Engine`] loads one variant (its checked module bytes) into a
//! [`Backend`], which evaluates calls in nvx's own value space. Everything past
//! that seam — the vote, the campaign, the reports — sees only backends, so a
//! second runtime is one more folder beside `wasmtime/` (implementing the trait of
//! [`seam`]) and one more line in
//! [`REGISTRY`]. Manifests, flags and reports name engines by [`Engine::name`];
//! an [`EngineKind`] is a handle to a registered engine.
//!
//! - [`backend`]: the [`Backend`] trait, what one loaded variant offers;
//! - [`wasmtime`]: wasmtime with three compilers (Cranelift, Winch, Pulley), its
//!   [`cache`] of compiled modules and its deterministic [`wasi`] profile;
//! - [`v8`]: V8 in Node.js worker processes, components transpiled by jco: a
//!   second, independent runtime;
//! - [`control`]: a caller's deadline and cancellation of one call;
//! - [`prepare`]: filling the compile caches ahead of time (`nvx prepare`).

pub mod backend;
pub mod cache;
pub mod control;
pub mod prepare;
pub mod v8;
pub mod wasi;
pub mod wasmtime;

pub mod seam;

use std::path::Path;

use crate::cause::{EngineListError, ManifestProblem, UsageError};
use crate::error::{Error, Result};

pub use backend::Backend;
pub use seam::{Engine, LoadSettings, WORKER_DIED, in_worker_process, is_core_module};
pub(crate) use seam::{SharedVariant, with_stack};

/// Tells every engine that this process is a campaign worker: it runs one input
/// at a time (wasmtime sizes its instance pool for that), and an engine whose own
/// worker process dies holding an input ends this process with [`WORKER_DIED`].
pub fn enter_worker_process(pool_instances: u32) {
    wasmtime::limit_pool(pool_instances);
    seam::mark_worker_process();
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
    /// [`EngineListError::Unknown`] naming the unknown engine and every registered one.
    pub fn from_name(name: &str) -> std::result::Result<EngineKind, EngineListError> {
        REGISTRY
            .iter()
            .find(|e| e.name() == name)
            .map(|e| EngineKind(*e))
            .ok_or_else(|| EngineListError::Unknown {
                name: name.to_string(),
                known: names().into_iter().map(String::from).collect(),
            })
    }

    /// Parses a comma-separated list such as `cranelift,winch,pulley`: at least
    /// one engine, each named once.
    ///
    /// # Errors
    /// An [`EngineListError`] naming the unknown or repeated engine.
    pub fn parse_list(text: &str) -> std::result::Result<Vec<EngineKind>, EngineListError> {
        let out = text
            .split(',')
            .map(|word| EngineKind::from_name(word.trim()))
            .collect::<std::result::Result<Vec<EngineKind>, EngineListError>>()?;
        EngineKind::check_list(&out)?;
        Ok(out)
    }

    /// Checks a list of engines as every place that takes one does: at least one
    /// engine, each named once.
    ///
    /// # Errors
    /// An [`EngineListError`] saying which rule the list breaks.
    pub fn check_list(engines: &[EngineKind]) -> std::result::Result<(), EngineListError> {
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
                let kind = EngineKind::from_name(n).map_err(|e| Error::Manifest {
                    path: manifest.to_path_buf(),
                    problem: ManifestProblem::Engines(e),
                })?;
                kind.check_available()?;
                Ok(kind)
            })
            .collect()
    }

    /// Checks an engine list given in code or on the command line as every load
    /// does: [`EngineKind::check_list`]'s rules, as a usage error.
    ///
    /// # Errors
    /// [`Error::Usage`] naming the rule the list breaks.
    pub fn check_given(engines: &[EngineKind]) -> Result<()> {
        EngineKind::check_list(engines).map_err(|e| Error::Usage(UsageError::EngineList(e)))
    }

    /// The engines a load runs on: `given` (checked by [`EngineKind::check_given`]),
    /// else the `engines` of the manifest at `manifest`; each able to run here.
    ///
    /// # Errors
    /// As [`EngineKind::check_given`] and [`EngineKind::resolve`], and
    /// [`Error::Usage`] for an engine that cannot run here.
    pub fn select(
        given: Option<&[EngineKind]>,
        manifest: &Path,
        names: &[String],
    ) -> Result<Vec<EngineKind>> {
        match given {
            Some(list) => {
                EngineKind::check_given(list)?;
                for k in list {
                    k.check_available()?;
                }
                Ok(list.to_vec())
            }
            None => EngineKind::resolve(manifest, names),
        }
    }

    /// Whether the engine can run here.
    ///
    /// # Errors
    /// [`Error::Usage`] naming the engine, what it needs and how to install it.
    pub fn check_available(self) -> Result<()> {
        self.0.available().map_err(|why| {
            Error::Usage(UsageError::EngineUnavailable {
                engine: self.name(),
                why,
            })
        })
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
    type Err = EngineListError;
    fn from_str(s: &str) -> std::result::Result<Self, EngineListError> {
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
        let err = EngineKind::from_name("v9").unwrap_err().to_string();
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
                .to_string()
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
