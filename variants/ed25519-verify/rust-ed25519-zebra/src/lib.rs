//! ed25519-verify through ed25519-zebra (the ZIP-215 rules of Zcash):
//! `VerificationKey::try_from(&[u8])` then `VerificationKey::verify(&Signature, msg)`.
//!
//! The wrapper checks the two lengths of SPEC.md and nothing else: every `Err` of the
//! library (a key that does not decode to a curve point, `S >= L`, an `R` that does not
//! decode, a failed cofactored equation) is `false`.

use core::convert::TryFrom;
use ed25519_zebra::{Signature, VerificationKey};

/// The library's verdict on `signature` over `message` under `public_key`.
pub fn ed25519_verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    // SPEC.md: lengths first, without calling the library.
    if public_key.len() != 32 {
        return false;
    }
    let sig_bytes: [u8; 64] = match <[u8; 64]>::try_from(signature) {
        Ok(bytes) => bytes,
        Err(_) => return false,
    };
    // Decoding the key: `Err(Error::MalformedPublicKey)` when it is no curve point.
    let vk = match VerificationKey::try_from(public_key) {
        Ok(vk) => vk,
        Err(_) => return false,
    };
    // `ed25519::Signature` from its 64 bytes (infallible; `S` is checked by `verify`).
    let sig = Signature::from_bytes(&sig_bytes);
    vk.verify(&sig, message).is_ok()
}

#[cfg(target_arch = "wasm32")]
mod component {
    // The WIT is staged next to the sources by build.sh (copied from $NVX_WIT).
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
