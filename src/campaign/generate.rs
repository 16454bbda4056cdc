//! Seeded, type-directed input generation: the `index`-th argument tuple of a run is a pure
//! function of `(seed, index)`, the parameter types and the manifest's hints, and is the same on
//! every machine (own xoshiro256** PRNG seeded through SplitMix64, floats built from integer bits).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::value::{Value, ValueType, WaveError, conforms, parse_args};

/// Generation hints for one function, read from the manifest table `[generate.<function>]`.
///
/// `seeds` lists WAVE argument tuples that the generator mutates; every other key names a
/// parameter and holds that parameter's [`ParamHint`] as a sub-table
/// `[generate.<function>.<param>]` (or an inline table). A hint applies to the top-level
/// parameter of that name and to everything inside it (a string's characters, a list's
/// elements, a record's fields).
///
/// ```toml
/// [generate.days-in-month]
/// seeds = ["2000, 2, 29", "1900, 2, 28"]
///
/// [generate.days-in-month.year]
/// range = [1583, 9999]
///
/// [generate.days-in-month.month]
/// range = [1, 12]
///
/// [generate.parse-number]
/// seeds = ['"-1.5e3"']
/// text = { alphabet = "0123456789.-+e", max-len = 24 }
/// ```
///
/// An unknown key inside a parameter's table is an error, and so is a key beside `seeds` whose
/// value is not such a table. This struct does not carry serde's `deny_unknown_fields` itself:
/// combined with `flatten` it rejects every parameter key, and here every key but `seeds` is a
/// parameter by construction. A table naming no parameter of the function is caught by
/// [`Hints::unknown_params`].
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Hints {
    /// WAVE argument tuples (such as `2000, 2, 29`) that generation starts from and mutates.
    #[serde(default)]
    pub seeds: Vec<String>,
    /// Hints per parameter name.
    #[serde(flatten)]
    pub params: BTreeMap<String, ParamHint>,
}

impl Hints {
    /// Parses [`Hints::seeds`] against the parameter types, in order.
    ///
    /// # Errors
    /// The first seed that is not a WAVE argument tuple of those types.
    pub fn parsed_seeds(&self, params: &[ValueType]) -> Result<Vec<Vec<Value>>, WaveError> {
        self.seeds.iter().map(|s| parse_args(params, s)).collect()
    }

    /// The names of hinted parameters that the function does not have (likely typos).
    pub fn unknown_params<'a>(&'a self, params: &[(String, ValueType)]) -> Vec<&'a str> {
        self.params
            .keys()
            .filter(|k| !params.iter().any(|(n, _)| n == *k))
            .map(String::as_str)
            .collect()
    }
}

/// Hints for one parameter, from `[generate.<function>.<param>]`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ParamHint {
    /// Inclusive `[low, high]` bounds for integers (clamped to the type) and floats.
    /// A range that holds no value of the type (or has a NaN end) is ignored.
    pub range: Option<[f64; 2]>,
    /// Characters that strings and chars are mostly drawn from.
    pub alphabet: Option<String>,
    /// Upper bound on the length of lists (elements) and strings (characters).
    pub max_len: Option<usize>,
}

/// Deepest nesting of lists and options that generation fills; deeper lists are empty and
/// deeper options `none`.
const MAX_DEPTH: usize = 4;
/// Default cap on list and string lengths when no `max-len` is given (except for the
/// occasional long 1–4 KiB one).
const DEFAULT_LONG: usize = 64;
/// Rough size budget of one generated argument, in characters, bytes and nodes; a float counts
/// as [`FLOAT_COST`] (its WAVE text can run to hundreds of digits). Keeps one argument's WAVE
/// text within a few hundred KiB.
const ARG_BUDGET: usize = 8 * 1024;
/// What a float costs of [`ARG_BUDGET`].
const FLOAT_COST: usize = 16;

/// The `index`-th argument tuple of the run for `seed`.
///
/// The result depends only on `(seed, index)`, the parameters, the hints and the seeds, so any
/// slice of the index sequence can be generated alone and reproduced on any platform. When
/// `seeds` holds tuples that match the parameters, about one input in three is a one-argument
/// mutation of one of them; the rest are fresh. Seeds that do not match are ignored.
pub fn generate_args(
    seed: u64,
    index: u64,
    params: &[(String, ValueType)],
    hints: &Hints,
    seeds: &[Vec<Value>],
) -> Vec<Value> {
    let mut rng = Rng::for_input(seed, index);
    let types: Vec<&ValueType> = params.iter().map(|(_, t)| t).collect();
    let usable: Vec<&Vec<Value>> = seeds
        .iter()
        .filter(|s| s.len() == types.len() && s.iter().zip(&types).all(|(v, t)| conforms(v, t)))
        .collect();
    if !usable.is_empty() && !params.is_empty() && rng.one_in(3) {
        let base = usable[rng.index(usable.len())];
        let which = rng.index(params.len());
        let mut out = base.clone();
        let (name, ty) = &params[which];
        let mut g = Gen::new(&mut rng, hints.params.get(name));
        out[which] = g.mutate(&base[which], ty, 0);
        return out;
    }
    params
        .iter()
        .map(|(name, ty)| Gen::new(&mut rng, hints.params.get(name)).value(ty, 0))
        .collect()
}

/// SplitMix64's output function (Stafford's variant 13), used as a strong 64-bit mixer.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One SplitMix64 step.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    mix64(*state)
}

/// xoshiro256** with a few typed draws on top.
struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// The generator for input `index` of the run for `seed`.
    fn for_input(seed: u64, index: u64) -> Rng {
        let mut st = mix64(seed ^ 0x6E76_785F_6765_6E31);
        st = mix64(st ^ mix64(index.wrapping_add(0x9E37_79B9_7F4A_7C15)));
        let mut s = [0u64; 4];
        for w in &mut s {
            *w = splitmix64(&mut st);
        }
        if s == [0; 4] {
            s[0] = 1;
        }
        Rng { s }
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let out = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        out
    }

    /// Uniform in `0..n` (0 when `n` is 0), by Lemire's unbiased multiply-and-reject.
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let mut m = u128::from(self.next_u64()) * u128::from(n);
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = u128::from(self.next_u64()) * u128::from(n);
            }
        }
        (m >> 64) as u64
    }

    /// Uniform in `0..n` as an index (0 when `n` is 0).
    fn index(&mut self, n: usize) -> usize {
        usize::try_from(self.below(n as u64)).unwrap_or(0)
    }

    /// True with probability `1/n`.
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    fn bool(&mut self) -> bool {
        self.next_u64() >> 63 == 1
    }

    /// Uniform in the inclusive range `lo..=hi` (which must span at most 2^64 values).
    fn in_range(&mut self, lo: i128, hi: i128) -> i128 {
        if hi <= lo {
            return lo;
        }
        let span = hi.wrapping_sub(lo);
        let draw = match u64::try_from(span) {
            Ok(u64::MAX) | Err(_) => self.next_u64(),
            Ok(span) => self.below(span.wrapping_add(1)),
        };
        lo.wrapping_add(i128::from(draw))
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.index(items.len()))
    }
}

