//! Loading a variant on a wasmtime engine: the bytes verified, its imports
//! checked, the component compiled (through the compile cache), its exports
//! type-checked against the world and pre-linked into a [`LoadedVariant`].

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use wasmtime::Store;
use wasmtime::component::types::{ComponentFunc, ComponentItem};
use wasmtime::component::{ComponentExportIndex, Linker};

use super::config::{Compiler, engine_for};
use super::context::{Ctx, Recipe};
use super::convert::value_type;
use super::ready::Ready;
use crate::cause::{ModuleProblem, WorldProblem};
use crate::engine::seam::is_core_module;
use crate::error::{Error, Result};
use crate::manifest::VariantEntry;
use crate::value::ValueType;
use crate::wasi::{self, check_imports};
use crate::wit::FuncSig;

/// A variant compiled by one wasmtime engine, pre-linked and checked against its
/// world; it evaluates calls through [`crate::backend::Backend`].
pub struct LoadedVariant {
    /// Its manifest entry.
    pub entry: VariantEntry,
    /// The module's SHA-256 (as checked).
    pub sha256: String,
    /// How an instance of it is made.
    pub(super) recipe: Recipe,
    pub(super) exports: HashMap<String, ComponentExportIndex>,
    /// Fresh instances made ahead of time (`isolation = "fresh"`).
    pub(super) ready: Arc<Ready>,
    /// What it imports (WASI interfaces only, as checked).
    pub imports: Vec<String>,
    /// Warnings raised while loading it (a refused cache entry).
    pub warnings: Vec<String>,
    /// With `isolation = "reuse"`: instances kept after calls that returned.
    pub(super) spares: Option<Mutex<Vec<Spare>>>,
    /// An instance kept only to type-check typed handles, made by the first check.
    pub(super) probe: Mutex<Option<(Store<Ctx>, wasmtime::component::Instance)>>,
}

/// An instance kept for reuse, with its store and the calls it has served.
pub(super) type Spare = (Store<Ctx>, wasmtime::component::Instance, u32);

