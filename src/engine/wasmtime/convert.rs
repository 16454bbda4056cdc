//! Conversion between nvx's values and types and wasmtime's: [`to_val`] and
//! [`from_val`] for values, [`value_type`] for the types of component exports.

use wasmtime::component::Val;

use crate::value::{Value, ValueType};

/// Converts a [`Value`] to wasmtime's [`Val`].
pub(crate) fn to_val(v: &Value) -> Val {
    match v {
        Value::Bool(b) => Val::Bool(*b),
        Value::S8(x) => Val::S8(*x),
        Value::U8(x) => Val::U8(*x),
        Value::S16(x) => Val::S16(*x),
        Value::U16(x) => Val::U16(*x),
        Value::S32(x) => Val::S32(*x),
        Value::U32(x) => Val::U32(*x),
        Value::S64(x) => Val::S64(*x),
        Value::U64(x) => Val::U64(*x),
        Value::F32(x) => Val::Float32(*x),
        Value::F64(x) => Val::Float64(*x),
        Value::Char(c) => Val::Char(*c),
        Value::String(s) => Val::String(s.clone()),
        Value::Bytes(b) => Val::List(b.iter().map(|b| Val::U8(*b)).collect()),
        Value::List(l) => Val::List(l.iter().map(to_val).collect()),
        Value::Record(f) => Val::Record(f.iter().map(|(n, v)| (n.clone(), to_val(v))).collect()),
        Value::Tuple(t) => Val::Tuple(t.iter().map(to_val).collect()),
        Value::Variant(c, p) => Val::Variant(c.clone(), p.as_ref().map(|p| Box::new(to_val(p)))),
        Value::Enum(c) => Val::Enum(c.clone()),
        Value::Option(o) => Val::Option(o.as_ref().map(|p| Box::new(to_val(p)))),
        Value::Result(r) => Val::Result(match r {
            Ok(p) => Ok(p.as_ref().map(|p| Box::new(to_val(p)))),
            Err(p) => Err(p.as_ref().map(|p| Box::new(to_val(p)))),
        }),
        Value::Flags(f) => Val::Flags(f.clone()),
    }
}

/// Converts wasmtime's [`Val`] to a [`Value`], guided by the declared type so that
/// `list<u8>` becomes [`Value::Bytes`].
pub(crate) fn from_val(v: Val, ty: &ValueType) -> Value {
    let boxed = |p: Option<Box<Val>>, t: Option<&ValueType>| match (p, t) {
        (Some(p), Some(t)) => Some(Box::new(from_val(*p, t))),
        _ => None,
    };
    match (v, ty) {
        (Val::Bool(b), _) => Value::Bool(b),
        (Val::S8(x), _) => Value::S8(x),
        (Val::U8(x), _) => Value::U8(x),
        (Val::S16(x), _) => Value::S16(x),
        (Val::U16(x), _) => Value::U16(x),
        (Val::S32(x), _) => Value::S32(x),
        (Val::U32(x), _) => Value::U32(x),
        (Val::S64(x), _) => Value::S64(x),
        (Val::U64(x), _) => Value::U64(x),
        (Val::Float32(x), _) => Value::F32(x),
        (Val::Float64(x), _) => Value::F64(x),
        (Val::Char(c), _) => Value::Char(c),
        (Val::String(s), _) => Value::String(s),
        (Val::List(l), ValueType::List(e)) if **e == ValueType::U8 => Value::Bytes(
            l.into_iter()
                .map(|v| if let Val::U8(b) = v { b } else { 0 })
                .collect(),
        ),
        (Val::List(l), ValueType::List(e)) => {
            Value::List(l.into_iter().map(|v| from_val(v, e)).collect())
        }
        (Val::Record(f), ValueType::Record(ts)) => Value::Record(
            f.into_iter()
                .zip(ts)
                .map(|((n, v), (_, t))| (n, from_val(v, t)))
                .collect(),
        ),
        (Val::Tuple(t), ValueType::Tuple(ts)) => {
            Value::Tuple(t.into_iter().zip(ts).map(|(v, t)| from_val(v, t)).collect())
        }
        (Val::Variant(c, p), ValueType::Variant(cases)) => {
            let t = cases
                .iter()
                .find(|(n, _)| *n == c)
                .and_then(|(_, t)| t.as_ref());
            Value::Variant(c, boxed(p, t))
        }
        (Val::Enum(c), _) => Value::Enum(c),
        (Val::Option(o), ValueType::Option(t)) => Value::Option(boxed(o, Some(t))),
        (Val::Result(Ok(p)), ValueType::Result { ok, .. }) => {
            Value::Result(Ok(boxed(p, ok.as_deref())))
        }
        (Val::Result(Err(p)), ValueType::Result { err, .. }) => {
            Value::Result(Err(boxed(p, err.as_deref())))
        }
        (Val::Flags(f), _) => Value::Flags(f),
        (other, _) => Value::String(format!("<unsupported value {other:?}>")),
    }
}

/// Converts a wasmtime component type to a [`ValueType`]; `None` for types nvx does
/// not pass (resources, streams, futures, maps).
pub(crate) fn value_type(t: &wasmtime::component::Type) -> Option<ValueType> {
    use wasmtime::component::Type as T;
    Some(match t {
        T::Bool => ValueType::Bool,
        T::S8 => ValueType::S8,
        T::U8 => ValueType::U8,
        T::S16 => ValueType::S16,
        T::U16 => ValueType::U16,
        T::S32 => ValueType::S32,
        T::U32 => ValueType::U32,
        T::S64 => ValueType::S64,
        T::U64 => ValueType::U64,
        T::Float32 => ValueType::F32,
        T::Float64 => ValueType::F64,
        T::Char => ValueType::Char,
        T::String => ValueType::String,
        T::List(l) => ValueType::List(Box::new(value_type(&l.ty())?)),
        T::Record(r) => ValueType::Record(
            r.fields()
                .map(|f| Some((f.name.to_string(), value_type(&f.ty)?)))
                .collect::<Option<_>>()?,
        ),
        T::Tuple(t) => ValueType::Tuple(t.types().map(|t| value_type(&t)).collect::<Option<_>>()?),
        T::Variant(v) => ValueType::Variant(
            v.cases()
                .map(|c| {
                    Some((
                        c.name.to_string(),
                        match &c.ty {
                            Some(t) => Some(value_type(t)?),
                            None => None,
                        },
                    ))
                })
                .collect::<Option<_>>()?,
        ),
        T::Enum(e) => ValueType::Enum(e.names().map(str::to_string).collect()),
        T::Option(o) => ValueType::Option(Box::new(value_type(&o.ty())?)),
        T::Result(r) => ValueType::Result {
            ok: match r.ok() {
                Some(t) => Some(Box::new(value_type(&t)?)),
                None => None,
            },
            err: match r.err() {
                Some(t) => Some(Box::new(value_type(&t)?)),
                None => None,
            },
        },
        T::Flags(f) => ValueType::Flags(f.names().map(str::to_string).collect()),
        _ => return None,
    })
}
