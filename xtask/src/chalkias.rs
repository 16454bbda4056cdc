//! `cargo xtask chalkias-corpus -o FILE`: builds the twelve edge-case Ed25519 vectors
//! that Chalkias, Garillot and Nikolaenko describe in "Taming the many EdDSAs"
//! (SSR 2020), for `ed25519-verify` (`public-key, message, signature`).
//!
//! The vectors are built here from the paper's description of them, with the curve
//! arithmetic of `curve25519-dalek` and SHA-512 from `sha2`; the paper's own vectors
//! are not copied. Each case names the orders of `A` and `R` (small: in the
//! 8-torsion; mixed: a small-order part and an order-`L` part; `L`-order: torsion
//! free), the range of `S`, and which of the two verification equations pass:
//!
//! - cofactored: `8·(S·B) = 8·R + 8·(k·A)`,
//! - cofactorless: `S·B = R + k·A`,
//!
//! with `k = SHA-512(R ‖ A ‖ M) mod L` over the bytes as given. Where a case's
//! property depends on the challenge `k`, messages `case N #0`, `case N #1`, … are
//! tried in turn until it holds, as the paper searched messages, so the build is
//! reproducible. Every property a comment claims is measured on the finished
//! vector, and the command fails if one does not hold; cases 8–11, whose `R` or
//! `A` is a non-canonical encoding (`y ≥ p`), are measured both with the bytes
//! hashed as given and with the point re-encoded canonically before hashing.
//!
//! Where the paper's description leaves a detail open (which small-order points,
//! which non-canonical encoding, the order of the other point in cases 8–11), the
//! vector is one that has the stated property, and its comment says what it is.
//! The lines carry no `=> expectation`: libraries legitimately differ on them.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use curve25519_dalek::constants::EIGHT_TORSION;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use sha2::{Digest, Sha512};

/// The group order `L = 2^252 + 27742317777372353535851937790883648493`, little-endian.
const L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// The field prime `p = 2^255 - 19`, little-endian: read as an encoding, `y = p`.
const P: [u8; 32] = [
    0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
];

/// How many messages a case tries before the build gives up.
const TRIES: usize = 4096;

/// Runs `cargo xtask chalkias-corpus -o FILE`.
pub fn main(args: &[String]) -> Result<()> {
    let usage = "usage: cargo xtask chalkias-corpus -o FILE";
    let mut out = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" | "--output" => out = Some(PathBuf::from(it.next().context(usage)?)),
            other => bail!("unexpected argument `{other}`; {usage}"),
        }
    }
    let Some(out) = out else { bail!("{usage}") };
    let corpus = build()?;
    std::fs::write(&out, &corpus.text).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "wrote {}: {} vector(s), every claimed property checked",
        out.display(),
        corpus.vectors.len()
    );
    Ok(())
}

/// The built vectors and the corpus file's text.
#[derive(Debug)]
pub struct Corpus {
    /// The corpus file's text.
    pub text: String,
    /// The vectors, case 0 first.
    pub vectors: Vec<Vector>,
}

/// One test vector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vector {
    pub public_key: [u8; 32],
    pub message: Vec<u8>,
    pub signature: [u8; 64],
}

/// The order of a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    /// In the 8-torsion subgroup (the identity included).
    Small,
    /// A non-zero small-order part and a non-zero order-`L` part.
    Mixed,
    /// Order `L`: torsion free and not the identity.
    Prime,
}

/// How a point is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Canonical,
    /// `y ≥ p` (the sign bit aside): a non-canonical encoding.
    YAtLeastP,
    /// Non-canonical otherwise (`x = 0` with the sign bit set).
    OtherNonCanonical,
}

/// The range of `S`, read as a 256-bit little-endian integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SRange {
    Zero,
    /// `0 < S < L`.
    Reduced,
    /// `L ≤ S < 2^253`: the top three bits clear.
    AboveL,
    /// `S ≥ 2^253`: one of the top three bits set.
    HighBits,
}

/// Whether the two equations hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Verdict {
    cofactored: bool,
    cofactorless: bool,
}

