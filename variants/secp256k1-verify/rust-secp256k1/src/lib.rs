//! secp256k1-verify through the `secp256k1` crate (rust-bitcoin's bindings to
//! Bitcoin Core's libsecp256k1, vendored in secp256k1-sys), called the way its users
//! verify one ECDSA signature:
//!
//! ```text
//! PublicKey::from_slice(public_key)            // secp256k1_ec_pubkey_parse
//! ecdsa::Signature::from_der(signature)        // secp256k1_ecdsa_signature_parse_der
//! Message::from_digest(<[u8; 32]>)             // the 32-byte prehash
//! Secp256k1::verification_only().verify_ecdsa(&msg, &sig, &pk)  // secp256k1_ecdsa_verify
//! ```
//!
//! The only check of the wrapper's own is the SPEC's: a `msg-hash` that is not
//! exactly 32 bytes is `false` without calling the library. Every `Err` is `false`;
//! `S` is not normalised (libsecp256k1's verify rejects high `S` by design).

use secp256k1::{ecdsa, Message, PublicKey, Secp256k1};

/// The library's verdict on one DER signature over a prehashed message.
pub fn secp256k1_verify(public_key: &[u8], msg_hash: &[u8], signature: &[u8]) -> bool {
    let digest: [u8; 32] = match msg_hash.try_into() {
        Ok(d) => d,
        Err(_) => return false,
    };
    let pk = match PublicKey::from_slice(public_key) {
        Ok(pk) => pk,
        Err(_) => return false,
    };
    let sig = match ecdsa::Signature::from_der(signature) {
        Ok(sig) => sig,
        Err(_) => return false,
    };
    let msg = Message::from_digest(digest);
    Secp256k1::verification_only()
        .verify_ecdsa(&msg, &sig, &pk)
        .is_ok()
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
