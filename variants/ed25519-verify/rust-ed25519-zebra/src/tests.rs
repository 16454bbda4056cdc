use super::ed25519_verify;
use core::convert::TryFrom;

fn h(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0);
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

const PK1: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const SIG1: &str = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
const PK2: &str = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
const SIG2: &str = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

/// L = 2^252 + 27742317777372353535851937790883648493, little-endian.
const L_LE: &str = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";

#[test]
fn spec_test1() {
    let (pk, sig) = (h(PK1), h(SIG1));
    assert!(ed25519_verify(&pk, b"", &sig));
    assert!(!ed25519_verify(&pk, &[0x00], &sig));
    let mut bad = sig.clone();
    bad[0] = 0xe4;
    assert!(!ed25519_verify(&pk, b"", &bad));
    assert!(!ed25519_verify(&pk[..31], b"", &sig));
    assert!(!ed25519_verify(&pk, b"", &sig[..63]));
}

#[test]
fn spec_test2() {
    assert!(ed25519_verify(&h(PK2), &[0x72], &h(SIG2)));
}

#[test]
fn lengths() {
    let (pk, sig) = (h(PK1), h(SIG1));
    assert!(!ed25519_verify(b"", b"", b""));
    assert!(!ed25519_verify(&[pk.clone(), vec![0]].concat(), b"", &sig));
    assert!(!ed25519_verify(&pk, b"", &[sig.clone(), vec![0]].concat()));
    assert!(!ed25519_verify(&pk, b"", b""));
    assert!(!ed25519_verify(&pk, b"", &sig[..32]));
}

fn identity() -> Vec<u8> {
    let mut v = vec![0u8; 32];
    v[0] = 1;
    v
}

/// y = p + 1, a non-canonical encoding of y = 1 (the identity).
fn identity_noncanonical() -> Vec<u8> {
    let mut v = vec![0xffu8; 32];
    v[0] = 0xee;
    v[31] = 0x7f;
    v
}

// The ZIP-215 behaviours of ed25519-zebra 4.2.0, pinned so that a library change shows.
#[test]
fn zip215_small_order_key_accepted() {
    // A = identity, R = identity, S = 0: [8][0]B = [8]R + [8][k]A holds for any message.
    let sig = [identity(), vec![0u8; 32]].concat();
    assert!(ed25519_verify(&identity(), b"", &sig));
    assert!(ed25519_verify(&identity(), b"Zcash", &sig));
    // A = (sqrt(-1), 0), a point of order 4, encoded as 32 zero bytes.
    assert!(ed25519_verify(&[0u8; 32], b"", &sig));
}

#[test]
fn zip215_noncanonical_encodings_accepted() {
    let nc = identity_noncanonical();
    assert!(ed25519_verify(&nc, b"", &[nc.clone(), vec![0u8; 32]].concat()));
    assert!(ed25519_verify(&identity(), b"", &[nc, vec![0u8; 32]].concat()));
}

#[test]
fn zip215_s_not_reduced_rejected() {
    let (pk, sig) = (h(PK1), h(SIG1));
    // S = L.
    assert!(!ed25519_verify(&pk, b"", &[sig[..32].to_vec(), h(L_LE)].concat()));
    // S + L: the same scalar mod L, not canonical.
    let mut s = sig[32..].to_vec();
    let l = h(L_LE);
    let mut carry = 0u16;
    for i in 0..32 {
        let t = s[i] as u16 + l[i] as u16 + carry;
        s[i] = t as u8;
        carry = t >> 8;
    }
    assert_eq!(carry, 0);
    assert!(!ed25519_verify(&pk, b"", &[sig[..32].to_vec(), s].concat()));
}

// ---- Wycheproof corpus (../corpus/wycheproof.wave) ------------------------------------

fn parse_list(s: &str) -> (Vec<u8>, &str) {
    let s = s.trim_start().strip_prefix('[').expect("[");
    let end = s.find(']').expect("]");
    let body = s[..end].trim();
    let bytes = if body.is_empty() {
        Vec::new()
    } else {
        body.split(',').map(|x| x.trim().parse::<u8>().unwrap()).collect()
    };
    let rest = s[end + 1..].trim_start();
    (bytes, rest.strip_prefix(',').unwrap_or(rest))
}

/// (tcId, library verdict, expected) for every corpus line with an expectation.
fn wycheproof() -> Vec<(u32, bool, Option<bool>)> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../corpus/wycheproof.wave"
    ))
    .expect("corpus");
    let mut out = Vec::new();
    let mut tc = 0u32;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# tcId ") {
            let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            tc = digits.parse().unwrap();
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (args, expected) = match line.split_once("=>") {
            Some((a, e)) => (a, Some(e.trim() == "true")),
            None => (line, None),
        };
        let (pk, rest) = parse_list(args);
        let (msg, rest) = parse_list(rest);
        let (sig, _) = parse_list(rest);
        out.push((tc, ed25519_verify(&pk, &msg, &sig), expected));
    }
    out
}

#[test]
fn wycheproof_disagreements_pinned() {
    let cases = wycheproof();
    assert_eq!(cases.len(), 150);
    let disagree: Vec<u32> = cases
        .iter()
        .filter(|(_, got, exp)| matches!(exp, Some(e) if e != got))
        .map(|(tc, _, _)| *tc)
        .collect();
    eprintln!("disagreements: {:?}", disagree);
    let accepted_no_exp: Vec<u32> = cases
        .iter()
        .filter(|(_, got, exp)| exp.is_none() && *got)
        .map(|(tc, _, _)| *tc)
        .collect();
    eprintln!("no expectation, accepted: {:?}", accepted_no_exp);
    assert_eq!(disagree, Vec::<u32>::new());
}

#[test]
fn key_off_curve_is_a_decode_error() {
    // y = 2: (y^2 - 1) / (d y^2 + 1) is no square mod p, so the key decodes to no point.
    let mut y2 = [0u8; 32];
    y2[0] = 2;
    assert_eq!(
        ed25519_zebra::VerificationKey::try_from(&y2[..]),
        Err(ed25519_zebra::Error::MalformedPublicKey)
    );
    assert!(!ed25519_verify(&y2, b"", &h(SIG1)));
}