/// Inclusive bounds of an integer type.
fn int_bounds(t: &ValueType) -> Option<(i128, i128)> {
    use ValueType as T;
    Some(match t {
        T::S8 => (i8::MIN.into(), i8::MAX.into()),
        T::U8 => (0, u8::MAX.into()),
        T::S16 => (i16::MIN.into(), i16::MAX.into()),
        T::U16 => (0, u16::MAX.into()),
        T::S32 => (i32::MIN.into(), i32::MAX.into()),
        T::U32 => (0, u32::MAX.into()),
        T::S64 => (i64::MIN.into(), i64::MAX.into()),
        T::U64 => (0, u64::MAX.into()),
        _ => return None,
    })
}

/// An integer value of type `t`, or `None` when `n` is out of its range or `t` is no integer.
pub(crate) fn make_int(t: &ValueType, n: i128) -> Option<Value> {
    use ValueType as T;
    Some(match t {
        T::S8 => Value::S8(i8::try_from(n).ok()?),
        T::U8 => Value::U8(u8::try_from(n).ok()?),
        T::S16 => Value::S16(i16::try_from(n).ok()?),
        T::U16 => Value::U16(u16::try_from(n).ok()?),
        T::S32 => Value::S32(i32::try_from(n).ok()?),
        T::U32 => Value::U32(u32::try_from(n).ok()?),
        T::S64 => Value::S64(i64::try_from(n).ok()?),
        T::U64 => Value::U64(u64::try_from(n).ok()?),
        _ => return None,
    })
}

/// An integer value as `i128`.
pub(crate) fn int_of(v: &Value) -> Option<i128> {
    Some(match v {
        Value::S8(x) => (*x).into(),
        Value::U8(x) => (*x).into(),
        Value::S16(x) => (*x).into(),
        Value::U16(x) => (*x).into(),
        Value::S32(x) => (*x).into(),
        Value::U32(x) => (*x).into(),
        Value::S64(x) => (*x).into(),
        Value::U64(x) => (*x).into(),
        _ => return None,
    })
}

/// Special characters: multi-byte UTF-8, escapes, boundaries of the scalar-value ranges.
const SPECIAL_CHARS: &[char] = &[
    'a',
    'Z',
    '0',
    '9',
    ' ',
    '.',
    '-',
    '+',
    '\0',
    '\t',
    '\n',
    '\r',
    '"',
    '\'',
    '\\',
    '\u{7f}',
    'é',
    'ß',
    '日',
    '本',
    '🦀',
    '😀',
    '\u{FFFD}',
    '\u{FEFF}',
    '\u{200B}',
    '\u{301}',
    '\u{80}',
    '\u{7FF}',
    '\u{800}',
    '\u{D7FF}',
    '\u{E000}',
    '\u{FFFF}',
    '\u{10000}',
    '\u{10FFFF}',
];

/// Whole strings worth trying: multi-byte text and number-like text.
const SPECIAL_STRINGS: &[&str] = &[
    "é",
    "日本",
    "🦀",
    "\u{FFFD}",
    "naïve café",
    "e\u{301}",
    "👩\u{200D}💻",
    "\u{10FFFF}",
    "\0",
    " ",
    "\t\n",
    "\r\n",
    "0",
    "-0",
    "+1",
    "-1",
    "1.5",
    ".",
    "..",
    "-",
    "+",
    "1e10",
    "1e309",
    "-1e-320",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "0x1F",
    "007",
    "1,000",
    " 42 ",
    "3.14159",
    "+-1",
    "1.2.3",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "4294967296",
    "18446744073709551616",
    "00",
    "1_000",
    "٣",
];

/// Characters for number-like strings.
const NUMERIC_CHARS: &[char] = &[
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.', '-', '+', 'e', 'E',
];

/// Bytes that are not valid UTF-8 in various ways.
const BAD_UTF8: &[&[u8]] = &[
    &[0xC3],
    &[0xFF, 0xFE],
    &[0xED, 0xA0, 0x80],
    &[0xC0, 0x80],
    &[0xF4, 0x90, 0x80, 0x80],
    &[0x80],
];

/// How characters of one string are chosen.
#[derive(Clone, Copy)]
enum CharClass {
    Alphabet,
    AsciiAlnum,
    AsciiPrintable,
    Numeric,
    Lower,
    Any,
}

/// One argument's generator: the PRNG, that parameter's hint, and a size budget.
struct Gen<'a> {
    rng: &'a mut Rng,
    range: Option<(f64, f64)>,
    alphabet: Vec<char>,
    max_len: Option<usize>,
    budget: usize,
}

