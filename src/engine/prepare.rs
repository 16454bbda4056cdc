//! Filling the compile caches ahead of time (`nvx prepare`): every variant of an
//! ensemble loaded on each of its engines, so that a later run, offline or on a
//! fresh CI runner handed the cache folder, compiles and transpiles nothing.
//!
//! Whether a load filled the cache or found it filled is read from the cache
//! folder itself: the entries (name, size, modification time, inode) before and
//! after. An engine writes an entry only when it compiled; a sound entry is read
//! and left alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::engine::{EngineKind, LoadSettings};
use crate::error::{Error, Result};
use crate::manifest::Manifest;

/// The subfolders of the cache folder that hold entries: wasmtime's compiled
/// components and V8's transpiled ones (see [`crate::cache`]).
pub const ENTRY_FOLDERS: [&str; 2] = ["components", "v8"];

/// What loading one variant on one engine did to the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CacheUse {
    /// It compiled (or transpiled) and wrote the entries it made.
    Filled,
    /// Its entries were there and sound: nothing was compiled.
    Found,
}

impl CacheUse {
    /// `filled` or `found`, as `nvx prepare` prints it.
    pub fn label(self) -> &'static str {
        match self {
            CacheUse::Filled => "filled",
            CacheUse::Found => "found",
        }
    }
}

/// One variant made ready on one engine.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The variant's name.
    pub variant: String,
    /// The engine it was compiled for.
    pub engine: EngineKind,
    /// Whether it was compiled now or found in the cache.
    pub cache: CacheUse,
    /// The cache entries it wrote (empty when found), under the cache folder.
    pub written: Vec<PathBuf>,
    /// How long loading it took.
    pub elapsed: Duration,
    /// Warnings raised while loading it (a refused entry that was replaced).
    pub warnings: Vec<String>,
}

/// What [`prepare`] did for one ensemble.
#[derive(Clone, Debug)]
pub struct Preparation {
    /// The ensemble's name.
    pub ensemble: String,
    /// The engines its variants were compiled for, in order.
    pub engines: Vec<EngineKind>,
    /// The cache folder that was filled.
    pub cache_dir: PathBuf,
    /// One entry per variant and engine: engine by engine, variants in manifest
    /// order.
    pub variants: Vec<Prepared>,
}

impl Preparation {
    /// How many (variant, engine) pairs were compiled now.
    pub fn filled(&self) -> usize {
        self.variants
            .iter()
            .filter(|p| p.cache == CacheUse::Filled)
            .count()
    }
}

/// Compiles every variant of the ensemble in `dir` for each of `engines` (else
/// the manifest's `[ensemble] engines`) into the compile cache, with the checks
/// of a normal load (hash, imports, world).
///
/// # Errors
/// [`Error::Usage`] when there is no usable cache folder (`NVX_CACHE_DIR=off`,
/// or a folder its group or others may write) or an engine cannot run here;
/// every error of loading the ensemble, naming the file and variant at fault.
pub fn prepare(dir: &Path, engines: Option<&[EngineKind]>) -> Result<Preparation> {
    let cache_dir =
        crate::cache::cache_dir().ok_or(Error::Usage(crate::cause::UsageError::CacheOff))?;
    for sub in ENTRY_FOLDERS {
        crate::cache::usable_dir(&cache_dir, sub).map_err(|why| {
            Error::Usage(crate::cause::UsageError::CacheUnusable {
                dir: cache_dir.clone(),
                problem: Box::new(why),
            })
        })?;
    }
    let manifest = Manifest::load(dir)?;
    let manifest_path = dir.join("nvx.toml");
    let engines = EngineKind::select(engines, &manifest_path, &manifest.ensemble.engines)?;
    let funcs = crate::wit::load_world(
        &dir.join(&manifest.ensemble.wit),
        manifest.ensemble.world.as_deref(),
    )?;
    let settings = LoadSettings::of(&manifest);
    let modules = manifest.read_modules(dir)?;
    let mut variants = Vec::new();
    for &engine in &engines {
        for (entry, (path, bytes)) in manifest.variants.iter().zip(&modules) {
            let before = entries(&cache_dir);
            let started = Instant::now();
            let backend = engine
                .engine()
                .load(path, bytes, entry, &funcs, &settings)?;
            let elapsed = started.elapsed();
            let warnings = backend.warnings().to_vec();
            drop(backend);
            let after = entries(&cache_dir);
            let written: Vec<PathBuf> = after
                .iter()
                .filter(|(name, stamp)| before.get(*name) != Some(stamp))
                .map(|(name, _)| name.clone())
                .collect();
            variants.push(Prepared {
                variant: entry.name.clone(),
                engine,
                cache: if written.is_empty() {
                    CacheUse::Found
                } else {
                    CacheUse::Filled
                },
                written,
                elapsed,
                warnings,
            });
        }
    }
    Ok(Preparation {
        ensemble: manifest.ensemble.name.clone(),
        engines,
        cache_dir,
        variants,
    })
}

/// What identifies one version of an entry: its size, modification time and
/// (on Unix) inode, which an entry renamed into place changes.
type Stamp = (u64, Option<SystemTime>, u64);

/// The entries of the cache folder's [`ENTRY_FOLDERS`], by path.
pub fn entries(cache_dir: &Path) -> BTreeMap<PathBuf, Stamp> {
    let mut out = BTreeMap::new();
    for sub in ENTRY_FOLDERS {
        let Ok(list) = std::fs::read_dir(cache_dir.join(sub)) else {
            continue;
        };
        for e in list.flatten() {
            let Ok(meta) = e.metadata() else { continue };
            if !meta.is_file() {
                continue;
            }
            #[cfg(unix)]
            let inode = std::os::unix::fs::MetadataExt::ino(&meta);
            #[cfg(not(unix))]
            let inode = 0;
            out.insert(e.path(), (meta.len(), meta.modified().ok(), inode));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_change_when_a_file_is_replaced_and_not_when_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("components")).unwrap();
        std::fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
        let p = dir.path().join("components/a.cwasm");
        std::fs::write(&p, b"one").unwrap();
        std::fs::write(dir.path().join("elsewhere/b"), b"ignored").unwrap();
        let first = entries(dir.path());
        assert_eq!(first.keys().collect::<Vec<_>>(), [&p]);
        let _ = std::fs::read(&p).unwrap();
        assert_eq!(entries(dir.path()), first);
        // Rewritten as the caches write: aside, then renamed into place, same size.
        crate::cache::write_whole(&p, b"two").unwrap();
        assert_ne!(entries(dir.path()), first);
    }
}
