//! The shipped ensembles under wasm-modules/: every test vector of
//! variants/<fn>/SPEC.md through `nvx call`, unanimous and exact; `nvx list`
//! shows independent variants.

use std::collections::BTreeSet;

use nvx::{Ensemble, Value};

use crate::support::*;

/// `nvx call` that must be unanimous; returns the verdict text.
#[track_caller]
fn agreed(ensemble: &str, func: &str, args: &[&str]) -> String {
    let (run, doc) = call(ensemble, func, args);
    run.expect(AGREED);
    assert!(strings(&doc["dissenters"]).is_empty(), "{doc:#}");
    verdict(&doc).to_string()
}

#[test]
fn crc32_spec_vectors() {
    let all: Vec<u8> = (0..=255).collect();
    let vectors: &[(&[u8], u32)] = &[
        (b"", 0x0000_0000),
        (b"a", 0xE8B7_BE43),
        (b"123456789", 0xCBF4_3926),
        (b"The quick brown fox jumps over the lazy dog", 0x414F_A339),
        (&all, 0x2905_8C73),
        (&[0x00; 32], 0x190A_55AD),
        (&[0xFF; 32], 0xFF6C_AB0B),
    ];
    for (data, crc) in vectors {
        let got = agreed("wasm-modules/crc32", "crc32", &[&wave_bytes(data)]);
        assert_eq!(got, crc.to_string(), "crc32 of {data:?}");
    }
}

