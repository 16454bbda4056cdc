//! Authoring ensembles: `nvx new` starts an ensemble folder, `nvx add` checks a
//! component (or wraps a core module into one) and appends its `[[variant]]`.
//!
//! `nvx add --replace` swaps a variant for a new build, and `nvx remove` takes one
//! out. All of them leave the folder as it was when they fail: files are written
//! aside and renamed into place only after every check passed, and files replaced
//! or removed are renamed aside first and restored if a later step fails.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::cause::{ManifestEdit, ManifestProblem, ModuleProblem, UsageError, WitProblem};
use crate::engine::{EngineKind, LoadSettings};
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
    /// Whether the wrapping linked in the WASI preview1 adapter (the module
    /// imported `wasi_snapshot_preview1`).
    pub adapted: bool,
    /// Size of the component written.
    pub bytes: usize,
    /// The WASI interfaces the component imports.
    pub imports: Vec<String>,
    /// The entry it replaced (`nvx add --replace`), if there was one.
    pub replaced: Option<VariantEntry>,
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
            problem: WitProblem::NoFunctions {
                world: world.to_string(),
            },
        });
    }
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Error::Usage(UsageError::FolderNotEmpty {
                dir: dir.to_path_buf(),
            }));
        }
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty() && n != "." && n != "..")
        .ok_or_else(|| {
            Error::Usage(UsageError::NoFolderName {
                dir: dir.to_path_buf(),
            })
        })?;
    let wit_name = wit
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            Error::Usage(UsageError::NotAFile {
                path: wit.to_path_buf(),
            })
        })?;
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
    put_variant(ensemble, file, new, false)
}

/// Like [`add_variant`], but a variant already named `new.name` is replaced: its
/// entry is rewritten in place (keeping its position, and every comment around
/// it) and its module is swapped for the new one, all or nothing. Without such a
/// variant this is [`add_variant`]. The new entry carries only what `new` says:
/// nothing of the old entry's provenance is kept.
///
/// # Errors
/// As [`add_variant`]; the old variant stays as it was on any error.
pub fn replace_variant(ensemble: &Path, file: &Path, new: &NewVariant) -> Result<Added> {
    put_variant(ensemble, file, new, true)
}

