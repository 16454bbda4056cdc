//! Authoring ensembles: `nvx new` starts an ensemble folder, `nvx add` checks a
//! component (or wraps a core module into one) and appends its `[[variant]]`.
//!
//! Both leave the folder as it was when they fail: files are written aside and
//! renamed into place only after every check passed.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::engine;
use crate::error::{Error, Result};
use crate::manifest::{Manifest, VariantEntry};
use crate::wit::load_world;

use crate::files::MAX_MODULE_BYTES;

/// What `nvx add` is given besides the file.
#[derive(Clone, Debug, Default)]
pub struct NewVariant {
    /// The variant's name (also its file name, `<name>.wasm`).
    pub name: String,
    /// Source language.
    pub language: String,
    /// Compiler and version.
    pub toolchain: Option<String>,
    /// Where its sources live.
    pub source: Option<String>,
    /// How it came to be.
    pub provenance: Option<String>,
    /// The algorithms or libraries it derives from (diversity audit).
    pub lineage: Vec<String>,
    /// The compiler backend that generated its code (diversity audit).
    pub backend: Option<String>,
}

/// What `nvx add` did.
#[derive(Clone, Debug)]
pub struct Added {
    /// The manifest entry written.
    pub entry: VariantEntry,
    /// Whether the file was a core module that nvx wrapped into a component.
    pub wrapped: bool,
    /// Size of the component written.
    pub bytes: usize,
    /// The WASI interfaces the component imports.
    pub imports: Vec<String>,
}

/// Creates the ensemble folder `dir` for `world` of the WIT file `wit`: copies the
/// WIT in and writes an `nvx.toml` without variants.
///
/// # Errors
/// [`Error::Usage`] when `dir` exists and is not empty; [`Error::Wit`] when the WIT
/// does not parse or lacks the world; [`Error::Io`] naming a file that cannot be
/// read or written.
pub fn new_ensemble(dir: &Path, wit: &Path, world: &str) -> Result<PathBuf> {
    let funcs = load_world(wit, Some(world))?;
    if funcs.is_empty() {
        return Err(Error::Wit {
            path: wit.to_path_buf(),
            message: format!("world `{world}` exports no functions"),
        });
    }
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Error::Usage(format!(
                "{} already exists and is not an empty folder",
                dir.display()
            )));
        }
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty() && n != "." && n != "..")
        .ok_or_else(|| Error::Usage(format!("{} does not end in a folder name", dir.display())))?;
    let wit_name = wit
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Usage(format!("{} is not a file", wit.display())))?;
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let wit_text = crate::files::read_regular(wit, crate::files::MAX_TEXT_BYTES)?;
    std::fs::write(dir.join(&wit_name), wit_text).map_err(io(&dir.join(&wit_name)))?;
    let manifest = format!(
        "[ensemble]\nname = {}\nwit = {}\nworld = {}\npolicy = \"majority\"\n\n# [ensemble.limits]\n# timeout-ms = 1000\n# memory-mib = 64\n\n# Add variants with: nvx add {} FILE --name NAME --language LANG\n",
        quote(&name),
        quote(&wit_name),
        quote(world),
        dir.display()
    );
    let path = dir.join("nvx.toml");
    std::fs::write(&path, manifest).map_err(io(&path))?;
    Ok(path)
}