const PASS: Verdict = Verdict {
    cofactored: true,
    cofactorless: true,
};
const COFACTORED_ONLY: Verdict = Verdict {
    cofactored: true,
    cofactorless: false,
};
const FAIL: Verdict = Verdict {
    cofactored: false,
    cofactorless: false,
};

/// What is measured of a vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Facts {
    a: Order,
    r: Order,
    a_encoding: Encoding,
    r_encoding: Encoding,
    s: SRange,
    /// With `k` over the bytes as given (and `S` reduced mod `L`).
    as_given: Verdict,
    /// With `k` over `A` and `R` re-encoded canonically.
    re_encoded: Verdict,
}

/// One of the paper's cases: what it is, and the facts it must have.
struct Case {
    description: &'static str,
    facts: Facts,
}

const fn facts(a: Order, r: Order, s: SRange, v: Verdict) -> Facts {
    Facts {
        a,
        r,
        a_encoding: Encoding::Canonical,
        r_encoding: Encoding::Canonical,
        s,
        as_given: v,
        re_encoded: v,
    }
}

const CASES: [Case; 12] = {
    use Order::{Mixed, Prime, Small};
    use SRange::{AboveL, HighBits, Reduced, Zero};
    [
        Case {
            description: "S = 0, small-order A (order 8), small-order R (order 8)",
            facts: facts(Small, Small, Zero, PASS),
        },
        Case {
            description: "0 < S < L, small-order A (order 8), mixed-order R",
            facts: facts(Small, Mixed, Reduced, PASS),
        },
        Case {
            description: "0 < S < L, mixed-order A, small-order R (order 4)",
            facts: facts(Mixed, Small, Reduced, PASS),
        },
        Case {
            description: "0 < S < L, mixed-order A, mixed-order R",
            facts: facts(Mixed, Mixed, Reduced, PASS),
        },
        Case {
            description: "0 < S < L, mixed-order A, mixed-order R, cofactorless equation off by a small-order point",
            facts: facts(Mixed, Mixed, Reduced, COFACTORED_ONLY),
        },
        Case {
            description: "0 < S < L, mixed-order A, L-order R",
            facts: facts(Mixed, Prime, Reduced, COFACTORED_ONLY),
        },
        Case {
            description: "S + L in place of S (L <= S < 2^253, top three bits clear), an RFC 8032 signature otherwise",
            facts: facts(Prime, Prime, AboveL, PASS),
        },
        Case {
            description: "S + n*L in place of S, n the largest keeping it below 2^256 (top four bits set), an RFC 8032 signature otherwise",
            facts: facts(Prime, Prime, HighBits, PASS),
        },
        Case {
            description: "non-canonical R: the identity with y = p + 1, mixed-order A, 0 < S < L, signed over R as given",
            facts: Facts {
                r_encoding: Encoding::YAtLeastP,
                re_encoded: FAIL,
                ..facts(Mixed, Small, Reduced, PASS)
            },
        },
        Case {
            description: "non-canonical R: the order-4 point with y = p, mixed-order A, 0 < S < L, signed over R re-encoded canonically",
            facts: Facts {
                r_encoding: Encoding::YAtLeastP,
                as_given: FAIL,
                ..facts(Mixed, Small, Reduced, PASS)
            },
        },
        Case {
            description: "non-canonical A: the order-4 point with y = p, mixed-order R, 0 < S < L, signed over A as given",
            facts: Facts {
                a_encoding: Encoding::YAtLeastP,
                re_encoded: COFACTORED_ONLY,
                ..facts(Small, Mixed, Reduced, PASS)
            },
        },
        Case {
            description: "non-canonical A: the order-4 point with y = p and the sign bit set, mixed-order R, 0 < S < L, signed over A re-encoded canonically",
            facts: Facts {
                a_encoding: Encoding::YAtLeastP,
                as_given: COFACTORED_ONLY,
                ..facts(Small, Mixed, Reduced, PASS)
            },
        },
    ]
};

