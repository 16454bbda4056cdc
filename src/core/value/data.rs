//! Component values and types as plain Rust data, independent of wasmtime: what
//! a value is, how two compare (exactly or within a float tolerance), and whether
//! one fits a type.

use std::fmt;

use serde::{Deserialize, Serialize};

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
