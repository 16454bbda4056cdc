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

#[cfg(test)]
mod tests {
    use super::*;

    /// `v` converted to a `Val` and back as `ty`, checked to be the same value.
    fn round_trip(v: Value, ty: &ValueType) -> Value {
        let back = from_val(to_val(&v), ty);
        assert!(v.same(&back), "{v:?} came back as {back:?}");
        assert_eq!(format!("{v:?}"), format!("{back:?}"));
        back
    }

    #[test]
    fn scalars_round_trip_at_their_extremes() {
        use ValueType as T;
        round_trip(Value::Bool(true), &T::Bool);
        round_trip(Value::Bool(false), &T::Bool);
        for x in [i8::MIN, -1, 0, i8::MAX] {
            round_trip(Value::S8(x), &T::S8);
        }
        for x in [u8::MIN, u8::MAX] {
            round_trip(Value::U8(x), &T::U8);
        }
        for x in [i16::MIN, i16::MAX] {
            round_trip(Value::S16(x), &T::S16);
        }
        for x in [u16::MIN, u16::MAX] {
            round_trip(Value::U16(x), &T::U16);
        }
        for x in [i32::MIN, i32::MAX] {
            round_trip(Value::S32(x), &T::S32);
        }
        for x in [u32::MIN, u32::MAX] {
            round_trip(Value::U32(x), &T::U32);
        }
        for x in [i64::MIN, i64::MAX] {
            round_trip(Value::S64(x), &T::S64);
        }
        for x in [u64::MIN, u64::MAX] {
            round_trip(Value::U64(x), &T::U64);
        }
        for c in ['\0', 'a', 'é', '\u{10FFFF}', '🦀'] {
            round_trip(Value::Char(c), &T::Char);
        }
        for s in ["", "ascii", "grüße, 日本語, 🦀\u{0}"] {
            round_trip(Value::String(s.into()), &T::String);
        }
        assert!(matches!(to_val(&Value::S64(i64::MIN)), Val::S64(i64::MIN)));
        assert!(matches!(to_val(&Value::U16(u16::MAX)), Val::U16(u16::MAX)));
    }

    #[test]
    fn floats_keep_their_bits() {
        let f32s = [
            0.0f32,
            -0.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MIN_POSITIVE,
            f32::MAX,
            f32::from_bits(0x7fc0_0001),
            f32::from_bits(0xffa0_0000),
            f32::from_bits(1),
        ];
        for x in f32s {
            let Value::F32(back) = from_val(to_val(&Value::F32(x)), &ValueType::F32) else {
                panic!("not an f32");
            };
            assert_eq!(back.to_bits(), x.to_bits());
        }
        let f64s = [
            0.0f64,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::from_bits(0x7ff8_0000_0000_0001),
            f64::from_bits(0xfff4_0000_0000_0000),
            f64::from_bits(1),
        ];
        for x in f64s {
            let Val::Float64(v) = to_val(&Value::F64(x)) else {
                panic!("not a float64");
            };
            assert_eq!(v.to_bits(), x.to_bits());
            let Value::F64(back) = from_val(Val::Float64(v), &ValueType::F64) else {
                panic!("not an f64");
            };
            assert_eq!(back.to_bits(), x.to_bits());
        }
    }

    #[test]
    fn bytes_are_a_list_of_u8_both_ways() {
        let ty = ValueType::List(Box::new(ValueType::U8));
        let v = Value::Bytes(vec![0, 1, 255]);
        let Val::List(items) = to_val(&v) else {
            panic!("not a list");
        };
        assert!(matches!(
            items.as_slice(),
            [Val::U8(0), Val::U8(1), Val::U8(255)]
        ));
        round_trip(v, &ty);
        round_trip(Value::Bytes(Vec::new()), &ty);
        // A list of other numbers stays a list.
        let ty16 = ValueType::List(Box::new(ValueType::U16));
        let back = round_trip(
            Value::List(vec![Value::U16(7), Value::U16(u16::MAX)]),
            &ty16,
        );
        assert!(matches!(back, Value::List(l) if l.len() == 2));
    }