impl<'a> Gen<'a> {
    fn new(rng: &'a mut Rng, hint: Option<&ParamHint>) -> Gen<'a> {
        let range = hint
            .and_then(|h| h.range)
            .filter(|[lo, hi]| !lo.is_nan() && !hi.is_nan() && lo <= hi)
            .map(|[lo, hi]| (lo, hi));
        let alphabet = hint
            .and_then(|h| h.alphabet.as_deref())
            .unwrap_or("")
            .chars()
            .collect();
        Gen {
            rng,
            range,
            alphabet,
            max_len: hint.and_then(|h| h.max_len),
            budget: ARG_BUDGET,
        }
    }

    fn spend(&mut self, n: usize) {
        self.budget = self.budget.saturating_sub(n);
    }

    /// A fresh value of type `t` at nesting depth `depth`.
    fn value(&mut self, t: &ValueType, depth: usize) -> Value {
        use ValueType as T;
        self.spend(1);
        match t {
            T::Bool => Value::Bool(self.rng.bool()),
            T::S8 | T::U8 | T::S16 | T::U16 | T::S32 | T::U32 | T::S64 | T::U64 => self.int(t),
            T::F32 => {
                self.spend(FLOAT_COST);
                Value::F32(self.f32())
            }
            T::F64 => {
                self.spend(FLOAT_COST);
                Value::F64(self.f64())
            }
            T::Char => {
                let class = self.char_class();
                Value::Char(self.char(class))
            }
            T::String => Value::String(self.string()),
            T::List(e) if **e == T::U8 => Value::Bytes(if depth >= MAX_DEPTH {
                Vec::new()
            } else {
                self.bytes()
            }),
            T::List(e) => {
                if depth >= MAX_DEPTH {
                    return Value::List(Vec::new());
                }
                let n = self.length();
                let mut items = Vec::new();
                while items.len() < n && self.budget > 0 {
                    items.push(self.value(e, depth + 1));
                }
                Value::List(items)
            }
            T::Record(fields) => Value::Record(
                fields
                    .iter()
                    .map(|(n, t)| (n.clone(), self.value(t, depth + 1)))
                    .collect(),
            ),
            T::Tuple(types) => {
                Value::Tuple(types.iter().map(|t| self.value(t, depth + 1)).collect())
            }
            T::Variant(cases) => {
                let i = self.case(cases.len());
                match cases.get(i) {
                    Some((name, t)) => Value::Variant(
                        name.clone(),
                        t.as_ref().map(|t| Box::new(self.value(t, depth + 1))),
                    ),
                    None => Value::Variant(String::new(), None),
                }
            }
            T::Enum(cases) => {
                let i = self.case(cases.len());
                Value::Enum(cases.get(i).cloned().unwrap_or_default())
            }
            T::Option(t) => {
                if depth >= MAX_DEPTH || self.rng.one_in(4) {
                    Value::Option(None)
                } else {
                    Value::Option(Some(Box::new(self.value(t, depth + 1))))
                }
            }
            T::Result { ok, err } => {
                let is_ok = self.rng.below(3) < 2;
                let side = if is_ok { ok } else { err };
                let payload = side.as_ref().map(|t| Box::new(self.value(t, depth + 1)));
                Value::Result(if is_ok { Ok(payload) } else { Err(payload) })
            }
            T::Flags(names) => {
                let set: Vec<String> = match self.rng.below(8) {
                    0 => Vec::new(),
                    1 => names.clone(),
                    _ => names.iter().filter(|_| self.rng.bool()).cloned().collect(),
                };
                Value::Flags(set)
            }
        }
    }

    /// A case index, biased toward the first and last case.
    fn case(&mut self, n: usize) -> usize {
        match self.rng.below(8) {
            0 => 0,
            1 => n.saturating_sub(1),
            _ => self.rng.index(n),
        }
    }

    /// A list or string length: edge lengths (0, 1, long) a quarter of the time.
    fn length(&mut self) -> usize {
        let cap = self.max_len;
        let n = if self.rng.one_in(4) {
            match self.rng.below(3) {
                0 => 0,
                1 => 1,
                _ => match cap {
                    Some(c) => c,
                    None if self.rng.one_in(4) => 1024 + self.rng.index(3 * 1024 + 1),
                    None => DEFAULT_LONG,
                },
            }
        } else {
            self.plain_length()
        };
        n.min(cap.unwrap_or(usize::MAX))
    }

    /// A length without the edge bias: mostly up to 16, sometimes up to `max-len` or 64.
    fn plain_length(&mut self) -> usize {
        let cap = self.max_len;
        let n = if self.rng.one_in(4) {
            self.rng
                .index(cap.unwrap_or(DEFAULT_LONG).saturating_add(1))
        } else {
            self.rng
                .index(cap.unwrap_or(usize::MAX).min(16).saturating_add(1))
        };
        n.min(cap.unwrap_or(usize::MAX))
    }

    /// The hint's range clamped to the integer type `t`, or the type's own bounds.
    fn int_range(&self, t: &ValueType) -> (i128, i128) {
        let (tlo, thi) = int_bounds(t).unwrap_or((0, 0));
        if let Some((lo, hi)) = self.range {
            // Float-to-int `as` casts saturate, so this cannot overflow.
            let lo = (lo.ceil() as i128).max(tlo);
            let hi = (hi.floor() as i128).min(thi);
            if lo <= hi {
                return (lo, hi);
            }
        }
        (tlo, thi)
    }

    /// An integer of type `t`: edge values a quarter of the time, else uniform or log-uniform.
    fn int(&mut self, t: &ValueType) -> Value {
        let (lo, hi) = self.int_range(t);
        let n = if self.rng.one_in(4) {
            self.int_edge(lo, hi)
        } else if self.rng.bool() {
            self.rng.in_range(lo, hi)
        } else if lo <= 0 && 0 <= hi {
            // Log-uniform magnitude around 0: small numbers are as likely as huge ones.
            if lo < 0 && (hi == 0 || self.rng.bool()) {
                -self.log_uniform(-lo)
            } else {
                self.log_uniform(hi)
            }
        } else if lo > 0 {
            lo + self.log_uniform(hi - lo)
        } else {
            hi - self.log_uniform(hi - lo)
        };
        make_int(t, n.clamp(lo, hi)).unwrap_or(Value::Bool(false))
    }

    /// A number in `0..=limit` (`limit` at most 2^64) whose bit length is uniform.
    fn log_uniform(&mut self, limit: i128) -> i128 {
        let width = 128 - limit.max(1).leading_zeros();
        let bits = 1 + self.rng.below(u64::from(width.min(64)));
        let m = i128::from(self.rng.next_u64() >> (64 - bits));
        if m > limit {
            m % limit.saturating_add(1).max(1)
        } else {
            m
        }
    }

    /// An edge value in `lo..=hi`: bounds and their neighbours, 0, ±1, or a power of two ±1.
    fn int_edge(&mut self, lo: i128, hi: i128) -> i128 {
        let core = [0, 1, -1, lo, hi, lo.saturating_add(1), hi.saturating_sub(1)];
        let n = if self.rng.bool() {
            core[self.rng.index(core.len())]
        } else {
            let k = self.rng.below(64) as u32;
            let p = 1i128 << k;
            let p = if lo < 0 && self.rng.bool() { -p } else { p };
            p + i128::from(self.rng.below(3) as i8 - 1)
        };
        if (lo..=hi).contains(&n) {
            n
        } else {
            self.rng.in_range(lo, hi)
        }
    }

    fn f64(&mut self) -> f64 {
        if let Some((lo, hi)) = self.range {
            return self.f64_in(lo, hi);
        }
        if self.rng.one_in(4) {
            const EDGES: &[f64] = &[
                0.0,
                -0.0,
                1.0,
                -1.0,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NAN,
                f64::MIN_POSITIVE,
                f64::MAX,
                f64::MIN,
                f64::EPSILON,
                0.5,
                -0.5,
                0.1,
                1e300,
            ];
            return match self.rng.below(EDGES.len() as u64 + 3) {
                // Smallest and largest subnormals, either sign.
                15 => f64::from_bits(1 | (self.rng.next_u64() & (1 << 63))),
                16 => f64::from_bits(0x000F_FFFF_FFFF_FFFF | (self.rng.next_u64() & (1 << 63))),
                17 => f64::from_bits(
                    0x7FF8_0000_0000_0000 | (self.rng.next_u64() & 0x8007_FFFF_FFFF_FFFF),
                ),
                i => EDGES.get(i as usize).copied().unwrap_or(0.0),
            };
        }
        match self.rng.below(4) {
            0 => f64::from_bits(self.rng.next_u64()),
            1 => self.nice(),
            _ => {
                let exp = self.rng.in_range(-40, 40) as i32;
                let m = self.rng.unit() * 2.0 - 1.0;
                m * pow2(exp)
            }
        }
    }

    /// A small "round" number: an integer, possibly scaled by a power of two or ten.
    fn nice(&mut self) -> f64 {
        let k = self.rng.in_range(-1000, 1000) as f64;
        match self.rng.below(3) {
            0 => k,
            1 => k / pow2(self.rng.in_range(1, 8) as i32),
            _ => k / [10.0, 100.0, 1000.0][self.rng.index(3)],
        }
    }

    /// A float in `[lo, hi]`, often one of the ends or next to them.
    fn f64_in(&mut self, lo: f64, hi: f64) -> f64 {
        if self.rng.one_in(4) {
            let mut edges = vec![lo, hi, lo.next_up().min(hi), hi.next_down().max(lo)];
            edges.extend(
                [0.0, -0.0, 1.0, -1.0]
                    .into_iter()
                    .filter(|x| (lo..=hi).contains(x)),
            );
            return edges
                .get(self.rng.index(edges.len()))
                .copied()
                .unwrap_or(lo);
        }
        let (a, b) = (lo.max(f64::MIN), hi.min(f64::MAX));
        let x = if self.rng.one_in(4) && a.ceil() <= b.floor() && b.floor() - a.ceil() < 1e15 {
            // An integer in the range.
            let n = self.rng.in_range(a.ceil() as i128, b.floor() as i128);
            n as f64
        } else {
            let u = self.rng.unit();
            a * (1.0 - u) + b * u
        };
        if x.is_nan() { lo } else { x.clamp(lo, hi) }
    }

    fn f32(&mut self) -> f32 {
        if let Some((lo, hi)) = self.range {
            // Round the ends inward to f32 so the result stays within the range; a range that
            // holds no f32 is ignored.
            let lo32 = round_up_f32(lo);
            let hi32 = round_down_f32(hi);
            if lo32 <= hi32 && f64::from(lo32) <= hi && f64::from(hi32) >= lo {
                let x = self.f64_in(f64::from(lo32), f64::from(hi32)) as f32;
                return x.clamp(lo32, hi32);
            }
            self.range = None;
            let x = self.f32();
            self.range = Some((lo, hi));
            return x;
        }
        if self.rng.one_in(4) {
            const EDGES: &[f32] = &[
                0.0,
                -0.0,
                1.0,
                -1.0,
                f32::INFINITY,
                f32::NEG_INFINITY,
                f32::NAN,
                f32::MIN_POSITIVE,
                f32::MAX,
                f32::MIN,
                f32::EPSILON,
                0.5,
                0.1,
                16_777_216.0,
                16_777_217.0,
            ];
            return match self.rng.below(EDGES.len() as u64 + 2) {
                15 => f32::from_bits(1 | (self.rng.next_u64() as u32 & (1 << 31))),
                16 => f32::from_bits(0x007F_FFFF | (self.rng.next_u64() as u32 & (1 << 31))),
                i => EDGES.get(i as usize).copied().unwrap_or(0.0),
            };
        }
        match self.rng.below(4) {
            0 => f32::from_bits(self.rng.next_u64() as u32),
            1 => self.nice() as f32,
            _ => {
                let exp = self.rng.in_range(-20, 20) as i32;
                ((self.rng.unit() * 2.0 - 1.0) * pow2(exp)) as f32
            }
        }
    }

    /// How the characters of one fresh string are chosen.
    fn char_class(&mut self) -> CharClass {
        if !self.alphabet.is_empty() {
            return CharClass::Alphabet;
        }
        match self.rng.below(6) {
            0 => CharClass::AsciiAlnum,
            1 => CharClass::Numeric,
            2 => CharClass::Lower,
            3 => CharClass::Any,
            _ => CharClass::AsciiPrintable,
        }
    }

    /// A character of the class; the alphabet yields an arbitrary character one time in 32.
    fn char(&mut self, class: CharClass) -> char {
        let ascii = |rng: &mut Rng, lo: u8, hi: u8| {
            char::from(lo.wrapping_add(rng.below(u64::from(hi - lo) + 1) as u8))
        };
        match class {
            CharClass::Alphabet if !self.rng.one_in(32) => {
                let i = self.rng.index(self.alphabet.len());
                self.alphabet.get(i).copied().unwrap_or('a')
            }
            CharClass::AsciiAlnum => {
                let i = self.rng.index(62);
                char::from(
                    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[i % 62],
                )
            }
            CharClass::Numeric => self.rng.pick(NUMERIC_CHARS).copied().unwrap_or('0'),
            CharClass::Lower => ascii(self.rng, b'a', b'z'),
            CharClass::AsciiPrintable => ascii(self.rng, b' ', b'~'),
            CharClass::Alphabet | CharClass::Any => match self.rng.below(8) {
                0 | 1 => self.rng.pick(SPECIAL_CHARS).copied().unwrap_or('a'),
                2..=4 => ascii(self.rng, b' ', b'~'),
                5 | 6 => any_char(self.rng.below(0xFFFF - 0x800) as u32),
                _ => any_char(self.rng.below(SCALAR_COUNT.into()) as u32),
            },
        }
    }

    fn string(&mut self) -> String {
        let cap = self.max_len.unwrap_or(usize::MAX).min(self.budget);
        let class = self.char_class();
        let mut s: String = if self.rng.one_in(4) {
            match self.rng.below(8) {
                0 => String::new(),
                1 => self.char(class).to_string(),
                2 | 3 => {
                    let n = match self.max_len {
                        Some(c) => c,
                        None if self.rng.one_in(4) => 1024 + self.rng.index(3 * 1024 + 1),
                        None => DEFAULT_LONG,
                    };
                    (0..n.min(cap)).map(|_| self.char(class)).collect()
                }
                4 => {
                    let c = self.char(class);
                    let n = self.rng.index(DEFAULT_LONG + 1);
                    std::iter::repeat_n(c, n.min(cap)).collect()
                }
                _ if !self.alphabet.is_empty() => {
                    let n = self.length();
                    (0..n.min(cap)).map(|_| self.char(class)).collect()
                }
                _ => self
                    .rng
                    .pick(SPECIAL_STRINGS)
                    .copied()
                    .unwrap_or("")
                    .to_string(),
            }
        } else {
            let n = self.plain_length();
            (0..n.min(cap)).map(|_| self.char(class)).collect()
        };
        if let Some((i, _)) = s.char_indices().nth(cap) {
            s.truncate(i);
        }
        self.spend(s.len());
        s
    }

    /// A byte element, honouring a range hint.
    fn byte(&mut self) -> u8 {
        match self.int(&ValueType::U8) {
            Value::U8(b) => b,
            _ => 0,
        }
    }

    fn bytes(&mut self) -> Vec<u8> {
        let cap = self.max_len.unwrap_or(usize::MAX).min(self.budget);
        let mut b: Vec<u8> = if self.range.is_none() && self.rng.one_in(8) {
            match self.rng.below(4) {
                0 => self
                    .rng
                    .pick(BAD_UTF8)
                    .map(|b| b.to_vec())
                    .unwrap_or_default(),
                1 => {
                    let fill = [0u8, 0xFF, b'a'][self.rng.index(3)];
                    vec![fill; self.length().min(cap)]
                }
                _ => self.string().into_bytes(),
            }
        } else {
            let n = self.length().min(cap);
            (0..n).map(|_| self.byte()).collect()
        };
        b.truncate(cap);
        self.spend(b.len());
        b
    }

    /// A one-step mutation of `v` (which should be of type `t`): a nudged number, a flipped,
    /// inserted or deleted character, byte or element, or a regenerated part.
    fn mutate(&mut self, v: &Value, t: &ValueType, depth: usize) -> Value {
        use ValueType as T;
        if !conforms(v, t) || self.rng.one_in(8) {
            return self.value(t, depth);
        }
        match (v, t) {
            (Value::Bool(b), _) => Value::Bool(!b),
            (Value::F64(x), _) => Value::F64(self.nudge_f64(*x)),
            (Value::F32(x), _) => Value::F32(self.nudge_f32(*x)),
            (Value::Char(c), _) => Value::Char(if self.rng.bool() {
                let i = char_index(*c);
                any_char(if self.rng.bool() {
                    i + 1
                } else {
                    i + SCALAR_COUNT - 1
                })
            } else {
                let class = self.char_class();
                self.char(class)
            }),
            (Value::String(s), _) => {
                let mut chars: Vec<char> = s.chars().collect();
                let class = self.char_class();
                let c = self.char(class);
                self.edit(&mut chars, c);
                Value::String(chars.into_iter().collect())
            }
            (Value::Bytes(b), _) => {
                let mut b = b.clone();
                if !b.is_empty() && self.rng.one_in(3) {
                    let i = self.rng.index(b.len());
                    let bit = self.rng.below(8);
                    if let Some(x) = b.get_mut(i) {
                        *x ^= 1 << bit;
                    }
                } else {
                    let x = self.byte();
                    self.edit(&mut b, x);
                }
                Value::Bytes(b)
            }
            (Value::List(items), T::List(e)) => {
                let mut items = items.clone();
                if !items.is_empty() && self.rng.bool() {
                    let i = self.rng.index(items.len());
                    if let Some(x) = items.get_mut(i) {
                        *x = self.mutate(x, e, depth + 1);
                    }
                } else {
                    let x = self.value(e, depth + 1);
                    self.edit(&mut items, x);
                }
                Value::List(items)
            }
            (Value::Record(fields), T::Record(decl)) => {
                let mut fields = fields.clone();
                let i = self.rng.index(fields.len());
                if let (Some((_, x)), Some((_, t))) = (fields.get_mut(i), decl.get(i)) {
                    *x = self.mutate(x, t, depth + 1);
                }
                Value::Record(fields)
            }
            (Value::Tuple(items), T::Tuple(types)) => {
                let mut items = items.clone();
                let i = self.rng.index(items.len());
                if let (Some(x), Some(t)) = (items.get_mut(i), types.get(i)) {
                    *x = self.mutate(x, t, depth + 1);
                }
                Value::Tuple(items)
            }
            (Value::Variant(name, Some(p)), T::Variant(cases)) if self.rng.bool() => {
                match cases.iter().find(|(n, _)| n == name) {
                    Some((_, Some(pt))) => {
                        Value::Variant(name.clone(), Some(Box::new(self.mutate(p, pt, depth + 1))))
                    }
                    _ => self.value(t, depth),
                }
            }
            (Value::Option(Some(p)), T::Option(pt)) => {
                if self.rng.one_in(3) {
                    Value::Option(None)
                } else {
                    Value::Option(Some(Box::new(self.mutate(p, pt, depth + 1))))
                }
            }
            (Value::Result(r), T::Result { ok, err }) if self.rng.bool() => match (r, ok, err) {
                (Ok(Some(p)), Some(pt), _) => {
                    Value::Result(Ok(Some(Box::new(self.mutate(p, pt, depth + 1)))))
                }
                (Err(Some(p)), _, Some(pt)) => {
                    Value::Result(Err(Some(Box::new(self.mutate(p, pt, depth + 1)))))
                }
                _ => self.value(t, depth),
            },
            (Value::Flags(set), T::Flags(names)) if !names.is_empty() => {
                let flip = self.rng.index(names.len());
                let set = names
                    .iter()
                    .enumerate()
                    .filter(|(i, n)| set.contains(n) != (*i == flip))
                    .map(|(_, n)| n.clone())
                    .collect();
                Value::Flags(set)
            }
            _ => match int_of(v) {
                Some(x) => self.nudge_int(x, t),
                None => self.value(t, depth),
            },
        }
    }

    /// Replaces, inserts (within `max-len`) or deletes one element of `items`.
    fn edit<T>(&mut self, items: &mut Vec<T>, fresh: T) {
        let cap = self.max_len.unwrap_or(usize::MAX);
        let op = if items.is_empty() {
            1
        } else {
            self.rng.below(3)
        };
        let i = self.rng.index(items.len());
        match op {
            1 if items.len() < cap => items.insert(self.rng.index(items.len() + 1), fresh),
            2 => {
                if i < items.len() {
                    items.remove(i);
                }
            }
            _ => {
                if let Some(x) = items.get_mut(i) {
                    *x = fresh;
                }
            }
        }
    }

    /// `x` moved by ±1..±10, or set to an edge value, within the type and the hint's range.
    fn nudge_int(&mut self, x: i128, t: &ValueType) -> Value {
        let (lo, hi) = self.int_range(t);
        let n = if self.rng.one_in(4) {
            self.int_edge(lo, hi)
        } else {
            let d = 1 + i128::from(self.rng.below(10));
            if self.rng.bool() {
                x.saturating_add(d)
            } else {
                x.saturating_sub(d)
            }
        };
        make_int(t, n.clamp(lo, hi)).unwrap_or(Value::Bool(false))
    }

    /// `x` moved a little: to a neighbouring float, doubled, halved, negated, ±1, or redrawn;
    /// a move that leaves the hint's range is dropped.
    fn nudge_f64(&mut self, x: f64) -> f64 {
        let y = match self.rng.below(7) {
            0 => x.next_up(),
            1 => x.next_down(),
            2 => x * 2.0,
            3 => x / 2.0,
            4 => -x,
            5 => x + if self.rng.bool() { 1.0 } else { -1.0 },
            _ => return self.f64(),
        };
        self.within_range(x, y)
    }

    /// [`Gen::nudge_f64`] in `f32` arithmetic.
    fn nudge_f32(&mut self, x: f32) -> f32 {
        let y = match self.rng.below(7) {
            0 => x.next_up(),
            1 => x.next_down(),
            2 => x * 2.0,
            3 => x / 2.0,
            4 => -x,
            5 => x + if self.rng.bool() { 1.0 } else { -1.0 },
            _ => return self.f32(),
        };
        self.within_range(x, y)
    }

    /// `y` if it lies in the hint's range (or there is none), else `x`.
    fn within_range<F: Into<f64> + Copy>(&self, x: F, y: F) -> F {
        match self.range {
            Some((lo, hi)) if !(lo..=hi).contains(&y.into()) => x,
            _ => y,
        }
    }
}

/// How many Unicode scalar values there are.
const SCALAR_COUNT: u32 = 0x11_0000 - 0x800;

/// The position of `c` among the Unicode scalar values.
fn char_index(c: char) -> u32 {
    let n = u32::from(c);
    if n >= 0xE000 { n - 0x800 } else { n }
}

/// The `n`-th Unicode scalar value, skipping the surrogates (`n` is reduced into range).
fn any_char(n: u32) -> char {
    let n = n % SCALAR_COUNT;
    let n = if n >= 0xD800 { n + 0x800 } else { n };
    char::from_u32(n).unwrap_or('\u{FFFD}')
}

/// `2^exp` for `exp` in the normal range, built from bits.
fn pow2(exp: i32) -> f64 {
    let e = (exp.clamp(-1022, 1023) + 1023) as u64;
    f64::from_bits(e << 52)
}

/// The smallest `f32` that is at least `x` (`x` must not be NaN).
fn round_up_f32(x: f64) -> f32 {
    let y = x as f32;
    if f64::from(y) < x { y.next_up() } else { y }
}

/// The largest `f32` that is at most `x` (`x` must not be NaN).
fn round_down_f32(x: f64) -> f32 {
    -round_up_f32(-x)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::value::args_to_wave;
    use proptest::prelude::*;

    /// Random component types of bounded depth, with unique field and case names.
    pub(crate) fn arb_type() -> impl Strategy<Value = ValueType> {
        use ValueType as T;
        let names = |n: usize| (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>();
        let leaf = prop_oneof![
            Just(T::Bool),
            Just(T::S8),
            Just(T::U8),
            Just(T::S16),
            Just(T::U16),
            Just(T::S32),
            Just(T::U32),
            Just(T::S64),
            Just(T::U64),
            Just(T::F32),
            Just(T::F64),
            Just(T::Char),
            Just(T::String),
            (1usize..5).prop_map(move |n| T::Enum(names(n))),
            (1usize..5).prop_map(move |n| T::Flags(names(n))),
        ];
        leaf.prop_recursive(4, 24, 4, move |inner| {
            prop_oneof![
                inner.clone().prop_map(|t| T::List(Box::new(t))),
                inner.clone().prop_map(|t| T::Option(Box::new(t))),
                prop::collection::vec(inner.clone(), 1..4).prop_map(|ts| T::Record(
                    ts.into_iter()
                        .enumerate()
                        .map(|(i, t)| (format!("f{i}"), t))
                        .collect()
                )),
                prop::collection::vec(inner.clone(), 1..4).prop_map(T::Tuple),
                prop::collection::vec(prop::option::of(inner.clone()), 1..4).prop_map(|ts| {
                    T::Variant(
                        ts.into_iter()
                            .enumerate()
                            .map(|(i, t)| (format!("v{i}"), t))
                            .collect(),
                    )
                }),
                (prop::option::of(inner.clone()), prop::option::of(inner)).prop_map(|(ok, err)| {
                    T::Result {
                        ok: ok.map(Box::new),
                        err: err.map(Box::new),
                    }
                }),
            ]
        })
    }

    fn named(types: &[ValueType]) -> Vec<(String, ValueType)> {
        types
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("p{i}"), t.clone()))
            .collect()
    }

