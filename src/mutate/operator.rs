//! Mutation operators on a core WebAssembly module: candidate sites are enumerated
//! in a fixed order with wasmparser, and one mutant rewrites one instruction of one
//! function body, re-encoding the code section with wasm-encoder.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};
use wasm_encoder::{CodeSection, Encode as _, Module, RawSection};
use wasmparser::{ExternalKind, KnownCustom, Name, Operator, Parser, Payload};

use crate::cause::{BinaryFault, UsageError};
use crate::error::{Error, Result};

/// A kind of single fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum OperatorKind {
    /// An arithmetic or bitwise operator replaced by its counterpart (add ↔ sub,
    /// mul ↔ div, and ↔ or, shl ↔ shr, min ↔ max, ...).
    Arith,
    /// A comparison replaced by its neighbour (eq ↔ ne, lt ↔ le, gt ↔ ge).
    Compare,
    /// A constant increased by one.
    #[serde(rename = "const+1")]
    ConstPlus,
    /// A constant decreased by one.
    #[serde(rename = "const-1")]
    ConstMinus,
    /// A non-zero constant replaced by zero.
    #[serde(rename = "const=0")]
    ConstZero,
    /// The condition of a `br_if` or `if` negated (an `i32.eqz` inserted before it).
    Negate,
    /// A store replaced by `drop`s of its two operands.
    DropStore,
}

impl OperatorKind {
    /// The name used in reports and journals (`arith`, `compare`, `const+1`,
    /// `const-1`, `const=0`, `negate`, `drop-store`).
    pub fn name(self) -> &'static str {
        match self {
            OperatorKind::Arith => "arith",
            OperatorKind::Compare => "compare",
            OperatorKind::ConstPlus => "const+1",
            OperatorKind::ConstMinus => "const-1",
            OperatorKind::ConstZero => "const=0",
            OperatorKind::Negate => "negate",
            OperatorKind::DropStore => "drop-store",
        }
    }
}

impl std::fmt::Display for OperatorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One single-fault mutant of a core module: the bytes `offset..offset + len` of
/// the module (one instruction, or nothing for an insertion) become `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mutant {
    /// Index of the function in the module's function index space (imports first).
    pub func: u32,
    /// Byte offset of the mutated instruction in the core module.
    pub offset: usize,
    /// The operator applied.
    pub operator: OperatorKind,
    /// Bytes replaced (0 for an insertion before the instruction at `offset`).
    pub len: usize,
    /// The new bytes.
    pub replacement: Vec<u8>,
    /// What changed, e.g. `i32.add → i32.sub` or `i32.const 7 → 8`.
    pub change: String,
}

/// What a core module offers for mutation.
#[derive(Clone, Debug, Default)]
pub struct Sites {
    /// Every candidate mutant, ordered by offset, then operator.
    pub mutants: Vec<Mutant>,
    /// Function names from the name section, by function index.
    pub names: BTreeMap<u32, String>,
    /// Functions reachable by direct calls from the module's exported functions
    /// (other than memory-management exports such as `cabi_realloc`).
    pub reachable: BTreeSet<u32>,
    /// For each reachable function, the fewest direct calls that lead to it from an
    /// export (0 for the exported functions themselves).
    pub depth: BTreeMap<u32, u32>,
}

impl Sites {
    /// The function's name from the name section, if any.
    pub fn name(&self, func: u32) -> Option<&str> {
        self.names.get(&func).map(String::as_str)
    }
}

