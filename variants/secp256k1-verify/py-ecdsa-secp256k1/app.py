"""secp256k1-verify as a componentize-py component: python-ecdsa's ECDSA verification.

The verdict is entirely the library's (ecdsa 0.19.2, pure Python, with six 1.17.0).
What is written here: the hash-length check of SPEC.md, the two documented calls
(`VerifyingKey.from_string` with `curve=SECP256k1`, then `VerifyingKey.verify_digest`
with `sigdecode=sigdecode_der`), and the mapping of the library's errors to `False`.
"""

import ecdsa
import ecdsa.der
import ecdsa.util

import wit_world


def secp256k1_verify(public_key: bytes, msg_hash: bytes, signature: bytes) -> bool:
    # SPEC.md: a hash of any length but 32 bytes is false without calling the library.
    if len(msg_hash) != 32:
        return False
    try:
        # Accepts the raw (64-byte x || y), uncompressed (04), compressed (02/03) and
        # hybrid (06/07) encodings by default; raises MalformedPointError when the
        # encoding is invalid or the point is not on the curve.
        vk = ecdsa.VerifyingKey.from_string(public_key, curve=ecdsa.SECP256k1)
        # Returns True, or raises BadSignatureError (the signature does not decode or
        # does not verify) or BadDigestError (a digest longer than the curve order).
        vk.verify_digest(signature, msg_hash, sigdecode=ecdsa.util.sigdecode_der)
    except (
        ecdsa.BadSignatureError,
        ecdsa.BadDigestError,
        ecdsa.MalformedPointError,
        ecdsa.der.UnexpectedDER,
        ValueError,
    ):
        return False
    return True


class WitWorld(wit_world.WitWorld):
    def secp256k1_verify(self, public_key: bytes, msg_hash: bytes, signature: bytes) -> bool:
        return secp256k1_verify(public_key, msg_hash, signature)