    fn hint(range: Option<[f64; 2]>, alphabet: Option<&str>, max_len: Option<usize>) -> Hints {
        let h = ParamHint {
            range,
            alphabet: alphabet.map(str::to_string),
            max_len,
        };
        Hints {
            seeds: Vec::new(),
            params: BTreeMap::from([("p0".to_string(), h)]),
        }
    }

    /// `n` draws of a single parameter of type `t`.
    fn draws(t: ValueType, hints: &Hints, n: u64) -> Vec<Value> {
        let params = named(&[t]);
        (0..n)
            .filter_map(|i| generate_args(7, i, &params, hints, &[]).pop())
            .collect()
    }

    fn wave(args: &[Value]) -> String {
        args_to_wave(args)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn values_conform_round_trip_and_repeat(types in prop::collection::vec(arb_type(), 0..4), seed: u64, index: u64) {
            let params = named(&types);
            for i in 0..4u64 {
                let index = index.wrapping_add(i);
                let args = generate_args(seed, index, &params, &Hints::default(), &[]);
                prop_assert_eq!(args.len(), types.len());
                for (v, t) in args.iter().zip(&types) {
                    prop_assert!(conforms(v, t), "{} is not a {}", v, t);
                }
                for v in &args {
                    let n = v.to_wave().len();
                    prop_assert!(n < 256 << 10, "{} bytes of WAVE", n);
                }
                let text = wave(&args);
                let again = generate_args(seed, index, &params, &Hints::default(), &[]);
                prop_assert_eq!(&text, &wave(&again));
                let parsed = parse_args(&types, &text);
                prop_assert!(parsed.is_ok(), "{text} does not parse back: {:?}", parsed.err());
                let parsed = parsed.unwrap_or_default();
                prop_assert!(parsed.iter().zip(&args).all(|(a, b)| a.same(b)), "{text} changes when parsed back");
                // Mutations of a well-typed seed are well-typed too.
                let mutated = generate_args(seed ^ 1, index, &params, &Hints::default(), std::slice::from_ref(&args));
                for (v, t) in mutated.iter().zip(&types) {
                    prop_assert!(conforms(v, t), "mutation {} is not a {}", v, t);
                }
            }
        }
    }

