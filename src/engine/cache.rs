//! The on-disk cache of compiled components, and its integrity checks.
//!
//! Compiled code is loaded without re-validation, so a cache entry is trusted
//! only when all of these hold:
//! - its file name is derived from the module's SHA-256 (already checked against
//!   the manifest) and the engine's compatibility hash (compiler, settings,
//!   wasmtime version);
//! - its header repeats both, so an entry copied over another's name is refused;
//! - a SHA-256 of header and artifact, stored in the entry, matches, so a torn
//!   write or a flipped bit is refused.
//!
//! A refused entry is deleted and the module recompiled, with a warning. These
//! checks stop corruption and mix-ups, not an attacker: whoever can write the
//! cache folder can run code in nvx, as with any compiler cache. So the folder
//! must be writable only by the user running nvx; nvx does not use a cache
//! folder that its group or others may write.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

/// Format tag at the start of every entry.
const MAGIC: &[u8; 8] = b"NVXCWSM1";

/// Where compiled modules are cached: `$NVX_CACHE_DIR`, else the platform's cache
/// folder (`$XDG_CACHE_HOME/nvx`, else `~/.cache/nvx` on Linux; found by the `dirs`
/// crate). `NVX_CACHE_DIR=off` disables the cache.
pub fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os("NVX_CACHE_DIR") {
        Some(v) if v == "off" => None,
        Some(v) => Some(PathBuf::from(v)),
        None => dirs::cache_dir().map(|d| d.join("nvx")),
    }
}

/// A 32-byte digest of the engine's settings, as far as they matter for
/// compiled code.
fn engine_digest(engine: &Engine) -> [u8; 32] {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut h);
    let mut d = Sha256::new();
    d.update(h.finish().to_le_bytes());
    d.update(env!("CARGO_PKG_VERSION").as_bytes());
    d.finalize().into()
}

/// Compiles `bytes` (whose SHA-256 is `module_sha256`, lowercase hex) for
/// `engine`, through the cache when there is one. Warnings about refused or
/// unusable cache entries are pushed to `warnings`.
///
/// # Errors
/// The compiler's error when the module does not compile.
pub(crate) fn compile(
    engine: &Engine,
    bytes: &[u8],
    module_sha256: &str,
    warnings: &mut Vec<String>,
) -> wasmtime::Result<Component> {
    let Some(dir) = cache_dir() else {
        return Component::new(engine, bytes);
    };
    if let Err(why) = usable_dir(&dir, "components") {
        warnings.push(format!(
            "not using the compile cache {}: {why}",
            dir.display()
        ));
        return Component::new(engine, bytes);
    }
    let engine_hash = engine_digest(engine);
    let module_hash: [u8; 32] = Sha256::digest(bytes).into();
    let name = format!(
        "{module_sha256}-{}.cwasm",
        &format!("{:x}", Sha256::digest(engine_hash))[..16]
    );
    let path = dir.join("components").join(name);
    match read_entry(&path, &module_hash, &engine_hash) {
        Ok(Some(artifact)) => {
            // SAFETY: `artifact` was produced by `Component::serialize` for an
            // engine with the same compatibility hash, and its SHA-256 (over the
            // header binding it to this module and engine) matched the one stored
            // beside it, so these are the bytes nvx wrote; the cache folder is
            // writable only by this user (checked above).
            #[expect(
                unsafe_code,
                reason = "loading compiled code whose integrity was checked"
            )]
            let loaded = unsafe { Component::deserialize(engine, &artifact) };
            match loaded {
                Ok(c) => return Ok(c),
                Err(e) => {
                    warnings.push(format!(
                        "discarded compile-cache entry {}: {e:#}; recompiling",
                        path.display()
                    ));
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        Ok(None) => {}
        Err(why) => {
            warnings.push(format!(
                "discarded compile-cache entry {}: {why}; recompiling",
                path.display()
            ));
            let _ = std::fs::remove_file(&path);
        }
    }
    let component = Component::new(engine, bytes)?;
    if let Ok(artifact) = component.serialize()
        && let Err(e) = write_entry(&path, &module_hash, &engine_hash, &artifact)
    {
        warnings.push(format!(
            "could not write compile-cache entry {}: {e}",
            path.display()
        ));
    }
    Ok(component)
}

/// Why a cache folder is not used (the cache is then skipped, with a warning).
#[derive(Debug, thiserror::Error)]
pub(crate) enum CacheDirProblem {
    /// The folder could not be created.
    #[error("cannot create it: {0}")]
    Create(#[source] std::io::Error),
    /// The folder could not be inspected.
    #[error("{0}")]
    Io(#[source] std::io::Error),
    /// Others may write to the folder, so its entries could be forged.
    #[error("{} is writable by its group or others; make it private (chmod go-w)", .0.display())]
    Shared(PathBuf),
}

/// Checks that the cache folder and its subfolder `sub` (one per kind of entry)
/// are not writable by group or others, creating them private if missing.
pub(crate) fn usable_dir(dir: &Path, sub: &str) -> Result<(), CacheDirProblem> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        let components = dir.join(sub);
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&components)
            .map_err(CacheDirProblem::Create)?;
        for d in [dir, components.as_path()] {
            let meta = std::fs::metadata(d).map_err(CacheDirProblem::Io)?;
            if meta.permissions().mode() & 0o022 != 0 {
                return Err(CacheDirProblem::Shared(d.to_path_buf()));
            }
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir.join(sub)).map_err(CacheDirProblem::Io)
    }
}