/// Checks `file` against the ensemble's world, wrapping a core module into a
/// component first, copies it into the ensemble as `<name>.wasm` and appends its
/// entry to `nvx.toml`.
///
/// # Errors
/// [`Error::Usage`] for a bad or taken name or an existing `<name>.wasm`;
/// [`Error::Io`] naming an unreadable file; [`Error::InvalidModule`] or
/// [`Error::WorldMismatch`] (naming the file and the function or import at fault)
/// for a module that does not fit. The ensemble is left untouched on error.
pub fn add_variant(ensemble: &Path, file: &Path, new: &NewVariant) -> Result<Added> {
    let manifest = Manifest::load_allowing_empty(ensemble)?;
    check_name(&new.name)?;
    if new.language.trim().is_empty() {
        return Err(Error::Usage(format!(
            "variant `{}`: its language must not be empty",
            new.name
        )));
    }
    if manifest.variants.iter().any(|v| v.name == new.name) {
        return Err(Error::Usage(format!(
            "ensemble `{}` already has a variant named `{}`",
            manifest.ensemble.name, new.name
        )));
    }
    let target = ensemble.join(format!("{}.wasm", new.name));
    if target.exists() {
        return Err(Error::Usage(format!(
            "{} already exists; choose another --name or remove the file",
            target.display()
        )));
    }
    let bytes = read_module(file)?;
    let wit_path = ensemble.join(&manifest.ensemble.wit);
    let (component, wrapped) = if is_core_module(&bytes) {
        let c = wrap_core(&bytes, &wit_path, manifest.ensemble.world.as_deref()).map_err(
            |message| Error::InvalidModule {
                variant: new.name.clone(),
                path: file.to_path_buf(),
                message,
            },
        )?;
        (c, true)
    } else {
        (bytes, false)
    };
    let sha256 = format!("{:x}", Sha256::digest(&component));
    // Check it exactly as loading will, from a file beside the manifest.
    let tmp = ensemble.join(format!(".{}.wasm.adding", new.name));
    std::fs::write(&tmp, &component).map_err(io(&tmp))?;
    let cleanup = |e: Error| {
        let _ = std::fs::remove_file(&tmp);
        e
    };
    let entry = VariantEntry {
        name: new.name.clone(),
        path: PathBuf::from(format!("{}.wasm", new.name)),
        sha256,
        language: new.language.clone(),
        toolchain: new.toolchain.clone().unwrap_or_default(),
        source: new.source.clone(),
        provenance: new.provenance.clone(),
        lineage: new.lineage.clone(),
        backend: new.backend.clone(),
    };
    let probe = VariantEntry {
        path: tmp
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_else(|| tmp.clone()),
        ..entry.clone()
    };
    let funcs = load_world(&wit_path, manifest.ensemble.world.as_deref()).map_err(cleanup)?;
    // Checked on every engine the ensemble runs on, so `nvx add` refuses what a
    // later run could not load.
    let loaded = manifest
        .ensemble
        .engines
        .iter()
        .map(|&kind| {
            engine::load_variant(
                ensemble,
                &probe,
                &funcs,
                &manifest.ensemble.limits,
                manifest.ensemble.wasi,
                kind,
                manifest.ensemble.isolation,
            )
        })
        .collect::<Result<Vec<_>, _>>()
        .and_then(|mut all| {
            all.drain(..)
                .next()
                .ok_or_else(|| Error::Usage("[ensemble] engines: name at least one engine".into()))
        })
        .map_err(|e| {
            cleanup(match e {
                Error::WorldMismatch {
                    variant, message, ..
                } => Error::WorldMismatch {
                    variant,
                    path: file.to_path_buf(),
                    message,
                },
                Error::InvalidModule {
                    variant, message, ..
                } => Error::InvalidModule {
                    variant,
                    path: file.to_path_buf(),
                    message,
                },
                other => other,
            })
        })?;
    let imports = loaded.imports.clone();
    drop(loaded);
    // Append the entry: write the new manifest aside, check it parses, then rename
    // both files into place.
    let manifest_path = ensemble.join("nvx.toml");
    let old =
        crate::files::read_text(&manifest_path, crate::files::MAX_TEXT_BYTES).map_err(cleanup)?;
    let mut text = old.trim_end().to_string();
    text.push_str("\n\n[[variant]]\n");
    text.push_str(&format!("name = {}\n", quote(&entry.name)));
    text.push_str(&format!(
        "path = {}\n",
        quote(&entry.path.to_string_lossy())
    ));
    text.push_str(&format!("sha256 = {}\n", quote(&entry.sha256)));
    text.push_str(&format!("language = {}\n", quote(&entry.language)));
    if !entry.toolchain.is_empty() {
        text.push_str(&format!("toolchain = {}\n", quote(&entry.toolchain)));
    }
    if let Some(s) = &entry.source {
        text.push_str(&format!("source = {}\n", quote(s)));
    }
    if let Some(p) = &entry.provenance {
        text.push_str(&format!("provenance = {}\n", quote(p)));
    }
    if !entry.lineage.is_empty() {
        let items: Vec<String> = entry.lineage.iter().map(|l| quote(l)).collect();
        text.push_str(&format!("lineage = [{}]\n", items.join(", ")));
    }
    if let Some(b) = &entry.backend {
        text.push_str(&format!("backend = {}\n", quote(b)));
    }
    let tmp_manifest = ensemble.join(".nvx.toml.adding");
    std::fs::write(&tmp_manifest, &text)
        .map_err(io(&tmp_manifest))
        .map_err(cleanup)?;
    let undo = |e: Error| {
        let _ = std::fs::remove_file(&tmp_manifest);
        cleanup(e)
    };
    toml::from_str::<toml::Value>(&text).map_err(|e| {
        undo(Error::Manifest {
            path: manifest_path.clone(),
            message: format!("appending the entry would break the manifest: {e}"),
        })
    })?;
    std::fs::rename(&tmp, &target)
        .map_err(io(&target))
        .map_err(undo)?;
    if let Err(e) = std::fs::rename(&tmp_manifest, &manifest_path) {
        let _ = std::fs::remove_file(&target);
        let _ = std::fs::remove_file(&tmp_manifest);
        return Err(Error::Io {
            path: manifest_path,
            source: e,
        });
    }
    Ok(Added {
        entry,
        wrapped,
        bytes: component.len(),
        imports,
    })
}