    #[test]
    fn golden_first_inputs_of_seed_42() {
        let params = named(&[ValueType::S32, ValueType::U8, ValueType::U8]);
        let got: Vec<String> = (0..5)
            .map(|i| wave(&generate_args(42, i, &params, &Hints::default(), &[])))
            .collect();
        let want = [
            "-1921027173, 1, 240",
            "2040356760, 235, 109",
            "-1577793852, 1, 6",
            "1773645732, 4, 239",
            "-1291338044, 112, 123",
        ];
        assert_eq!(got, want, "the PRNG or the generator changed");
    }

    #[test]
    fn different_indices_mostly_differ() {
        let params = named(&[ValueType::S32, ValueType::U8, ValueType::U8]);
        let mut seen = std::collections::HashSet::new();
        for i in 0..1000 {
            seen.insert(wave(&generate_args(1, i, &params, &Hints::default(), &[])));
        }
        assert!(
            seen.len() > 900,
            "only {} distinct inputs of 1000",
            seen.len()
        );
        let a: Vec<String> = (0..100)
            .map(|i| wave(&generate_args(1, i, &params, &Hints::default(), &[])))
            .collect();
        let b: Vec<String> = (0..100)
            .map(|i| wave(&generate_args(2, i, &params, &Hints::default(), &[])))
            .collect();
        assert!(a.iter().zip(&b).filter(|(x, y)| x != y).count() > 90);
    }