/// Builds the twelve vectors, checking every claimed property.
///
/// # Errors
/// When a case finds no message with its properties among the first [`TRIES`].
pub fn build() -> Result<Corpus> {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "# Chalkias, Garillot and Nikolaenko, Taming the many EdDSAs, SSR 2020; vectors built by `cargo xtask chalkias-corpus` from the paper's description"
    );
    let _ = writeln!(
        text,
        "# for ed25519-verify(public-key, message, signature). No expectations: libraries legitimately differ on these.\n# cofactored: 8*(S*B) == 8*R + 8*(k*A); cofactorless: S*B == R + k*A; k = SHA-512(R || A || M) mod L over the bytes as given."
    );
    let mut vectors = Vec::new();
    for (n, case) in CASES.iter().enumerate() {
        let v = search(n, case)?;
        let _ = writeln!(text, "# class: case {n}");
        let _ = writeln!(
            text,
            "# case {n}: {} [{}]",
            case.description,
            tags(&case.facts)
        );
        let _ = writeln!(
            text,
            "{}, {}, {}",
            wave_bytes(&v.public_key),
            wave_bytes(&v.message),
            wave_bytes(&v.signature)
        );
        vectors.push(v);
    }
    Ok(Corpus { text, vectors })
}

/// Tries messages `case N #i` until case `n` has its facts.
fn search(n: usize, case: &Case) -> Result<Vector> {
    for i in 0..TRIES {
        let message = format!("case {n} #{i}").into_bytes();
        let (public_key, signature) = make(n, &message);
        if measure(&public_key, &message, &signature) == Some(case.facts) {
            return Ok(Vector {
                public_key,
                message,
                signature,
            });
        }
    }
    bail!(
        "case {n} ({}): no message up to #{TRIES} gives it {:?}",
        case.description,
        case.facts
    )
}

/// The bracketed summary of a case's verdicts.
fn tags(f: &Facts) -> String {
    let v = |v: &Verdict| {
        let w = |b: bool| if b { "pass" } else { "fail" };
        format!(
            "cofactored: {}, cofactorless: {}",
            w(v.cofactored),
            w(v.cofactorless)
        )
    };
    let which = match (f.a_encoding, f.r_encoding) {
        (Encoding::Canonical, Encoding::Canonical) => None,
        (Encoding::Canonical, _) => Some("R"),
        (_, Encoding::Canonical) => Some("A"),
        _ => Some("A and R"),
    };
    match which {
        Some(p) => format!(
            "{}, hashing {p} as given; {}, hashing {p} re-encoded canonically",
            v(&f.as_given),
            v(&f.re_encoded)
        ),
        None if matches!(f.s, SRange::AboveL | SRange::HighBits) => {
            format!("{}, with S reduced mod L; S >= L", v(&f.as_given))
        }
        None => v(&f.as_given),
    }
}

/// A scalar derived from a label, for the secret parts of case `n`'s points.
fn scalar(n: usize, label: &str) -> Scalar {
    let h = Sha512::digest(format!("Taming the many EdDSAs, case {n}, {label}"));
    Scalar::from_bytes_mod_order_wide(&h.into())
}

/// `k = SHA-512(R ‖ A ‖ M) mod L`.
fn challenge(r: &[u8; 32], a: &[u8; 32], message: &[u8]) -> Scalar {
    let mut h = Sha512::new();
    h.update(r);
    h.update(a);
    h.update(message);
    Scalar::from_bytes_mod_order_wide(&h.finalize().into())
}

fn signature(r: &[u8; 32], s: &[u8; 32]) -> [u8; 64] {
    let mut sig = [0; 64];
    sig[..32].copy_from_slice(r);
    sig[32..].copy_from_slice(s);
    sig
}

fn enc(p: &EdwardsPoint) -> [u8; 32] {
    p.compress().to_bytes()
}

fn mul_base(s: &Scalar) -> EdwardsPoint {
    EdwardsPoint::mul_base(s)
}

/// The canonical encoding of a decodable point encoding.
fn canonical(bytes: &[u8; 32]) -> [u8; 32] {
    CompressedEdwardsY(*bytes)
        .decompress()
        .map_or(*bytes, |p| enc(&p))
}