/// Single-byte opcodes and their replacement under `arith` or `compare`.
const SWAPS: &[(u8, &str, u8, OperatorKind)] = {
    use OperatorKind::{Arith as A, Compare as C};
    &[
        // i32 comparisons
        (0x46, "i32.eq", 0x47, C),
        (0x47, "i32.ne", 0x46, C),
        (0x48, "i32.lt_s", 0x4c, C),
        (0x49, "i32.lt_u", 0x4d, C),
        (0x4a, "i32.gt_s", 0x4e, C),
        (0x4b, "i32.gt_u", 0x4f, C),
        (0x4c, "i32.le_s", 0x48, C),
        (0x4d, "i32.le_u", 0x49, C),
        (0x4e, "i32.ge_s", 0x4a, C),
        (0x4f, "i32.ge_u", 0x4b, C),
        // i64 comparisons
        (0x51, "i64.eq", 0x52, C),
        (0x52, "i64.ne", 0x51, C),
        (0x53, "i64.lt_s", 0x57, C),
        (0x54, "i64.lt_u", 0x58, C),
        (0x55, "i64.gt_s", 0x59, C),
        (0x56, "i64.gt_u", 0x5a, C),
        (0x57, "i64.le_s", 0x53, C),
        (0x58, "i64.le_u", 0x54, C),
        (0x59, "i64.ge_s", 0x55, C),
        (0x5a, "i64.ge_u", 0x56, C),
        // f32 / f64 comparisons
        (0x5b, "f32.eq", 0x5c, C),
        (0x5c, "f32.ne", 0x5b, C),
        (0x5d, "f32.lt", 0x5f, C),
        (0x5e, "f32.gt", 0x60, C),
        (0x5f, "f32.le", 0x5d, C),
        (0x60, "f32.ge", 0x5e, C),
        (0x61, "f64.eq", 0x62, C),
        (0x62, "f64.ne", 0x61, C),
        (0x63, "f64.lt", 0x65, C),
        (0x64, "f64.gt", 0x66, C),
        (0x65, "f64.le", 0x63, C),
        (0x66, "f64.ge", 0x64, C),
        // i32 arithmetic
        (0x6a, "i32.add", 0x6b, A),
        (0x6b, "i32.sub", 0x6a, A),
        (0x6c, "i32.mul", 0x6e, A),
        (0x6d, "i32.div_s", 0x6c, A),
        (0x6e, "i32.div_u", 0x6c, A),
        (0x6f, "i32.rem_s", 0x6d, A),
        (0x70, "i32.rem_u", 0x6e, A),
        (0x71, "i32.and", 0x72, A),
        (0x72, "i32.or", 0x71, A),
        (0x73, "i32.xor", 0x72, A),
        (0x74, "i32.shl", 0x76, A),
        (0x75, "i32.shr_s", 0x76, A),
        (0x76, "i32.shr_u", 0x74, A),
        (0x77, "i32.rotl", 0x78, A),
        (0x78, "i32.rotr", 0x77, A),
        // i64 arithmetic
        (0x7c, "i64.add", 0x7d, A),
        (0x7d, "i64.sub", 0x7c, A),
        (0x7e, "i64.mul", 0x80, A),
        (0x7f, "i64.div_s", 0x7e, A),
        (0x80, "i64.div_u", 0x7e, A),
        (0x81, "i64.rem_s", 0x7f, A),
        (0x82, "i64.rem_u", 0x80, A),
        (0x83, "i64.and", 0x84, A),
        (0x84, "i64.or", 0x83, A),
        (0x85, "i64.xor", 0x84, A),
        (0x86, "i64.shl", 0x88, A),
        (0x87, "i64.shr_s", 0x88, A),
        (0x88, "i64.shr_u", 0x86, A),
        (0x89, "i64.rotl", 0x8a, A),
        (0x8a, "i64.rotr", 0x89, A),
        // float arithmetic
        (0x92, "f32.add", 0x93, A),
        (0x93, "f32.sub", 0x92, A),
        (0x94, "f32.mul", 0x95, A),
        (0x95, "f32.div", 0x94, A),
        (0x96, "f32.min", 0x97, A),
        (0x97, "f32.max", 0x96, A),
        (0xa0, "f64.add", 0xa1, A),
        (0xa1, "f64.sub", 0xa0, A),
        (0xa2, "f64.mul", 0xa3, A),
        (0xa3, "f64.div", 0xa2, A),
        (0xa4, "f64.min", 0xa5, A),
        (0xa5, "f64.max", 0xa4, A),
    ]
};

/// The name of a single-byte opcode listed in [`SWAPS`].
fn opcode_name(op: u8) -> &'static str {
    SWAPS.iter().find(|s| s.0 == op).map_or("?", |s| s.1)
}

/// Exports that manage memory for the canonical ABI or start the module rather than
/// compute the exported functions; their callees do not count as reachable.
fn is_plumbing_export(name: &str) -> bool {
    name == "cabi_realloc"
        || name.starts_with("cabi_realloc_")
        || name == "_start"
        || name == "_initialize"
        || name.starts_with("__")
}

fn invalid(fault: BinaryFault) -> Error {
    Error::Usage(UsageError::Binary(fault))
}