    #[test]
    fn integer_edges_appear() {
        let v = draws(ValueType::U32, &Hints::default(), 1000);
        assert!(v.iter().any(|v| matches!(v, Value::U32(0))));
        assert!(v.iter().any(|v| matches!(v, Value::U32(u32::MAX))));
        assert!(v.iter().any(|v| matches!(v, Value::U32(1))));
        let v = draws(ValueType::S64, &Hints::default(), 1000);
        for edge in [0, 1, -1, i64::MIN, i64::MAX, i64::MIN + 1, i64::MAX - 1] {
            assert!(
                v.iter().any(|v| matches!(v, Value::S64(x) if *x == edge)),
                "{edge} missing"
            );
        }
        // Both small and huge magnitudes.
        assert!(
            v.iter()
                .filter(|v| matches!(v, Value::S64(x) if x.unsigned_abs() < 1000))
                .count()
                > 50
        );
        assert!(
            v.iter()
                .filter(|v| matches!(v, Value::S64(x) if x.unsigned_abs() > 1 << 40))
                .count()
                > 200
        );
    }

    #[test]
    fn float_edges_appear() {
        let v = draws(ValueType::F64, &Hints::default(), 1000);
        let has = |f: &dyn Fn(f64) -> bool| v.iter().any(|v| matches!(v, Value::F64(x) if f(*x)));
        assert!(has(&|x| x.is_nan()));
        assert!(has(&|x| x == 0.0 && x.is_sign_negative()));
        assert!(has(&|x| x == 0.0 && x.is_sign_positive()));
        assert!(has(&|x| x.is_infinite()));
        assert!(has(&|x| x == f64::MAX || x == f64::MIN));
        assert!(has(&|x| x != 0.0 && x.is_subnormal()));
        assert!(has(&|x| x == 1.0));
        let v = draws(ValueType::F32, &Hints::default(), 1000);
        let has = |f: &dyn Fn(f32) -> bool| v.iter().any(|v| matches!(v, Value::F32(x) if f(*x)));
        assert!(has(&|x| x.is_nan()));
        assert!(has(&|x| x == 0.0 && x.is_sign_negative()));
        assert!(has(&|x| x.is_infinite()));
        assert!(has(&|x| x != 0.0 && x.is_subnormal()));
    }