fn put_variant(ensemble: &Path, file: &Path, new: &NewVariant, replace: bool) -> Result<Added> {
    let manifest = Manifest::load_allowing_empty(ensemble)?;
    check_name(&new.name)?;
    if new.language.trim().is_empty() {
        return Err(Error::Usage(UsageError::EmptyLanguage {
            variant: new.name.clone(),
        }));
    }
    let old = manifest.variants.iter().find(|v| v.name == new.name);
    if old.is_some() && !replace {
        return Err(Error::Usage(UsageError::VariantExists {
            ensemble: manifest.ensemble.name.clone(),
            variant: new.name.clone(),
        }));
    }
    let target = ensemble.join(format!("{}.wasm", new.name));
    let file_name = PathBuf::from(format!("{}.wasm", new.name));
    if let Some(other) = user_of(&manifest, &new.name, &file_name) {
        return Err(Error::Usage(UsageError::ModuleOfOther {
            path: target.clone(),
            other: other.name.clone(),
        }));
    }
    if target.exists() && !replace {
        return Err(Error::Usage(UsageError::FileExists {
            path: target.clone(),
        }));
    }
    let bytes = read_module(file)?;
    let wit_path = ensemble.join(&manifest.ensemble.wit);
    let (component, wrapped, adapted) = if is_core_module(&bytes) {
        let adapted = imports_preview1(&bytes);
        let c = wrap_core(&bytes, &wit_path, manifest.ensemble.world.as_deref()).map_err(
            |problem| Error::InvalidModule {
                variant: new.name.clone(),
                path: file.to_path_buf(),
                problem,
            },
        )?;
        (c, true, adapted)
    } else {
        (bytes, false, false)
    };
    let sha256 = format!("{:x}", Sha256::digest(&component));
    let entry = VariantEntry {
        name: new.name.clone(),
        path: file_name,
        sha256,
        language: new.language.clone(),
        toolchain: new.toolchain.clone().unwrap_or_default(),
        source: new.source.clone(),
        provenance: new.provenance.clone(),
        lineage: new.lineage.clone(),
        backend: new.backend.clone(),
    };
    // Check it exactly as loading will, from a file beside the manifest.
    let mut change = Change::new(ensemble);
    let tmp = change.write_aside(&format!(".{}.wasm.adding", new.name), &component)?;
    let probe = VariantEntry {
        path: tmp
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_else(|| tmp.clone()),
        ..entry.clone()
    };
    let imports = check_loads(&manifest, ensemble, file, &probe)?;
    // The new manifest: appended to (a new variant), or the old entry rewritten in
    // place (a replacement).
    let manifest_path = ensemble.join("nvx.toml");
    let old_text = crate::files::read_text(&manifest_path, crate::files::MAX_TEXT_BYTES)?;
    let text = match old {
        None => append_entry(&old_text, &entry),
        Some(_) => edit_variants(&manifest_path, &old_text, |tables| {
            let i = position(tables, &entry.name)?;
            if let Some(t) = tables.get_mut(i) {
                fill_table(t, &entry);
            }
            Ok(())
        })?,
    };
    Manifest::parse(ensemble, &manifest_path, &text, true).map_err(|e| Error::Manifest {
        path: manifest_path.clone(),
        problem: ManifestProblem::EditBreaks {
            edit: ManifestEdit::Write,
            source: Box::new(e),
        },
    })?;
    let tmp_manifest = change.write_aside(".nvx.toml.adding", text.as_bytes())?;
    // Set the old modules aside (kept until the manifest is in place), then move
    // the new files in.
    if let Some(old) = old
        && user_of(&manifest, &old.name, &old.path).is_none()
        && inside(&old.path)
        && ensemble.join(&old.path).exists()
    {
        change.set_aside(&ensemble.join(&old.path))?;
    }
    if target.exists() {
        change.set_aside(&target)?;
    }
    change.put(&tmp, &target)?;
    change.put(&tmp_manifest, &manifest_path)?;
    change.commit();
    Ok(Added {
        entry,
        wrapped,
        adapted,
        bytes: component.len(),
        imports,
        replaced: old.cloned(),
    })
}

/// What `nvx remove` did.
#[derive(Clone, Debug)]
pub struct Removed {
    /// The manifest entry removed.
    pub entry: VariantEntry,
    /// The module file deleted with it; `None` when another variant still uses it
    /// or it was already missing.
    pub deleted: Option<PathBuf>,
    /// The variant that still uses its module file, if one does.
    pub shared_with: Option<String>,
    /// Whether its module file was kept because it lies outside the ensemble
    /// folder (`path = "../shared/x.wasm"`), where other ensembles may use it.
    pub outside: bool,
}