/// Verifies, compiles and type-checks one variant from its bytes; `path` names it
/// in errors.
pub(crate) fn load_variant_bytes(
    path: &Path,
    bytes: &[u8],
    entry: &VariantEntry,
    funcs: &[FuncSig],
    settings: &crate::engine::seam::LoadSettings,
    compiler: Compiler,
) -> Result<LoadedVariant> {
    let crate::engine::seam::LoadSettings {
        limits,
        allow_wasi,
        isolation,
    } = *settings;
    let limits = &limits;
    let path = path.to_path_buf();
    let actual = crate::engine::seam::checked_sha256(&path, bytes, entry)?;
    let engine = engine_for(compiler, limits)?;
    let invalid = |problem: ModuleProblem| Error::InvalidModule {
        variant: entry.name.clone(),
        path: path.clone(),
        problem,
    };
    let is_text = entry.path.extension().is_some_and(|x| x == "wat");
    if !is_text && !bytes.starts_with(b"\0asm") {
        return Err(invalid(ModuleProblem::NoMagic));
    }
    let mismatch = |problem: WorldProblem| Error::WorldMismatch {
        variant: entry.name.clone(),
        path: path.clone(),
        problem: Box::new(problem),
    };
    // Imports are checked on the binary before compiling it, so a refused
    // variant costs no compile time.
    if !is_text {
        if is_core_module(bytes) {
            return Err(invalid(ModuleProblem::CoreModule));
        }
        let imports =
            wasi::component_imports(bytes).map_err(|e| invalid(ModuleProblem::Binary(e)))?;
        check_imports(&imports, allow_wasi).map_err(&mismatch)?;
    }
    let mut warnings = Vec::new();
    let component = crate::cache::compile(&engine, bytes, &actual, &mut warnings).map_err(|e| {
        let is_async = format!("{e:#}").contains("component model async");
        invalid(if is_async {
            ModuleProblem::AsyncAbi(e.into())
        } else if compiler == Compiler::Cranelift {
            ModuleProblem::Compile(e.into())
        } else {
            ModuleProblem::CompileOn {
                compiler: compiler.name(),
                source: e.into(),
            }
        })
    })?;
    let warnings = warnings
        .into_iter()
        .map(|w| format!("variant `{}`: {w}", entry.name))
        .collect();
    let ty = component.component_type();
    let imports: Vec<String> = ty.imports(&engine).map(|(n, _)| n.to_string()).collect();
    if is_text {
        // Text can only be read by compiling it; binaries were checked above.
        check_imports(&imports, allow_wasi).map_err(&mismatch)?;
    }
    let mut exports = HashMap::new();
    for f in funcs {
        let found = match &f.interface {
            None => ty.get_export(&engine, &f.func).map(|e| e.ty),
            Some(iface) => match ty.get_export(&engine, iface).map(|e| e.ty) {
                Some(ComponentItem::ComponentInstance(inst)) => {
                    inst.get_export(&engine, &f.func).map(|e| e.ty)
                }
                _ => None,
            },
        };
        let func_ty = match found {
            Some(ComponentItem::ComponentFunc(func_ty)) => func_ty,
            Some(_) => {
                return Err(mismatch(WorldProblem::NotAFunction {
                    function: f.name.clone(),
                }));
            }
            None => {
                return Err(mismatch(WorldProblem::MissingFunction {
                    function: f.name.clone(),
                    signature: f.signature(),
                }));
            }
        };
        check_signature(f, &func_ty).map_err(|got| {
            mismatch(WorldProblem::WrongType {
                function: f.name.clone(),
                want: f.signature(),
                got,
            })
        })?;
        let index = match &f.interface {
            None => component.get_export_index(None, &f.func),
            Some(iface) => component
                .get_export_index(None, iface)
                .and_then(|i| component.get_export_index(Some(&i), &f.func)),
        }
        .ok_or_else(|| {
            mismatch(WorldProblem::NoIndex {
                function: f.name.clone(),
            })
        })?;
        exports.insert(f.name.clone(), index);
    }
    let mut linker = Linker::<Ctx>::new(&engine);
    let uses_wasi = !imports.is_empty();
    if uses_wasi {
        wasi::add_to_linker(&mut linker).map_err(|e| invalid(ModuleProblem::Link(e.into())))?;
    }
    let pre = linker
        .instantiate_pre(&component)
        .map_err(|e| invalid(ModuleProblem::Link(e.into())))?;
    let recipe = Recipe {
        engine,
        pre,
        limits: *limits,
        uses_wasi,
    };
    Ok(LoadedVariant {
        entry: entry.clone(),
        sha256: actual,
        ready: Ready::new(recipe.clone()),
        recipe,
        exports,
        spares: (isolation == crate::manifest::Isolation::Reuse && !uses_wasi)
            .then(|| Mutex::new(Vec::new())),
        probe: Mutex::new(None),
        imports,
        warnings,
    })
}

/// Compares an exported function's type with the world's; on mismatch returns the
/// exported signature in WIT syntax.
fn check_signature(want: &FuncSig, got: &ComponentFunc) -> std::result::Result<(), String> {
    let params: Vec<(String, Option<ValueType>)> = got
        .params()
        .map(|(n, t)| (n.to_string(), value_type(&t)))
        .collect();
    let results: Vec<Option<ValueType>> = got.results().map(|t| value_type(&t)).collect();
    let same_params = params.len() == want.params.len()
        && params
            .iter()
            .zip(&want.params)
            .all(|((_, g), (_, w))| g.as_ref() == Some(w));
    let same_result = match (&want.result, results.as_slice()) {
        (None, []) => true,
        (Some(w), [Some(g)]) => g == w,
        _ => false,
    };
    if same_params && same_result {
        return Ok(());
    }
    let show = |t: &Option<ValueType>| {
        t.as_ref()
            .map_or("<unsupported>".to_string(), ToString::to_string)
    };
    let p: Vec<String> = params
        .iter()
        .map(|(n, t)| format!("{n}: {}", show(t)))
        .collect();
    let r: Vec<String> = results.iter().map(show).collect();
    Err(if r.is_empty() {
        format!("func({})", p.join(", "))
    } else {
        format!("func({}) -> {}", p.join(", "), r.join(", "))
    })
}