    #[test]
    fn string_and_list_edges_appear() {
        let v = draws(ValueType::String, &Hints::default(), 1000);
        let has =
            |f: &dyn Fn(&str) -> bool| v.iter().any(|v| matches!(v, Value::String(s) if f(s)));
        assert!(has(&|s| s.is_empty()));
        assert!(has(&|s| s.chars().count() == 1));
        assert!(has(&|s| s.len() >= 1024));
        assert!(has(&|s| s.contains('é')
            || s.contains('日')
            || s.contains('🦀')));
        assert!(has(&|s| s.len() > s.chars().count()));
        assert!(has(
            &|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || ".-+eE".contains(c))
        ));
        let v = draws(
            ValueType::List(Box::new(ValueType::U16)),
            &Hints::default(),
            1000,
        );
        let lens: Vec<usize> = v
            .iter()
            .map(|v| {
                if let Value::List(l) = v {
                    l.len()
                } else {
                    usize::MAX
                }
            })
            .collect();
        assert!(
            lens.contains(&0)
                && lens.contains(&1)
                && lens.iter().any(|n| *n >= 64 && *n != usize::MAX)
        );
        let v = draws(
            ValueType::List(Box::new(ValueType::U8)),
            &Hints::default(),
            1000,
        );
        assert!(v.iter().all(|v| matches!(v, Value::Bytes(_))));
        assert!(
            v.iter()
                .any(|v| matches!(v, Value::Bytes(b) if b.is_empty()))
        );
        assert!(
            v.iter()
                .any(|v| matches!(v, Value::Bytes(b) if b.len() >= 1024))
        );
        assert!(
            v.iter()
                .any(|v| matches!(v, Value::Bytes(b) if std::str::from_utf8(b).is_err()))
        );
    }

    #[test]
    fn chars_are_varied_scalar_values() {
        let v = draws(ValueType::Char, &Hints::default(), 2000);
        let cs: Vec<char> = v
            .iter()
            .filter_map(|v| {
                if let Value::Char(c) = v {
                    Some(*c)
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(cs.len(), 2000);
        assert!(cs.iter().any(|c| c.is_ascii_alphanumeric()));
        assert!(cs.iter().any(|c| c.len_utf8() == 2));
        assert!(cs.iter().any(|c| c.len_utf8() == 3));
        assert!(cs.iter().any(|c| c.len_utf8() == 4));
        // Every index maps to a scalar value, skipping exactly the surrogates.
        assert_eq!(any_char(0xD7FF), '\u{D7FF}');
        assert_eq!(any_char(0xD800), '\u{E000}');
        assert_eq!(any_char(SCALAR_COUNT - 1), '\u{10FFFF}');
        assert_eq!(any_char(SCALAR_COUNT), '\0');
        assert_eq!(char_index('\u{10FFFF}'), SCALAR_COUNT - 1);
    }

    #[test]
    fn integer_ranges_are_respected() {
        let v = draws(ValueType::U8, &hint(Some([1.0, 12.0]), None, None), 1000);
        assert!(v.iter().all(|v| matches!(v, Value::U8(1..=12))));
        assert!(
            v.iter().any(|v| matches!(v, Value::U8(1)))
                && v.iter().any(|v| matches!(v, Value::U8(12)))
        );
        let v = draws(
            ValueType::S16,
            &hint(Some([-5.5, 1000.0]), None, None),
            1000,
        );
        assert!(v.iter().all(|v| matches!(v, Value::S16(-5..=1000))));
        assert!(
            v.iter().any(|v| matches!(v, Value::S16(-5)))
                && v.iter().any(|v| matches!(v, Value::S16(1000)))
        );
        // A range wider than the type is clamped to it.
        let v = draws(ValueType::U8, &hint(Some([-1e30, 1e30]), None, None), 1000);
        assert!(
            v.iter().any(|v| matches!(v, Value::U8(0)))
                && v.iter().any(|v| matches!(v, Value::U8(255)))
        );
        // Ranges apply to elements, and to 64-bit extremes without overflow.
        let v = draws(
            ValueType::List(Box::new(ValueType::U64)),
            &hint(Some([10.0, 20.0]), None, None),
            300,
        );
        assert!(v.iter().all(
            |v| matches!(v, Value::List(l) if l.iter().all(|x| matches!(x, Value::U64(10..=20))))
        ));
        let v = draws(
            ValueType::List(Box::new(ValueType::U8)),
            &hint(Some([65.0, 70.0]), None, None),
            300,
        );
        assert!(
            v.iter()
                .all(|v| matches!(v, Value::Bytes(b) if b.iter().all(|x| (65..=70).contains(x))))
        );
        let v = draws(
            ValueType::S64,
            &hint(Some([f64::MIN, f64::MAX]), None, None),
            300,
        );
        assert!(v.iter().any(|v| matches!(v, Value::S64(i64::MIN))));
        // Empty, inverted or NaN ranges fall back to the type.
        for r in [[0.2, 0.8], [5.0, 1.0], [f64::NAN, 1.0]] {
            let v = draws(ValueType::U8, &hint(Some(r), None, None), 300);
            assert!(v.iter().any(|v| matches!(v, Value::U8(x) if *x > 1)));
        }
    }

    #[test]
    fn float_ranges_are_respected() {
        let v = draws(ValueType::F64, &hint(Some([-1.0, 1.0]), None, None), 1000);
        assert!(
            v.iter()
                .all(|v| matches!(v, Value::F64(x) if (-1.0..=1.0).contains(x)))
        );
        assert!(v.iter().any(|v| matches!(v, Value::F64(x) if *x == 1.0)));
        assert!(
            v.iter()
                .any(|v| matches!(v, Value::F64(x) if *x == 1.0f64.next_down()))
        );
        let v = draws(ValueType::F32, &hint(Some([0.1, 0.2]), None, None), 1000);
        assert!(
            v.iter()
                .all(|v| matches!(v, Value::F32(x) if (0.1..=0.2).contains(&f64::from(*x))))
        );
        let v = draws(
            ValueType::F64,
            &hint(Some([f64::MIN, f64::MAX]), None, None),
            1000,
        );
        assert!(
            v.iter()
                .all(|v| matches!(v, Value::F64(x) if x.is_finite()))
        );
        let v = draws(
            ValueType::F64,
            &hint(Some([0.0, f64::INFINITY]), None, None),
            1000,
        );
        assert!(v.iter().all(|v| matches!(v, Value::F64(x) if *x >= 0.0)));
        assert!(
            v.iter()
                .any(|v| matches!(v, Value::F64(x) if x.is_infinite()))
        );
        // A range that holds no f32 is ignored.
        let v = draws(ValueType::F32, &hint(Some([1e39, 1e40]), None, None), 300);
        assert!(
            v.iter()
                .any(|v| matches!(v, Value::F32(x) if x.is_finite()))
        );
        // Mutated seeds stay in the range too.
        let params = named(&[ValueType::F32, ValueType::F64]);
        let mut hints = hint(Some([-2.0, 2.0]), None, None);
        hints.params.insert(
            "p1".into(),
            ParamHint {
                range: Some([0.0, 1.0]),
                ..ParamHint::default()
            },
        );
        let seeds = vec![vec![Value::F32(2.0), Value::F64(1.0)]];
        for i in 0..500 {
            let args = generate_args(5, i, &params, &hints, &seeds);
            assert!(
                matches!(args[0], Value::F32(x) if (-2.0..=2.0).contains(&x)),
                "{}",
                wave(&args)
            );
            assert!(
                matches!(args[1], Value::F64(x) if (0.0..=1.0).contains(&x)),
                "{}",
                wave(&args)
            );
        }
    }

    #[test]
    fn max_len_is_respected() {
        let v = draws(ValueType::String, &hint(None, None, Some(5)), 1000);
        assert!(
            v.iter()
                .all(|v| matches!(v, Value::String(s) if s.chars().count() <= 5))
        );
        assert!(
            v.iter()
                .any(|v| matches!(v, Value::String(s) if s.chars().count() == 5))
        );
        let t = ValueType::List(Box::new(ValueType::List(Box::new(ValueType::String))));
        for v in draws(t, &hint(None, None, Some(2)), 500) {
            let Value::List(outer) = v else {
                panic!("not a list")
            };
            assert!(outer.len() <= 2);
            for inner in outer {
                let Value::List(inner) = inner else {
                    panic!("not a list")
                };
                assert!(inner.len() <= 2);
                assert!(
                    inner
                        .iter()
                        .all(|s| matches!(s, Value::String(s) if s.chars().count() <= 2))
                );
            }
        }
        let v = draws(
            ValueType::List(Box::new(ValueType::U8)),
            &hint(None, None, Some(3)),
            500,
        );
        assert!(
            v.iter()
                .all(|v| matches!(v, Value::Bytes(b) if b.len() <= 3))
        );
        let v = draws(ValueType::String, &hint(None, None, Some(0)), 100);
        assert!(
            v.iter()
                .all(|v| matches!(v, Value::String(s) if s.is_empty()))
        );
    }

    #[test]
    fn alphabet_is_mostly_used() {
        let v = draws(ValueType::String, &hint(None, Some("ab"), None), 1000);
        let chars: Vec<char> = v
            .iter()
            .flat_map(|v| {
                if let Value::String(s) = v {
                    s.chars().collect()
                } else {
                    vec![]
                }
            })
            .collect();
        let inside = chars.iter().filter(|c| **c == 'a' || **c == 'b').count();
        assert!(
            inside * 100 > chars.len() * 90,
            "{inside} of {}",
            chars.len()
        );
        assert!(inside < chars.len(), "never an arbitrary character");
        let v = draws(ValueType::Char, &hint(None, Some("日x"), None), 1000);
        assert!(
            v.iter()
                .filter(|v| matches!(v, Value::Char('日' | 'x')))
                .count()
                > 900
        );
    }

    #[test]
    fn nesting_is_bounded() {
        fn depth(v: &Value) -> usize {
            match v {
                Value::List(l) => 1 + l.iter().map(depth).max().unwrap_or(0),
                _ => 0,
            }
        }
        let mut t = ValueType::U32;
        for _ in 0..8 {
            t = ValueType::List(Box::new(t));
        }
        let v = draws(t, &Hints::default(), 300);
        assert!(v.iter().all(|v| depth(v) <= MAX_DEPTH + 1));
        assert!(v.iter().any(|v| depth(v) == MAX_DEPTH + 1));
        assert!(v.iter().all(|v| v.to_wave().len() < 1 << 20));
    }

    #[test]
    fn seeds_are_mutated_about_a_third_of_the_time() {
        let types = [ValueType::S32, ValueType::U8, ValueType::U8];
        let params = named(&types);
        let hints = Hints {
            seeds: vec!["2000, 2, 29".into()],
            ..Hints::default()
        };
        let seeds = hints.parsed_seeds(&types).unwrap_or_default();
        assert_eq!(seeds.len(), 1);
        let seed = &seeds[0];
        let mut near = 0;
        for i in 0..600 {
            let args = generate_args(3, i, &params, &hints, &seeds);
            let changed = args.iter().zip(seed).filter(|(a, b)| !a.same(b)).count();
            if changed <= 1 {
                near += 1;
            }
        }
        assert!((120..=300).contains(&near), "{near} of 600 near the seed");
        // A seed of the wrong shape is ignored.
        let bad = vec![vec![Value::Bool(true)]];
        for i in 0..50 {
            let args = generate_args(3, i, &params, &hints, &bad);
            assert!(args.iter().zip(&types).all(|(v, t)| conforms(v, t)));
        }
    }

    #[test]
    fn mutations_stay_in_range_and_length() {
        let types = [ValueType::U8, ValueType::String];
        let params = named(&types);
        let mut hints = hint(Some([1.0, 12.0]), None, None);
        hints.params.insert(
            "p1".into(),
            ParamHint {
                max_len: Some(4),
                ..ParamHint::default()
            },
        );
        let seeds = vec![vec![Value::U8(12), Value::String("abcd".into())]];
        for i in 0..1000 {
            let args = generate_args(9, i, &params, &hints, &seeds);
            assert!(matches!(args[0], Value::U8(1..=12)), "{}", wave(&args));
            assert!(
                matches!(&args[1], Value::String(s) if s.chars().count() <= 4),
                "{}",
                wave(&args)
            );
        }
    }

    #[test]
    fn odd_types_do_not_panic() {
        let types = [
            ValueType::Variant(Vec::new()),
            ValueType::Enum(Vec::new()),
            ValueType::Flags(Vec::new()),
            ValueType::Record(Vec::new()),
            ValueType::Tuple(Vec::new()),
            ValueType::Result {
                ok: None,
                err: None,
            },
        ];
        let params = named(&types);
        for i in 0..100 {
            let args = generate_args(u64::MAX, i, &params, &Hints::default(), &[]);
            assert_eq!(args.len(), types.len());
        }
        assert!(generate_args(0, 0, &[], &Hints::default(), &[vec![]]).is_empty());
    }

    #[test]
    fn conforms_rejects_mismatches() {
        use ValueType as T;
        // A list<u8> may also be spelled as a list of u8 values, but not of s8.
        assert!(conforms(
            &Value::List(vec![Value::U8(1)]),
            &T::List(Box::new(T::U8))
        ));
        assert!(!conforms(
            &Value::List(vec![Value::S8(1)]),
            &T::List(Box::new(T::U8))
        ));
        assert!(conforms(&Value::Bytes(vec![1]), &T::List(Box::new(T::U8))));
        assert!(!conforms(&Value::Bytes(vec![1]), &T::List(Box::new(T::S8))));
        let flags = T::Flags(vec!["a".into(), "b".into(), "c".into()]);
        assert!(conforms(
            &Value::Flags(vec!["a".into(), "c".into()]),
            &flags
        ));
        assert!(!conforms(
            &Value::Flags(vec!["c".into(), "a".into()]),
            &flags
        ));
        assert!(!conforms(
            &Value::Flags(vec!["a".into(), "a".into()]),
            &flags
        ));
        assert!(!conforms(&Value::Flags(vec!["d".into()]), &flags));
        let rec = T::Record(vec![("x".into(), T::U8), ("y".into(), T::Bool)]);
        assert!(conforms(
            &Value::Record(vec![
                ("x".into(), Value::U8(1)),
                ("y".into(), Value::Bool(true))
            ]),
            &rec
        ));
        assert!(!conforms(
            &Value::Record(vec![
                ("y".into(), Value::Bool(true)),
                ("x".into(), Value::U8(1))
            ]),
            &rec
        ));
        let var = T::Variant(vec![("a".into(), Some(T::U8)), ("b".into(), None)]);
        assert!(conforms(
            &Value::Variant("a".into(), Some(Box::new(Value::U8(1)))),
            &var
        ));
        assert!(!conforms(&Value::Variant("a".into(), None), &var));
        assert!(!conforms(
            &Value::Variant("b".into(), Some(Box::new(Value::U8(1)))),
            &var
        ));
        assert!(!conforms(
            &Value::Enum("z".into()),
            &T::Enum(vec!["a".into()])
        ));
        let res = T::Result {
            ok: None,
            err: Some(Box::new(T::String)),
        };
        assert!(conforms(&Value::Result(Ok(None)), &res));
        assert!(!conforms(&Value::Result(Err(None)), &res));
    }

    #[test]
    fn unknown_params_are_named() {
        let hints = hint(Some([0.0, 1.0]), None, None);
        assert!(hints.unknown_params(&named(&[ValueType::U8])).is_empty());
        assert_eq!(
            hints.unknown_params(&[("q".into(), ValueType::U8)]),
            vec!["p0"]
        );
    }
}
