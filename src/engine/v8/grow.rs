//! `memory-mib` on V8: a core module's `memory.grow` rewritten to ask first.
//!
//! wasmtime asks nvx's limiter before every memory growth and remembers a
//! refusal, so a variant that then traps is reported as `exhausted(memory)`. V8
//! has no such hook, so each core module that jco's output holds is rewritten
//! before V8 compiles it: every `memory.grow` on a 32-bit memory becomes
//!
//! ```text
//! local.set $d
//! (memory.size + $d) > CAP ?  (global.set $denied 1; -1)  :  memory.grow $d
//! ```
//!
//! with `$d` a new local of the function, `CAP` the limit in 64 KiB pages and
//! `$denied` a new mutable global exported as `nvx:denied`, which the host reads
//! after a failed call. Nothing else in the module changes: new globals and locals
//! are appended, so no index shifts. Modules without `memory.grow` are left as
//! they are.

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{
    BlockType, CodeSection, ConstExpr, ExportKind, ExportSection, Function, GlobalSection,
    GlobalType, Instruction, Module, RawSection, ValType,
};
use wasmparser::{Operator, Parser, Payload};

/// The name the denial flag is exported under.
pub(crate) const DENIED_EXPORT: &str = "nvx:denied";

/// Section ids (WebAssembly core binary format).
const GLOBAL: u8 = 6;
const EXPORT: u8 = 7;
const CUSTOM: u8 = 0;

/// Rewrites `bytes` so that no memory grows past `cap_pages`, or returns `None`
/// when the module never grows a memory.
///
/// # Errors
/// The parser's or encoder's message when the module is malformed.
pub(crate) fn cap_memory_growth(bytes: &[u8], cap_pages: u64) -> Result<Option<Vec<u8>>, String> {
    let info = survey(bytes)?;
    if !info.grows {
        return Ok(None);
    }
    let denied = info.globals;
    let mut out = Module::new();
    let mut wrote_global = false;
    let mut wrote_export = false;
    let mut code: Option<CodeSection> = None;
    let mut func_index = info.imported_funcs;
    let mut re = RoundtripReencoder;
    let err = |e: wasm_encoder::reencode::Error| e.to_string();
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| e.to_string())?;
        let section = payload.as_section();
        if let Some((id, _)) = section
            && id != CUSTOM
            && !matches!(payload, Payload::CodeSectionEntry(_))
        {
            // Sections come in a fixed order: the new global section goes before the
            // export section, the new export section before what follows it.
            if !wrote_global && order(id) > order(GLOBAL) {
                out.section(&denied_global_section(None, &mut re).map_err(err)?);
                wrote_global = true;
            }
            if !wrote_export && order(id) > order(EXPORT) {
                out.section(&denied_export_section(None, denied, &mut re).map_err(err)?);
                wrote_export = true;
            }
        }
        match payload {
            Payload::Version { .. } => {}
            Payload::GlobalSection(reader) => {
                out.section(&denied_global_section(Some(reader), &mut re).map_err(err)?);
                wrote_global = true;
            }
            Payload::ExportSection(reader) => {
                out.section(&denied_export_section(Some(reader), denied, &mut re).map_err(err)?);
                wrote_export = true;
            }
            Payload::CodeSectionStart { .. } => code = Some(CodeSection::new()),
            Payload::CodeSectionEntry(body) => {
                let Some(section) = code.as_mut() else {
                    return Err("a function body outside the code section".into());
                };
                let params = info
                    .func_types
                    .get((func_index - info.imported_funcs) as usize)
                    .and_then(|t| info.type_params.get(*t as usize))
                    .copied()
                    .ok_or("a function body without a declared type")?;
                func_index += 1;
                rewrite_body(section, &body, params, denied, cap_pages, &info.memory64)?;
                if func_index - info.imported_funcs == info.func_types.len() as u32 {
                    out.section(&*section);
                }
            }
            Payload::End(_) => {}
            other => {
                if let Some((id, range)) = other.as_section() {
                    out.section(&RawSection {
                        id,
                        data: &bytes[range],
                    });
                }
            }
        }
    }
    if !wrote_global {
        out.section(&denied_global_section(None, &mut re).map_err(err)?);
    }
    if !wrote_export {
        out.section(&denied_export_section(None, denied, &mut re).map_err(err)?);
    }
    Ok(Some(out.finish()))
}

