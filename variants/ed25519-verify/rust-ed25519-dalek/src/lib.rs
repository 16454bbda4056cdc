//! ed25519-verify through ed25519-dalek 2.2.0: the crate's standard verification,
//! `VerifyingKey::from_bytes` then `signature::Verifier::verify` (not `verify_strict`),
//! with the crate's default features.
//!
//! The wrapper checks only the two lengths SPEC.md fixes (32-byte key, 64-byte
//! signature); everything else is the library's verdict. Any `Err` (the key does not
//! decompress to a curve point, `S` is not canonical, the equation does not hold) is
//! `false`. Nothing else is caught: the release profile has `panic = "abort"`.

use ed25519_dalek::{Signature, Verifier, VerifyingKey};

/// The library's verdict on `signature` over `message` under `public_key`.
pub fn ed25519_verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    // The only checks of the wrapper: the lengths, before the library is called.
    let Ok(key_bytes) = <&[u8; 32]>::try_from(public_key) else {
        return false;
    };
    let Ok(sig_bytes) = <&[u8; 64]>::try_from(signature) else {
        return false;
    };
    // Decoding the key: fails if the 32 bytes do not decompress to a point.
    let Ok(key) = VerifyingKey::from_bytes(key_bytes) else {
        return false;
    };
    // `Signature::from_bytes` is infallible in ed25519 2.x (it stores R and S as
    // bytes); the library checks them inside `verify`.
    let sig = Signature::from_bytes(sig_bytes);
    // The `signature::Verifier` trait method: the crate's default (cofactorless,
    // non-strict) verification.
    key.verify(message, &sig).is_ok()
}

#[cfg(target_arch = "wasm32")]
mod component {
    wit_bindgen::generate!({
        path: "wit",
        world: "ed25519-verify",
    });

    struct Ed25519Verify;

    impl Guest for Ed25519Verify {
        fn ed25519_verify(public_key: Vec<u8>, message: Vec<u8>, signature: Vec<u8>) -> bool {
            super::ed25519_verify(&public_key, &message, &signature)
        }
    }

    export!(Ed25519Verify);
}

#[cfg(test)]
mod tests;