/// An RFC 8032 (section 5.1.6) signature by the key with this seed: `(A, R, S)`.
fn rfc8032_sign(seed: &[u8; 32], message: &[u8]) -> ([u8; 32], [u8; 32], Scalar) {
    let h = Sha512::digest(seed);
    let mut a: [u8; 32] = h[..32].try_into().expect("32 bytes");
    a[0] &= 248;
    a[31] &= 127;
    a[31] |= 64;
    let a = Scalar::from_bytes_mod_order(a);
    let public = enc(&mul_base(&a));
    let mut hr = Sha512::new();
    hr.update(&h[32..]);
    hr.update(message);
    let r = Scalar::from_bytes_mod_order_wide(&hr.finalize().into());
    let rb = enc(&mul_base(&r));
    let s = r + challenge(&rb, &public, message) * a;
    (public, rb, s)
}

/// Adds `L` to a 256-bit little-endian integer; `None` when the sum needs 257 bits.
fn add_l(s: &[u8; 32]) -> Option<[u8; 32]> {
    let mut out = [0; 32];
    let mut carry = 0u16;
    for i in 0..32 {
        let t = u16::from(s[i]) + u16::from(L[i]) + carry;
        out[i] = t as u8;
        carry = t >> 8;
    }
    (carry == 0).then_some(out)
}

/// Case `n`'s public key and signature for `message`.
fn make(n: usize, message: &[u8]) -> ([u8; 32], [u8; 64]) {
    let t = |i: usize| EIGHT_TORSION[i];
    let a = scalar(n, "a");
    let r = scalar(n, "r");
    match n {
        // S·B = 0 = R + k·A: the search finds k with R = -k·A.
        0 => (enc(&t(1)), signature(&enc(&t(5)), &[0; 32])),
        // S = r, and the search finds k with the torsion of R equal to -k·A.
        1 => (
            enc(&t(3)),
            signature(&enc(&(mul_base(&r) + t(6))), &r.to_bytes()),
        ),
        // A = a·B + T, S = k·a; the search finds k with R = -k·T.
        2 => {
            let pk = enc(&(mul_base(&a) + t(1)));
            let rb = enc(&t(2));
            let s = challenge(&rb, &pk, message) * a;
            (pk, signature(&rb, &s.to_bytes()))
        }
        // A = a·B + T_A, R = r·B + T_R, S = r + k·a; case 3 needs T_R = -k·T_A
        // (found by the search), cases 4 and 5 (T_R = 0) a k without it.
        3..=5 => {
            let (ta, tr) = match n {
                3 => (t(3), t(4)),
                4 => (t(5), t(2)),
                _ => (t(7), t(0)),
            };
            let pk = enc(&(mul_base(&a) + ta));
            let rb = enc(&(mul_base(&r) + tr));
            let s = r + challenge(&rb, &pk, message) * a;
            (pk, signature(&rb, &s.to_bytes()))
        }
        // A valid RFC 8032 signature, its S replaced by S + L (case 6) or by the
        // largest S + n·L below 2^256 (case 7).
        6 | 7 => {
            let seed: [u8; 32] = Sha512::digest(format!("Taming the many EdDSAs, case {n}, seed"))
                [..32]
                .try_into()
                .expect("32 bytes");
            let (pk, rb, s) = rfc8032_sign(&seed, message);
            let mut big = add_l(&s.to_bytes()).expect("S + L fits 256 bits");
            if n == 7 {
                while let Some(next) = add_l(&big) {
                    big = next;
                }
            }
            (pk, signature(&rb, &big))
        }
        // A = a·B + T, R small order and non-canonical (y = p + 1: the identity;
        // y = p: an order-4 point), S = k·a with k over R as given (case 8) or
        // over R re-encoded (case 9); the search finds k with R = -k·T.
        8 | 9 => {
            let ta = if n == 8 { t(1) } else { t(3) };
            let pk = enc(&(mul_base(&a) + ta));
            let mut rb = P;
            if n == 8 {
                rb[0] += 1;
            }
            let hashed = if n == 8 { rb } else { canonical(&rb) };
            let s = challenge(&hashed, &pk, message) * a;
            (pk, signature(&rb, &s.to_bytes()))
        }
        // A an order-4 point encoded with y = p (case 11: with the sign bit set),
        // R = r·B + T, S = r; the search finds k, over A as given (case 10) or
        // re-encoded (case 11), with T = -k·A and the other k without it.
        10 | 11 => {
            let mut pk = P;
            if n == 11 {
                pk[31] |= 0x80;
            }
            let tr = if n == 10 { t(2) } else { t(4) };
            (pk, signature(&enc(&(mul_base(&r) + tr)), &r.to_bytes()))
        }
        _ => unreachable!("the paper has 12 cases"),
    }
}

