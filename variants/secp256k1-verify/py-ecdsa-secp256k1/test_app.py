"""Native checks of app.py (the component's logic) under a host CPython.

    python3 -m pip install --no-deps --require-hashes -r requirements.txt --target /tmp/site
    PYTHONPATH=/tmp/site python3 test_app.py

The generated `wit_world` module is replaced by a stand-in. Checked: the SPEC.md test
vectors, the hash-length rule (never reaching the library), the WitWorld export,
round trips through the same library's signer (ecdsa.SigningKey with curve=SECP256k1,
sign_digest with sigencode_der) with single-bit flips of the hash, key and signature,
and a record of the library's own choices on the edges SPEC.md leaves to it (high S,
hybrid and raw keys), printed rather than asserted as right or wrong.
"""

import hashlib
import random
import sys
import types

sys.modules["wit_world"] = types.SimpleNamespace(WitWorld=object)
import app  # noqa: E402
import ecdsa  # noqa: E402
import ecdsa.util  # noqa: E402

FAILS = 0
CHECKS = 0


def check(what, got, want):
    global FAILS, CHECKS
    CHECKS += 1
    if got is not want:
        FAILS += 1
        print("FAIL", what, "got", repr(got), "want", repr(want))


h = bytes.fromhex
GC = h("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
GU = h("0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
       "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")
E = h("53de527c5e297645f24448bb13ee04deef0f90ba070141c1ddbf7cea70c96e28")
SIG = h("3045022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"
        "02200cf16908500b79d99144c494d4d740dc486c210f7253ef16e4cc940b7e81e5e6")
SIG_HIGH = h("3046022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"
             "022100f30e96f7aff486266ebb3b6b2b28bf227242bbd73cf4b124db05ca8151b45b5b")
v = app.secp256k1_verify

# The vectors' own definitions (SPEC.md), checked before they are used.
check("e = SHA-256('nvx')", hashlib.sha256(b"nvx").digest() == E, True)
n = ecdsa.SECP256k1.order
r, s = ecdsa.util.sigdecode_der(SIG, n)
r2, s2 = ecdsa.util.sigdecode_der(SIG_HIGH, n)
check("sig-high has the same r", r2 == r, True)
check("sig-high has S = n - s", s2 == n - s, True)
check("s is low", s <= n // 2, True)

# SPEC.md, test vectors.
check("Gc, e, sig", v(GC, E, SIG), True)
check("Gu, e, sig", v(GU, E, SIG), True)
check("Gc, e + 1, sig", v(GC, E[:31] + b"\x29", SIG), False)
check("Gc, 31-byte e, sig", v(GC, E[:31], SIG), False)
check("Gc, e, sig last byte e7", v(GC, E, SIG[:-1] + b"\xe7"), False)
check("Gc, e, empty signature", v(GC, E, b""), False)
check("Gc with first byte 04 (33 bytes)", v(b"\x04" + GC[1:], E, SIG), False)
check("through WitWorld", app.WitWorld().secp256k1_verify(GC, E, SIG), True)
check("through WitWorld, e + 1", app.WitWorld().secp256k1_verify(GC, E[:31] + b"\x29", SIG), False)

# The hash-length rule: false without calling the library.
real = ecdsa.VerifyingKey.from_string
calls = []
ecdsa.VerifyingKey.from_string = classmethod(lambda cls, *a, **k: calls.append(a) or real(*a, **k))
for length in (0, 1, 20, 31, 33, 48, 64):
    check("hash of %d bytes" % length, v(GC, (E * 3)[:length], SIG), False)
check("library not called on a wrong hash length", len(calls), 0)
v(GC, E, SIG)
check("library called on a 32-byte hash", len(calls), 1)
ecdsa.VerifyingKey.from_string = real

# Round trips through the same library's signer, with single-bit flips.
rng = random.Random(20240601)
for i in range(12):
    sk = ecdsa.SigningKey.from_secret_exponent(rng.randrange(1, n), curve=ecdsa.SECP256k1)
    vk = sk.get_verifying_key()
    digest = hashlib.sha256(b"message %d" % i).digest()
    sig = sk.sign_digest_deterministic(digest, sigencode=ecdsa.util.sigencode_der,
                                       hashfunc=hashlib.sha256)
    for enc in ("compressed", "uncompressed"):
        pk = vk.to_string(enc)
        check("round trip %d %s" % (i, enc), v(pk, digest, sig), True)
    pk = vk.to_string("compressed")
    bit = rng.randrange(256)
    flipped = bytearray(digest)
    flipped[bit // 8] ^= 1 << (bit % 8)
    check("round trip %d, hash bit %d flipped" % (i, bit), v(pk, bytes(flipped), sig), False)
    bit = rng.randrange(8, 8 * len(sig))
    flipped = bytearray(sig)
    flipped[bit // 8] ^= 1 << (bit % 8)
    check("round trip %d, signature bit %d flipped" % (i, bit), v(pk, digest, bytes(flipped)), False)
    bit = rng.randrange(8, 8 * len(pk))
    flipped = bytearray(pk)
    flipped[bit // 8] ^= 1 << (bit % 8)
    check("round trip %d, key bit %d flipped" % (i, bit), v(bytes(flipped), digest, sig), False)

# Decoding failures are false, not exceptions.
check("garbage key", v(b"\x05" * 33, E, SIG), False)
check("empty key", v(b"", E, SIG), False)
check("signature with trailing byte", v(GC, E, SIG + b"\x00"), False)
check("signature not a SEQUENCE", v(GC, E, b"\x31" + SIG[1:]), False)

# The library's own choices on the edges SPEC.md leaves to it (recorded, not judged).
gx, gy = GU[1:33], GU[33:]
hybrid = bytes([6 + (gy[-1] & 1)]) + gx + gy
print("library's own answers: sig-high:", v(GC, E, SIG_HIGH),
      "| hybrid key 0%d:" % hybrid[0], v(hybrid, E, SIG),
      "| raw 64-byte key:", v(gx + gy, E, SIG))

print("%d passed, %d failed" % (CHECKS - FAILS, FAILS))
sys.exit(1 if FAILS else 0)
