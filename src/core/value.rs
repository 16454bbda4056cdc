//! Component values and types as plain Rust data, independent of wasmtime.
//!
//! [`Value`] and [`ValueType`] mirror the component model's value types so that the
//! voter, the input generator, the shrinker and the journal never touch wasmtime.
//! They implement the `wasm-wave` traits, so WAVE text parses into and prints from them.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};
use wasm_wave::wasm::{WasmType, WasmTypeKind, WasmValue, WasmValueError};

/// The type of a component value (resources are not supported).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ValueType {
    /// `bool`
    Bool,
    /// `s8`
    S8,
    /// `u8`
    U8,
    /// `s16`
    S16,
    /// `u16`
    U16,
    /// `s32`
    S32,
    /// `u32`
    U32,
    /// `s64`
    S64,
    /// `u64`
    U64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `char`
    Char,
    /// `string`
    String,
    /// `list<T>`
    List(Box<ValueType>),
    /// `record { name: T, ... }`, fields in declaration order.
    Record(Vec<(String, ValueType)>),
    /// `tuple<T, ...>`
    Tuple(Vec<ValueType>),
    /// `variant { case(T), case, ... }`
    Variant(Vec<(String, Option<ValueType>)>),
    /// `enum { case, ... }`
    Enum(Vec<String>),
    /// `option<T>`
    Option(Box<ValueType>),
    /// `result<T, E>` with either side optional.
    Result {
        /// The `ok` payload type, if any.
        ok: Option<Box<ValueType>>,
        /// The `err` payload type, if any.
        err: Option<Box<ValueType>>,
    },
    /// `flags { name, ... }`
    Flags(Vec<String>),
}

/// A component value.
///
/// A `list<u8>` is always held as [`Value::Bytes`], never as a list of [`Value::U8`],
/// so that bulk byte data stays cheap to build, compare and pass.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Value {
    /// `bool`
    Bool(bool),
    /// `s8`
    S8(i8),
    /// `u8`
    U8(u8),
    /// `s16`
    S16(i16),
    /// `u16`
    U16(u16),
    /// `s32`
    S32(i32),
    /// `u32`
    U32(u32),
    /// `s64`
    S64(i64),
    /// `u64`
    U64(u64),
    /// `f32`
    F32(f32),
    /// `f64`
    F64(f64),
    /// `char`
    Char(char),
    /// `string`
    String(String),
    /// `list<u8>`
    Bytes(Vec<u8>),
    /// `list<T>` for any `T` other than `u8`.
    List(Vec<Value>),
    /// A record's field values in declaration order, with their names.
    Record(Vec<(String, Value)>),
    /// `tuple<...>`
    Tuple(Vec<Value>),
    /// A variant case and its payload.
    Variant(String, Option<Box<Value>>),
    /// An enum case.
    Enum(String),
    /// `option<T>`
    Option(Option<Box<Value>>),
    /// `result<T, E>`
    Result(Result<Option<Box<Value>>, Option<Box<Value>>>),
    /// The names of the flags that are set, in declaration order.
    Flags(Vec<String>),
}