/// The facts of a vector, or `None` when `A` or `R` does not decode.
fn measure(pk: &[u8; 32], message: &[u8], sig: &[u8; 64]) -> Option<Facts> {
    let rb: [u8; 32] = sig[..32].try_into().expect("32 bytes");
    let sb: [u8; 32] = sig[32..].try_into().expect("32 bytes");
    let a = CompressedEdwardsY(*pk).decompress()?;
    let r = CompressedEdwardsY(rb).decompress()?;
    let s = Scalar::from_bytes_mod_order(sb);
    let (ac, rc) = (enc(&a), enc(&r));
    let verdict = |k: Scalar| {
        let sb = mul_base(&s);
        let rhs = r + k * a;
        Verdict {
            cofactored: sb.mul_by_cofactor() == r.mul_by_cofactor() + (k * a).mul_by_cofactor(),
            cofactorless: sb == rhs,
        }
    };
    Some(Facts {
        a: order(&a),
        r: order(&r),
        a_encoding: encoding(pk, &ac),
        r_encoding: encoding(&rb, &rc),
        s: s_range(&sb),
        as_given: verdict(challenge(&rb, pk, message)),
        re_encoded: verdict(challenge(&rc, &ac, message)),
    })
}

fn order(p: &EdwardsPoint) -> Order {
    if p.is_small_order() {
        Order::Small
    } else if p.is_torsion_free() {
        Order::Prime
    } else {
        Order::Mixed
    }
}

fn encoding(bytes: &[u8; 32], canonical: &[u8; 32]) -> Encoding {
    let mut y = *bytes;
    y[31] &= 0x7f;
    if !less(&y, &P) {
        Encoding::YAtLeastP
    } else if bytes == canonical {
        Encoding::Canonical
    } else {
        Encoding::OtherNonCanonical
    }
}

fn s_range(s: &[u8; 32]) -> SRange {
    if s.iter().all(|&b| b == 0) {
        SRange::Zero
    } else if less(s, &L) {
        SRange::Reduced
    } else if s[31] & 0xe0 == 0 {
        SRange::AboveL
    } else {
        SRange::HighBits
    }
}

/// `x < y` for 256-bit little-endian integers.
fn less(x: &[u8; 32], y: &[u8; 32]) -> bool {
    x.iter().rev().lt(y.iter().rev())
}

