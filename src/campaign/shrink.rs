//! Greedy, type-directed shrinking of an argument tuple that shows a divergence: smaller
//! candidates are tried first, and one is kept only when the caller's predicate still holds,
//! until a whole pass makes no progress or the call budget is spent.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::generate::{int_of, make_int};
use crate::value::{Value, ValueType};

/// Shrinks `args` (of types `params`) to the smallest tuple found for which `keeps` still
/// returns `Some(true)`, calling `keeps` at most `budget` times; returns that tuple and the
/// number of calls made. `keeps` returns `None` to stop at once (its time is up): the
/// smallest tuple found so far is returned.
///
/// `keeps(args)` is assumed to be true and is not re-checked. Every accepted candidate is
/// strictly smaller than the one before it (by total size, then by the sum of magnitudes), so
/// shrinking ends even without a budget. Candidates are built from the types, so the result
/// has the same types as `args`; a candidate already rejected is never offered twice.
pub fn shrink(
    args: &[Value],
    params: &[ValueType],
    budget: usize,
    mut keeps: impl FnMut(&[Value]) -> Option<bool>,
) -> (Vec<Value>, usize) {
    let ty = ValueType::Tuple(params.to_vec());
    let mut cur = Value::Tuple(args.to_vec());
    let mut calls = 0usize;
    let mut rejected: HashSet<u128> = HashSet::new();
    {
        let mut test = |v: &Value| -> Result<bool, Spent> {
            let Value::Tuple(items) = v else {
                return Ok(false);
            };
            let key = fingerprint(v);
            if rejected.contains(&key) {
                return Ok(false);
            }
            if calls >= budget {
                return Err(Spent);
            }
            calls = calls.saturating_add(1);
            let Some(kept) = keeps(items) else {
                return Err(Spent);
            };
            if !kept {
                rejected.insert(key);
            }
            Ok(kept)
        };
        while let Ok(true) = shrink_value(&mut cur, &ty, &mut test) {}
    }
    match cur {
        Value::Tuple(items) => (items, calls),
        _ => (args.to_vec(), calls),
    }
}

