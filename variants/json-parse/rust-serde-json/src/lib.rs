//! json-parse through serde_json: `serde_json::from_slice::<serde_json::Value>` with the
//! crate's default features and options, and the value written in the canonical form of
//! SPEC.md.
//!
//! The wrapper adds no grammar of its own: every `Err` of `from_slice` (serde_json's one
//! error type, which covers syntax errors, invalid UTF-8, out-of-range numbers and its
//! recursion limit) is `none`; every `Ok` is written down. Anything else (an allocation
//! failure, a panic) aborts, which is a trap of the component.

use serde_json::{Number, Value};
use std::fmt::Write as _;

/// The library's verdict on `text`, in canonical form.
pub fn json_parse(text: &[u8]) -> Option<String> {
    // serde_json's entry point takes bytes: they are passed on unchanged.
    let value: Value = serde_json::from_slice(text).ok()?;
    let mut out = String::new();
    write_value(&value, &mut out);
    Some(out)
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_f64(number_to_f64(n), out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            // serde_json's default Map is a BTreeMap, ordered by the keys' UTF-8 bytes
            // (code points); the canonical order compares UTF-16 code units, which differs
            // for keys with characters above U+FFFF against U+E000..U+FFFF. Keys are
            // already unique: the map holds whichever value the library kept.
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push('{');
            for (i, (key, item)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_value(item, out);
            }
            out.push('}');
        }
    }
}

/// The library's number as an IEEE 754 double: serde_json (without
/// `arbitrary_precision`) holds a `u64`, an `i64` or an `f64`. Rust's integer-to-float
/// `as` conversion rounds to nearest, ties to even.
fn number_to_f64(n: &Number) -> f64 {
    if let Some(u) = n.as_u64() {
        u as f64
    } else if let Some(i) = n.as_i64() {
        i as f64
    } else {
        // Neither integer: the number holds an f64, and as_f64 returns it.
        n.as_f64()
            .expect("a serde_json number is a u64, an i64 or an f64")
    }
}

/// `0`, `-0`, `Infinity`, `-Infinity`, `NaN`, or `-` for a negative number, then the
/// shortest round-tripping significand in scientific notation (`1e0`, `1.235e2`,
/// `2.5e-8`, `5e-324`; no `+` sign, no leading zeros in the exponent).
fn write_f64(x: f64, out: &mut String) {
    if x.is_nan() {
        out.push_str("NaN");
    } else if x.is_infinite() {
        out.push_str(if x > 0.0 { "Infinity" } else { "-Infinity" });
    } else if x == 0.0 {
        out.push_str(if x.is_sign_negative() { "-0" } else { "0" });
    } else {
        if x < 0.0 {
            out.push('-');
        }
        let (digits, exp) = shortest_digits(x.abs());
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        write!(out, "e{exp}").expect("writing to a String cannot fail");
    }
}

/// The significand digits (first nonzero, no trailing zeros) and decimal exponent of
/// the shortest decimal that reads back as the positive finite `a`, the closest such,
/// and of two equally close ones the one whose last digit is even.
///
/// Rust's `{:e}` (core::fmt, flt2dec shortest mode: Grisu with a Dragon4 fallback)
/// gives the shortest and closest digits, but rounds an exact tie up: 0x42ee8a3825f23d64
/// is exactly 268631970648555.125, halfway between the 17-digit candidates
/// 2.6863197064855512e14 and 2.6863197064855513e14, and `{:e}` writes the odd one.
/// So a tie is detected exactly and resolved to even.
fn shortest_digits(a: f64) -> (String, i32) {
    let (digits, exp) = split_exp(&format!("{a:e}"));
    let n = digits.len();
    // A tie means `a` is exactly an (n+1)-digit decimal ending in 5, and then the
    // correctly rounded (n+1)-digit form (exact mode of `{:.Ne}`) is that decimal.
    let (probe, probe_exp) = split_exp(&format!("{a:.n$e}"));
    if !probe.ends_with('5') || !is_exactly(a, &probe, probe_exp) {
        return (digits, exp);
    }
    // The two candidates: the first n digits (lo), and lo plus one unit in the last place.
    let lo = &probe[..n];
    let (mut even, even_exp) = if (lo.as_bytes()[n - 1] - b'0').is_multiple_of(2) {
        (lo.to_string(), probe_exp)
    } else {
        increment(lo, probe_exp)
    };
    while even.len() > 1 && even.ends_with('0') {
        even.pop();
    }
    // Keep the even candidate only if it reads back as `a` (it always should: both
    // candidates are equally close, and the odd one does).
    let text = format!("{}.{}e{}", &even[..1], &even[1..], even_exp);
    match text.parse::<f64>() {
        Ok(back) if back == a => (even, even_exp),
        _ => (digits, exp),
    }
}

