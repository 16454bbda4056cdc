//! Reading an ensemble's WIT world: the functions it exports and their types.
//!
//! Functions exported directly by the world are named as in WIT (`crc32`); functions
//! of an exported interface are named `<interface>#<function>`, as wasmtime does.

use std::path::Path;

use wit_parser::{Resolve, Type, TypeDefKind, WorldItem, WorldKey};

use crate::cause::{ModuleProblem, UnsupportedType, WitProblem};
use crate::error::{Error, Result};
use crate::value::{ValueType, type_list};

/// One exported function of the world.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FuncSig {
    /// The name users call it by (`crc32`, or `ns:pkg/iface#func`).
    pub name: String,
    /// The exported interface holding it, if it is not exported by the world directly.
    pub interface: Option<String>,
    /// The function's own name.
    pub func: String,
    /// Parameter names and types.
    pub params: Vec<(String, ValueType)>,
    /// The result type, if any.
    pub result: Option<ValueType>,
}

impl FuncSig {
    /// The parameter types alone.
    pub fn param_types(&self) -> Vec<ValueType> {
        self.params.iter().map(|(_, t)| t.clone()).collect()
    }

    /// The signature in WIT syntax, e.g. `func(data: list<u8>) -> u32`.
    pub fn signature(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|(n, t)| format!("{n}: {t}"))
            .collect();
        match &self.result {
            Some(r) => format!("func({}) -> {r}", params.join(", ")),
            None => format!("func({})", params.join(", ")),
        }
    }

    /// Parameter types written as a list, for messages.
    pub fn params_text(&self) -> String {
        type_list(&self.param_types())
    }
}

/// Loads the WIT file and returns the exported functions of `world` (or of the only
/// world in the package when `world` is `None`), in declaration order.
///
/// # Errors
/// [`Error::Wit`] when the file does not parse, the world is missing, or a function
/// uses a type nvx cannot pass (resources, streams, futures).
pub fn load_world(path: &Path, world: Option<&str>) -> Result<Vec<FuncSig>> {
    let bad = |problem: WitProblem| Error::Wit {
        path: path.to_path_buf(),
        problem,
    };
    crate::files::check_regular(path, crate::files::MAX_TEXT_BYTES)?;
    let mut resolve = Resolve::new();
    let pkg = resolve
        .push_file(path)
        .map_err(|e| bad(WitProblem::Parse(e.into())))?;
    world_functions(&resolve, pkg, world, &bad)
}

/// Like [`load_world`], from WIT text (one package, no dependencies) that `path`
/// names in errors.
///
/// # Errors
/// As [`load_world`].
pub fn load_world_text(path: &Path, text: &str, world: Option<&str>) -> Result<Vec<FuncSig>> {
    let bad = |problem: WitProblem| Error::Wit {
        path: path.to_path_buf(),
        problem,
    };
    let mut resolve = Resolve::new();
    let pkg = resolve
        .push_str(path, text)
        .map_err(|e| bad(WitProblem::Parse(e.into())))?;
    world_functions(&resolve, pkg, world, &bad)
}

/// The exported functions of `world` (or the package's only world).
fn world_functions(
    resolve: &Resolve,
    pkg: wit_parser::PackageId,
    world: Option<&str>,
    bad: &dyn Fn(WitProblem) -> Error,
) -> Result<Vec<FuncSig>> {
    let world_id = resolve
        .select_world(&[pkg], world)
        .map_err(|e| bad(WitProblem::World(e.into())))?;
    exports_of(resolve, world_id, bad)
}

/// The functions a component exports, read from its binary (for engines that do
/// not type-check components themselves). Functions whose types nvx cannot pass
/// are left out, so they never match a world's function.
///
/// # Errors
/// [`ModuleProblem::Decode`] with the decoder's error when the bytes are not a
/// well-formed component, [`ModuleProblem::WitPackage`] for a WIT package.
pub fn component_exports(bytes: &[u8]) -> std::result::Result<Vec<FuncSig>, ModuleProblem> {
    let decoded = wit_component::decode(bytes).map_err(|e| ModuleProblem::Decode(e.into()))?;
    let wit_component::DecodedWasm::Component(resolve, world_id) = decoded else {
        return Err(ModuleProblem::WitPackage);
    };
    let w = &resolve.worlds[world_id];
    let mut out = Vec::new();
    for (key, item) in &w.exports {
        match item {
            WorldItem::Function(f) => out.extend(sig(&resolve, None, f).ok()),
            WorldItem::Interface { id, .. } => {
                let iface_name = match key {
                    WorldKey::Name(n) => n.clone(),
                    WorldKey::Interface(id) => resolve.id_of(*id).unwrap_or_default(),
                };
                for f in resolve.interfaces[*id].functions.values() {
                    out.extend(sig(&resolve, Some(iface_name.clone()), f).ok());
                }
            }
            WorldItem::Type { .. } => {}
        }
    }
    Ok(out)
}