/// Maps an I/O error to [`Error::Io`] naming `path`.
fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::Io { path, source }
}

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !name.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "{name:?} is not a valid variant name: use 1 to 64 ASCII letters, digits, `-` or `_`, not starting with `-`"
        )))
    }
}

fn read_module(file: &Path) -> Result<Vec<u8>> {
    let bytes = crate::files::read_regular(file, MAX_MODULE_BYTES)?;
    if !bytes.starts_with(b"\0asm") || bytes.len() < 8 {
        return Err(Error::Usage(format!(
            "{} is not a WebAssembly binary (it does not start with `\\0asm`)",
            file.display()
        )));
    }
    Ok(bytes)
}

/// Whether `bytes` are a core module (version 1) rather than a component.
pub fn is_core_module(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && bytes[4..8] == [1, 0, 0, 0]
}

/// Wraps a core module (canonical ABI exports, optionally importing
/// `wasi_snapshot_preview1`) into a component for `world` of the WIT at `wit`,
/// with the WASI preview1 reactor adapter.
///
/// # Errors
/// A message naming what is missing or wrong.
pub fn wrap_core(
    core: &[u8],
    wit: &Path,
    world: Option<&str>,
) -> std::result::Result<Vec<u8>, String> {
    let mut resolve = wit_parser::Resolve::new();
    let pkg = resolve
        .push_file(wit)
        .map_err(|e| format!("reading {}: {e:#}", wit.display()))?;
    let world = resolve
        .select_world(&[pkg], world)
        .map_err(|e| format!("{e:#}"))?;
    let mut imports_wasi = false;
    for payload in wasmparser::Parser::new(0).parse_all(core) {
        if let wasmparser::Payload::ImportSection(reader) =
            payload.map_err(|e| format!("not a valid core module: {e}"))?
        {
            for imp in reader.into_imports() {
                let imp = imp.map_err(|e| format!("not a valid core module: {e}"))?;
                if imp.module == "wasi_snapshot_preview1" {
                    imports_wasi = true;
                }
            }
        }
    }
    let mut bytes = core.to_vec();
    wit_component::embed_component_metadata(
        &mut bytes,
        &resolve,
        world,
        wit_component::StringEncoding::UTF8,
    )
    .map_err(|e| format!("embedding the world: {e:#}"))?;
    let mut encoder = wit_component::ComponentEncoder::default()
        .validate(true)
        .module(&bytes)
        .map_err(|e| format!("{e:#}"))?;
    if imports_wasi {
        encoder = encoder
            .adapter(
                "wasi_snapshot_preview1",
                wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
            )
            .map_err(|e| format!("adding the WASI preview1 adapter: {e:#}"))?;
    }
    encoder
        .encode()
        .map_err(|e| format!("wrapping into a component: {e:#}"))
}

fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
