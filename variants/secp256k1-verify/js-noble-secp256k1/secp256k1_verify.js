// secp256k1-verify / js-noble-secp256k1: the verdict of @noble/curves 1.9.7
// (its secp256k1 export) on one DER-encoded ECDSA signature over a prehashed
// message, with default verify options (lowS: true, prehash: false).
//
// WIT: secp256k1-verify: func(public-key: list<u8>, msg-hash: list<u8>,
//                             signature: list<u8>) -> bool
// componentize-js lifts each list<u8> as a Uint8Array and exports this module's
// `secp256k1Verify` as the world's `secp256k1-verify`.
import { secp256k1 } from '@noble/curves/secp256k1';

export function secp256k1Verify(publicKey, msgHash, signature) {
  // SPEC: a hash that is not 32 bytes is false without calling the library.
  if (msgHash.length !== 32) return false;
  try {
    // The library's DER parser, then its verify with default options.
    const sig = secp256k1.Signature.fromDER(signature);
    return secp256k1.verify(sig, msgHash, publicKey);
  } catch (_) {
    // SPEC: a key or signature that does not decode, or any error, is false.
    return false;
  }
}