/// The exported functions of one world.
fn exports_of(
    resolve: &Resolve,
    world_id: wit_parser::WorldId,
    bad: &dyn Fn(WitProblem) -> Error,
) -> Result<Vec<FuncSig>> {
    let w = &resolve.worlds[world_id];
    let mut out = Vec::new();
    for (key, item) in &w.exports {
        match item {
            WorldItem::Function(f) => out.push(sig(resolve, None, f).map_err(bad)?),
            WorldItem::Interface { id, .. } => {
                let iface_name = match key {
                    WorldKey::Name(n) => n.clone(),
                    WorldKey::Interface(id) => resolve.id_of(*id).unwrap_or_default(),
                };
                for f in resolve.interfaces[*id].functions.values() {
                    out.push(sig(resolve, Some(iface_name.clone()), f).map_err(bad)?);
                }
            }
            WorldItem::Type { .. } => {}
        }
    }
    if out.is_empty() {
        return Err(bad(WitProblem::NoFunctions {
            world: w.name.clone(),
        }));
    }
    Ok(out)
}

fn sig(
    resolve: &Resolve,
    interface: Option<String>,
    f: &wit_parser::Function,
) -> std::result::Result<FuncSig, WitProblem> {
    let name = match &interface {
        Some(i) => format!("{i}#{}", f.name),
        None => f.name.clone(),
    };
    let ctx = |ty: UnsupportedType| WitProblem::Unsupported {
        function: name.clone(),
        ty,
    };
    let params = f
        .params
        .iter()
        .map(|p| Ok((p.name.clone(), convert(resolve, &p.ty).map_err(ctx)?)))
        .collect::<std::result::Result<Vec<_>, WitProblem>>()?;
    let result = f
        .result
        .as_ref()
        .map(|t| convert(resolve, t))
        .transpose()
        .map_err(ctx)?;
    Ok(FuncSig {
        name: name.clone(),
        interface,
        func: f.name.clone(),
        params,
        result,
    })
}

/// Converts a WIT type to a [`ValueType`].
fn convert(resolve: &Resolve, ty: &Type) -> std::result::Result<ValueType, UnsupportedType> {
    Ok(match ty {
        Type::Bool => ValueType::Bool,
        Type::U8 => ValueType::U8,
        Type::U16 => ValueType::U16,
        Type::U32 => ValueType::U32,
        Type::U64 => ValueType::U64,
        Type::S8 => ValueType::S8,
        Type::S16 => ValueType::S16,
        Type::S32 => ValueType::S32,
        Type::S64 => ValueType::S64,
        Type::F32 => ValueType::F32,
        Type::F64 => ValueType::F64,
        Type::Char => ValueType::Char,
        Type::String => ValueType::String,
        Type::ErrorContext => return Err(UnsupportedType::ErrorContext),
        Type::Id(id) => {
            let def = &resolve.types[*id];
            let boxed = |t: &Type| convert(resolve, t).map(Box::new);
            match &def.kind {
                TypeDefKind::Type(t) => convert(resolve, t)?,
                TypeDefKind::List(t) => ValueType::List(boxed(t)?),
                TypeDefKind::Option(t) => ValueType::Option(boxed(t)?),
                TypeDefKind::Record(r) => ValueType::Record(
                    r.fields
                        .iter()
                        .map(|f| Ok((f.name.clone(), convert(resolve, &f.ty)?)))
                        .collect::<std::result::Result<_, UnsupportedType>>()?,
                ),
                TypeDefKind::Tuple(t) => ValueType::Tuple(
                    t.types
                        .iter()
                        .map(|t| convert(resolve, t))
                        .collect::<std::result::Result<_, UnsupportedType>>()?,
                ),
                TypeDefKind::Variant(v) => ValueType::Variant(
                    v.cases
                        .iter()
                        .map(|c| {
                            Ok((
                                c.name.clone(),
                                c.ty.as_ref().map(|t| convert(resolve, t)).transpose()?,
                            ))
                        })
                        .collect::<std::result::Result<_, UnsupportedType>>()?,
                ),
                TypeDefKind::Enum(e) => {
                    ValueType::Enum(e.cases.iter().map(|c| c.name.clone()).collect())
                }
                TypeDefKind::Flags(f) => {
                    ValueType::Flags(f.flags.iter().map(|c| c.name.clone()).collect())
                }
                TypeDefKind::Result(r) => ValueType::Result {
                    ok: r.ok.as_ref().map(boxed).transpose()?,
                    err: r.err.as_ref().map(boxed).transpose()?,
                },
                other => {
                    return Err(UnsupportedType::Kind {
                        kind: other.as_str().to_string(),
                    });
                }
            }
        }
    })
}