/// Removes the variant `name` from the ensemble: its `[[variant]]` entry (and the
/// comments written above it) from `nvx.toml`, and its module, unless another
/// variant uses the same file. All or nothing: the ensemble is left as it was on
/// any error. Removing the last variant leaves an ensemble as `nvx new` makes it.
///
/// # Errors
/// [`Error::Usage`] naming the ensemble and its variants when it has none named
/// `name`; [`Error::Manifest`] or [`Error::Io`] naming the file at fault.
pub fn remove_variant(ensemble: &Path, name: &str) -> Result<Removed> {
    let manifest = Manifest::load_allowing_empty(ensemble)?;
    let entry = manifest
        .variants
        .iter()
        .find(|v| v.name == name)
        .cloned()
        .ok_or_else(|| {
            Error::Usage(UsageError::NoSuchVariant {
                ensemble: manifest.ensemble.name.clone(),
                variant: name.to_string(),
                available: manifest.variants.iter().map(|v| v.name.clone()).collect(),
            })
        })?;
    let manifest_path = ensemble.join("nvx.toml");
    let old_text = crate::files::read_text(&manifest_path, crate::files::MAX_TEXT_BYTES)?;
    let text = edit_variants(&manifest_path, &old_text, |tables| {
        let i = position(tables, name)?;
        tables.remove(i);
        Ok(())
    })?;
    let check =
        Manifest::parse(ensemble, &manifest_path, &text, true).map_err(|e| Error::Manifest {
            path: manifest_path.clone(),
            problem: ManifestProblem::EditBreaks {
                edit: ManifestEdit::Remove,
                source: Box::new(e),
            },
        })?;
    if check.variants.iter().any(|v| v.name == name) {
        return Err(Error::Manifest {
            path: manifest_path,
            problem: ManifestProblem::DefinedTwice {
                name: name.to_string(),
            },
        });
    }
    let mut change = Change::new(ensemble);
    let tmp_manifest = change.write_aside(".nvx.toml.removing", text.as_bytes())?;
    let module = ensemble.join(&entry.path);
    let shared_with = user_of(&manifest, &entry.name, &entry.path).map(|v| v.name.clone());
    let outside = !inside(&entry.path);
    let deleted = if shared_with.is_none() && !outside && module.exists() {
        change.set_aside(&module)?;
        Some(module)
    } else {
        None
    };
    change.put(&tmp_manifest, &manifest_path)?;
    change.commit();
    Ok(Removed {
        entry,
        deleted,
        shared_with,
        outside,
    })
}

/// Loads `probe` on every engine the ensemble runs on, so that `nvx add` refuses
/// what a later run could not load; returns the WASI interfaces it imports.
fn check_loads(
    manifest: &Manifest,
    ensemble: &Path,
    file: &Path,
    probe: &VariantEntry,
) -> Result<Vec<String>> {
    let wit_path = ensemble.join(&manifest.ensemble.wit);
    let funcs = load_world(&wit_path, manifest.ensemble.world.as_deref())?;
    let kinds = EngineKind::resolve(&ensemble.join("nvx.toml"), &manifest.ensemble.engines)?;
    let path = ensemble.join(&probe.path);
    let bytes = crate::files::read_regular(&path, crate::files::MAX_MODULE_BYTES)?;
    let settings = LoadSettings::of(manifest);
    let loaded = kinds
        .iter()
        .map(|kind| kind.engine().load(&path, &bytes, probe, &funcs, &settings))
        .collect::<Result<Vec<_>, _>>()
        .and_then(|mut all| {
            all.drain(..)
                .next()
                .ok_or(Error::Usage(UsageError::NoEngine))
        })
        .map_err(|e| match e {
            Error::WorldMismatch {
                variant, problem, ..
            } => Error::WorldMismatch {
                variant,
                path: file.to_path_buf(),
                problem,
            },
            Error::InvalidModule {
                variant, problem, ..
            } => Error::InvalidModule {
                variant,
                path: file.to_path_buf(),
                problem,
            },
            other => other,
        })?;
    Ok(loaded.imports().to_vec())
}

/// The manifest text with `entry` appended as a new `[[variant]]` table.
fn append_entry(old: &str, entry: &VariantEntry) -> String {
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
    text
}

