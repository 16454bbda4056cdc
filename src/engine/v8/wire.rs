//! The wire form of values between nvx and its Node workers: lossless in JSON.
//! 64-bit integers travel as decimal text, floats as their bits, `list<u8>` as
//! hex; records and tuples as arrays in declaration order, variant and enum cases
//! and flags by index, an option as `null` or a one-element array.

use serde_json::{Value as Json, json};

use crate::value::{Value, ValueType};

/// A type as the Node side reads it.
pub(super) fn wire_type(t: &ValueType) -> Json {
    use ValueType as T;
    match t {
        T::Bool => "bool".into(),
        T::S8 => "s8".into(),
        T::U8 => "u8".into(),
        T::S16 => "s16".into(),
        T::U16 => "u16".into(),
        T::S32 => "s32".into(),
        T::U32 => "u32".into(),
        T::S64 => "s64".into(),
        T::U64 => "u64".into(),
        T::F32 => "f32".into(),
        T::F64 => "f64".into(),
        T::Char => "char".into(),
        T::String => "string".into(),
        T::List(e) if **e == T::U8 => "bytes".into(),
        T::List(e) => json!({"k": "list", "t": wire_type(e)}),
        T::Record(f) => {
            json!({"k": "record", "f": f.iter().map(|(n, t)| json!([n, wire_type(t)])).collect::<Vec<_>>()})
        }
        T::Tuple(ts) => json!({"k": "tuple", "t": ts.iter().map(wire_type).collect::<Vec<_>>()}),
        T::Variant(cs) => {
            json!({"k": "variant", "c": cs.iter().map(|(n, t)| json!([n, t.as_ref().map(wire_type)])).collect::<Vec<_>>()})
        }
        T::Enum(cs) => json!({"k": "enum", "c": cs}),
        T::Option(t) => json!({"k": "option", "t": wire_type(t)}),
        T::Result { ok, err } => {
            json!({"k": "result", "ok": ok.as_deref().map(wire_type), "err": err.as_deref().map(wire_type)})
        }
        T::Flags(cs) => json!({"k": "flags", "c": cs}),
    }
}

/// A value (checked against its type already) in the wire form.
pub(super) fn to_wire(v: &Value, t: &ValueType) -> Json {
    use ValueType as T;
    let inner = |p: &Option<Box<Value>>, t: Option<&ValueType>| match (p, t) {
        (Some(p), Some(t)) => to_wire(p, t),
        _ => Json::Null,
    };
    match (v, t) {
        (Value::Bool(b), _) => json!(b),
        (Value::S8(x), _) => json!(x),
        (Value::U8(x), _) => json!(x),
        (Value::S16(x), _) => json!(x),
        (Value::U16(x), _) => json!(x),
        (Value::S32(x), _) => json!(x),
        (Value::U32(x), _) => json!(x),
        (Value::S64(x), _) => json!(x.to_string()),
        (Value::U64(x), _) => json!(x.to_string()),
        (Value::F32(x), _) => json!(x.to_bits()),
        (Value::F64(x), _) => json!(x.to_bits().to_string()),
        (Value::Char(c), _) => json!(c.to_string()),
        (Value::String(s), _) => json!(s),
        (Value::Bytes(b), _) => json!(hex_encode(b)),
        (Value::List(items), T::List(e)) => {
            Json::Array(items.iter().map(|x| to_wire(x, e)).collect())
        }
        (Value::List(items), T::Tuple(ts)) | (Value::Tuple(items), T::Tuple(ts)) => {
            Json::Array(items.iter().zip(ts).map(|(x, t)| to_wire(x, t)).collect())
        }
        (Value::Record(fields), T::Record(types)) => Json::Array(
            fields
                .iter()
                .zip(types)
                .map(|((_, x), (_, t))| to_wire(x, t))
                .collect(),
        ),
        (Value::Variant(case, p), T::Variant(cases)) => {
            let c = cases.iter().position(|(n, _)| n == case).unwrap_or(0);
            json!({"c": c, "v": inner(p, cases.get(c).and_then(|(_, t)| t.as_ref()))})
        }
        (Value::Enum(case), T::Enum(cases)) => {
            json!(cases.iter().position(|n| n == case).unwrap_or(0))
        }
        (Value::Option(None), _) => Json::Null,
        (Value::Option(Some(p)), T::Option(t)) => json!([to_wire(p, t)]),
        (Value::Result(Ok(p)), T::Result { ok, .. }) => json!({"ok": inner(p, ok.as_deref())}),
        (Value::Result(Err(p)), T::Result { err, .. }) => json!({"err": inner(p, err.as_deref())}),
        (Value::Flags(set), T::Flags(all)) => Json::Array(
            all.iter()
                .enumerate()
                .filter(|(_, n)| set.contains(n))
                .map(|(i, _)| json!(i))
                .collect(),
        ),
        _ => Json::Null,
    }
}