/// Whether the positive finite `a` equals the decimal `0.d₁d₂…dₖ × 10^(exp+1)` exactly,
/// for digits ending in 5 (so the integer D = d₁d₂…dₖ is odd) and k ≤ 18.
/// With a = m·2^e (m odd) and D·10^q = D·5^q·2^q, equality needs e = q and
/// m = D·5^q (q ≥ 0) or D = m·5^(−q) (q < 0).
fn is_exactly(a: f64, digits: &str, exp: i32) -> bool {
    let Ok(d) = digits.parse::<u128>() else {
        return false;
    };
    if digits.len() > 18 || d.is_multiple_of(2) {
        return false;
    }
    let q = exp - (digits.len() as i32 - 1);
    let bits = a.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    let (mut m, mut e) = if biased == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, biased - 1075)
    };
    let tz = m.trailing_zeros();
    m >>= tz;
    e += tz as i32;
    if e != q {
        return false;
    }
    let pow5 = |k: u32| 5u128.checked_pow(k);
    if q >= 0 {
        pow5(q as u32).and_then(|p| d.checked_mul(p)) == Some(m as u128)
    } else {
        pow5(q.unsigned_abs()).and_then(|p| (m as u128).checked_mul(p)) == Some(d)
    }
}

/// `d.ddd…e±X` as Rust writes it: the digits without the point, and the exponent.
fn split_exp(s: &str) -> (String, i32) {
    let (mantissa, exp) = s.split_once('e').expect("{:e} writes an exponent");
    let digits = mantissa.chars().filter(|c| *c != '.').collect();
    (digits, exp.parse().expect("{:e} writes a decimal exponent"))
}

/// The decimal significand `digits` (of exponent `exp`) plus one unit in its last place.
fn increment(digits: &str, exp: i32) -> (String, i32) {
    let mut bytes = digits.as_bytes().to_vec();
    for i in (0..bytes.len()).rev() {
        if bytes[i] == b'9' {
            bytes[i] = b'0';
        } else {
            bytes[i] += 1;
            return (String::from_utf8(bytes).expect("ASCII digits"), exp);
        }
    }
    // All nines: 99…9 + 1 = 100…0, one more in the exponent.
    bytes.insert(0, b'1');
    bytes.pop();
    (String::from_utf8(bytes).expect("ASCII digits"), exp + 1)
}

/// The string's UTF-16 code units: printable ASCII other than `"` and `\` as itself,
/// every other unit as `\u` and four lowercase hex digits.
fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for unit in s.encode_utf16() {
        if (0x20..=0x7e).contains(&unit) && unit != 0x22 && unit != 0x5c {
            out.push(unit as u8 as char);
        } else {
            write!(out, "\\u{unit:04x}").expect("writing to a String cannot fail");
        }
    }
    out.push('"');
}

#[cfg(target_arch = "wasm32")]
mod component {
    // The WIT is staged next to the sources by build.sh (copied from $NVX_WIT).
    wit_bindgen::generate!({
        path: "wit",
        world: "json-parse",
    });

    struct JsonParse;

    impl Guest for JsonParse {
        fn json_parse(text: Vec<u8>) -> Option<String> {
            super::json_parse(&text)
        }
    }

    export!(JsonParse);
}

#[cfg(test)]
mod tests;
