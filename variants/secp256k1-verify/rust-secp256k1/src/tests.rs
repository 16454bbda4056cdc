//! The test vectors of SPEC.md (d = 1, k = 2, e = SHA-256("nvx")).
use super::secp256k1_verify;

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0);
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

const GC: &str = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
const GU: &str = "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";
const E: &str = "53de527c5e297645f24448bb13ee04deef0f90ba070141c1ddbf7cea70c96e28";
const SIG: &str = "3045022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee502200cf16908500b79d99144c494d4d740dc486c210f7253ef16e4cc940b7e81e5e6";
const SIG_HIGH: &str = "3046022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5022100f30e96f7aff486266ebb3b6b2b28bf227242bbd73cf4b124db05ca8151b45b5b";

#[test]
fn valid_compressed() {
    assert!(secp256k1_verify(&hex(GC), &hex(E), &hex(SIG)));
}

#[test]
fn valid_uncompressed() {
    assert!(secp256k1_verify(&hex(GU), &hex(E), &hex(SIG)));
}

#[test]
fn wrong_hash() {
    let mut e = hex(E);
    *e.last_mut().unwrap() = 0x29;
    assert!(!secp256k1_verify(&hex(GC), &e, &hex(SIG)));
}

#[test]
fn short_hash() {
    let mut e = hex(E);
    e.pop();
    assert_eq!(e.len(), 31);
    assert!(!secp256k1_verify(&hex(GC), &e, &hex(SIG)));
}

#[test]
fn long_hash() {
    let mut e = hex(E);
    e.push(0);
    assert!(!secp256k1_verify(&hex(GC), &e, &hex(SIG)));
}

#[test]
fn altered_signature() {
    let mut sig = hex(SIG);
    *sig.last_mut().unwrap() = 0xe7;
    assert!(!secp256k1_verify(&hex(GC), &hex(E), &sig));
}

#[test]
fn empty_signature() {
    assert!(!secp256k1_verify(&hex(GC), &hex(E), &[]));
}

#[test]
fn compressed_key_with_04_prefix() {
    let mut pk = hex(GC);
    pk[0] = 0x04;
    assert!(!secp256k1_verify(&pk, &hex(E), &hex(SIG)));
}

/// No expected answer in SPEC.md; libsecp256k1's verify rejects high S by design.
#[test]
fn high_s_by_library() {
    assert!(!secp256k1_verify(&hex(GC), &hex(E), &hex(SIG_HIGH)));
}