#[test]
fn sha256_spec_vectors() {
    let vectors: &[(Vec<u8>, &str)] = &[
        (
            b"".to_vec(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (
            b"abc".to_vec(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".to_vec(),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
        (
            vec![b'a'; 55],
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
        ),
        (
            vec![b'a'; 56],
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
        ),
        (
            vec![b'a'; 64],
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
        ),
    ];
    for (data, digest) in vectors {
        let got = agreed("wasm-modules/sha256", "sha256", &[&wave_bytes(data)]);
        assert_eq!(
            hex(&parse_wave_bytes(&got)),
            *digest,
            "sha256 of {} bytes",
            data.len()
        );
    }
}

/// 1 000 000 × "a" is too long for a command line (4 MB of WAVE), so it goes
/// through the library API the CLI is built on.
#[test]
fn sha256_million_a_through_the_library() {
    let ens = Ensemble::open(format!("{ROOT}/wasm-modules/sha256")).expect("open sha256");
    let v = ens
        .call("sha256", &[Value::Bytes(vec![b'a'; 1_000_000])])
        .expect("call sha256");
    assert!(v.unanimous(), "{}", v.summary());
    let Value::Bytes(digest) = v.value().expect("a verdict") else {
        panic!("sha256 returned {:?}", v.value());
    };
    assert_eq!(
        hex(digest),
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    );
}

#[test]
fn civil_days_spec_vectors() {
    let vectors: &[(i32, u8, u8, Option<i64>)] = &[
        (1970, 1, 1, Some(0)),
        (1969, 12, 31, Some(-1)),
        (2000, 2, 29, Some(11016)),
        (2000, 3, 1, Some(11017)),
        (1900, 3, 1, Some(-25508)),
        (2024, 2, 29, Some(19782)),
        (2038, 1, 19, Some(24855)),
        (1, 1, 1, Some(-719162)),
        (0, 1, 1, Some(-719528)),
        (0, 2, 29, Some(-719469)),
        (-1, 12, 31, Some(-719529)),
        (-4, 2, 29, Some(-720930)),
        (-100, 3, 1, Some(-755993)),
        (-400, 2, 29, Some(-865566)),
        (9999, 12, 31, Some(2932896)),
        (1000000, 12, 31, Some(364523337)),
        (-1000000, 1, 1, Some(-365962028)),
        (1900, 2, 29, None),
        (-100, 2, 29, None),
        (2023, 2, 29, None),
        (2024, 4, 31, None),
        (2024, 0, 1, None),
        (2024, 13, 1, None),
        (2024, 1, 0, None),
        (1000001, 1, 1, None),
        (-1000001, 12, 31, None),
    ];
    for (y, m, d, days) in vectors {
        let got = agreed(
            "wasm-modules/civil-days",
            "days-from-civil",
            &[&y.to_string(), &m.to_string(), &d.to_string()],
        );
        let expected = days.map_or("none".to_string(), |n| format!("some({n})"));
        assert_eq!(got, expected, "days-from-civil({y}, {m}, {d})");
    }
}

#[test]
fn parse_f64_spec_vectors() {
    let long_one = format!("1{}e-400", "0".repeat(400));
    let long_frac = format!("0.{}1e501", "0".repeat(500));
    // (text, result bits or none)
    let vectors: Vec<(&str, Option<u64>)> = vec![
        ("0", Some(0x0000000000000000)),
        ("-0", Some(0x8000000000000000)),
        ("+1", Some(0x3FF0000000000000)),
        ("1.", Some(0x3FF0000000000000)),
        (".5", Some(0x3FE0000000000000)),
        ("-.5e-3", Some(0xBF40624DD2F1A9FC)),
        ("0.1", Some(0x3FB999999999999A)),
        ("1e23", Some(0x44B52D02C7E14AF6)),
        ("9007199254740993", Some(0x4340000000000000)),
        ("9007199254740995", Some(0x4340000000000002)),
        ("123456789012345678901234567890", Some(0x45F8EE90FF6C373E)),
        (
            "3.14159265358979323846264338327950288",
            Some(0x400921FB54442D18),
        ),
        ("1.7976931348623157e308", Some(0x7FEFFFFFFFFFFFFF)),
        ("1.7976931348623158e308", Some(0x7FEFFFFFFFFFFFFF)),
        ("1.7976931348623159e308", Some(0x7FF0000000000000)),
        ("-1e400", Some(0xFFF0000000000000)),
        ("1e99999999999999999999", Some(0x7FF0000000000000)),
        ("0e99999999999999999", Some(0x0000000000000000)),
        ("1e-400", Some(0x0000000000000000)),
        ("-1e-400", Some(0x8000000000000000)),
        ("4.9406564584124654e-324", Some(0x0000000000000001)),
        ("2.4703282292062327e-324", Some(0x0000000000000000)),
        ("2.4703282292062328e-324", Some(0x0000000000000001)),
        ("2.2250738585072011e-308", Some(0x000FFFFFFFFFFFFF)),
        ("2.2250738585072014e-308", Some(0x0010000000000000)),
        ("7.038531e-26", Some(0x3AB5C87FB0000000)),
        (&long_one, Some(0x3FF0000000000000)),
        (&long_frac, Some(0x3FF0000000000000)),
        ("00000.000001E6", Some(0x3FF0000000000000)),
        (".", None),
        ("e5", None),
        ("1e", None),
        ("1e+", None),
        ("+", None),
        ("--1", None),
        ("1.2.3", None),
        ("inf", None),
        ("nan", None),
        (" 1", None),
        ("1 ", None),
        ("0x10", None),
        ("1_000", None),
        ("", None),
    ];
    for (text, bits) in vectors {
        let got = agreed("wasm-modules/parse-f64", "parse-f64", &[&wave_string(text)]);
        match bits {
            None => assert_eq!(got, "none", "parse-f64({text:?})"),
            Some(bits) => {
                let inner = got
                    .strip_prefix("some(")
                    .and_then(|g| g.strip_suffix(')'))
                    .unwrap_or_else(|| panic!("parse-f64({text:?}) = {got}, expected some(..)"));
                assert_eq!(
                    parse_wave_f64(inner).to_bits(),
                    bits,
                    "parse-f64({text:?}) = {got}, expected bits {bits:#018x}"
                );
            }
        }
    }
}

#[test]
fn parse_ipv4_spec_vectors() {
    let vectors: &[(&str, Option<u32>)] = &[
        ("0.0.0.0", Some(0)),
        ("1.2.3.4", Some(16909060)),
        ("127.0.0.1", Some(2130706433)),
        ("192.168.1.255", Some(3232236031)),
        ("255.255.255.255", Some(4294967295)),
        ("10.0.0.10", Some(167772170)),
        ("01.2.3.4", None),
        ("1.2.3.00", None),
        ("256.1.1.1", None),
        ("1.2.3.1000", None),
        ("1.2.3", None),
        ("1.2.3.4.5", None),
        ("1.2.3.", None),
        (".1.2.3", None),
        ("1..2.3", None),
        ("127.1", None),
        ("+1.2.3.4", None),
        (" 1.2.3.4", None),
        ("1.2.3.4 ", None),
        ("0x7f.0.0.1", None),
        ("1.2.3.4:80", None),
        ("\u{661}.2.3.4", None),
        ("", None),
    ];
    for (text, addr) in vectors {
        let got = agreed(
            "wasm-modules/parse-ipv4",
            "parse-ipv4",
            &[&wave_string(text)],
        );
        let expected = addr.map_or("none".to_string(), |a| format!("some({a})"));
        assert_eq!(got, expected, "parse-ipv4({text:?})");
    }
}

#[test]
fn haversine_spec_vectors() {
    const HALF_TURN: f64 = 20015114.442035925;
    // (lat1, lon1, lat2, lon2, metres); NaN expects NaN, 0 expects within 1 µm.
    let vectors: &[([&str; 4], f64)] = &[
        (["0", "0", "0", "0"], 0.0),
        (["10", "20", "10", "20"], 0.0),
        (["0", "0", "0", "1"], 111195.0802335329),
        (["0", "0", "0", "180"], HALF_TURN),
        (["90", "0", "-90", "0"], HALF_TURN),
        (
            ["51.5007", "-0.1246", "40.6892", "-74.0445"],
            5574848.157146156,
        ),
        (
            ["48.8566", "2.3522", "35.6762", "139.6503"],
            9711738.233019397,
        ),
        (
            ["-33.8688", "151.2093", "34.0522", "-118.2437"],
            12073523.405875808,
        ),
        (["0", "-180", "0", "180"], 0.0),
        (["nan", "0", "0", "0"], f64::NAN),
        (["0", "0", "inf", "0"], f64::NAN),
        (["90.000001", "0", "0", "0"], f64::NAN),
        (["0", "360.5", "0", "0"], f64::NAN),
        (["-90", "-360", "90", "360"], HALF_TURN),
    ];
    for (args, metres) in vectors {
        let got = parse_wave_f64(&agreed("wasm-modules/haversine", "haversine", args));
        if metres.is_nan() {
            assert!(got.is_nan(), "haversine{args:?} = {got}, expected NaN");
        } else if *metres == 0.0 {
            assert!(
                got.abs() <= 1e-6,
                "haversine{args:?} = {got}, expected 0 (within 1 µm)"
            );
        } else {
            let rel = ((got - metres) / metres).abs();
            assert!(
                rel <= 1e-9,
                "haversine{args:?} = {got}, expected {metres} (rel {rel:e})"
            );
        }
    }
}

#[test]
fn ed25519_verify_spec_vectors() {
    let key1 = unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    let sig1 = unhex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    );
    let key2 = unhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
    let sig2 = unhex(
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    );
    let mut bad_sig = sig1.clone();
    bad_sig[0] = 0xe4;
    // RFC 8032, section 7.1, TEST 1 and TEST 2, and the negatives of SPEC.md.
    // (public key, message, signature, verdict)
    type Vector<'a> = (&'a [u8], &'a [u8], &'a [u8], &'a str);
    let vectors: &[Vector] = &[
        (&key1, b"", &sig1, "true"),
        (&key1, &[0x00], &sig1, "false"),
        (&key1, b"", &bad_sig, "false"),
        (&key1[..31], b"", &sig1, "false"),
        (&key1, b"", &sig1[..63], "false"),
        (&key2, &[0x72], &sig2, "true"),
    ];
    for (key, msg, sig, want) in vectors {
        let got = agreed(
            "wasm-modules/ed25519-verify",
            "ed25519-verify",
            &[&wave_bytes(key), &wave_bytes(msg), &wave_bytes(sig)],
        );
        assert_eq!(got, *want, "key {key:?}, message {msg:?}");
    }
}

#[test]
fn json_parse_spec_vectors() {
    // SPEC.md's test vectors on which every RFC 8259 parser agrees, with the
    // verdict as WAVE (`some("…")` holds the canonical form).
    let vectors: &[(&str, &str)] = &[
        ("null", r#"some("null")"#),
        ("true", r#"some("true")"#),
        (" [ ] ", r#"some("[]")"#),
        ("{}", r#"some("{}")"#),
        ("0", r#"some("0")"#),
        ("-0.0", r#"some("-0")"#),
        ("1", r#"some("1e0")"#),
        ("-12.5e3", r#"some("-1.25e4")"#),
        ("0.1", r#"some("1e-1")"#),
        (r#""a\"b""#, r#"some("\"a\\u0022b\"")"#),
        (r#""\u00E9""#, r#"some("\"\\u00e9\"")"#),
        (
            r#"{"b":1,"a":[true,false]}"#,
            r#"some("{\"a\":[true,false],\"b\":1e0}")"#,
        ),
        ("[1,]", "none"),
        (r#"{"a" 1}"#, "none"),
        ("01", "none"),
        ("", "none"),
    ];
    for (text, want) in vectors {
        let got = agreed(
            "wasm-modules/json-parse",
            "json-parse",
            &[&wave_bytes(text.as_bytes())],
        );
        assert_eq!(got, *want, "json-parse of {text:?}");
    }
    // `1E400`: rejected, or read as infinity, by library; never anything else.
    let (run, doc) = call(
        "wasm-modules/json-parse",
        "json-parse",
        &[&wave_bytes(b"1E400")],
    );
    assert!(run.ran());
    for v in variants(&doc) {
        let value = v["value"].as_str().unwrap_or_default();
        assert!(
            value == "none" || value == r#"some("Infinity")"#,
            "{}: {value}",
            v["name"]
        );
    }
}

#[test]
fn secp256k1_verify_spec_vectors() {
    let gc = unhex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
    let gu = unhex(
        "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
    );
    let e = unhex("53de527c5e297645f24448bb13ee04deef0f90ba070141c1ddbf7cea70c96e28");
    let sig = unhex(
        "3045022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee502200cf16908500b79d99144c494d4d740dc486c210f7253ef16e4cc940b7e81e5e6",
    );
    let mut e1 = e.clone();
    e1[31] = 0x29;
    let mut bad_sig = sig.clone();
    *bad_sig.last_mut().unwrap() = 0xe7;
    let mut gc04 = gc.clone();
    gc04[0] = 0x04;
    // SPEC.md's table: (public key, hash, signature, verdict).
    type Vector<'a> = (&'a [u8], &'a [u8], &'a [u8], &'a str);
    let vectors: &[Vector] = &[
        (&gc, &e, &sig, "true"),
        (&gu, &e, &sig, "true"),
        (&gc, &e1, &sig, "false"),
        (&gc, &e[..31], &sig, "false"),
        (&gc, &e, &bad_sig, "false"),
        (&gc, &e, &[], "false"),
        (&gc04, &e, &sig, "false"),
    ];
    for (key, hash, sig, want) in vectors {
        let got = agreed(
            "wasm-modules/secp256k1-verify",
            "secp256k1-verify",
            &[&wave_bytes(key), &wave_bytes(hash), &wave_bytes(sig)],
        );
        assert_eq!(got, *want, "key {key:?}, hash {hash:?}");
    }
}

#[test]
fn list_shows_independent_variants() {
    for (name, signature) in [
        ("crc32", "func(data: list<u8>) -> u32"),
        ("sha256", "func(data: list<u8>) -> list<u8>"),
        (
            "civil-days",
            "func(year: s32, month: u8, day: u8) -> option<s64>",
        ),
        ("parse-f64", "func(text: string) -> option<f64>"),
        ("parse-ipv4", "func(text: string) -> option<u32>"),
        ("json-parse", "func(text: list<u8>) -> option<string>"),
        (
            "secp256k1-verify",
            "func(public-key: list<u8>, msg-hash: list<u8>, signature: list<u8>) -> bool",
        ),
        (
            "ed25519-verify",
            "func(public-key: list<u8>, message: list<u8>, signature: list<u8>) -> bool",
        ),
        (
            "haversine",
            "func(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64",
        ),
    ] {
        let dir = format!("wasm-modules/{name}");
        let run = nvx(["list", "--json", &dir]);
        run.expect(AGREED);
        let doc = run.json();
        assert_eq!(doc["schema"], 1, "{doc:#}");
        assert_eq!(doc["name"], name);
        assert_eq!(doc["functions"][0]["signature"], signature, "{doc:#}");
        let vs = variants(&doc);
        let langs: BTreeSet<&str> = vs.iter().map(|v| v["language"].as_str().unwrap()).collect();
        assert!(vs.len() >= 3, "{name}: only {} variants", vs.len());
        assert!(langs.len() >= 3, "{name}: only languages {langs:?}");
        for v in vs {
            assert_eq!(v["sha256"].as_str().map(str::len), Some(64), "{v}");
        }
        // The text form names every variant and the signature too.
        let text = nvx(["list", &dir]);
        text.expect(AGREED);
        assert!(text.stdout.contains(signature), "{}", text.stdout);
        for v in vs {
            let n = v["name"].as_str().unwrap();
            assert!(text.stdout.contains(n), "`{n}` missing:\n{}", text.stdout);
        }
    }
}