/// A value of type `t` from the wire form.
pub(super) fn from_wire(j: &Json, t: &ValueType) -> std::result::Result<Value, String> {
    use ValueType as T;
    let bad = || format!("`{j}`");
    let int = |j: &Json| j.as_i64().ok_or_else(bad);
    let text = |j: &Json| j.as_str().map(str::to_string).ok_or_else(bad);
    Ok(match t {
        T::Bool => Value::Bool(j.as_bool().ok_or_else(bad)?),
        T::S8 => Value::S8(i8::try_from(int(j)?).map_err(|_| bad())?),
        T::U8 => Value::U8(u8::try_from(int(j)?).map_err(|_| bad())?),
        T::S16 => Value::S16(i16::try_from(int(j)?).map_err(|_| bad())?),
        T::U16 => Value::U16(u16::try_from(int(j)?).map_err(|_| bad())?),
        T::S32 => Value::S32(i32::try_from(int(j)?).map_err(|_| bad())?),
        T::U32 => Value::U32(u32::try_from(int(j)?).map_err(|_| bad())?),
        T::S64 => Value::S64(text(j)?.parse().map_err(|_| bad())?),
        T::U64 => Value::U64(text(j)?.parse().map_err(|_| bad())?),
        T::F32 => Value::F32(f32::from_bits(u32::try_from(int(j)?).map_err(|_| bad())?)),
        T::F64 => Value::F64(f64::from_bits(text(j)?.parse().map_err(|_| bad())?)),
        T::Char => {
            let s = text(j)?;
            let mut cs = s.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => Value::Char(c),
                _ => return Err(bad()),
            }
        }
        T::String => Value::String(text(j)?),
        T::List(e) if **e == T::U8 => Value::Bytes(hex_decode(&text(j)?).ok_or_else(bad)?),
        T::List(e) => Value::List(
            j.as_array()
                .ok_or_else(bad)?
                .iter()
                .map(|x| from_wire(x, e))
                .collect::<std::result::Result<_, _>>()?,
        ),
        T::Tuple(ts) => {
            let items = j
                .as_array()
                .filter(|a| a.len() == ts.len())
                .ok_or_else(bad)?;
            Value::Tuple(
                items
                    .iter()
                    .zip(ts)
                    .map(|(x, t)| from_wire(x, t))
                    .collect::<std::result::Result<_, _>>()?,
            )
        }
        T::Record(fs) => {
            let items = j
                .as_array()
                .filter(|a| a.len() == fs.len())
                .ok_or_else(bad)?;
            Value::Record(
                items
                    .iter()
                    .zip(fs)
                    .map(|(x, (n, t))| Ok((n.clone(), from_wire(x, t)?)))
                    .collect::<std::result::Result<_, String>>()?,
            )
        }
        T::Variant(cs) => {
            let c = j["c"].as_u64().ok_or_else(bad)? as usize;
            let (name, pt) = cs.get(c).ok_or_else(bad)?;
            let payload = match pt {
                Some(pt) => Some(Box::new(from_wire(&j["v"], pt)?)),
                None => None,
            };
            Value::Variant(name.clone(), payload)
        }
        T::Enum(cs) => Value::Enum(
            cs.get(j.as_u64().ok_or_else(bad)? as usize)
                .ok_or_else(bad)?
                .clone(),
        ),
        T::Option(inner) => match j {
            Json::Null => Value::Option(None),
            Json::Array(a) if a.len() == 1 => {
                Value::Option(Some(Box::new(from_wire(&a[0], inner)?)))
            }
            _ => return Err(bad()),
        },
        T::Result { ok, err } => {
            let side = |p: &Json, t: &Option<Box<ValueType>>| -> std::result::Result<_, String> {
                Ok(match t {
                    Some(t) => Some(Box::new(from_wire(p, t)?)),
                    None => None,
                })
            };
            if let Some(p) = j.get("ok") {
                Value::Result(Ok(side(p, ok)?))
            } else if let Some(p) = j.get("err") {
                Value::Result(Err(side(p, err)?))
            } else {
                return Err(bad());
            }
        }
        T::Flags(cs) => Value::Flags(
            j.as_array()
                .ok_or_else(bad)?
                .iter()
                .map(|i| {
                    i.as_u64()
                        .and_then(|i| cs.get(i as usize))
                        .cloned()
                        .ok_or_else(bad)
                })
                .collect::<std::result::Result<_, _>>()?,
        ),
    })
}