/// A `list<u8>` as WAVE: `[1, 2, 3]`.
fn wave_bytes(b: &[u8]) -> String {
    let items: Vec<String> = b.iter().map(u8::to_string).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
    use curve25519_dalek::traits::Identity;

    /// A line of the corpus, parsed back: `(comment, public key, message, signature)`.
    type Line = (String, Vec<u8>, Vec<u8>, Vec<u8>);

    /// A case's expected facts: (A order, R order, S range, as given, re-encoded,
    /// non-canonical A, non-canonical R).
    type Row = (char, char, char, (bool, bool), (bool, bool), bool, bool);

    fn parse(text: &str) -> Vec<Line> {
        let lines: Vec<&str> = text.lines().collect();
        let mut out = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            if l.starts_with('[') {
                let lists: Vec<Vec<u8>> = l
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .split("], [")
                    .map(|s| {
                        s.split(", ")
                            .filter(|x| !x.is_empty())
                            .map(|x| x.parse().unwrap())
                            .collect()
                    })
                    .collect();
                assert_eq!(lists.len(), 3, "{l}");
                out.push((
                    lines[i - 1].to_string(),
                    lists[0].clone(),
                    lists[1].clone(),
                    lists[2].clone(),
                ));
            }
        }
        out
    }

    /// A little-endian integer's bytes in big-endian order, so that `Vec` comparison
    /// compares the integers (apart from the builder's comparison).
    fn big(bytes: &[u8]) -> Vec<u8> {
        bytes.iter().rev().copied().collect()
    }

    fn point(b: &[u8]) -> EdwardsPoint {
        CompressedEdwardsY::from_slice(b)
            .unwrap()
            .decompress()
            .expect("decodes")
    }

    /// `ℓ·P`, as `(ℓ - 1)·P + P`.
    fn times_l(p: &EdwardsPoint) -> EdwardsPoint {
        p * (-Scalar::ONE) + p
    }

    fn is_small(p: &EdwardsPoint) -> bool {
        (p + p + p + p + p + p + p + p) == EdwardsPoint::identity()
    }

    fn k(r: &[u8], a: &[u8], m: &[u8]) -> Scalar {
        let mut h = [0u8; 64];
        h.copy_from_slice(&Sha512::digest([r, a, m].concat()));
        Scalar::from_bytes_mod_order_wide(&h)
    }

    /// `(cofactored, cofactorless)` over the given encodings of `R` and `A`.
    fn equations(rb: &[u8], ab: &[u8], m: &[u8], sig: &[u8]) -> (bool, bool) {
        let (a, r) = (point(ab), point(&sig[..32]));
        let s = Scalar::from_bytes_mod_order(sig[32..].try_into().unwrap());
        let k = k(rb, ab, m);
        let lhs = ED25519_BASEPOINT_POINT * s;
        let eight = Scalar::from(8u8);
        (lhs * eight == r * eight + (a * k) * eight, lhs == r + a * k)
    }

    #[test]
    fn every_case_has_its_properties() {
        let c = build().unwrap();
        let vectors = parse(&c.text);
        assert_eq!(vectors.len(), 12);
        let l_be = big(&L);
        let p_be: Vec<u8> = {
            let mut p = vec![0xffu8; 32];
            p[0] = 0x7f;
            p[31] = 0xed;
            p
        };
        // Orders 's'mall, 'm'ixed, 'l'; S 0, '<' (0 < S < L), '>' (L <= S < 2^253),
        // 'h' (S >= 2^253); verdicts as (cofactored, cofactorless).
        let table: [Row; 12] = [
            ('s', 's', '0', (true, true), (true, true), false, false),
            ('s', 'm', '<', (true, true), (true, true), false, false),
            ('m', 's', '<', (true, true), (true, true), false, false),
            ('m', 'm', '<', (true, true), (true, true), false, false),
            ('m', 'm', '<', (true, false), (true, false), false, false),
            ('m', 'l', '<', (true, false), (true, false), false, false),
            ('l', 'l', '>', (true, true), (true, true), false, false),
            ('l', 'l', 'h', (true, true), (true, true), false, false),
            ('m', 's', '<', (true, true), (false, false), false, true),
            ('m', 's', '<', (false, false), (true, true), false, true),
            ('s', 'm', '<', (true, true), (true, false), true, false),
            ('s', 'm', '<', (true, false), (true, true), true, false),
        ];
        // Each case is an input class of its own.
        assert_eq!(
            c.text
                .lines()
                .filter(|l| l.starts_with("# class: case "))
                .count(),
            12
        );
        for (n, ((comment, pk, m, sig), want)) in vectors.iter().zip(table).enumerate() {
            assert!(comment.starts_with(&format!("# case {n}: ")), "{comment}");
            assert!(
                c.text.contains(&format!("# class: case {n}\n{comment}\n")),
                "case {n}"
            );
            assert_eq!((pk.len(), sig.len()), (32, 64), "case {n}");
            let ord = |p: &EdwardsPoint| {
                if is_small(p) {
                    's'
                } else if times_l(p) == EdwardsPoint::identity() {
                    'l'
                } else {
                    'm'
                }
            };
            assert_eq!(ord(&point(pk)), want.0, "case {n}: order of A");
            assert_eq!(ord(&point(&sig[..32])), want.1, "case {n}: order of R");
            let s = big(&sig[32..]);
            let range = if s.iter().all(|&b| b == 0) {
                '0'
            } else if s < l_be {
                '<'
            } else if s[0] < 0x20 {
                '>'
            } else {
                'h'
            };
            assert_eq!(range, want.2, "case {n}: S");
            let y_ge_p = |b: &[u8]| {
                let mut y = big(b);
                y[0] &= 0x7f;
                y >= p_be
            };
            assert_eq!(y_ge_p(pk), want.5, "case {n}: A's y >= p");
            assert_eq!(y_ge_p(&sig[..32]), want.6, "case {n}: R's y >= p");
            let ac = point(pk).compress().to_bytes();
            let rc = point(&sig[..32]).compress().to_bytes();
            assert_eq!(ac.as_slice() == pk, !want.5, "case {n}: A canonical");
            assert_eq!(
                rc.as_slice() == &sig[..32],
                !want.6,
                "case {n}: R canonical"
            );
            assert_eq!(
                equations(&sig[..32], pk, m, sig),
                want.3,
                "case {n}: as given"
            );
            assert_eq!(equations(&rc, &ac, m, sig), want.4, "case {n}: re-encoded");
            let tag = |(a, b): (bool, bool)| {
                let w = |x: bool| if x { "pass" } else { "fail" };
                format!("cofactored: {}, cofactorless: {}", w(a), w(b))
            };
            assert!(comment.contains(&format!("[{}", tag(want.3))), "{comment}");
            if want.5 || want.6 {
                assert!(comment.contains(&format!("; {}", tag(want.4))), "{comment}");
            }
        }
        // The S of case 6 is a valid S plus L, that of case 7 plus a multiple of L,
        // over the same RFC 8032 signer.
        for n in [6, 7] {
            let (_, pk, m, sig) = &vectors[n];
            let seed: [u8; 32] = Sha512::digest(format!("Taming the many EdDSAs, case {n}, seed"))
                [..32]
                .try_into()
                .unwrap();
            let (pk2, r2, s2) = rfc8032_sign(&seed, m);
            assert_eq!((&pk2[..], &r2[..]), (&pk[..], &sig[..32]));
            let s = Scalar::from_bytes_mod_order(sig[32..].try_into().unwrap());
            assert_eq!(s, s2);
            assert_ne!(&s2.to_bytes()[..], &sig[32..]);
        }
        // Every vector's message counts up from its case's prefix.
        for (n, (_, _, m, _)) in vectors.iter().enumerate() {
            let m = String::from_utf8(m.clone()).unwrap();
            assert!(m.starts_with(&format!("case {n} #")), "{m}");
        }
    }

    #[test]
    fn the_signer_is_rfc_8032() {
        let hex = |s: &str| -> Vec<u8> {
            (0..s.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
                .collect()
        };
        // RFC 8032, section 7.1, TEST 1.
        let seed: [u8; 32] =
            hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
                .try_into()
                .unwrap();
        let (pk, r, s) = rfc8032_sign(&seed, b"");
        assert_eq!(
            pk.to_vec(),
            hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        );
        assert_eq!(
            [r, s.to_bytes()].concat(),
            hex(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
            )
        );
    }

    #[test]
    fn the_constants_are_l_and_p() {
        assert_eq!(Scalar::from_bytes_mod_order(L), Scalar::ZERO);
        let mut l_minus_1 = L;
        l_minus_1[0] -= 1;
        assert_eq!(Scalar::from_bytes_mod_order(l_minus_1), -Scalar::ONE);
        // y = p decodes as y = 0, an order-4 point; y = p + 1 as the identity.
        let mut p1 = P;
        p1[0] += 1;
        assert_eq!(point(&p1), EdwardsPoint::identity());
        assert_eq!(point(&P).compress().to_bytes(), [0; 32]);
        let q = point(&P);
        assert_ne!(q + q, EdwardsPoint::identity());
        assert_eq!(q + q + q + q, EdwardsPoint::identity());
    }

    #[test]
    fn the_build_is_deterministic() {
        let (a, b) = (build().unwrap(), build().unwrap());
        assert_eq!(a.text, b.text);
        assert_eq!(a.vectors, b.vectors);
    }

    #[test]
    fn the_committed_corpus_is_a_fresh_build() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let file = "variants/ed25519-verify/corpus/chalkias.wave";
        let committed = std::fs::read_to_string(root.join(file)).unwrap();
        assert!(
            committed == build().unwrap().text,
            "{file} differs from `cargo xtask chalkias-corpus`: regenerate it"
        );
    }
}
