//! secp256k1-verify through k256 (RustCrypto elliptic-curves), the way its users verify
//! one DER-encoded ECDSA signature against a prehashed message:
//!
//! ```text
//! let vk  = k256::ecdsa::VerifyingKey::from_sec1_bytes(public_key)?;
//! let sig = k256::ecdsa::Signature::from_der(signature)?;
//! signature::hazmat::PrehashVerifier::verify_prehash(&vk, msg_hash, &sig)?;
//! ```
//!
//! The wrapper's only check of its own is the SPEC's: a `msg_hash` that is not exactly
//! 32 bytes is `false` without calling the library. Every `Err` of the three calls is
//! `false`; `Ok` is `true`. Nothing is normalised (no `normalize_s`).

use k256::ecdsa::signature::hazmat::PrehashVerifier;
use k256::ecdsa::{Signature, VerifyingKey};

/// The library's verdict on `signature` (DER) by `public_key` (SEC 1) over `msg_hash`.
pub fn secp256k1_verify(public_key: &[u8], msg_hash: &[u8], signature: &[u8]) -> bool {
    if msg_hash.len() != 32 {
        return false;
    }
    let Ok(vk) = VerifyingKey::from_sec1_bytes(public_key) else {
        return false;
    };
    let Ok(sig) = Signature::from_der(signature) else {
        return false;
    };
    PrehashVerifier::verify_prehash(&vk, msg_hash, &sig).is_ok()
}

#[cfg(target_arch = "wasm32")]
mod component {
    // The WIT is staged next to the sources by build.sh (copied from $NVX_WIT).
    wit_bindgen::generate!({
        path: "wit",
        world: "secp256k1-verify",
    });

    struct Secp256k1Verify;

    impl Guest for Secp256k1Verify {
        fn secp256k1_verify(public_key: Vec<u8>, msg_hash: Vec<u8>, signature: Vec<u8>) -> bool {
            super::secp256k1_verify(&public_key, &msg_hash, &signature)
        }
    }

    export!(Secp256k1Verify);
}

#[cfg(test)]
mod tests;