/// Header: magic, module SHA-256, engine digest; then the SHA-256 of header and
/// artifact; then the artifact.
fn header(module_hash: &[u8; 32], engine_hash: &[u8; 32]) -> Vec<u8> {
    let mut h = Vec::with_capacity(72);
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(module_hash);
    h.extend_from_slice(engine_hash);
    h
}

fn read_entry(
    path: &Path,
    module_hash: &[u8; 32],
    engine_hash: &[u8; 32],
) -> Result<Option<Vec<u8>>, String> {
    let data = match std::fs::read(path) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let head = header(module_hash, engine_hash);
    if data.len() < head.len() + 32 || !data.starts_with(MAGIC) {
        return Err("not an nvx cache entry (truncated or of another format)".into());
    }
    if data[..head.len()] != head[..] {
        return Err("it belongs to another module or engine configuration".into());
    }
    let (stored, artifact) = data[head.len()..].split_at(32);
    let mut d = Sha256::new();
    d.update(&head);
    d.update(artifact);
    if d.finalize().as_slice() != stored {
        return Err("its integrity hash does not match (corrupted)".into());
    }
    Ok(Some(artifact.to_vec()))
}

fn write_entry(
    path: &Path,
    module_hash: &[u8; 32],
    engine_hash: &[u8; 32],
    artifact: &[u8],
) -> std::io::Result<()> {
    let head = header(module_hash, engine_hash);
    let mut d = Sha256::new();
    d.update(&head);
    d.update(artifact);
    let mut data = head;
    data.extend_from_slice(&d.finalize());
    data.extend_from_slice(artifact);
    write_whole(path, &data)
}

/// Writes a cache entry aside and renames it into place, so a reader never sees
/// a half-written entry (and a failed rename leaves nothing behind).
pub(crate) fn write_whole(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, data)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_refuse_tampering() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("e.cwasm");
        let (m, e) = ([1u8; 32], [2u8; 32]);
        write_entry(&p, &m, &e, b"compiled code").unwrap();
        assert_eq!(
            read_entry(&p, &m, &e).unwrap().as_deref(),
            Some(&b"compiled code"[..])
        );
        // Another module's or engine's entry under this name.
        assert!(
            read_entry(&p, &[3u8; 32], &e)
                .unwrap_err()
                .contains("another module")
        );
        assert!(
            read_entry(&p, &m, &[3u8; 32])
                .unwrap_err()
                .contains("another module")
        );
        // Every single-bit flip anywhere is refused.
        let good = std::fs::read(&p).unwrap();
        for i in 0..good.len() {
            for bit in 0..8 {
                let mut bad = good.clone();
                bad[i] ^= 1 << bit;
                std::fs::write(&p, &bad).unwrap();
                assert!(
                    read_entry(&p, &m, &e).is_err(),
                    "flip at byte {i} bit {bit}"
                );
            }
        }
        // Truncation at every length.
        for len in 0..good.len() {
            std::fs::write(&p, &good[..len]).unwrap();
            assert!(read_entry(&p, &m, &e).is_err(), "cut at {len}");
        }
        assert_eq!(read_entry(&dir.path().join("missing"), &m, &e), Ok(None));
    }
}