/// Where a section id falls in the required order of sections (the tag
/// section sits between memory and global, data count between element and code).
fn order(id: u8) -> u8 {
    match id {
        1..=5 => id,
        13 => 6,
        6..=9 => id + 1,
        12 => 11,
        10 => 12,
        11 => 13,
        _ => 14,
    }
}

/// What the rewrite needs to know before it starts.
struct Survey {
    grows: bool,
    imported_funcs: u32,
    /// Globals, imported and defined: the index of the new one.
    globals: u32,
    /// The type index of each defined function.
    func_types: Vec<u32>,
    /// The parameter count of each type (0 for non-function types).
    type_params: Vec<u32>,
    /// Whether each memory (imported first) is 64-bit.
    memory64: Vec<bool>,
}

fn survey(bytes: &[u8]) -> Result<Survey, String> {
    let mut s = Survey {
        grows: false,
        imported_funcs: 0,
        globals: 0,
        func_types: Vec::new(),
        type_params: Vec::new(),
        memory64: Vec::new(),
    };
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(|e| e.to_string())? {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group.map_err(|e| e.to_string())?.into_types() {
                        s.type_params.push(match &sub.composite_type.inner {
                            wasmparser::CompositeInnerType::Func(f) => f.params().len() as u32,
                            _ => 0,
                        });
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for imp in reader.into_imports() {
                    match imp.map_err(|e| e.to_string())?.ty {
                        wasmparser::TypeRef::Func(_) | wasmparser::TypeRef::FuncExact(_) => {
                            s.imported_funcs += 1
                        }
                        wasmparser::TypeRef::Global(_) => s.globals += 1,
                        wasmparser::TypeRef::Memory(m) => s.memory64.push(m.memory64),
                        _ => {}
                    }
                }
            }
            Payload::FunctionSection(reader) => {
                for t in reader {
                    s.func_types.push(t.map_err(|e| e.to_string())?);
                }
            }
            Payload::MemorySection(reader) => {
                for m in reader {
                    s.memory64.push(m.map_err(|e| e.to_string())?.memory64);
                }
            }
            Payload::GlobalSection(reader) => s.globals += reader.count(),
            Payload::CodeSectionEntry(body) if !s.grows => {
                let mut ops = body.get_operators_reader().map_err(|e| e.to_string())?;
                while !ops.eof() {
                    if let Operator::MemoryGrow { .. } = ops.read().map_err(|e| e.to_string())? {
                        s.grows = true;
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(s)
}

/// The module's globals (if it has any) followed by the denial flag.
fn denied_global_section(
    reader: Option<wasmparser::GlobalSectionReader<'_>>,
    re: &mut RoundtripReencoder,
) -> Result<GlobalSection, wasm_encoder::reencode::Error> {
    let mut section = GlobalSection::new();
    if let Some(reader) = reader {
        re.parse_global_section(&mut section, reader)?;
    }
    section.global(
        GlobalType {
            val_type: ValType::I32,
            mutable: true,
            shared: false,
        },
        &ConstExpr::i32_const(0),
    );
    Ok(section)
}

/// The module's exports (if it has any) followed by the denial flag's.
fn denied_export_section(
    reader: Option<wasmparser::ExportSectionReader<'_>>,
    denied: u32,
    re: &mut RoundtripReencoder,
) -> Result<ExportSection, wasm_encoder::reencode::Error> {
    let mut section = ExportSection::new();
    if let Some(reader) = reader {
        re.parse_export_section(&mut section, reader)?;
    }
    section.export(DENIED_EXPORT, ExportKind::Global, denied);
    Ok(section)
}

/// Copies one function body into `code`, with each 32-bit `memory.grow` asking
/// first; bodies without one are copied byte for byte.
fn rewrite_body(
    code: &mut CodeSection,
    body: &wasmparser::FunctionBody<'_>,
    params: u32,
    denied: u32,
    cap_pages: u64,
    memory64: &[bool],
) -> Result<(), String> {
    let mut ops = body.get_operators_reader().map_err(|e| e.to_string())?;
    let mut grows = false;
    while !ops.eof() {
        if let Operator::MemoryGrow { mem } = ops.read().map_err(|e| e.to_string())?
            && !memory64.get(mem as usize).copied().unwrap_or(false)
        {
            grows = true;
            break;
        }
    }
    if !grows {
        code.raw(body.as_bytes());
        return Ok(());
    }
    let mut re = RoundtripReencoder;
    let mut locals: Vec<(u32, ValType)> = Vec::new();
    let mut count = params;
    for local in body.get_locals_reader().map_err(|e| e.to_string())? {
        let (n, ty) = local.map_err(|e| e.to_string())?;
        count = count.checked_add(n).ok_or("too many locals")?;
        locals.push((n, re.val_type(ty).map_err(|e| e.to_string())?));
    }
    let delta = count;
    locals.push((1, ValType::I32));
    let mut f = Function::new(locals);
    let mut ops = body.get_operators_reader().map_err(|e| e.to_string())?;
    while !ops.eof() {
        let op = ops.read().map_err(|e| e.to_string())?;
        match op {
            Operator::MemoryGrow { mem }
                if !memory64.get(mem as usize).copied().unwrap_or(false) =>
            {
                f.instruction(&Instruction::LocalSet(delta));
                f.instruction(&Instruction::MemorySize(mem));
                f.instruction(&Instruction::I64ExtendI32U);
                f.instruction(&Instruction::LocalGet(delta));
                f.instruction(&Instruction::I64ExtendI32U);
                f.instruction(&Instruction::I64Add);
                f.instruction(&Instruction::I64Const(cap_pages as i64));
                f.instruction(&Instruction::I64GtU);
                f.instruction(&Instruction::If(BlockType::Result(ValType::I32)));
                f.instruction(&Instruction::I32Const(1));
                f.instruction(&Instruction::GlobalSet(denied));
                f.instruction(&Instruction::I32Const(-1));
                f.instruction(&Instruction::Else);
                f.instruction(&Instruction::LocalGet(delta));
                f.instruction(&Instruction::MemoryGrow(mem));
                f.instruction(&Instruction::End);
            }
            other => {
                let ins = re.instruction(other).map_err(|e| e.to_string())?;
                f.instruction(&ins);
            }
        }
    }
    code.function(&f);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grower() -> Vec<u8> {
        wat::parse_str(
            r#"(module
                 (memory 1)
                 (func (export "grow") (param $n i32) (result i32)
                   (local $x i64)
                   (memory.grow (local.get $n))))"#,
        )
        .unwrap()
    }

    #[test]
    fn a_grow_past_the_cap_is_refused_and_flagged() {
        let out = cap_memory_growth(&grower(), 4).unwrap().expect("rewritten");
        wasmparser::Validator::new().validate_all(&out).unwrap();
        let text = wasmprinter_lite(&out);
        assert!(text.contains(DENIED_EXPORT), "{text}");
    }

    #[test]
    fn modules_that_never_grow_are_left_alone() {
        let m =
            wat::parse_str(r#"(module (memory 1) (func (export "f") (result i32) (memory.size)))"#)
                .unwrap();
        assert!(cap_memory_growth(&m, 4).unwrap().is_none());
    }

    #[test]
    fn modules_without_globals_or_exports_get_both_sections() {
        let m = wat::parse_str(
            r#"(module (memory 1) (func (drop (memory.grow (i32.const 1)))) (start 0) (data (i32.const 0) "x"))"#,
        )
        .unwrap();
        let out = cap_memory_growth(&m, 4).unwrap().expect("rewritten");
        wasmparser::Validator::new().validate_all(&out).unwrap();
        assert!(wasmprinter_lite(&out).contains(DENIED_EXPORT));
    }

    /// The export names of a module, for assertions.
    fn wasmprinter_lite(bytes: &[u8]) -> String {
        let mut names = Vec::new();
        for p in Parser::new(0).parse_all(bytes) {
            if let Ok(Payload::ExportSection(r)) = p {
                for e in r {
                    names.push(e.unwrap().name.to_string());
                }
            }
        }
        names.join(",")
    }
}