/// A 128-bit fingerprint of a value's WAVE text, to remember rejected candidates cheaply.
fn fingerprint(v: &Value) -> u128 {
    let text = v.to_wave();
    let half = |salt: u8| {
        // `DefaultHasher::new` uses fixed keys, so equal texts always agree.
        let mut h = DefaultHasher::new();
        salt.hash(&mut h);
        text.hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// The call budget ran out.
struct Spent;

/// Tries a candidate for the whole tuple: `Ok(true)` when the predicate still holds.
type Test<'t> = dyn FnMut(&Value) -> Result<bool, Spent> + 't;

/// One shrinking pass over `cur` (of type `ty`) and everything inside it; true if it got smaller.
fn shrink_value(cur: &mut Value, ty: &ValueType, test: &mut Test<'_>) -> Result<bool, Spent> {
    use ValueType as T;
    match ty {
        T::Bool => attempt(cur, Value::Bool(false), ty, test),
        T::S8 | T::U8 | T::S16 | T::U16 | T::S32 | T::U32 | T::S64 | T::U64 => {
            shrink_int(cur, ty, test)
        }
        T::F32 | T::F64 => shrink_float(cur, ty, test),
        T::Char => {
            for c in ['a', '0'] {
                if attempt(cur, Value::Char(c), ty, test)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        T::String => shrink_string(cur, ty, test),
        T::List(e) if **e == T::U8 => shrink_bytes(cur, ty, test),
        T::List(e) => {
            let Value::List(items) = &*cur else {
                return Ok(false);
            };
            let items = items.clone();
            let mut progress = delete_chunks(&items, Value::List, cur, ty, test)?;
            let n = if let Value::List(items) = &*cur {
                items.len()
            } else {
                0
            };
            for i in 0..n {
                progress |= shrink_child(cur, i, e, test)?;
            }
            Ok(progress)
        }
        T::Record(decl) => {
            let matches = matches!(&*cur, Value::Record(f) if f.len() == decl.len());
            let mut progress = false;
            for (i, (_, t)) in decl.iter().enumerate().filter(|_| matches) {
                progress |= shrink_child(cur, i, t, test)?;
            }
            Ok(progress)
        }
        T::Tuple(types) => {
            let matches = matches!(&*cur, Value::Tuple(v) if v.len() == types.len());
            let mut progress = false;
            for (i, t) in types.iter().enumerate().filter(|_| matches) {
                progress |= shrink_child(cur, i, t, test)?;
            }
            Ok(progress)
        }
        T::Variant(cases) => {
            let Value::Variant(name, _) = &*cur else {
                return Ok(false);
            };
            let Some(at) = cases.iter().position(|(n, _)| n == name) else {
                return Ok(false);
            };
            let mut progress = false;
            for (n, t) in cases.iter().take(at) {
                let cand = Value::Variant(n.clone(), t.as_ref().map(|t| Box::new(min_value(t))));
                if attempt(cur, cand, ty, test)? {
                    progress = true;
                    break;
                }
            }
            let payload = match &*cur {
                Value::Variant(name, Some(_)) => cases
                    .iter()
                    .find(|(n, _)| n == name)
                    .and_then(|(_, t)| t.as_ref()),
                _ => None,
            };
            if let Some(t) = payload {
                progress |= shrink_child(cur, 0, t, test)?;
            }
            Ok(progress)
        }
        T::Enum(cases) => {
            let Value::Enum(name) = &*cur else {
                return Ok(false);
            };
            let at = cases.iter().position(|n| n == name).unwrap_or(0);
            for n in cases.iter().take(at) {
                if attempt(cur, Value::Enum(n.clone()), ty, test)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        T::Option(t) => {
            if !matches!(&*cur, Value::Option(Some(_))) {
                return Ok(false);
            }
            if attempt(cur, Value::Option(None), ty, test)? {
                return Ok(true);
            }
            shrink_child(cur, 0, t, test)
        }
        T::Result { ok, err } => {
            let mut progress = false;
            if matches!(&*cur, Value::Result(Err(_))) {
                let cand = Value::Result(Ok(ok.as_ref().map(|t| Box::new(min_value(t)))));
                progress = attempt(cur, cand, ty, test)?;
            }
            let payload = match &*cur {
                Value::Result(Ok(Some(_))) => ok.as_deref(),
                Value::Result(Err(Some(_))) => err.as_deref(),
                _ => None,
            };
            if let Some(t) = payload {
                progress |= shrink_child(cur, 0, t, test)?;
            }
            Ok(progress)
        }
        T::Flags(_) => {
            let Value::Flags(set) = &*cur else {
                return Ok(false);
            };
            if set.is_empty() {
                return Ok(false);
            }
            if attempt(cur, Value::Flags(Vec::new()), ty, test)? {
                return Ok(true);
            }
            let mut progress = false;
            let mut i = 0;
            while let Value::Flags(set) = &*cur {
                if i >= set.len() {
                    break;
                }
                let mut cand = set.clone();
                cand.remove(i);
                if attempt(cur, Value::Flags(cand), ty, test)? {
                    progress = true;
                } else {
                    i += 1;
                }
            }
            Ok(progress)
        }
    }
}

/// Tests `cand` in place of `cur` if it is strictly smaller, and adopts it if it keeps.
fn attempt(
    cur: &mut Value,
    cand: Value,
    ty: &ValueType,
    test: &mut Test<'_>,
) -> Result<bool, Spent> {
    if measure(&cand, ty) >= measure(cur, ty) {
        return Ok(false);
    }
    if test(&cand)? {
        *cur = cand;
        Ok(true)
    } else {
        Ok(false)
    }
}

/// The `i`-th child of a record, tuple or list, or the payload of a variant, option or result.
fn slot(v: &mut Value, i: usize) -> Option<&mut Value> {
    match v {
        Value::Record(fields) => fields.get_mut(i).map(|(_, v)| v),
        Value::Tuple(items) | Value::List(items) => items.get_mut(i),
        Value::Variant(_, Some(p))
        | Value::Option(Some(p))
        | Value::Result(Ok(Some(p)) | Err(Some(p))) => Some(p),
        _ => None,
    }
}

/// Shrinks the `i`-th child of `cur` (see [`slot`]) with the rest of `cur` held fixed.
fn shrink_child(
    cur: &mut Value,
    i: usize,
    child_ty: &ValueType,
    test: &mut Test<'_>,
) -> Result<bool, Spent> {
    let Some(mut child) = slot(cur, i).map(|c| c.clone()) else {
        return Ok(false);
    };
    let base = cur.clone();
    let result = shrink_value(&mut child, child_ty, &mut |c: &Value| {
        let mut whole = base.clone();
        match slot(&mut whole, i) {
            Some(s) => *s = c.clone(),
            None => return Ok(false),
        }
        test(&whole)
    });
    if let Some(s) = slot(cur, i) {
        *s = child;
    }
    result
}

/// Tries the empty sequence, then deleting chunks of halving size (halves, quarters, …, single
/// items); a deletion that keeps is adopted and the same position tried again.
fn delete_chunks<T: Clone>(
    items: &[T],
    build: impl Fn(Vec<T>) -> Value,
    cur: &mut Value,
    ty: &ValueType,
    test: &mut Test<'_>,
) -> Result<bool, Spent> {
    if items.is_empty() {
        return Ok(false);
    }
    if attempt(cur, build(Vec::new()), ty, test)? {
        return Ok(true);
    }
    let mut items = items.to_vec();
    let mut progress = false;
    let mut k = (items.len() / 2).max(1);
    loop {
        let mut i = 0;
        while i < items.len() {
            let end = i.saturating_add(k).min(items.len());
            let mut cand = items.clone();
            cand.drain(i..end);
            // The empty sequence was tried first.
            if !cand.is_empty() && attempt(cur, build(cand.clone()), ty, test)? {
                items = cand;
                progress = true;
            } else {
                i = end;
            }
        }
        if k <= 1 {
            break;
        }
        k /= 2;
    }
    Ok(progress)
}

fn shrink_string(cur: &mut Value, ty: &ValueType, test: &mut Test<'_>) -> Result<bool, Spent> {
    let Value::String(s) = &*cur else {
        return Ok(false);
    };
    let chars: Vec<char> = s.chars().collect();
    let build = |c: Vec<char>| Value::String(c.into_iter().collect());
    let mut progress = delete_chunks(&chars, build, cur, ty, test)?;
    let Value::String(s) = &*cur else {
        return Ok(progress);
    };
    let mut chars: Vec<char> = s.chars().collect();
    for i in 0..chars.len() {
        for c in ['a', '0'] {
            let mut cand = chars.clone();
            if let Some(slot) = cand.get_mut(i) {
                *slot = c;
            }
            if attempt(cur, build(cand.clone()), ty, test)? {
                chars = cand;
                progress = true;
                break;
            }
        }
    }
    Ok(progress)
}

/// Bytes up to this many are shrunk one by one as integers; longer ones only toward 0.
const BYTEWISE_MAX: usize = 64;

fn shrink_bytes(cur: &mut Value, ty: &ValueType, test: &mut Test<'_>) -> Result<bool, Spent> {
    let Value::Bytes(b) = &*cur else {
        return Ok(false);
    };
    let b = b.clone();
    let mut progress = delete_chunks(&b, Value::Bytes, cur, ty, test)?;
    let Value::Bytes(b) = &*cur else {
        return Ok(progress);
    };
    let mut bytes = b.clone();
    let bytewise = bytes.len() <= BYTEWISE_MAX;
    for i in 0..bytes.len() {
        let Some(&b) = bytes.get(i) else { break };
        let mut byte = Value::U8(b);
        let base = bytes.clone();
        let mut test_byte = |c: &Value| {
            let Value::U8(x) = c else { return Ok(false) };
            let mut whole = base.clone();
            if let Some(slot) = whole.get_mut(i) {
                *slot = *x;
            }
            test(&Value::Bytes(whole))
        };
        let result = if bytewise {
            shrink_int(&mut byte, &ValueType::U8, &mut test_byte)
        } else {
            attempt(&mut byte, Value::U8(0), &ValueType::U8, &mut test_byte)
        };
        if let (Value::U8(x), Some(slot)) = (byte, bytes.get_mut(i)) {
            *slot = x;
        }
        *cur = Value::Bytes(bytes.clone());
        progress |= result?;
    }
    Ok(progress)
}

/// Integers: 0, then small values (positive before negative), then a bisection of the
/// magnitude between the largest small value and the current one, keeping the sign.
fn shrink_int(cur: &mut Value, ty: &ValueType, test: &mut Test<'_>) -> Result<bool, Spent> {
    const SMALL: i128 = 16;
    let Some(x) = int_of(cur) else {
        return Ok(false);
    };
    let signed = matches!(
        ty,
        ValueType::S8 | ValueType::S16 | ValueType::S32 | ValueType::S64
    );
    for m in 0..=SMALL {
        let cands: &[i128] = if m == 0 {
            &[0]
        } else if signed {
            &[m, -m]
        } else {
            &[m]
        };
        for &c in cands {
            if zigzag(c) >= zigzag(x) {
                return Ok(false);
            }
            if let Some(v) = make_int(ty, c)
                && attempt(cur, v, ty, test)?
            {
                return Ok(true);
            }
        }
    }
    let mut progress = false;
    let mut x = x;
    if x < 0
        && let Some(v) = make_int(ty, -x)
        && attempt(cur, v, ty, test)?
    {
        progress = true;
        x = -x;
    }
    let sign = if x < 0 { -1 } else { 1 };
    let (mut lo, mut hi) = (SMALL, x.abs());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let Some(v) = make_int(ty, sign * mid) else {
            break;
        };
        if attempt(cur, v, ty, test)? {
            hi = mid;
            progress = true;
        } else {
            lo = mid;
        }
    }
    Ok(progress)
}

/// Floats: 0, 1, −1, 2, the magnitude, the value truncated to an integer, then halving
/// toward zero while above 1 in magnitude; NaN tries the infinities, an infinity the largest
/// finite value of its sign and then +∞.
fn shrink_float(cur: &mut Value, ty: &ValueType, test: &mut Test<'_>) -> Result<bool, Spent> {
    let (x, wide) = match &*cur {
        Value::F64(x) => (*x, true),
        Value::F32(x) => (f64::from(*x), false),
        _ => return Ok(false),
    };
    let make = |y: f64| {
        if wide {
            Value::F64(y)
        } else {
            Value::F32(y as f32)
        }
    };
    let max = if wide { f64::MAX } else { f64::from(f32::MAX) };
    let mut cands = vec![0.0, 1.0, -1.0, 2.0];
    if x.is_nan() {
        cands.extend([f64::INFINITY, f64::NEG_INFINITY]);
    } else if x.is_infinite() {
        cands.extend([if x > 0.0 { max } else { -max }, f64::INFINITY]);
    } else {
        cands.extend([x.abs(), x.trunc()]);
    }
    let mut progress = false;
    for c in cands {
        if attempt(cur, make(c), ty, test)? {
            progress = true;
            break;
        }
    }
    loop {
        let x = match &*cur {
            Value::F64(x) => *x,
            Value::F32(x) => f64::from(*x),
            _ => break,
        };
        if !x.is_finite() || x.abs() <= 1.0 || !attempt(cur, make(x / 2.0), ty, test)? {
            break;
        }
        progress = true;
    }
    Ok(progress)
}

/// Orders integers 0, 1, −1, 2, −2, …
fn zigzag(x: i128) -> u128 {
    if x > 0 {
        x.unsigned_abs().saturating_mul(2) - 1
    } else {
        x.unsigned_abs().saturating_mul(2)
    }
}

/// Orders characters `a`, `0`, then by code point.
fn char_rank(c: char) -> u128 {
    match c {
        'a' => 0,
        '0' => 1,
        c => u128::from(u32::from(c)) + 2,
    }
}

/// Orders floats by magnitude, a positive value just before its negation; NaN last.
fn float_rank(bits: u64, sign_bit: u32) -> u128 {
    let sign = (bits >> sign_bit) & 1;
    let abs = bits & !(1 << sign_bit);
    (u128::from(abs) << 1) | u128::from(sign)
}

/// The well-founded order that shrinking descends: (total size, sum of magnitudes).
///
/// Size counts nodes, characters, bytes and set flags; magnitude sums integer zigzags, float
/// and character ranks, bytes, and case indices of variants, enums and results.
fn measure(v: &Value, ty: &ValueType) -> (u64, u128) {
    use ValueType as T;
    let add = |(s, m): (u64, u128), (t, n): (u64, u128)| (s.saturating_add(t), m.saturating_add(n));
    let len = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    let leaf = |m: u128| (1u64, m);
    let none = T::Bool;
    match v {
        Value::Bool(b) => leaf(u128::from(*b)),
        Value::F32(x) => leaf(float_rank(u64::from(x.to_bits()), 31)),
        Value::F64(x) => leaf(float_rank(x.to_bits(), 63)),
        Value::Char(c) => leaf(char_rank(*c)),
        Value::String(s) => {
            let mag = s.chars().map(char_rank).fold(0u128, u128::saturating_add);
            (len(s.chars().count()).saturating_add(1), mag)
        }
        Value::Bytes(b) => (
            len(b.len()).saturating_add(1),
            b.iter().map(|x| u128::from(*x)).sum(),
        ),
        Value::List(items) => {
            let e = match ty {
                T::List(e) => e,
                _ => &none,
            };
            items.iter().map(|x| measure(x, e)).fold((1, 0), add)
        }
        Value::Tuple(items) => {
            let types: &[ValueType] = match ty {
                T::Tuple(ts) => ts,
                _ => &[],
            };
            items
                .iter()
                .enumerate()
                .map(|(i, x)| measure(x, types.get(i).unwrap_or(&none)))
                .fold((1, 0), add)
        }
        Value::Record(fields) => {
            let decl: &[(String, ValueType)] = match ty {
                T::Record(d) => d,
                _ => &[],
            };
            fields
                .iter()
                .enumerate()
                .map(|(i, (_, x))| measure(x, decl.get(i).map_or(&none, |(_, t)| t)))
                .fold((1, 0), add)
        }
        Value::Variant(name, p) => {
            let (at, pt) = match ty {
                T::Variant(cases) => cases
                    .iter()
                    .position(|(n, _)| n == name)
                    .map_or((cases.len(), None), |i| {
                        (i, cases.get(i).and_then(|(_, t)| t.as_ref()))
                    }),
                _ => (0, None),
            };
            let base = (1, u128::try_from(at).unwrap_or(u128::MAX));
            match p {
                Some(p) => add(base, measure(p, pt.unwrap_or(&none))),
                None => base,
            }
        }
        Value::Enum(name) => {
            let at = match ty {
                T::Enum(cases) => cases.iter().position(|n| n == name).unwrap_or(cases.len()),
                _ => 0,
            };
            leaf(u128::try_from(at).unwrap_or(u128::MAX))
        }
        Value::Option(p) => match (p, ty) {
            (Some(p), T::Option(t)) => add((1, 0), measure(p, t)),
            (Some(p), _) => add((1, 0), measure(p, &none)),
            (None, _) => (1, 0),
        },
        Value::Result(r) => {
            let (ok, err) = match ty {
                T::Result { ok, err } => (ok.as_deref(), err.as_deref()),
                _ => (None, None),
            };
            let (base, p, t) = match r {
                Ok(p) => ((1, 0), p, ok),
                Err(p) => ((1, 1), p, err),
            };
            match p {
                Some(p) => add(base, measure(p, t.unwrap_or(&none))),
                None => base,
            }
        }
        Value::Flags(set) => {
            let decl: &[String] = match ty {
                T::Flags(d) => d,
                _ => &[],
            };
            let mag = set
                .iter()
                .map(|n| {
                    decl.iter()
                        .position(|d| d == n)
                        .map_or(u128::MAX, |i| i as u128 + 1)
                })
                .fold(0u128, u128::saturating_add);
            (len(set.len()).saturating_add(1), mag)
        }
        _ => leaf(int_of(v).map_or(0, zigzag)),
    }
}

/// The smallest value of a type: zeros, `false`, `'a'`, empty strings and lists, `none`,
/// the first case (with the smallest payload), `ok`, no flags.
fn min_value(ty: &ValueType) -> Value {
    use ValueType as T;
    match ty {
        T::Bool => Value::Bool(false),
        T::F32 => Value::F32(0.0),
        T::F64 => Value::F64(0.0),
        T::Char => Value::Char('a'),
        T::String => Value::String(String::new()),
        T::List(e) if **e == T::U8 => Value::Bytes(Vec::new()),
        T::List(_) => Value::List(Vec::new()),
        T::Record(fields) => Value::Record(
            fields
                .iter()
                .map(|(n, t)| (n.clone(), min_value(t)))
                .collect(),
        ),
        T::Tuple(types) => Value::Tuple(types.iter().map(min_value).collect()),
        T::Variant(cases) => match cases.first() {
            Some((n, t)) => Value::Variant(n.clone(), t.as_ref().map(|t| Box::new(min_value(t)))),
            None => Value::Variant(String::new(), None),
        },
        T::Enum(cases) => Value::Enum(cases.first().cloned().unwrap_or_default()),
        T::Option(_) => Value::Option(None),
        T::Result { ok, .. } => Value::Result(Ok(ok.as_ref().map(|t| Box::new(min_value(t))))),
        T::Flags(_) => Value::Flags(Vec::new()),
        _ => make_int(ty, 0).unwrap_or(Value::Bool(false)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::tests::arb_type;
    use crate::generate::{Hints, generate_args};
    use crate::value::args_to_wave;
    use crate::value::conforms;
    use proptest::prelude::*;

    /// Shrinks with a counting predicate and checks the budget and the final predicate.
    fn run(
        args: Vec<Value>,
        params: &[ValueType],
        budget: usize,
        pred: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        assert!(pred(&args), "the start must keep");
        let mut count = 0;
        let (out, calls) = shrink(&args, params, budget, |a| {
            count += 1;
            Some(pred(a))
        });
        assert_eq!(calls, count);
        assert!(calls <= budget, "{calls} calls for a budget of {budget}");
        assert!(
            pred(&out),
            "the result {} does not keep",
            args_to_wave(&out)
        );
        assert!(out.iter().zip(params).all(|(v, t)| conforms(v, t)));
        out
    }

    fn u32_of(v: &[Value]) -> u32 {
        match v.first() {
            Some(Value::U32(x)) => *x,
            _ => u32::MAX,
        }
    }

    #[test]
    fn u32_fault_at_exactly_three() {
        let out = run(
            vec![Value::U32(3_000_000_000)],
            &[ValueType::U32],
            1000,
            |a| u32_of(a) == 3_000_000_000 || u32_of(a) == 3,
        );
        assert_eq!(args_to_wave(&out), "3");
    }

    #[test]
    fn u32_fault_from_a_threshold() {
        let out = run(
            vec![Value::U32(4_000_000_000)],
            &[ValueType::U32],
            200,
            |a| u32_of(a) >= 1000,
        );
        assert_eq!(args_to_wave(&out), "1000");
        let out = run(vec![Value::U32(u32::MAX)], &[ValueType::U32], 200, |a| {
            u32_of(a) >= 17
        });
        assert_eq!(args_to_wave(&out), "17");
    }

    #[test]
    fn signed_faults() {
        let s64 = |a: &[Value]| match a.first() {
            Some(Value::S64(x)) => *x,
            _ => 0,
        };
        let out = run(
            vec![Value::S64(-9_000_000_000_000)],
            &[ValueType::S64],
            1000,
            |a| s64(a) < -5,
        );
        assert_eq!(args_to_wave(&out), "-6");
        let out = run(vec![Value::S64(i64::MIN)], &[ValueType::S64], 1000, |a| {
            s64(a) < -5000
        });
        assert_eq!(args_to_wave(&out), "-5001");
        // Positive values come before negative ones.
        let out = run(vec![Value::S64(i64::MIN)], &[ValueType::S64], 1000, |a| {
            s64(a).unsigned_abs() >= 300
        });
        assert_eq!(args_to_wave(&out), "300");
        let out = run(
            vec![Value::S8(-100)],
            &[ValueType::S8],
            1000,
            |a| matches!(a.first(), Some(Value::S8(x)) if *x != 0),
        );
        assert_eq!(args_to_wave(&out), "1");
    }

    #[test]
    fn string_fault_shrinks_to_the_character() {
        let mut s: String = (0..199)
            .map(|i| char::from(b'b' + (i % 20) as u8))
            .collect();
        s.insert(137, 'é');
        assert_eq!(s.chars().count(), 200);
        let out = run(
            vec![Value::String(s)],
            &[ValueType::String],
            1000,
            |a| matches!(a.first(), Some(Value::String(s)) if s.contains('é')),
        );
        assert_eq!(args_to_wave(&out), "\"é\"");
        // Other characters become 'a' (or '0' when 'a' is not allowed).
        let out = run(
            vec![Value::String("xyz!".into())],
            &[ValueType::String],
            1000,
            |a| matches!(a.first(), Some(Value::String(s)) if s.chars().count() >= 3 && !s.contains('a')),
        );
        assert_eq!(args_to_wave(&out), "\"000\"");
    }

    #[test]
    fn list_fault_shrinks_to_three_zeros() {
        let t = ValueType::List(Box::new(ValueType::U32));
        let items = (0..57u32)
            .map(|i| Value::U32(i.wrapping_mul(2_654_435_761)))
            .collect();
        let out = run(
            vec![Value::List(items)],
            std::slice::from_ref(&t),
            1000,
            |a| matches!(a.first(), Some(Value::List(l)) if l.len() >= 3),
        );
        assert_eq!(args_to_wave(&out), "[0, 0, 0]");
        let t = ValueType::List(Box::new(ValueType::U8));
        let out = run(
            vec![Value::Bytes((0..=255).collect())],
            std::slice::from_ref(&t),
            1000,
            |a| matches!(a.first(), Some(Value::Bytes(b)) if b.len() >= 2 && b.iter().any(|x| *x >= 7)),
        );
        assert_eq!(args_to_wave(&out), "[0, 7]");
    }

    #[test]
    fn date_fault_shrinks_the_year_only() {
        let params = [ValueType::S32, ValueType::U8, ValueType::U8];
        let pred = |a: &[Value]| matches!(a, [_, Value::U8(2), Value::U8(29)]);
        for year in [2000, -123_456_789, i32::MAX] {
            let out = run(
                vec![Value::S32(year), Value::U8(2), Value::U8(29)],
                &params,
                1000,
                pred,
            );
            assert_eq!(args_to_wave(&out), "0, 2, 29");
        }
        let pred = |a: &[Value]| matches!(a, [Value::S32(y), Value::U8(m), Value::U8(d)] if y % 4 == 0 && *y != 0 && *m == 2 && *d >= 29);
        let out = run(
            vec![Value::S32(2024), Value::U8(2), Value::U8(200)],
            &params,
            1000,
            pred,
        );
        assert_eq!(args_to_wave(&out), "4, 2, 29");
    }

    #[test]
    fn floats_shrink_toward_small_round_values() {
        let f = |a: &[Value]| match a.first() {
            Some(Value::F64(x)) => *x,
            _ => 0.0,
        };
        let out = run(vec![Value::F64(1e300)], &[ValueType::F64], 5000, |a| {
            f(a) > 100.5
        });
        let x = f(&out);
        assert!(x > 100.5 && x <= 201.0, "{x}");
        let out = run(vec![Value::F64(-37.25)], &[ValueType::F64], 1000, |a| {
            f(a) < -3.0
        });
        assert_eq!(args_to_wave(&out), "-4.0");
        let out = run(vec![Value::F64(f64::NAN)], &[ValueType::F64], 1000, |a| {
            f(a).is_nan()
        });
        assert!(f(&out).is_nan());
        let out = run(
            vec![Value::F64(f64::NEG_INFINITY)],
            &[ValueType::F64],
            1000,
            |a| f(a).is_infinite(),
        );
        assert_eq!(args_to_wave(&out), "inf");
        let out = run(vec![Value::F64(-0.0)], &[ValueType::F64], 1000, |_| true);
        assert_eq!(args_to_wave(&out), "0.0");
        let out = run(
            vec![Value::F32(7.75)],
            &[ValueType::F32],
            1000,
            |a| matches!(a.first(), Some(Value::F32(x)) if *x >= 3.0),
        );
        assert_eq!(args_to_wave(&out), "3.0");
    }

    #[test]
    fn structures_shrink_inside() {
        use ValueType as T;
        let rec = T::Record(vec![
            ("name".into(), T::String),
            (
                "tags".into(),
                T::List(Box::new(T::Option(Box::new(T::Char)))),
            ),
            (
                "mode".into(),
                T::Variant(vec![
                    ("off".into(), None),
                    ("on".into(), Some(T::U16)),
                    ("odd".into(), Some(T::Bool)),
                ]),
            ),
            (
                "kind".into(),
                T::Enum(vec!["a".into(), "b".into(), "c".into()]),
            ),
            (
                "flags".into(),
                T::Flags(vec!["x".into(), "y".into(), "z".into()]),
            ),
            (
                "res".into(),
                T::Result {
                    ok: Some(Box::new(T::U8)),
                    err: Some(Box::new(T::String)),
                },
            ),
        ]);
        let params = [rec];
        let start = crate::value::parse_args(
            &params,
            r#"{name: "hello", tags: [some('q'), none, some('z')], mode: on(500), kind: c, flags: {x, z}, res: err("boom")}"#,
        )
        .unwrap_or_default();
        let pred = |a: &[Value]| {
            let w = args_to_wave(a);
            w.contains("on(") && w.contains("z}") && w.contains("some(")
        };
        let out = run(start.clone(), &params, 2000, pred);
        assert_eq!(
            args_to_wave(&out),
            r#"{name: "", tags: [some('a')], mode: on(0), kind: a, flags: {z}, res: ok(0)}"#
        );
        // With an always-true predicate everything reaches its smallest value.
        let out = run(start, &params, 2000, |_| true);
        assert_eq!(
            args_to_wave(&out),
            r#"{name: "", tags: [], mode: off, kind: a, flags: {}, res: ok(0)}"#
        );
    }

    #[test]
    fn budget_is_respected() {
        for budget in [0, 1, 2, 5, 17, 30] {
            let args = vec![Value::U32(4_000_000_000), Value::String("x".repeat(300))];
            let params = [ValueType::U32, ValueType::String];
            let out = run(args.clone(), &params, budget, |a| u32_of(a) >= 1000);
            if budget == 0 {
                assert_eq!(args_to_wave(&out), args_to_wave(&args));
            }
        }
    }

    #[test]
    fn mismatched_input_is_left_alone() {
        let (out, calls) = shrink(&[Value::Bool(true)], &[ValueType::U8], 100, |_| Some(true));
        assert_eq!(args_to_wave(&out), "true");
        assert_eq!(calls, 0);
        let (out, _) = shrink(
            &[Value::U8(5)],
            &[ValueType::U8, ValueType::U8],
            100,
            |_| Some(true),
        );
        assert_eq!(args_to_wave(&out), "5");
    }

    #[test]
    fn a_stop_ends_shrinking_at_once_with_the_best_so_far() {
        let args = vec![Value::U32(1_000_000)];
        let mut calls = 0;
        let (out, made) = shrink(&args, &[ValueType::U32], 1000, |a| {
            calls += 1;
            (calls <= 3).then(|| u32_of(a) >= 1000)
        });
        // Three answered calls, then the stop: nothing more is asked.
        assert_eq!(calls, 4);
        assert_eq!(made, 4);
        assert!(u32_of(&out) >= 1000 && u32_of(&out) <= 1_000_000);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn shrinking_random_values_keeps_the_predicate(types in prop::collection::vec(arb_type(), 1..4), seed: u64, cut in 0usize..100) {
            let params: Vec<(String, ValueType)> = types.iter().enumerate().map(|(i, t)| (format!("p{i}"), t.clone())).collect();
            let args = generate_args(seed, 0, &params, &Hints::default(), &[]);
            let len = args_to_wave(&args).len();
            let want = len * cut / 100;
            // Holds for the start; shrinking must find something smaller that still holds.
            let pred = |a: &[Value]| args_to_wave(a).len() >= want;
            let mut count = 0;
            let (out, calls) = shrink(&args, &types, 400, |a| { count += 1; Some(pred(a)) });
            prop_assert!(calls <= 400 && calls == count);
            prop_assert!(pred(&out));
            prop_assert!(out.iter().zip(&types).all(|(v, t)| conforms(v, t)));
            let ty = ValueType::Tuple(types.clone());
            prop_assert!(measure(&Value::Tuple(out), &ty) <= measure(&Value::Tuple(args), &ty));
        }
    }
}
