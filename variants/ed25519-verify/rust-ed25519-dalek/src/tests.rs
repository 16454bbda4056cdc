use super::ed25519_verify;

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd-length hex");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex digit"))
        .collect()
}

const PK1: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const SIG1: &str = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
const PK2: &str = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
const SIG2: &str = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

// RFC 8032, section 7.1, TEST 1 (empty message).
#[test]
fn spec_test1_valid() {
    assert!(ed25519_verify(&hex(PK1), b"", &hex(SIG1)));
}

#[test]
fn spec_test1_other_message() {
    assert!(!ed25519_verify(&hex(PK1), &[0x00], &hex(SIG1)));
}

#[test]
fn spec_test1_first_byte_e4() {
    let mut sig = hex(SIG1);
    assert_eq!(sig[0], 0xe5);
    sig[0] = 0xe4;
    assert!(!ed25519_verify(&hex(PK1), b"", &sig));
}

#[test]
fn spec_test1_key_31_bytes() {
    let pk = hex(PK1);
    assert!(!ed25519_verify(&pk[..31], b"", &hex(SIG1)));
}

#[test]
fn spec_test1_signature_63_bytes() {
    let sig = hex(SIG1);
    assert!(!ed25519_verify(&hex(PK1), b"", &sig[..63]));
}

// RFC 8032, section 7.1, TEST 2 (one-byte message 0x72).
#[test]
fn spec_test2_valid() {
    assert!(ed25519_verify(&hex(PK2), &[0x72], &hex(SIG2)));
}

// Other lengths are false before the library is called.
#[test]
fn wrong_lengths() {
    let (pk, sig) = (hex(PK1), hex(SIG1));
    let mut pk33 = pk.clone();
    pk33.push(0);
    let mut sig65 = sig.clone();
    sig65.push(0);
    assert!(!ed25519_verify(&[], b"", &sig));
    assert!(!ed25519_verify(&pk33, b"", &sig));
    assert!(!ed25519_verify(&pk, b"", &[]));
    assert!(!ed25519_verify(&pk, b"", &sig65));
    assert!(!ed25519_verify(&[], b"", &[]));
}

// Behaviours of ed25519-dalek 2.2.0's default `verify`, pinned so that a library update
// that changes a verdict shows up. They are the library's, not the wrapper's.

/// S + L in place of S: `Scalar::from_canonical_bytes` rejects S >= L.
#[test]
fn s_plus_l_rejected() {
    // L = 2^252 + 27742317777372353535851937790883648493, little-endian.
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
        0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x10,
    ];
    let mut sig = hex(SIG1);
    let mut carry = 0u16;
    for i in 0..32 {
        let t = sig[32 + i] as u16 + L[i] as u16 + carry;
        sig[32 + i] = t as u8;
        carry = t >> 8;
    }
    assert_eq!(carry, 0);
    assert!(!ed25519_verify(&hex(PK1), b"", &sig));
}

/// A key that is not a curve point fails to decompress (`VerifyingKey::from_bytes`
/// errs): y = 2 has no x on the curve.
#[test]
fn non_point_key_rejected() {
    let mut pk = [0u8; 32];
    pk[0] = 2;
    assert!(ed25519_dalek::VerifyingKey::from_bytes(&pk).is_err());
    assert!(!ed25519_verify(&pk, b"", &hex(SIG1)));
}

/// The default `verify` does not reject small-order keys (only `verify_strict` does):
/// with A the identity (y = 1) and R the identity, S = 0 satisfies the cofactorless
/// equation [S]B = R + [k]A for every message.
#[test]
fn identity_key_and_r_accepted() {
    let mut pk = [0u8; 32];
    pk[0] = 1;
    let mut sig = [0u8; 64];
    sig[0] = 1;
    assert!(ed25519_verify(&pk, b"", &sig));
    assert!(ed25519_verify(&pk, b"any message", &sig));
}

/// The three `list<u8>` arguments of one WAVE line and its expectation, if any.
fn parse_wave_line(line: &str) -> (Vec<Vec<u8>>, Option<bool>) {
    let (args, expect) = match line.split_once("=>") {
        Some((a, e)) => (a, Some(e.trim() == "true")),
        None => (line, None),
    };
    let mut lists = Vec::new();
    let mut rest = args;
    while let Some(open) = rest.find('[') {
        let close = open + rest[open..].find(']').expect("closing bracket");
        let body = rest[open + 1..close].trim();
        let bytes = if body.is_empty() {
            Vec::new()
        } else {
            body.split(',').map(|x| x.trim().parse::<u8>().expect("byte")).collect()
        };
        lists.push(bytes);
        rest = &rest[close + 1..];
    }
    assert_eq!(lists.len(), 3, "three arguments: {line}");
    (lists, expect)
}

/// Runs a WAVE corpus; returns the tcIds (the `# tcId N` comment before a line) of the
/// lines whose expectation the library does not meet.
fn corpus_disagreements(text: &str) -> (usize, Vec<u32>) {
    let (mut checked, mut differ, mut tc) = (0, Vec::new(), 0u32);
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# tcId ") {
            tc = rest.split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap();
        }
        if !line.starts_with('[') {
            continue;
        }
        let (a, expect) = parse_wave_line(line);
        if let Some(expect) = expect {
            checked += 1;
            if ed25519_verify(&a[0], &a[1], &a[2]) != expect {
                differ.push(tc);
            }
        }
    }
    (checked, differ)
}

/// The variant's own corpus: every expectation (the SPEC vectors and lengths) holds.
#[test]
fn wasm_tests_cases() {
    let text = include_str!("../wasm-tests/cases.wave");
    let (checked, differ) = corpus_disagreements(text);
    assert_eq!(checked, 13);
    assert!(differ.is_empty(), "{differ:?}");
}

/// The Wycheproof corpus of the function (../corpus/wycheproof.wave), if it is there:
/// the library's disagreements with Wycheproof's expectations, pinned.
#[test]
fn wycheproof_corpus() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/wycheproof.wave");
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} not found");
        return;
    };
    let (checked, differ) = corpus_disagreements(&text);
    eprintln!("wycheproof: {checked} with an expectation, disagreements at tcIds {differ:?}");
    assert_eq!(checked, 150);
    assert_eq!(differ, Vec::<u32>::new());
}

/// y = p + 1 = 2^255 - 18, a non-canonical encoding of y = 1 (the identity).
const IDENTITY_NONCANONICAL: [u8; 32] = [
    0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0x7f,
];

/// `VerifyingKey::from_bytes` (curve25519-dalek's `decompress`) does not require a
/// canonical y, nor x != 0 when the sign bit is set: both identity encodings decode, and
/// with R the identity and S = 0 the cofactorless equation holds.
#[test]
fn noncanonical_key_encodings_accepted() {
    let mut sig = [0u8; 64];
    sig[0] = 1;
    assert!(ed25519_verify(&IDENTITY_NONCANONICAL, b"", &sig));
    let mut negative_zero_x = [0u8; 32];
    negative_zero_x[0] = 1;
    negative_zero_x[31] = 0x80;
    assert!(ed25519_verify(&negative_zero_x, b"", &sig));
}

/// R is compared as bytes with the canonical encoding of the recomputed point, so a
/// non-canonical R is rejected even where the point would match.
#[test]
fn noncanonical_r_rejected() {
    let mut pk = [0u8; 32];
    pk[0] = 1;
    let mut sig = [0u8; 64];
    sig[..32].copy_from_slice(&IDENTITY_NONCANONICAL);
    assert!(!ed25519_verify(&pk, b"", &sig));
}