/// Enumerates every candidate mutant of the core module `module`, in a fixed order.
///
/// # Errors
/// [`Error::Usage`] when `module` is not a valid core module.
pub fn sites(module: &[u8]) -> Result<Sites> {
    let mut out = Sites::default();
    let mut imported = 0u32;
    let mut defined = 0u32;
    let mut exports = Vec::new();
    let mut calls: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let parse = |e: wasmparser::BinaryReaderError| invalid(BinaryFault::CoreModule(e));
    for payload in Parser::new(0).parse_all(module) {
        match payload.map_err(parse)? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import.map_err(parse)?.ty, wasmparser::TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(parse)?;
                    if export.kind == ExternalKind::Func && !is_plumbing_export(export.name) {
                        exports.push(export.index);
                    }
                }
            }
            Payload::CustomSection(c) => {
                if let KnownCustom::Name(reader) = c.as_known() {
                    for name in reader {
                        // A malformed name section only costs the names.
                        let Ok(Name::Function(map)) = name else {
                            continue;
                        };
                        for naming in map.into_iter().flatten() {
                            out.names.insert(naming.index, naming.name.to_string());
                        }
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let func = imported + defined;
                defined += 1;
                let callees = calls.entry(func).or_default();
                let mut ops = body.get_operators_reader().map_err(parse)?;
                let mut prev: Option<(Operator<'_>, usize)> = None;
                while !ops.eof() {
                    let (op, offset) = ops.read_with_offset().map_err(parse)?;
                    if let Some((p, at)) = prev.take() {
                        site(&mut out.mutants, func, &p, at, offset - at, module);
                    }
                    if let Operator::Call { function_index }
                    | Operator::ReturnCall { function_index }
                    | Operator::RefFunc { function_index } = op
                    {
                        callees.push(function_index);
                    }
                    prev = Some((op, offset));
                }
                if let Some((p, at)) = prev {
                    let end = ops.original_position();
                    site(&mut out.mutants, func, &p, at, end - at, module);
                }
            }
            _ => {}
        }
    }
    let mut queue: VecDeque<(u32, u32)> = exports.into_iter().map(|f| (f, 0)).collect();
    while let Some((f, d)) = queue.pop_front() {
        if out.reachable.insert(f) {
            out.depth.insert(f, d);
            queue.extend(calls.get(&f).into_iter().flatten().map(|&g| (g, d + 1)));
        }
    }
    Ok(out)
}

/// Adds the mutants of the instruction `op` at `offset` (`len` bytes) of `func`.
fn site(
    out: &mut Vec<Mutant>,
    func: u32,
    op: &Operator<'_>,
    offset: usize,
    len: usize,
    module: &[u8],
) {
    let mut push = |operator, len, replacement: Vec<u8>, change: String| {
        out.push(Mutant {
            func,
            offset,
            operator,
            len,
            replacement,
            change,
        });
    };
    let first = module.get(offset).copied().unwrap_or(0);
    if len == 1
        && let Some(&(_, name, to, kind)) = SWAPS.iter().find(|s| s.0 == first)
    {
        push(kind, 1, vec![to], format!("{name} → {}", opcode_name(to)));
        return;
    }
    match *op {
        Operator::I32Const { value } => {
            // Wrapping in i32: i32::MAX + 1 is i32::MIN.
            let wrapped = [
                (OperatorKind::ConstPlus, value.wrapping_add(1)),
                (OperatorKind::ConstMinus, value.wrapping_sub(1)),
                (OperatorKind::ConstZero, 0),
            ];
            for (kind, v) in const_variants(i64::from(value))
                .into_iter()
                .filter_map(|(k, _)| wrapped.iter().find(|w| w.0 == k).copied())
            {
                {
                    let mut b = Vec::new();
                    wasm_encoder::Instruction::I32Const(v).encode(&mut b);
                    push(kind, len, b, format!("i32.const {value} → {v}"));
                }
            }
        }
        Operator::I64Const { value } => {
            for (kind, v) in const_variants(value) {
                {
                    let mut b = Vec::new();
                    wasm_encoder::Instruction::I64Const(v).encode(&mut b);
                    push(kind, len, b, format!("i64.const {value} → {v}"));
                }
            }
        }
        Operator::F32Const { value } => {
            let x = f32::from_bits(value.bits());
            for (kind, v) in float_variants(f64::from(x)) {
                #[expect(
                    clippy::cast_possible_truncation,
                    reason = "x ± 1 of an f32, rounded to f32 as the mutant computes it"
                )]
                let v = v as f32;
                if v.to_bits() != x.to_bits() {
                    let mut b = Vec::new();
                    wasm_encoder::Instruction::F32Const(v.into()).encode(&mut b);
                    push(kind, len, b, format!("f32.const {x} → {v}"));
                }
            }
        }
        Operator::F64Const { value } => {
            let x = f64::from_bits(value.bits());
            for (kind, v) in float_variants(x) {
                let mut b = Vec::new();
                wasm_encoder::Instruction::F64Const(v.into()).encode(&mut b);
                push(kind, len, b, format!("f64.const {x} → {v}"));
            }
        }
        Operator::BrIf { .. } => push(
            OperatorKind::Negate,
            0,
            vec![0x45],
            "br_if → i32.eqz; br_if".into(),
        ),
        Operator::If { .. } => push(
            OperatorKind::Negate,
            0,
            vec![0x45],
            "if → i32.eqz; if".into(),
        ),
        Operator::I32Store { .. }
        | Operator::I64Store { .. }
        | Operator::F32Store { .. }
        | Operator::F64Store { .. }
        | Operator::I32Store8 { .. }
        | Operator::I32Store16 { .. }
        | Operator::I64Store8 { .. }
        | Operator::I64Store16 { .. }
        | Operator::I64Store32 { .. } => {
            let name = store_name(op);
            push(
                OperatorKind::DropStore,
                len,
                vec![0x1a, 0x1a],
                format!("{name} → drop; drop"),
            );
        }
        _ => {}
    }
}