impl Value {
    /// Structural equality as the voter sees it: floats compare by bits, except that
    /// every NaN equals every other NaN (so `0.0` and `-0.0` differ).
    pub fn same(&self, other: &Value) -> bool {
        self.zip_with(other, &mut |pair| match pair {
            Num::F32(x, y) => (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits(),
            Num::F64(x, y) => (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits(),
        })
    }

    /// Equality within a float tolerance: like [`Value::same`], except that two floats
    /// also match when they are within `abs`, within `rel` of the larger magnitude, or
    /// at most `ulps` representable values apart (any one suffices). Infinities match
    /// only themselves; NaN matches only NaN.
    pub fn within(&self, other: &Value, tol: &Tolerance) -> bool {
        self.zip_with(other, &mut |pair| match pair {
            Num::F32(x, y) => tol.floats_match(f64::from(x), f64::from(y), ulps_apart_f32(x, y)),
            Num::F64(x, y) => tol.floats_match(x, y, ulps_apart_f64(x, y)),
        })
    }

    /// The value as a number, for the `median` policy: integers and floats, and an
    /// `option` of one whose payload is present.
    pub fn as_f64(&self) -> Option<f64> {
        Some(match self {
            Value::S8(v) => f64::from(*v),
            Value::U8(v) => f64::from(*v),
            Value::S16(v) => f64::from(*v),
            Value::U16(v) => f64::from(*v),
            Value::S32(v) => f64::from(*v),
            Value::U32(v) => f64::from(*v),
            Value::S64(v) => *v as f64,
            Value::U64(v) => *v as f64,
            Value::F32(v) => f64::from(*v),
            Value::F64(v) => *v,
            Value::Option(Some(v)) => return v.as_f64(),
            _ => return None,
        })
    }

    /// Walks two values in lockstep; `floats` decides float pairs, everything else
    /// must match exactly.
    fn zip_with(&self, other: &Value, floats: &mut impl FnMut(Num) -> bool) -> bool {
        use Value as V;
        let opt = |a: &Option<Box<Value>>,
                   b: &Option<Box<Value>>,
                   f: &mut dyn FnMut(&Value, &Value) -> bool| {
            match (a, b) {
                (None, None) => true,
                (Some(a), Some(b)) => f(a, b),
                _ => false,
            }
        };
        match (self, other) {
            (V::F32(a), V::F32(b)) => floats(Num::F32(*a, *b)),
            (V::F64(a), V::F64(b)) => floats(Num::F64(*a, *b)),
            (V::Bool(a), V::Bool(b)) => a == b,
            (V::S8(a), V::S8(b)) => a == b,
            (V::U8(a), V::U8(b)) => a == b,
            (V::S16(a), V::S16(b)) => a == b,
            (V::U16(a), V::U16(b)) => a == b,
            (V::S32(a), V::S32(b)) => a == b,
            (V::U32(a), V::U32(b)) => a == b,
            (V::S64(a), V::S64(b)) => a == b,
            (V::U64(a), V::U64(b)) => a == b,
            (V::Char(a), V::Char(b)) => a == b,
            (V::String(a), V::String(b)) => a == b,
            (V::Bytes(a), V::Bytes(b)) => a == b,
            (V::Bytes(a), V::List(b)) | (V::List(b), V::Bytes(a)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|(x, y)| matches!(y, V::U8(y) if x == y))
            }
            (V::List(a), V::List(b)) | (V::Tuple(a), V::Tuple(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.zip_with(y, floats))
            }
            (V::Record(a), V::Record(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|((n, x), (m, y))| n == m && x.zip_with(y, floats))
            }
            (V::Variant(n, a), V::Variant(m, b)) => {
                n == m && opt(a, b, &mut |x, y| x.zip_with(y, floats))
            }
            (V::Enum(a), V::Enum(b)) => a == b,
            (V::Option(a), V::Option(b)) => opt(a, b, &mut |x, y| x.zip_with(y, floats)),
            (V::Result(Ok(a)), V::Result(Ok(b))) | (V::Result(Err(a)), V::Result(Err(b))) => {
                opt(a, b, &mut |x, y| x.zip_with(y, floats))
            }
            (V::Flags(a), V::Flags(b)) => a == b,
            _ => false,
        }
    }

    /// Prints the value as WAVE text that parses back to the same value.
    ///
    /// Scalars, strings, chars, enums and flags are printed by wasm-wave's writer.
    /// Floats are not: they print as the shortest text that reads back to the same
    /// bits, in Rust's `{:?}` form (`26.0`, `1e56`, `5e-324`), where wasm-wave and
    /// `wasmtime run --invoke` print every digit (`26`, `1000…0` with 56 zeros, 324
    /// digits for `5e-324`); the compact form keeps reports and reproduce commands
    /// short. Since wasm-wave's writer recurses into lists, records and variants
    /// itself, those are printed here too, with the same label rule: a variant case
    /// or enum case that is a WAVE keyword (`true`, `false`, `some`, `none`, `ok`,
    /// `err`, `inf`, `nan`) gets a `%` prefix.
    pub fn to_wave(&self) -> String {
        let mut out = String::new();
        self.write_wave(&mut out);
        out
    }

    fn write_wave(&self, out: &mut String) {
        use std::fmt::Write;
        let seq =
            |out: &mut String, open: &str, items: &mut dyn Iterator<Item = &Value>, close: &str| {
                out.push_str(open);
                for (i, v) in items.enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    v.write_wave(out);
                }
                out.push_str(close);
            };
        let payload = |out: &mut String, name: &str, p: &Option<Box<Value>>| {
            out.push_str(name);
            if let Some(p) = p {
                out.push('(');
                p.write_wave(out);
                out.push(')');
            }
        };
        match self {
            Value::F32(x) => out.push_str(&float_text(f64::from(*x), format!("{x:?}"))),
            Value::F64(x) => out.push_str(&float_text(*x, format!("{x:?}"))),
            Value::Bytes(b) => {
                out.push('[');
                for (i, byte) in b.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{byte}");
                }
                out.push(']');
            }
            Value::List(l) => seq(out, "[", &mut l.iter(), "]"),
            Value::Tuple(t) => seq(out, "(", &mut t.iter(), ")"),
            Value::Record(fs) => {
                out.push('{');
                for (i, (n, v)) in fs.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(n);
                    out.push_str(": ");
                    v.write_wave(out);
                }
                out.push('}');
            }
            Value::Variant(c, p) => {
                if wasm_wave::lex::Keyword::decode(c).is_some() {
                    out.push('%');
                }
                payload(out, c, p)
            }
            Value::Option(None) => out.push_str("none"),
            Value::Option(p @ Some(_)) => payload(out, "some", p),
            Value::Result(Ok(p)) => payload(out, "ok", p),
            Value::Result(Err(p)) => payload(out, "err", p),
            // Scalars, strings, chars, enums and flags: the wasm-wave writer, which
            // knows the escaping and keyword rules. It fails only on a value that
            // does not match its own kind, which this enum cannot build.
            other => {
                out.push_str(&wasm_wave::to_string(other).unwrap_or_else(|_| format!("{other:?}")))
            }
        }
    }

    /// A rough size in bytes, used for output caps and for shrinking order.
    pub fn size_hint(&self) -> usize {
        match self {
            Value::String(s) => s.len(),
            Value::Bytes(b) => b.len(),
            Value::List(v) | Value::Tuple(v) => v.iter().map(Value::size_hint).sum::<usize>() + 1,
            Value::Record(f) => f.iter().map(|(_, v)| v.size_hint()).sum::<usize>() + 1,
            Value::Variant(_, Some(v)) | Value::Option(Some(v)) => v.size_hint() + 1,
            Value::Result(Ok(Some(v)) | Err(Some(v))) => v.size_hint() + 1,
            Value::Flags(f) => f.len() + 1,
            _ => 8,
        }
    }
}

/// WAVE text of a float: `nan`, `inf`, `-inf`, or Rust's shortest round-trip text.
fn float_text(x: f64, debug: String) -> String {
    if x.is_nan() {
        "nan".into()
    } else if x.is_infinite() {
        if x > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        debug
    }
}

/// A pair of floats handed to the comparison hook of [`Value::zip_with`].
#[derive(Clone, Copy)]
enum Num {
    F32(f32, f32),
    F64(f64, f64),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_wave())
    }
}

/// A float tolerance from `[ensemble.tolerance]`; absent fields are not used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Tolerance {
    /// Absolute difference allowed.
    pub abs: Option<f64>,
    /// Difference allowed relative to the larger magnitude of the two values.
    pub rel: Option<f64>,
    /// Number of representable floats allowed between the two values.
    pub ulps: Option<u64>,
}

impl Tolerance {
    /// Whether the tolerance allows anything beyond exact equality.
    pub fn is_set(&self) -> bool {
        self.abs.is_some() || self.rel.is_some() || self.ulps.is_some()
    }