/// Rewrites the table of a `[[variant]]` entry with `entry`'s keys, keeping the
/// table's place and the comments above its header.
fn fill_table(t: &mut toml_edit::Table, entry: &VariantEntry) {
    t.clear();
    t.insert("name", toml_edit::value(entry.name.as_str()));
    t.insert(
        "path",
        toml_edit::value(entry.path.to_string_lossy().as_ref()),
    );
    t.insert("sha256", toml_edit::value(entry.sha256.as_str()));
    t.insert("language", toml_edit::value(entry.language.as_str()));
    if !entry.toolchain.is_empty() {
        t.insert("toolchain", toml_edit::value(entry.toolchain.as_str()));
    }
    if let Some(s) = &entry.source {
        t.insert("source", toml_edit::value(s.as_str()));
    }
    if let Some(p) = &entry.provenance {
        t.insert("provenance", toml_edit::value(p.as_str()));
    }
    if !entry.lineage.is_empty() {
        let items: toml_edit::Array = entry.lineage.iter().map(String::as_str).collect();
        t.insert("lineage", toml_edit::value(items));
    }
    if let Some(b) = &entry.backend {
        t.insert("backend", toml_edit::value(b.as_str()));
    }
}

/// Applies `edit` to the `[[variant]]` tables of the manifest text `text`, keeping
/// everything else (comments, order, formatting) as it is.
fn edit_variants(
    path: &Path,
    text: &str,
    edit: impl FnOnce(&mut toml_edit::ArrayOfTables) -> Result<()>,
) -> Result<String> {
    let bad = |problem: ManifestProblem| Error::Manifest {
        path: path.to_path_buf(),
        problem,
    };
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| bad(ManifestProblem::TomlEdit(Box::new(e))))?;
    let tables = doc
        .get_mut("variant")
        .and_then(toml_edit::Item::as_array_of_tables_mut)
        .ok_or_else(|| bad(ManifestProblem::NotVariantTables))?;
    edit(tables)?;
    if tables.is_empty() {
        doc.remove("variant");
    }
    Ok(doc.to_string())
}

/// The index of the `[[variant]]` table named `name`.
fn position(tables: &toml_edit::ArrayOfTables, name: &str) -> Result<usize> {
    tables
        .iter()
        .position(|t| t.get("name").and_then(toml_edit::Item::as_str) == Some(name))
        .ok_or_else(|| {
            Error::Usage(UsageError::NoVariantTable {
                name: name.to_string(),
            })
        })
}

/// Whether a manifest path names a file inside the ensemble folder (relative, with
/// no `..`): only such files are nvx's to replace or delete.
fn inside(path: &Path) -> bool {
    path.components().all(|c| {
        matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    })
}

/// Whether two manifest paths name the same file of the ensemble.
fn same_file(a: &Path, b: &Path) -> bool {
    a.components().eq(b.components())
}

/// The variant of `manifest` other than `name` whose module is the file `path`, if
/// any.
fn user_of<'a>(manifest: &'a Manifest, name: &str, path: &Path) -> Option<&'a VariantEntry> {
    manifest
        .variants
        .iter()
        .find(|v| v.name != name && same_file(&v.path, path))
}

/// A change to an ensemble folder made all or nothing. New files are written
/// aside under hidden names and renamed into place; files replaced or removed are
/// renamed aside first. Dropped before [`Change::commit`], it undoes every step in
/// reverse order, so the folder is left as it was; committed, it deletes what was
/// set aside.
struct Change {
    dir: PathBuf,
    /// Files written aside and not yet moved into place.
    written: Vec<PathBuf>,
    /// `(original, aside)`: files set aside, to restore on failure.
    aside: Vec<(PathBuf, PathBuf)>,
    /// Files moved into place, to delete on failure.
    placed: Vec<PathBuf>,
    committed: bool,
}

impl Change {
    fn new(dir: &Path) -> Change {
        Change {
            dir: dir.to_path_buf(),
            written: Vec::new(),
            aside: Vec::new(),
            placed: Vec::new(),
            committed: false,
        }
    }