/// The constant mutations of an integer: +1, -1 (wrapping) and 0, without the
/// ones that give back `v` or the same value as an earlier one (for 1, -1 is 0).
fn const_variants(v: i64) -> Vec<(OperatorKind, i64)> {
    let mut out: Vec<(OperatorKind, i64)> = Vec::new();
    for (k, x) in [
        (OperatorKind::ConstPlus, v.wrapping_add(1)),
        (OperatorKind::ConstMinus, v.wrapping_sub(1)),
        (OperatorKind::ConstZero, 0),
    ] {
        if x != v && out.iter().all(|o| o.1 != x) {
            out.push((k, x));
        }
    }
    out
}

/// The same for a float: +1.0, -1.0 and 0.0, compared by bits (and 0.0 is not
/// offered for -0.0).
fn float_variants(x: f64) -> Vec<(OperatorKind, f64)> {
    let mut out: Vec<(OperatorKind, f64)> = Vec::new();
    for (k, y) in [
        (OperatorKind::ConstPlus, x + 1.0),
        (OperatorKind::ConstMinus, x - 1.0),
        (OperatorKind::ConstZero, 0.0),
    ] {
        if y.to_bits() != x.to_bits()
            && !(y == 0.0 && x == 0.0)
            && out.iter().all(|o| o.1.to_bits() != y.to_bits())
        {
            out.push((k, y));
        }
    }
    out
}