    #[test]
    fn compound_values_round_trip() {
        use ValueType as T;
        let bytes = T::List(Box::new(T::U8));
        let record = T::Record(vec![
            ("name".into(), T::String),
            ("data".into(), bytes.clone()),
            ("pair".into(), T::Tuple(vec![T::S8, T::F64])),
        ]);
        round_trip(
            Value::Record(vec![
                ("name".into(), Value::String("ü".into())),
                ("data".into(), Value::Bytes(vec![9, 8])),
                (
                    "pair".into(),
                    Value::Tuple(vec![Value::S8(-128), Value::F64(-0.0)]),
                ),
            ]),
            &record,
        );
        round_trip(Value::Tuple(Vec::new()), &T::Tuple(Vec::new()));
        let variant = T::Variant(vec![
            ("none".into(), None),
            ("blob".into(), Some(bytes.clone())),
            ("num".into(), Some(T::U64)),
        ]);
        round_trip(Value::Variant("none".into(), None), &variant);
        round_trip(
            Value::Variant("blob".into(), Some(Box::new(Value::Bytes(vec![1])))),
            &variant,
        );
        round_trip(
            Value::Variant("num".into(), Some(Box::new(Value::U64(u64::MAX)))),
            &variant,
        );
        let en = T::Enum(vec!["red".into(), "green".into()]);
        round_trip(Value::Enum("green".into()), &en);
        let opt = T::Option(Box::new(bytes.clone()));
        round_trip(Value::Option(None), &opt);
        round_trip(Value::Option(Some(Box::new(Value::Bytes(vec![3])))), &opt);
        let res = T::Result {
            ok: Some(Box::new(T::String)),
            err: Some(Box::new(bytes.clone())),
        };
        round_trip(
            Value::Result(Ok(Some(Box::new(Value::String("ok".into()))))),
            &res,
        );
        round_trip(
            Value::Result(Err(Some(Box::new(Value::Bytes(vec![4]))))),
            &res,
        );
        let bare = T::Result {
            ok: None,
            err: None,
        };
        round_trip(Value::Result(Ok(None)), &bare);
        round_trip(Value::Result(Err(None)), &bare);
        let flags = T::Flags(vec!["a".into(), "b".into(), "c".into()]);
        round_trip(Value::Flags(vec!["a".into(), "c".into()]), &flags);
        round_trip(Value::Flags(Vec::new()), &flags);
        let nested = T::List(Box::new(T::Option(Box::new(T::List(Box::new(T::U8))))));
        round_trip(
            Value::List(vec![
                Value::Option(Some(Box::new(Value::Bytes(vec![0xff])))),
                Value::Option(None),
            ]),
            &nested,
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_comes_back_marked_unsupported() {
        let back = from_val(Val::List(vec![Val::U8(1)]), &ValueType::Bool);
        assert!(
            matches!(&back, Value::String(s) if s == "<unsupported value List([U8(1)])>"),
            "{back:?}"
        );
        // A non-u8 element of a list<u8> becomes 0.
        let back = from_val(
            Val::List(vec![Val::U8(5), Val::S32(6)]),
            &ValueType::List(Box::new(ValueType::U8)),
        );
        assert!(matches!(back, Value::Bytes(b) if b == [5, 0]));
        // A variant case the type does not name keeps no payload.
        let back = from_val(
            Val::Variant("x".into(), Some(Box::new(Val::U8(1)))),
            &ValueType::Variant(vec![("y".into(), Some(ValueType::U8))]),
        );
        assert!(matches!(back, Value::Variant(c, None) if c == "x"));
    }

    /// The type of export `f` of a component built from `wit`, a world exporting
    /// `f`.
    fn export_type(wit: &str) -> wasmtime::component::types::ComponentFunc {
        let mut resolve = wit_parser::Resolve::default();
        let pkg = resolve.push_str("t.wit", wit).expect("wit");
        let world = resolve.select_world(&[pkg], None).expect("world");
        let mut module =
            wit_component::dummy_module(&resolve, world, wit_parser::ManglingAndAbi::Standard32);
        wit_component::embed_component_metadata(
            &mut module,
            &resolve,
            world,
            wit_component::StringEncoding::UTF8,
        )
        .expect("embed");
        let bytes = wit_component::ComponentEncoder::default()
            .module(&module)
            .expect("module")
            .encode()
            .expect("component");
        let engine = wasmtime::Engine::default();
        let component = wasmtime::component::Component::new(&engine, &bytes).expect("compile");
        match component
            .component_type()
            .get_export(&engine, "f")
            .map(|e| e.ty)
        {
            Some(wasmtime::component::types::ComponentItem::ComponentFunc(f)) => f,
            other => panic!("no function f: {other:?}"),
        }
    }

    #[test]
    fn value_type_reads_component_types() {
        use ValueType as T;
        let f = export_type(
            r#"package t:t;
            world w {
              record point { x: s16, label: string }
              variant shape { none, circle(f32), blob(list<u8>) }
              enum color { red, green }
              flags perms { read, write }
              export f: func(
                a: bool, b: s8, c: u8, d: u16, e: s32, g: u32, h: s64, i: u64,
                j: f32, k: f64, l: char, m: string, n: list<u8>, o: point,
                p: tuple<u8, string>, q: shape, r: color, s: option<u64>,
                t: result<string, u8>, u: result, v: perms, w: list<list<s8>>,
              ) -> result<_, string>;
            }"#,
        );
        let params: Vec<(String, Option<ValueType>)> = f
            .params()
            .map(|(n, t)| (n.to_string(), value_type(&t)))
            .collect();
        let want = [
            ("a", T::Bool),
            ("b", T::S8),
            ("c", T::U8),
            ("d", T::U16),
            ("e", T::S32),
            ("g", T::U32),
            ("h", T::S64),
            ("i", T::U64),
            ("j", T::F32),
            ("k", T::F64),
            ("l", T::Char),
            ("m", T::String),
            ("n", T::List(Box::new(T::U8))),
            (
                "o",
                T::Record(vec![("x".into(), T::S16), ("label".into(), T::String)]),
            ),
            ("p", T::Tuple(vec![T::U8, T::String])),
            (
                "q",
                T::Variant(vec![
                    ("none".into(), None),
                    ("circle".into(), Some(T::F32)),
                    ("blob".into(), Some(T::List(Box::new(T::U8)))),
                ]),
            ),
            ("r", T::Enum(vec!["red".into(), "green".into()])),
            ("s", T::Option(Box::new(T::U64))),
            (
                "t",
                T::Result {
                    ok: Some(Box::new(T::String)),
                    err: Some(Box::new(T::U8)),
                },
            ),
            (
                "u",
                T::Result {
                    ok: None,
                    err: None,
                },
            ),
            ("v", T::Flags(vec!["read".into(), "write".into()])),
            ("w", T::List(Box::new(T::List(Box::new(T::S8))))),
        ];
        let want: Vec<(String, Option<ValueType>)> = want
            .into_iter()
            .map(|(n, t)| (n.to_string(), Some(t)))
            .collect();
        assert_eq!(params, want);
        let results: Vec<Option<ValueType>> = f.results().map(|t| value_type(&t)).collect();
        assert_eq!(
            results,
            [Some(T::Result {
                ok: None,
                err: Some(Box::new(T::String)),
            })]
        );
    }

    #[test]
    fn value_type_refuses_resources() {
        let f = export_type(
            r#"package t:t;
            interface i { resource r; }
            world w {
              use i.{r};
              export f: func(x: borrow<r>, y: option<own<r>>, z: u8);
            }"#,
        );
        let got: Vec<Option<ValueType>> = f.params().map(|(_, t)| value_type(&t)).collect();
        assert_eq!(got, [None, None, Some(ValueType::U8)]);
    }
}
