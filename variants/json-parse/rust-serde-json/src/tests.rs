use super::json_parse;

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn spec_vectors() {
    let cases: &[(&[u8], Option<&str>)] = &[
        (b"null", Some("null")),
        (b"true", Some("true")),
        (b" [ ] ", Some("[]")),
        (b"{}", Some("{}")),
        (b"0", Some("0")),
        (b"-0.0", Some("-0")),
        (b"1", Some("1e0")),
        (b"-12.5e3", Some("-1.25e4")),
        (b"0.1", Some("1e-1")),
        // serde_json (no arbitrary_precision) rejects an overflowing literal.
        (b"1E400", None),
        (br#""a\"b""#, Some(r#""a\u0022b""#)),
        (br#""\u00E9""#, Some(r#""\u00e9""#)),
        (
            br#"{"b":1,"a":[true,false]}"#,
            Some(r#"{"a":[true,false],"b":1e0}"#),
        ),
        (b"[1,]", None),
        (br#"{"a" 1}"#, None),
        (b"01", None),
        (b"", None),
        // The SPEC's worked example.
        (
            br#"{"b": [1, 2.50, "x"], "a": null}"#,
            Some(r#"{"a":null,"b":[1e0,2.5e0,"x"]}"#),
        ),
    ];
    for (text, want) in cases {
        assert_eq!(
            json_parse(text),
            want.map(str::to_string),
            "input {:?}",
            String::from_utf8_lossy(text)
        );
    }
}

#[test]
fn canonical_numbers() {
    for (text, want) in [
        ("100", "1e2"),
        ("123.5", "1.235e2"),
        ("0.001", "1e-3"),
        ("-2.5e-8", "-2.5e-8"),
        ("9007199254740992", "9.007199254740992e15"),
        ("5e-324", "5e-324"),
        ("-0", "-0"),
        ("0.0", "0"),
        ("0e10", "0"),
        ("-0e-10", "-0"),
        ("1.7976931348623157e308", "1.7976931348623157e308"),
        // u64::MAX and i64::MIN round to the nearest double.
        ("18446744073709551615", "1.8446744073709552e19"),
        ("-9223372036854775808", "-9.223372036854776e18"),
        // 2^53 + 1 ties to even (2^53), 2^53 + 3 ties to even (2^53 + 4).
        ("9007199254740993", "9.007199254740992e15"),
        ("9007199254740995", "9.007199254740996e15"),
        // Beyond u64 the literal is read as an f64.
        ("18446744073709551616", "1.8446744073709552e19"),
        ("1e-400", "0"),
        ("-1e-400", "-0"),
    ] {
        assert_eq!(json_parse(text.as_bytes()), some(want), "input {text}");
    }
}

#[test]
fn canonical_strings() {
    for (text, want) in [
        (r#""\n\t\\\/ ~""#, r#""\u000a\u0009\u005c/ ~""#),
        ("\"\u{7f}\u{e9}\u{1f600}\"", r#""\u007f\u00e9\ud83d\ude00""#),
        (r#""\uD83D\uDE00""#, r#""\ud83d\ude00""#),
        (r#""\u0000""#, r#""\u0000""#),
    ] {
        assert_eq!(json_parse(text.as_bytes()), some(want), "input {text}");
    }
}

#[test]
fn object_order_is_utf16() {
    // U+1F600 (UTF-16 D83D DE00) sorts before U+FF61 in UTF-16, after it in UTF-8.
    let text = "{\"\u{ff61}\":1,\"\u{1f600}\":2,\"a\":3,\"\":4}";
    assert_eq!(
        json_parse(text.as_bytes()),
        some(r#"{"":4e0,"a":3e0,"\ud83d\ude00":2e0,"\uff61":1e0}"#)
    );
}

#[test]
fn ties_go_to_the_even_significand() {
    // Doubles exactly halfway between two shortest candidates (Rust's `{:e}` writes the
    // odd one); the expected strings are Python's repr (David Gay's dtoa, mode 0).
    for (bits, want) in [
        (0x42ee8a3825f23d64u64, "2.6863197064855512e14"), // 268631970648555.125
        (0x431d7c177135f22d, "2.0748036125154672e15"),    // 2074803612515467.25
        (0x430c0e31b55ad50e, "9.871132508392018e14"),     // 987113250839201.75
        (0x4236d4b7b06ed400, "9.805808855882812e10"),     // 98058088558.828125
        (0x427fb2903685a580, "2.1782365082503438e12"),    // 2178236508250.34375
    ] {
        let mut out = String::new();
        super::write_f64(f64::from_bits(bits), &mut out);
        assert_eq!(out, want, "{bits:016x}");
        out.clear();
        super::write_f64(-f64::from_bits(bits), &mut out);
        assert_eq!(out, format!("-{want}"), "-{bits:016x}");
    }
    // Not ties: the shortest form as it is.
    for (x, want) in [
        (0.5, "5e-1"),
        (0.125, "1.25e-1"),
        (2.5, "2.5e0"),
        (1e22, "1e22"),
        (f64::MAX, "1.7976931348623157e308"),
        (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
    ] {
        let mut out = String::new();
        super::write_f64(x, &mut out);
        assert_eq!(out, want);
    }
}

#[test]
fn non_finite_doubles() {
    // serde_json never yields these from text, but the writer covers them.
    for (x, want) in [
        (f64::INFINITY, "Infinity"),
        (f64::NEG_INFINITY, "-Infinity"),
        (f64::NAN, "NaN"),
    ] {
        let mut out = String::new();
        super::write_f64(x, &mut out);
        assert_eq!(out, want);
    }
}

/// What serde_json 1.0.154 (default features) makes of the minefield: pinned, so that a
/// library update that changes a verdict shows up here first.
#[test]
fn library_behaviour() {
    let deep = |n: usize| [b"[".repeat(n), b"]".repeat(n)].concat();
    let deep127 = String::from_utf8(deep(127)).unwrap();
    let cases: Vec<(Vec<u8>, Option<&str>)> = vec![
        // Best-effort float parsing (no `float_roundtrip`): not always correctly rounded.
        (b"7.068e-175".to_vec(), Some("7.067999999999999e-175")),
        (b"2.4703282292062328e-324".to_vec(), Some("0")), // correctly rounded: 5e-324
        (b"1.7976931348623158e308".to_vec(), None),       // correctly rounded: f64::MAX
        (b"9007199254740993.0".to_vec(), Some("9.007199254740994e15")), // correct: ...992
        (b"9007199254740993".to_vec(), Some("9.007199254740992e15")), // u64, then `as f64`
        // Overflow is an error, underflow is zero.
        (b"1e400".to_vec(), None),
        (b"-1e-400".to_vec(), Some("-0")),
        // Strings: UTF-8 checked, lone surrogates rejected, no BOM.
        (b"\"\\ud800\"".to_vec(), None),
        (b"\"\\udc00\"".to_vec(), None),
        (b"\"\xff\"".to_vec(), None),
        (b"\"\xed\xa0\x80\"".to_vec(), None),
        (b"\xef\xbb\xbf{}".to_vec(), None),
        (b"\"a\x00b\"".to_vec(), None),
        (b"\"\x7f\"".to_vec(), Some(r#""\u007f""#)),
        // Duplicate keys: the last one wins.
        (
            br#"{"a":1,"b":2,"a":3}"#.to_vec(),
            Some(r#"{"a":3e0,"b":2e0}"#),
        ),
        // Recursion limit 128: 127 nested arrays parse, 128 do not.
        (deep(127), Some(deep127.as_str())),
        (deep(128), None),
        (b"[".repeat(100_000), None),
        // Whitespace is exactly RFC 8259's four characters.
        (b"\t\n\r 1 ".to_vec(), Some("1e0")),
        (b"\x0c1".to_vec(), None),
    ];
    for (text, want) in cases {
        assert_eq!(
            json_parse(&text),
            want.map(str::to_string),
            "input {:?}",
            String::from_utf8_lossy(&text)
        );
    }
}