    fn floats_match(&self, x: f64, y: f64, ulps_apart: u64) -> bool {
        if x.is_nan() || y.is_nan() {
            return x.is_nan() && y.is_nan();
        }
        if x == y {
            return true;
        }
        if x.is_infinite() || y.is_infinite() {
            return false;
        }
        let diff = (x - y).abs();
        self.abs.is_some_and(|a| diff <= a)
            || self.rel.is_some_and(|r| diff <= r * x.abs().max(y.abs()))
            || self.ulps.is_some_and(|u| ulps_apart <= u)
    }
}

/// Maps a float's bits onto a line where adjacent floats are adjacent integers.
fn ordered_f64(x: f64) -> i128 {
    let b = x.to_bits() as i64;
    i128::from(if b < 0 { i64::MIN - b } else { b })
}

fn ulps_apart_f64(x: f64, y: f64) -> u64 {
    u64::try_from((ordered_f64(x) - ordered_f64(y)).unsigned_abs()).unwrap_or(u64::MAX)
}

fn ulps_apart_f32(x: f32, y: f32) -> u64 {
    let o = |v: f32| {
        let b = v.to_bits() as i32;
        i64::from(if b < 0 { i32::MIN - b } else { b })
    };
    (o(x) - o(y)).unsigned_abs()
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ValueType as T;
        let list = |f: &mut fmt::Formatter<'_>, items: &mut dyn Iterator<Item = String>| {
            let v: Vec<String> = items.collect();
            f.write_str(&v.join(", "))
        };
        match self {
            T::Bool => f.write_str("bool"),
            T::S8 => f.write_str("s8"),
            T::U8 => f.write_str("u8"),
            T::S16 => f.write_str("s16"),
            T::U16 => f.write_str("u16"),
            T::S32 => f.write_str("s32"),
            T::U32 => f.write_str("u32"),
            T::S64 => f.write_str("s64"),
            T::U64 => f.write_str("u64"),
            T::F32 => f.write_str("f32"),
            T::F64 => f.write_str("f64"),
            T::Char => f.write_str("char"),
            T::String => f.write_str("string"),
            T::List(t) => write!(f, "list<{t}>"),
            T::Option(t) => write!(f, "option<{t}>"),
            T::Tuple(ts) => {
                f.write_str("tuple<")?;
                list(f, &mut ts.iter().map(|t| t.to_string()))?;
                f.write_str(">")
            }
            T::Record(fs) => {
                f.write_str("record { ")?;
                list(f, &mut fs.iter().map(|(n, t)| format!("{n}: {t}")))?;
                f.write_str(" }")
            }
            T::Variant(cs) => {
                f.write_str("variant { ")?;
                list(
                    f,
                    &mut cs.iter().map(|(n, t)| match t {
                        Some(t) => format!("{n}({t})"),
                        None => n.clone(),
                    }),
                )?;
                f.write_str(" }")
            }
            T::Enum(cs) => write!(f, "enum {{ {} }}", cs.join(", ")),
            T::Flags(cs) => write!(f, "flags {{ {} }}", cs.join(", ")),
            T::Result { ok, err } => match (ok, err) {
                (None, None) => f.write_str("result"),
                (Some(o), None) => write!(f, "result<{o}>"),
                (None, Some(e)) => write!(f, "result<_, {e}>"),
                (Some(o), Some(e)) => write!(f, "result<{o}, {e}>"),
            },
        }
    }
}