fn store_name(op: &Operator<'_>) -> &'static str {
    match op {
        Operator::I32Store { .. } => "i32.store",
        Operator::I64Store { .. } => "i64.store",
        Operator::F32Store { .. } => "f32.store",
        Operator::F64Store { .. } => "f64.store",
        Operator::I32Store8 { .. } => "i32.store8",
        Operator::I32Store16 { .. } => "i32.store16",
        Operator::I64Store8 { .. } => "i64.store8",
        Operator::I64Store16 { .. } => "i64.store16",
        _ => "i64.store32",
    }
}

/// The core module `module` with `mutant` applied: every section but the code
/// section is copied as it is; the code section is re-encoded with the one function
/// body changed.
///
/// # Errors
/// [`Error::Usage`] when `module` is not a core module or has no function body at
/// the mutant's offset.
pub fn apply(module: &[u8], mutant: &Mutant) -> Result<Vec<u8>> {
    let parse = |e: wasmparser::BinaryReaderError| invalid(BinaryFault::CoreModule(e));
    let mut out = Module::new();
    let mut applied = false;
    for payload in Parser::new(0).parse_all(module) {
        let payload = payload.map_err(parse)?;
        match &payload {
            Payload::CodeSectionStart { range, .. } => {
                let reader = wasmparser::CodeSectionReader::new(wasmparser::BinaryReader::new(
                    &module[range.clone()],
                    range.start,
                ))
                .map_err(parse)?;
                let mut code = CodeSection::new();
                for body in reader {
                    let body = body.map_err(parse)?;
                    let r = body.range();
                    let bytes = &module[r.clone()];
                    if r.contains(&mutant.offset) && mutant.offset + mutant.len <= r.end {
                        let at = mutant.offset - r.start;
                        let mut changed = bytes[..at].to_vec();
                        changed.extend_from_slice(&mutant.replacement);
                        changed.extend_from_slice(&bytes[at + mutant.len..]);
                        code.raw(&changed);
                        applied = true;
                    } else {
                        code.raw(bytes);
                    }
                }
                out.section(&code);
            }
            Payload::CodeSectionEntry(_) | Payload::Version { .. } | Payload::End(_) => {}
            other => {
                if let Some((id, range)) = other.as_section() {
                    out.section(&RawSection {
                        id,
                        data: &module[range],
                    });
                }
            }
        }
    }
    if !applied {
        return Err(invalid(BinaryFault::NoFunctionAt {
            offset: mutant.offset,
        }));
    }
    Ok(out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(text: &str) -> Vec<u8> {
        wat::parse_str(text).expect("test module assembles")
    }

    fn validate(bytes: &[u8]) {
        wasmparser::Validator::new()
            .validate_all(bytes)
            .expect("mutant validates");
    }

    /// The text of the one function of `bytes`, instructions only.
    fn body_text(bytes: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        for p in Parser::new(0).parse_all(bytes) {
            if let Payload::CodeSectionEntry(body) = p.unwrap() {
                let mut ops = body.get_operators_reader().unwrap();
                while !ops.eof() {
                    out.push(format!("{:?}", ops.read().unwrap()));
                }
            }
        }
        out
    }

    /// Applies the only mutant of `operator` in `text` and returns its instructions.
    fn mutate(text: &str, operator: OperatorKind) -> (Mutant, Vec<String>) {
        let m = module(text);
        let s = sites(&m).unwrap();
        let mut of_kind = s.mutants.iter().filter(|x| x.operator == operator);
        let mutant = of_kind.next().expect("a site of this kind").clone();
        assert!(of_kind.next().is_none(), "exactly one site of {operator}");
        let bytes = apply(&m, &mutant).unwrap();
        validate(&bytes);
        (mutant, body_text(&bytes))
    }

    const ADD: &str = r#"(module (func (export "f") (param i32 i32) (result i32)
        local.get 0 local.get 1 i32.add))"#;

    #[test]
    fn operator_names_are_their_json_names() {
        use OperatorKind::*;
        for k in [
            Arith, Compare, ConstPlus, ConstMinus, ConstZero, Negate, DropStore,
        ] {
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.name())
            );
        }
    }

    #[test]
    fn arith_swaps_add_for_sub() {
        let (m, ops) = mutate(ADD, OperatorKind::Arith);
        assert_eq!(m.change, "i32.add → i32.sub");
        assert_eq!(
            ops,
            [
                "LocalGet { local_index: 0 }",
                "LocalGet { local_index: 1 }",
                "I32Sub",
                "End"
            ]
        );
    }

    #[test]
    fn compare_swaps_lt_for_le() {
        let (m, ops) = mutate(
            r#"(module (func (export "f") (param i64 i64) (result i32)
                local.get 0 local.get 1 i64.lt_u))"#,
            OperatorKind::Compare,
        );
        assert_eq!(m.change, "i64.lt_u → i64.le_u");
        assert_eq!(ops[2], "I64LeU");
    }

    #[test]
    fn constants_move_by_one_and_to_zero() {
        let text = r#"(module (func (export "f") (result i32) i32.const 127))"#;
        let (_, plus) = mutate(text, OperatorKind::ConstPlus);
        assert_eq!(plus[0], "I32Const { value: 128 }");
        let (_, minus) = mutate(text, OperatorKind::ConstMinus);
        assert_eq!(minus[0], "I32Const { value: 126 }");
        let (_, zero) = mutate(text, OperatorKind::ConstZero);
        assert_eq!(zero[0], "I32Const { value: 0 }");
        // Zero has no `const=0` mutant, and 1 no second mutant to 0; i64 and f64
        // constants are mutated too; i32 wraps.
        let s = sites(&module(r#"(module (func (result i32) i32.const 0))"#)).unwrap();
        assert_eq!(s.mutants.len(), 2);
        let s = sites(&module(r#"(module (func (result i32) i32.const 1))"#)).unwrap();
        let kinds: Vec<_> = s.mutants.iter().map(|m| m.operator).collect();
        assert_eq!(kinds, [OperatorKind::ConstPlus, OperatorKind::ConstMinus]);
        let (_, w) = mutate(
            r#"(module (func (export "f") (result i32) i32.const 2147483647))"#,
            OperatorKind::ConstPlus,
        );
        assert_eq!(w[0], "I32Const { value: -2147483648 }");
        let s = sites(&module(r#"(module (func (result f64) f64.const -1))"#)).unwrap();
        assert_eq!(s.mutants.len(), 2);
        let (_, f) = mutate(
            r#"(module (func (export "f") (result f64) f64.const 2.5))"#,
            OperatorKind::ConstMinus,
        );
        assert_eq!(
            f[0],
            format!(
                "F64Const {{ value: {:?} }}",
                wasmparser::Ieee64::from(1.5f64)
            )
        );
        let (_, l) = mutate(
            r#"(module (func (export "f") (result i64) i64.const -9223372036854775808))"#,
            OperatorKind::ConstMinus,
        );
        assert_eq!(l[0], "I64Const { value: 9223372036854775807 }");
    }

    #[test]
    fn negate_inserts_eqz_before_br_if_and_if() {
        let (m, ops) = mutate(
            r#"(module (func (export "f") (param i32) (result i32)
                block local.get 0 br_if 0 end i32.const 1))"#,
            OperatorKind::Negate,
        );
        assert_eq!(m.len, 0);
        assert_eq!(ops[2], "I32Eqz");
        assert!(ops[3].starts_with("BrIf"), "{ops:?}");
        let (_, ops) = mutate(
            r#"(module (func (export "f") (param i32) (result i32)
                local.get 0 if (result i32) i32.const 1 else i32.const 2 end))"#,
            OperatorKind::Negate,
        );
        assert_eq!(ops[1], "I32Eqz");
        assert!(ops[2].starts_with("If"), "{ops:?}");
    }

    #[test]
    fn drop_store_drops_both_operands() {
        let (m, ops) = mutate(
            r#"(module (memory 1) (func (export "f") (param i32)
                local.get 0 local.get 0 i32.store8 offset=3))"#,
            OperatorKind::DropStore,
        );
        assert_eq!(m.change, "i32.store8 → drop; drop");
        assert_eq!(ops[2..], ["Drop", "Drop", "End"]);
    }

    #[test]
    fn sites_are_ordered_and_reachability_follows_direct_calls() {
        let m = module(
            r#"(module
                (import "env" "g" (func $g (param i32) (result i32)))
                (func $unused (result i32) i32.const 5 i32.const 6 i32.add)
                (func $helper (param i32) (result i32) local.get 0 i32.const 1 i32.sub)
                (func (export "f") (param i32) (result i32) local.get 0 call $helper)
                (func (export "cabi_realloc") (result i32) call $unused))"#,
        );
        let s = sites(&m).unwrap();
        assert_eq!(s.reachable, BTreeSet::from([2, 3]));
        assert_eq!(s.depth, BTreeMap::from([(3, 0), (2, 1)]));
        assert_eq!(s.name(2), Some("helper"));
        assert!(s.mutants.windows(2).all(|w| w[0].offset <= w[1].offset));
        // Imports come first in the index space.
        assert!(s.mutants.iter().all(|x| x.func >= 1));
        assert_eq!(sites(&m).unwrap().mutants, s.mutants);
    }

    #[test]
    fn every_mutant_of_a_larger_module_validates() {
        let m = module(
            r#"(module (memory 1)
                (func (export "f") (param i32 i64 f32 f64) (result i32)
                  (local i32)
                  local.get 0 i32.const 3 i32.mul i32.const 7 i32.rem_u local.set 4
                  (i64.store (i32.const 0) (i64.shl (local.get 1) (i64.const 2)))
                  (f64.store (i32.const 8) (f64.div (local.get 3) (f64.const 2)))
                  (block (br_if 0 (f32.lt (local.get 2) (f32.const 1))))
                  (if (i32.ge_s (local.get 4) (i32.const 2)) (then (local.set 4 (i32.const 9))))
                  local.get 4))"#,
        );
        let s = sites(&m).unwrap();
        let kinds: BTreeSet<_> = s.mutants.iter().map(|x| x.operator).collect();
        assert_eq!(kinds.len(), 7, "{kinds:?}");
        for mutant in &s.mutants {
            let bytes = apply(&m, mutant).unwrap();
            validate(&bytes);
            assert_ne!(bytes, m);
        }
    }
}