    /// Writes `bytes` to the hidden file `name` of the folder.
    fn write_aside(&mut self, name: &str, bytes: &[u8]) -> Result<PathBuf> {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).map_err(|source| {
            let _ = std::fs::remove_file(&path);
            Error::Io {
                path: path.clone(),
                source,
            }
        })?;
        self.written.push(path.clone());
        Ok(path)
    }

    /// Renames `path` aside (restored if the change fails).
    fn set_aside(&mut self, path: &Path) -> Result<()> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let aside = self.dir.join(format!(".{name}.old"));
        std::fs::rename(path, &aside).map_err(io(path))?;
        self.aside.push((path.to_path_buf(), aside));
        Ok(())
    }

    /// Renames the file written aside at `from` to `to`.
    fn put(&mut self, from: &Path, to: &Path) -> Result<()> {
        std::fs::rename(from, to).map_err(io(to))?;
        self.written.retain(|w| w != from);
        self.placed.push(to.to_path_buf());
        Ok(())
    }

    /// Keeps the change: deletes what was set aside.
    fn commit(mut self) {
        self.committed = true;
        for (_, aside) in &self.aside {
            let _ = std::fs::remove_file(aside);
        }
    }
}

impl Drop for Change {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        for w in &self.written {
            let _ = std::fs::remove_file(w);
        }
        for p in self.placed.iter().rev() {
            let _ = std::fs::remove_file(p);
        }
        for (original, aside) in self.aside.iter().rev() {
            let _ = std::fs::rename(aside, original);
        }
    }
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
        Err(Error::Usage(UsageError::BadVariantName {
            name: name.to_string(),
        }))
    }
}

fn read_module(file: &Path) -> Result<Vec<u8>> {
    let bytes = crate::files::read_regular(file, MAX_MODULE_BYTES)?;
    if !bytes.starts_with(b"\0asm") || bytes.len() < 8 {
        return Err(Error::Usage(UsageError::NotWasm {
            path: file.to_path_buf(),
        }));
    }
    Ok(bytes)
}

pub use crate::engine::is_core_module;

/// Whether a core module imports anything from `wasi_snapshot_preview1` (an
/// unreadable import section counts as no: wrapping reports it).
fn imports_preview1(core: &[u8]) -> bool {
    wasmparser::Parser::new(0).parse_all(core).any(|payload| {
        matches!(payload, Ok(wasmparser::Payload::ImportSection(reader))
            if reader.clone().into_imports().any(|i| i.is_ok_and(|i| i.module == "wasi_snapshot_preview1")))
    })
}

/// Wraps a core module (canonical ABI exports, optionally importing
/// `wasi_snapshot_preview1`) into a component for `world` of the WIT at `wit`,
/// with the WASI preview1 reactor adapter.
///
/// # Errors
/// A [`ModuleProblem`] naming what is missing or wrong.
pub fn wrap_core(
    core: &[u8],
    wit: &Path,
    world: Option<&str>,
) -> std::result::Result<Vec<u8>, ModuleProblem> {
    let mut resolve = wit_parser::Resolve::new();
    let pkg = resolve.push_file(wit).map_err(|e| ModuleProblem::WrapWit {
        wit: wit.to_path_buf(),
        source: e.into(),
    })?;
    let world = resolve
        .select_world(&[pkg], world)
        .map_err(|e| ModuleProblem::WrapWorld(e.into()))?;
    let mut imports_wasi = false;
    for payload in wasmparser::Parser::new(0).parse_all(core) {
        if let wasmparser::Payload::ImportSection(reader) =
            payload.map_err(ModuleProblem::NotCore)?
        {
            for imp in reader.into_imports() {
                let imp = imp.map_err(ModuleProblem::NotCore)?;
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
    .map_err(|e| ModuleProblem::Embed(e.into()))?;
    let mut encoder = wit_component::ComponentEncoder::default()
        .validate(true)
        .module(&bytes)
        .map_err(|e| ModuleProblem::Encode(e.into()))?;
    if imports_wasi {
        encoder = encoder
            .adapter(
                "wasi_snapshot_preview1",
                wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
            )
            .map_err(|e| ModuleProblem::Adapter(e.into()))?;
    }
    encoder.encode().map_err(|e| ModuleProblem::Wrap(e.into()))
}

fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