impl WasmType for ValueType {
    fn kind(&self) -> WasmTypeKind {
        use ValueType as T;
        match self {
            T::Bool => WasmTypeKind::Bool,
            T::S8 => WasmTypeKind::S8,
            T::U8 => WasmTypeKind::U8,
            T::S16 => WasmTypeKind::S16,
            T::U16 => WasmTypeKind::U16,
            T::S32 => WasmTypeKind::S32,
            T::U32 => WasmTypeKind::U32,
            T::S64 => WasmTypeKind::S64,
            T::U64 => WasmTypeKind::U64,
            T::F32 => WasmTypeKind::F32,
            T::F64 => WasmTypeKind::F64,
            T::Char => WasmTypeKind::Char,
            T::String => WasmTypeKind::String,
            T::List(_) => WasmTypeKind::List,
            T::Record(_) => WasmTypeKind::Record,
            T::Tuple(_) => WasmTypeKind::Tuple,
            T::Variant(_) => WasmTypeKind::Variant,
            T::Enum(_) => WasmTypeKind::Enum,
            T::Option(_) => WasmTypeKind::Option,
            T::Result { .. } => WasmTypeKind::Result,
            T::Flags(_) => WasmTypeKind::Flags,
        }
    }
    fn list_element_type(&self) -> Option<Self> {
        match self {
            ValueType::List(t) => Some((**t).clone()),
            _ => None,
        }
    }
    fn record_fields(&self) -> Box<dyn Iterator<Item = (Cow<'_, str>, Self)> + '_> {
        match self {
            ValueType::Record(fs) => {
                Box::new(fs.iter().map(|(n, t)| (Cow::from(n.as_str()), t.clone())))
            }
            _ => Box::new(std::iter::empty()),
        }
    }
    fn tuple_element_types(&self) -> Box<dyn Iterator<Item = Self> + '_> {
        match self {
            ValueType::Tuple(ts) => Box::new(ts.iter().cloned()),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn variant_cases(&self) -> Box<dyn Iterator<Item = (Cow<'_, str>, Option<Self>)> + '_> {
        match self {
            ValueType::Variant(cs) => {
                Box::new(cs.iter().map(|(n, t)| (Cow::from(n.as_str()), t.clone())))
            }
            _ => Box::new(std::iter::empty()),
        }
    }
    fn enum_cases(&self) -> Box<dyn Iterator<Item = Cow<'_, str>> + '_> {
        match self {
            ValueType::Enum(cs) => Box::new(cs.iter().map(|n| Cow::from(n.as_str()))),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn option_some_type(&self) -> Option<Self> {
        match self {
            ValueType::Option(t) => Some((**t).clone()),
            _ => None,
        }
    }
    fn result_types(&self) -> Option<(Option<Self>, Option<Self>)> {
        match self {
            ValueType::Result { ok, err } => {
                Some((ok.as_deref().cloned(), err.as_deref().cloned()))
            }
            _ => None,
        }
    }
    fn flags_names(&self) -> Box<dyn Iterator<Item = Cow<'_, str>> + '_> {
        match self {
            ValueType::Flags(cs) => Box::new(cs.iter().map(|n| Cow::from(n.as_str()))),
            _ => Box::new(std::iter::empty()),
        }
    }
}

fn wrong(ty: &ValueType, what: &str) -> WasmValueError {
    WasmValueError::WrongValueType {
        ty: ty.to_string(),
        val: what.to_string(),
    }
}

impl WasmValue for Value {
    type Type = ValueType;

    fn kind(&self) -> WasmTypeKind {
        use Value as V;
        match self {
            V::Bool(_) => WasmTypeKind::Bool,
            V::S8(_) => WasmTypeKind::S8,
            V::U8(_) => WasmTypeKind::U8,
            V::S16(_) => WasmTypeKind::S16,
            V::U16(_) => WasmTypeKind::U16,
            V::S32(_) => WasmTypeKind::S32,
            V::U32(_) => WasmTypeKind::U32,
            V::S64(_) => WasmTypeKind::S64,
            V::U64(_) => WasmTypeKind::U64,
            V::F32(_) => WasmTypeKind::F32,
            V::F64(_) => WasmTypeKind::F64,
            V::Char(_) => WasmTypeKind::Char,
            V::String(_) => WasmTypeKind::String,
            V::Bytes(_) | V::List(_) => WasmTypeKind::List,
            V::Record(_) => WasmTypeKind::Record,
            V::Tuple(_) => WasmTypeKind::Tuple,
            V::Variant(..) => WasmTypeKind::Variant,
            V::Enum(_) => WasmTypeKind::Enum,
            V::Option(_) => WasmTypeKind::Option,
            V::Result(_) => WasmTypeKind::Result,
            V::Flags(_) => WasmTypeKind::Flags,
        }
    }
    fn make_bool(val: bool) -> Self {
        Value::Bool(val)
    }
    fn make_s8(val: i8) -> Self {
        Value::S8(val)
    }
    fn make_s16(val: i16) -> Self {
        Value::S16(val)
    }
    fn make_s32(val: i32) -> Self {
        Value::S32(val)
    }
    fn make_s64(val: i64) -> Self {
        Value::S64(val)
    }
    fn make_u8(val: u8) -> Self {
        Value::U8(val)
    }
    fn make_u16(val: u16) -> Self {
        Value::U16(val)
    }
    fn make_u32(val: u32) -> Self {
        Value::U32(val)
    }
    fn make_u64(val: u64) -> Self {
        Value::U64(val)
    }
    fn make_f32(val: f32) -> Self {
        Value::F32(val)
    }
    fn make_f64(val: f64) -> Self {
        Value::F64(val)
    }
    fn make_char(val: char) -> Self {
        Value::Char(val)
    }
    fn make_string(val: Cow<str>) -> Self {
        Value::String(val.into_owned())
    }
    fn make_list(
        ty: &ValueType,
        vals: impl IntoIterator<Item = Self>,
    ) -> Result<Self, WasmValueError> {
        match ty {
            ValueType::List(e) if **e == ValueType::U8 => vals
                .into_iter()
                .map(|v| match v {
                    Value::U8(b) => Ok(b),
                    _ => Err(wrong(e, "non-u8 element")),
                })
                .collect::<Result<Vec<u8>, _>>()
                .map(Value::Bytes),
            ValueType::List(_) => Ok(Value::List(vals.into_iter().collect())),
            _ => Err(wrong(ty, "list")),
        }
    }
    fn make_record<'a>(
        ty: &ValueType,
        fields: impl IntoIterator<Item = (&'a str, Self)>,
    ) -> Result<Self, WasmValueError> {
        let ValueType::Record(decl) = ty else {
            return Err(wrong(ty, "record"));
        };
        let mut given: Vec<(&str, Value)> = fields.into_iter().collect();
        let mut out = Vec::with_capacity(decl.len());
        for (name, _) in decl {
            let pos = given
                .iter()
                .position(|(n, _)| n == name)
                .ok_or_else(|| WasmValueError::MissingField(name.clone()))?;
            out.push((name.clone(), given.swap_remove(pos).1));
        }
        if let Some((extra, _)) = given.first() {
            return Err(WasmValueError::UnknownField(extra.to_string()));
        }
        Ok(Value::Record(out))
    }
    fn make_tuple(
        ty: &ValueType,
        vals: impl IntoIterator<Item = Self>,
    ) -> Result<Self, WasmValueError> {
        let ValueType::Tuple(ts) = ty else {
            return Err(wrong(ty, "tuple"));
        };
        let vals: Vec<Value> = vals.into_iter().collect();
        if vals.len() != ts.len() {
            return Err(WasmValueError::WrongNumberOfTupleValues {
                want: ts.len(),
                got: vals.len(),
            });
        }
        Ok(Value::Tuple(vals))
    }
    fn make_variant(ty: &ValueType, case: &str, val: Option<Self>) -> Result<Self, WasmValueError> {
        let ValueType::Variant(cs) = ty else {
            return Err(wrong(ty, "variant"));
        };
        match cs.iter().find(|(n, _)| n == case) {
            None => Err(WasmValueError::UnknownCase(case.to_string())),
            Some((_, Some(_))) if val.is_none() => {
                Err(WasmValueError::MissingPayload(case.to_string()))
            }
            Some((_, None)) if val.is_some() => {
                Err(WasmValueError::UnexpectedPayload(case.to_string()))
            }
            Some(_) => Ok(Value::Variant(case.to_string(), val.map(Box::new))),
        }
    }
    fn make_enum(ty: &ValueType, case: &str) -> Result<Self, WasmValueError> {
        let ValueType::Enum(cs) = ty else {
            return Err(wrong(ty, "enum"));
        };
        if cs.iter().any(|c| c == case) {
            Ok(Value::Enum(case.to_string()))
        } else {
            Err(WasmValueError::UnknownCase(case.to_string()))
        }
    }
    fn make_option(_ty: &ValueType, val: Option<Self>) -> Result<Self, WasmValueError> {
        Ok(Value::Option(val.map(Box::new)))
    }
    fn make_result(
        _ty: &ValueType,
        val: Result<Option<Self>, Option<Self>>,
    ) -> Result<Self, WasmValueError> {
        Ok(Value::Result(
            val.map(|v| v.map(Box::new)).map_err(|v| v.map(Box::new)),
        ))
    }
    fn make_flags<'a>(
        ty: &ValueType,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, WasmValueError> {
        let ValueType::Flags(decl) = ty else {
            return Err(wrong(ty, "flags"));
        };
        let names: Vec<&str> = names.into_iter().collect();
        if let Some(bad) = names.iter().find(|n| !decl.iter().any(|d| d == *n)) {
            return Err(WasmValueError::UnknownCase(bad.to_string()));
        }
        Ok(Value::Flags(
            decl.iter()
                .filter(|d| names.contains(&d.as_str()))
                .cloned()
                .collect(),
        ))
    }
    fn unwrap_bool(&self) -> bool {
        matches!(self, Value::Bool(true))
    }
    fn unwrap_s8(&self) -> i8 {
        if let Value::S8(v) = self { *v } else { 0 }
    }
    fn unwrap_s16(&self) -> i16 {
        if let Value::S16(v) = self { *v } else { 0 }
    }
    fn unwrap_s32(&self) -> i32 {
        if let Value::S32(v) = self { *v } else { 0 }
    }
    fn unwrap_s64(&self) -> i64 {
        if let Value::S64(v) = self { *v } else { 0 }
    }
    fn unwrap_u8(&self) -> u8 {
        if let Value::U8(v) = self { *v } else { 0 }
    }
    fn unwrap_u16(&self) -> u16 {
        if let Value::U16(v) = self { *v } else { 0 }
    }
    fn unwrap_u32(&self) -> u32 {
        if let Value::U32(v) = self { *v } else { 0 }
    }
    fn unwrap_u64(&self) -> u64 {
        if let Value::U64(v) = self { *v } else { 0 }
    }
    fn unwrap_f32(&self) -> f32 {
        if let Value::F32(v) = self { *v } else { 0.0 }
    }
    fn unwrap_f64(&self) -> f64 {
        if let Value::F64(v) = self { *v } else { 0.0 }
    }
    fn unwrap_char(&self) -> char {
        if let Value::Char(v) = self { *v } else { '\0' }
    }
    fn unwrap_string(&self) -> Cow<'_, str> {
        if let Value::String(v) = self {
            Cow::from(v.as_str())
        } else {
            Cow::from("")
        }
    }
    fn unwrap_list(&self) -> Box<dyn Iterator<Item = Cow<'_, Self>> + '_> {
        match self {
            Value::Bytes(b) => Box::new(b.iter().map(|b| Cow::Owned(Value::U8(*b)))),
            Value::List(v) => Box::new(v.iter().map(Cow::Borrowed)),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn unwrap_record(&self) -> Box<dyn Iterator<Item = (Cow<'_, str>, Cow<'_, Self>)> + '_> {
        match self {
            Value::Record(fs) => Box::new(
                fs.iter()
                    .map(|(n, v)| (Cow::from(n.as_str()), Cow::Borrowed(v))),
            ),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn unwrap_tuple(&self) -> Box<dyn Iterator<Item = Cow<'_, Self>> + '_> {
        match self {
            Value::Tuple(v) => Box::new(v.iter().map(Cow::Borrowed)),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn unwrap_variant(&self) -> (Cow<'_, str>, Option<Cow<'_, Self>>) {
        match self {
            Value::Variant(n, v) => (Cow::from(n.as_str()), v.as_deref().map(Cow::Borrowed)),
            _ => (Cow::from(""), None),
        }
    }
    fn unwrap_enum(&self) -> Cow<'_, str> {
        if let Value::Enum(v) = self {
            Cow::from(v.as_str())
        } else {
            Cow::from("")
        }
    }
    fn unwrap_option(&self) -> Option<Cow<'_, Self>> {
        match self {
            Value::Option(v) => v.as_deref().map(Cow::Borrowed),
            _ => None,
        }
    }
    fn unwrap_result(&self) -> Result<Option<Cow<'_, Self>>, Option<Cow<'_, Self>>> {
        match self {
            Value::Result(Ok(v)) => Ok(v.as_deref().map(Cow::Borrowed)),
            Value::Result(Err(v)) => Err(v.as_deref().map(Cow::Borrowed)),
            _ => Ok(None),
        }
    }
    fn unwrap_flags(&self) -> Box<dyn Iterator<Item = Cow<'_, str>> + '_> {
        match self {
            Value::Flags(v) => Box::new(v.iter().map(|n| Cow::from(n.as_str()))),
            _ => Box::new(std::iter::empty()),
        }
    }
}

/// Whether `v` is a well-formed value of type `t`: same shape, record fields named and ordered
/// as declared, `list<u8>` as [`Value::Bytes`] (or a list of `u8`), variant and enum cases declared (with a
/// payload exactly when the case has one), flags a duplicate-free subset in declaration order.
pub fn conforms(v: &Value, t: &ValueType) -> bool {
    use Value as V;
    use ValueType as T;
    let payload = |p: &Option<Box<Value>>, t: &Option<Box<ValueType>>| match (p, t) {
        (None, None) => true,
        (Some(p), Some(t)) => conforms(p, t),
        _ => false,
    };
    match (v, t) {
        (V::Bool(_), T::Bool)
        | (V::S8(_), T::S8)
        | (V::U8(_), T::U8)
        | (V::S16(_), T::S16)
        | (V::U16(_), T::U16)
        | (V::S32(_), T::S32)
        | (V::U32(_), T::U32)
        | (V::S64(_), T::S64)
        | (V::U64(_), T::U64)
        | (V::F32(_), T::F32)
        | (V::F64(_), T::F64)
        | (V::Char(_), T::Char)
        | (V::String(_), T::String) => true,
        (V::Bytes(_), T::List(e)) => **e == T::U8,
        (V::List(items), T::List(e)) => items.iter().all(|v| conforms(v, e)),
        (V::Record(fields), T::Record(decl)) => {
            fields.len() == decl.len()
                && fields
                    .iter()
                    .zip(decl)
                    .all(|((n, v), (m, t))| n == m && conforms(v, t))
        }
        (V::Tuple(items), T::Tuple(types)) => {
            items.len() == types.len() && items.iter().zip(types).all(|(v, t)| conforms(v, t))
        }
        (V::Variant(name, p), T::Variant(cases)) => cases
            .iter()
            .find(|(n, _)| n == name)
            .is_some_and(|(_, t)| match (p, t) {
                (None, None) => true,
                (Some(p), Some(t)) => conforms(p, t),
                _ => false,
            }),
        (V::Enum(name), T::Enum(cases)) => cases.contains(name),
        (V::Option(p), T::Option(t)) => p.as_deref().is_none_or(|p| conforms(p, t)),
        (V::Result(Ok(p)), T::Result { ok, .. }) => payload(p, ok),
        (V::Result(Err(p)), T::Result { err, .. }) => payload(p, err),
        (V::Flags(names), T::Flags(decl)) => {
            let mut rest = decl.iter();
            names.iter().all(|n| rest.any(|d| d == n))
        }
        _ => false,
    }
}

/// Why a WAVE text did not parse as the expected type.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct WaveError {
    /// What went wrong, with the offending text.
    pub message: String,
}

/// Parses one WAVE value of type `ty`.
///
/// # Errors
/// [`WaveError`] when `text` is not a WAVE value of that type.
pub fn parse_wave(ty: &ValueType, text: &str) -> Result<Value, WaveError> {
    wasm_wave::from_str::<Value>(ty, text).map_err(|e| WaveError {
        message: describe(&e, text, ty),
    })
}

/// Parses a comma-separated WAVE argument tuple (as written on a corpus line or
/// in a report's `shrunk_input`) against the parameter types.
///
/// # Errors
/// [`WaveError`] naming the argument that did not parse or the count mismatch.
pub fn parse_args(params: &[ValueType], text: &str) -> Result<Vec<Value>, WaveError> {
    if let [ValueType::List(e)] = params
        && **e == ValueType::U8
        && let Some(bytes) = plain_byte_list(text)
    {
        return Ok(vec![Value::Bytes(bytes)]);
    }
    let call = format!("f({text})");
    let shown = || clip_input(text);
    let parsed = wasm_wave::untyped::UntypedFuncCall::parse(&call).map_err(|e| WaveError {
        message: format!("{e} in `{}`", shown()),
    })?;
    let args = parsed
        .to_wasm_params::<Value>(params.iter())
        .map_err(|e| WaveError {
            message: format!("{e} in `{}` (expected {})", shown(), type_list(params)),
        })?;
    if args.len() != params.len() {
        return Err(WaveError {
            message: format!(
                "expected {} argument(s) ({}), got {} in `{}`",
                params.len(),
                type_list(params),
                args.len(),
                shown()
            ),
        });
    }
    Ok(args)
}

/// A `list<u8>` written plainly (`[1, 2, 255]`: decimal numbers, commas and
/// spaces only), read without building a syntax tree, whose nodes would take many
/// times the text's size for a list of millions of bytes. `None` for anything
/// else, which the general parser then reads (and reports errors of).
fn plain_byte_list(text: &str) -> Option<Vec<u8>> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?;
    if inner.trim().is_empty() {
        return Some(Vec::new());
    }
    let mut out = Vec::with_capacity(inner.len() / 3);
    for item in inner.split(',') {
        let item = item.trim_matches(' ');
        let digits = item.bytes().all(|b| b.is_ascii_digit());
        if item.is_empty() || item.len() > 3 || !digits || (item.len() > 1 && item.starts_with('0'))
        {
            return None;
        }
        out.push(item.parse::<u8>().ok()?);
    }
    Some(out)
}

/// Prints arguments as WAVE text joined by `, `, the inverse of [`parse_args`].
pub fn args_to_wave(args: &[Value]) -> String {
    args.iter()
        .map(Value::to_wave)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes parameter types as `a, b, c`.
pub fn type_list(types: &[ValueType]) -> String {
    types
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe(e: &wasm_wave::parser::ParserError, text: &str, ty: &ValueType) -> String {
    format!("{e} in `{}` (expected a {ty})", clip_input(text))
}

/// Most characters of an offending input an error message quotes.
const QUOTED_CHARS: usize = 160;

/// An input as quoted in an error message: control characters escaped, and cut to
/// its first [`QUOTED_CHARS`] characters with its full length noted, so a 100 KB
/// line does not flood the terminal.
pub fn clip_input(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == QUOTED_CHARS {
            out.push_str(&format!("… ({} bytes in all)", text.len()));
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The general parser, bypassing the plain byte-list fast path.
    fn general(params: &[ValueType], text: &str) -> Result<Vec<Value>, WaveError> {
        let call = format!("f({text})");
        let parsed = wasm_wave::untyped::UntypedFuncCall::parse(&call).map_err(|e| WaveError {
            message: e.to_string(),
        })?;
        parsed
            .to_wasm_params::<Value>(params.iter())
            .map_err(|e| WaveError {
                message: e.to_string(),
            })
    }

    #[test]
    fn the_byte_list_fast_path_agrees_with_the_general_parser() {
        let t = [ValueType::List(Box::new(ValueType::U8))];
        for text in [
            "[]",
            "[ ]",
            "[0]",
            "[255]",
            "[1, 2, 3]",
            " [1,2,3] ",
            "[256]",
            "[-1]",
            "[01]",
            "[1, 2,]",
            "[1,, 2]",
            "[1\t, 2]",
            "[+1]",
            "[1000]",
            "[ 7 ,8 ]",
            "[a]",
            "[1 2]",
        ] {
            let fast = parse_args(&t, text).map(|v| v[0].to_wave()).ok();
            let slow = general(&t, text)
                .ok()
                .and_then(|v| v.first().map(Value::to_wave));
            assert_eq!(fast, slow, "`{text}`");
        }
    }

    proptest::proptest! {
        #[test]
        fn printed_byte_lists_read_back_through_the_fast_path(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64)) {
            let t = [ValueType::List(Box::new(ValueType::U8))];
            let text = Value::Bytes(bytes.clone()).to_wave();
            let got = parse_args(&t, &text).unwrap();
            proptest::prop_assert!(got[0].same(&Value::Bytes(bytes)));
        }
    }

    #[test]
    fn quoted_inputs_are_clipped_and_escaped() {
        assert_eq!(clip_input("a\u{7}b\n"), "a\\u{7}b\\n");
        let long = "9".repeat(100_000);
        let q = clip_input(&long);
        assert!(q.len() < 250, "{q}");
        assert!(q.ends_with("… (100000 bytes in all)"), "{q}");
        let e = parse_args(&[ValueType::U32], &long).unwrap_err();
        assert!(e.message.len() < 400, "{}", e.message);
    }

    #[test]
    fn floats_compare_by_bits_with_nans_equal() {
        assert!(Value::F64(f64::NAN).same(&Value::F64(-f64::NAN)));
        assert!(Value::F32(f32::NAN).same(&Value::F32(f32::from_bits(0x7fc0_0001))));
        assert!(!Value::F64(0.0).same(&Value::F64(-0.0)));
        assert!(!Value::F64(1.0).same(&Value::F64(f64::from_bits(1.0f64.to_bits() + 1))));
        assert!(Value::F64(1.5).same(&Value::F64(1.5)));
    }

    #[test]
    fn tolerance_applies_inside_structures() {
        let a = Value::Option(Some(Box::new(Value::F64(1.0))));
        let b = Value::Option(Some(Box::new(Value::F64(1.0 + 1e-12))));
        let tol = Tolerance {
            rel: Some(1e-9),
            ..Tolerance::default()
        };
        assert!(a.within(&b, &tol));
        assert!(!a.same(&b));
        let far = Value::Option(Some(Box::new(Value::F64(1.1))));
        assert!(!a.within(&far, &tol));
        let none = Value::Option(None);
        assert!(!a.within(&none, &tol));
        let ulps = Tolerance {
            ulps: Some(2),
            ..Tolerance::default()
        };
        let next = f64::from_bits(1.0f64.to_bits() + 2);
        assert!(Value::F64(1.0).within(&Value::F64(next), &ulps));
        assert!(!Value::F64(1.0).within(&Value::F64(f64::from_bits(1.0f64.to_bits() + 3)), &ulps));
        assert!(Value::F64(0.0).within(&Value::F64(-0.0), &ulps));
        assert!(!Value::F64(f64::INFINITY).within(
            &Value::F64(f64::MAX),
            &Tolerance {
                rel: Some(1.0),
                ..Tolerance::default()
            }
        ));
    }

    #[test]
    fn wave_round_trips_through_our_types() {
        let ty = ValueType::Record(vec![
            ("a".into(), ValueType::List(Box::new(ValueType::U8))),
            ("b".into(), ValueType::Option(Box::new(ValueType::F64))),
            ("c".into(), ValueType::String),
        ]);
        let v = parse_wave(&ty, r#"{c: "hé", a: [1, 2, 255], b: some(nan)}"#).unwrap();
        assert!(
            matches!(&v, Value::Record(f) if matches!(&f[0].1, Value::Bytes(b) if b == &[1, 2, 255]))
        );
        let text = v.to_wave();
        assert_eq!(text, r#"{a: [1, 2, 255], b: some(nan), c: "hé"}"#);
        assert!(parse_wave(&ty, &text).unwrap().same(&v));
        for x in [
            5e-324,
            -0.0,
            1e300,
            2.5,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            0.1 + 0.2,
        ] {
            let text = Value::F64(x).to_wave();
            assert!(
                parse_wave(&ValueType::F64, &text)
                    .unwrap()
                    .same(&Value::F64(x)),
                "{text}"
            );
        }
        assert_eq!(Value::F64(5e-324).to_wave(), "5e-324");
        assert_eq!(Value::F32(1.5).to_wave(), "1.5");
    }

    #[test]
    fn args_parse_and_name_the_problem() {
        let params = [ValueType::S32, ValueType::U8, ValueType::U8];
        let args = parse_args(&params, "2000, 2, 29").unwrap();
        assert_eq!(args_to_wave(&args), "2000, 2, 29");
        let err = parse_args(&params, "2000, 300, 1").unwrap_err();
        assert!(err.message.contains("300"), "{}", err.message);
        assert!(parse_args(&params, "2000, 2").is_err());
        assert!(parse_args(&[ValueType::String], r#""a, b""#).is_ok());
    }

    /// Random WAVE types whose record fields, variant cases, enum cases and flags are
    /// drawn from names that include every WAVE keyword, and random values of them.
    mod wave_round_trip {
        use proptest::prelude::*;

        use super::super::*;

        const LABELS: &[&str] = &[
            "true", "false", "some", "none", "ok", "err", "inf", "nan", "a", "b-c", "x1",
        ];

        /// Up to `max` distinct labels.
        fn labels(max: usize) -> impl Strategy<Value = Vec<String>> {
            proptest::sample::subsequence(LABELS, 1..=max)
                .prop_map(|v| v.into_iter().map(String::from).collect())
        }

        fn scalar_type() -> impl Strategy<Value = ValueType> {
            prop_oneof![
                Just(ValueType::Bool),
                Just(ValueType::S8),
                Just(ValueType::U8),
                Just(ValueType::S64),
                Just(ValueType::U64),
                Just(ValueType::F32),
                Just(ValueType::F64),
                Just(ValueType::Char),
                Just(ValueType::String),
                labels(4).prop_map(ValueType::Enum),
                labels(4).prop_map(ValueType::Flags),
            ]
        }

        fn value_type() -> impl Strategy<Value = ValueType> {
            scalar_type().prop_recursive(3, 24, 4, |inner| {
                prop_oneof![
                    inner.clone().prop_map(|t| ValueType::List(Box::new(t))),
                    inner.clone().prop_map(|t| ValueType::Option(Box::new(t))),
                    (
                        proptest::option::of(inner.clone()),
                        proptest::option::of(inner.clone())
                    )
                        .prop_map(|(ok, err)| ValueType::Result {
                            ok: ok.map(Box::new),
                            err: err.map(Box::new),
                        }),
                    proptest::collection::vec(inner.clone(), 1..4).prop_map(ValueType::Tuple),
                    (labels(4), proptest::collection::vec(inner.clone(), 4)).prop_map(
                        |(names, types)| ValueType::Record(names.into_iter().zip(types).collect())
                    ),
                    (
                        labels(4),
                        proptest::collection::vec(proptest::option::of(inner), 4)
                    )
                        .prop_map(|(names, types)| ValueType::Variant(
                            names.into_iter().zip(types).collect()
                        )),
                ]
            })
        }

        fn float64() -> impl Strategy<Value = f64> {
            prop_oneof![
                any::<f64>(),
                Just(f64::NAN),
                Just(f64::INFINITY),
                Just(f64::NEG_INFINITY),
                Just(-0.0),
                Just(26.0),
                Just(1e56),
                Just(5e-324),
            ]
        }

        fn value_of(ty: &ValueType) -> BoxedStrategy<Value> {
            match ty {
                ValueType::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
                ValueType::S8 => any::<i8>().prop_map(Value::S8).boxed(),
                ValueType::U8 => any::<u8>().prop_map(Value::U8).boxed(),
                ValueType::S64 => any::<i64>().prop_map(Value::S64).boxed(),
                ValueType::U64 => any::<u64>().prop_map(Value::U64).boxed(),
                ValueType::F32 => prop_oneof![any::<f32>(), Just(f32::NAN), Just(-0.0f32)]
                    .prop_map(Value::F32)
                    .boxed(),
                ValueType::F64 => float64().prop_map(Value::F64).boxed(),
                ValueType::Char => any::<char>().prop_map(Value::Char).boxed(),
                ValueType::String => prop_oneof![
                    any::<String>(),
                    Just("none".to_string()),
                    Just("<script>\u{1}\"'%".to_string())
                ]
                .prop_map(Value::String)
                .boxed(),
                ValueType::Enum(cases) => proptest::sample::select(cases.clone())
                    .prop_map(Value::Enum)
                    .boxed(),
                ValueType::Flags(names) => {
                    let names = names.clone();
                    proptest::collection::vec(any::<bool>(), names.len())
                        .prop_map(move |set| {
                            Value::Flags(
                                names
                                    .iter()
                                    .zip(set)
                                    .filter(|(_, on)| *on)
                                    .map(|(n, _)| n.clone())
                                    .collect(),
                            )
                        })
                        .boxed()
                }
                ValueType::List(t) if **t == ValueType::U8 => {
                    proptest::collection::vec(any::<u8>(), 0..4)
                        .prop_map(Value::Bytes)
                        .boxed()
                }
                ValueType::List(t) => proptest::collection::vec(value_of(t), 0..3)
                    .prop_map(Value::List)
                    .boxed(),
                ValueType::Option(t) => proptest::option::of(value_of(t))
                    .prop_map(|v| Value::Option(v.map(Box::new)))
                    .boxed(),
                ValueType::Result { ok, err } => {
                    let side = |t: &Option<Box<ValueType>>| match t {
                        Some(t) => value_of(t).prop_map(|v| Some(Box::new(v))).boxed(),
                        None => Just(None).boxed(),
                    };
                    prop_oneof![side(ok).prop_map(Ok), side(err).prop_map(Err)]
                        .prop_map(Value::Result)
                        .boxed()
                }
                ValueType::Tuple(ts) => ts
                    .iter()
                    .map(value_of)
                    .collect::<Vec<_>>()
                    .prop_map(Value::Tuple)
                    .boxed(),
                ValueType::Record(fs) => {
                    let names: Vec<String> = fs.iter().map(|(n, _)| n.clone()).collect();
                    fs.iter()
                        .map(|(_, t)| value_of(t))
                        .collect::<Vec<_>>()
                        .prop_map(move |vs| Value::Record(names.iter().cloned().zip(vs).collect()))
                        .boxed()
                }
                ValueType::Variant(cases) => {
                    let options: Vec<BoxedStrategy<Value>> = cases
                        .iter()
                        .map(|(name, t)| {
                            let name = name.clone();
                            match t {
                                Some(t) => value_of(t)
                                    .prop_map(move |v| {
                                        Value::Variant(name.clone(), Some(Box::new(v)))
                                    })
                                    .boxed(),
                                None => Just(Value::Variant(name, None)).boxed(),
                            }
                        })
                        .collect();
                    proptest::strategy::Union::new(options).boxed()
                }
                other => unreachable!("value_type() does not make {other:?}"),
            }
        }

        fn typed_value() -> impl Strategy<Value = (ValueType, Value)> {
            value_type().prop_flat_map(|t| {
                let v = value_of(&t);
                (Just(t), v)
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            #[test]
            fn printed_values_parse_back_to_themselves((ty, v) in typed_value()) {
                let text = v.to_wave();
                let back = parse_wave(&ty, &text);
                prop_assert!(back.is_ok(), "`{}` does not parse as {:?}: {:?}", text, ty, back.err());
                let back = back.unwrap();
                prop_assert!(back.same(&v), "`{}` read back as {:?}, not {:?}", text, back, v);
                prop_assert_eq!(back.to_wave(), text);
            }
        }

        #[test]
        fn keyword_cases_are_escaped_and_floats_print_compactly() {
            let none_case = Value::Variant("none".into(), None);
            assert_eq!(none_case.to_wave(), "%none");
            let ty = ValueType::Variant(vec![("none".into(), None), ("a".into(), None)]);
            assert!(parse_wave(&ty, "%none").unwrap().same(&none_case));
            assert_eq!(Value::Enum("true".into()).to_wave(), "%true");
            // The documented float form: Rust's shortest round-trip `{:?}` text.
            assert_eq!(Value::F64(26.0).to_wave(), "26.0");
            assert_eq!(Value::F64(1e56).to_wave(), "1e56");
            assert_eq!(Value::F32(-0.0).to_wave(), "-0.0");
        }
    }
}
