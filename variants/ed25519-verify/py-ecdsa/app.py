"""ed25519-verify as a componentize-py component: python-ecdsa's Ed25519 verification.

The verdict is entirely the library's (ecdsa 0.19.2, pure Python, with six 1.17.0).
What is written here: the two length checks of SPEC.md, the two documented calls
(`VerifyingKey.from_string` with `curve=Ed25519`, then `VerifyingKey.verify`), and the
mapping of the library's documented errors to `False`.
"""

from ecdsa import BadSignatureError, MalformedPointError, VerifyingKey
from ecdsa.curves import Ed25519

import wit_world


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    # SPEC.md: wrong lengths are false without calling the library.
    if len(public_key) != 32 or len(signature) != 64:
        return False
    try:
        # Documented: raises MalformedPointError "if the public point does not lay
        # on the curve or the encoding is invalid".
        vk = VerifyingKey.from_string(public_key, curve=Ed25519)
        # Documented: returns True, or raises BadSignatureError "if the signature
        # is invalid or malformed". Note the argument order: signature, then data.
        vk.verify(signature, message)
    except (BadSignatureError, MalformedPointError, ValueError):
        # ValueError: the base class of the library's other decoding errors; with
        # 32/64-byte inputs the two calls above wrap those themselves, so it is
        # listed only so that no decoding error of the library can trap.
        return False
    return True


class WitWorld(wit_world.WitWorld):
    def ed25519_verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        return ed25519_verify(public_key, message, signature)