pub(super) fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

pub(super) fn hex_decode(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let b = text.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    b.chunks(2)
        .map(|p| Some(digit(p[0])? << 4 | digit(p[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cross_the_wire_without_loss() {
        use ValueType as T;
        let cases = [
            (Value::U64(u64::MAX), T::U64),
            (Value::S64(i64::MIN), T::S64),
            (Value::F64(f64::from_bits(0x7ff8_0000_dead_beef)), T::F64),
            (Value::F32(-0.0), T::F32),
            (Value::Bytes(vec![0, 1, 254, 255]), T::List(Box::new(T::U8))),
            (Value::Char('\u{1F600}'), T::Char),
            (
                Value::Option(Some(Box::new(Value::Option(None)))),
                T::Option(Box::new(T::Option(Box::new(T::U32)))),
            ),
            (
                Value::Result(Err(Some(Box::new(Value::String("no".into()))))),
                T::Result {
                    ok: Some(Box::new(T::U32)),
                    err: Some(Box::new(T::String)),
                },
            ),
            (
                Value::Record(vec![
                    ("a-b".into(), Value::U8(7)),
                    ("c".into(), Value::Flags(vec!["y".into()])),
                ]),
                T::Record(vec![
                    ("a-b".into(), T::U8),
                    ("c".into(), T::Flags(vec!["x".into(), "y".into()])),
                ]),
            ),
            (
                Value::Variant("two".into(), Some(Box::new(Value::Enum("q".into())))),
                T::Variant(vec![
                    ("one".into(), None),
                    ("two".into(), Some(T::Enum(vec!["p".into(), "q".into()]))),
                ]),
            ),
        ];
        for (v, t) in cases {
            let w = to_wire(&v, &t);
            let back = from_wire(&w, &t).unwrap();
            assert!(back.same(&v), "{v:?} -> {w} -> {back:?}");
            if let (Value::F64(a), Value::F64(b)) = (&v, &back) {
                assert_eq!(a.to_bits(), b.to_bits(), "NaN payload kept on the wire");
            }
        }
        assert!(from_wire(&json!("x"), &T::U32).is_err());
        assert!(from_wire(&json!(300), &T::U8).is_err());
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(
            hex_decode(&hex_encode(&[0, 15, 16, 255])).unwrap(),
            [0, 15, 16, 255]
        );
        assert!(hex_decode("abc").is_none());
    }
}
