//! Component values and types as plain Rust data, independent of wasmtime.
//!
//! [`Value`] and [`ValueType`] mirror the component model's value types so that the
//! voter, the input generator, the shrinker and the journal never touch wasmtime.
//! They implement the `wasm-wave` traits, so WAVE text parses into and prints from them.

mod data;
mod wave;

pub use data::{Tolerance, Value, ValueType, conforms};
pub use wave::{WaveError, args_to_wave, clip_input, parse_args, parse_wave, type_list};

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
