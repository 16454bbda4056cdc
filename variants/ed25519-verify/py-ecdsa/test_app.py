"""Native checks of app.py (the component's logic) under a host CPython.

    python3 -m pip install --no-deps --require-hashes -r requirements.txt --target /tmp/site
    PYTHONPATH=/tmp/site python3 test_app.py

The generated `wit_world` module is replaced by a stand-in. Checked: the SPEC.md test
vectors (RFC 8032, section 7.1, TESTs 1 and 2 and their variations), the length rule
(never reaching the library), the WitWorld export, and round trips through the same
library's signer (ecdsa.SigningKey with curve=Ed25519) with single-bit flips of the
message, key and signature.
"""

import random
import sys
import types

sys.modules["wit_world"] = types.SimpleNamespace(WitWorld=object)
import app  # noqa: E402
import ecdsa  # noqa: E402

FAILS = 0
CHECKS = 0


def check(what, got, want):
    global FAILS, CHECKS
    CHECKS += 1
    if got is not want:
        FAILS += 1
        print("FAIL", what, "got", repr(got), "want", repr(want))


h = bytes.fromhex
PK1 = h("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
SIG1 = h("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
PK2 = h("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
SIG2 = h("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")

# SPEC.md, test vectors.
check("TEST 1", app.ed25519_verify(PK1, b"", SIG1), True)
check("TEST 1, message 00", app.ed25519_verify(PK1, b"\x00", SIG1), False)
check("TEST 1, first signature byte e4", app.ed25519_verify(PK1, b"", b"\xe4" + SIG1[1:]), False)
check("TEST 1, 31-byte key", app.ed25519_verify(PK1[:31], b"", SIG1), False)
check("TEST 1, 63-byte signature", app.ed25519_verify(PK1, b"", SIG1[:63]), False)
check("TEST 2", app.ed25519_verify(PK2, b"\x72", SIG2), True)
check("TEST 2 through WitWorld", app.WitWorld().ed25519_verify(PK2, b"\x72", SIG2), True)
check("TEST 2, empty message", app.ed25519_verify(PK2, b"", SIG2), False)
check("keys swapped", app.ed25519_verify(PK2, b"", SIG1), False)

# The length rule: false without calling the library.
real = ecdsa.VerifyingKey.from_string
calls = []
app.VerifyingKey.from_string = classmethod(lambda cls, *a, **k: calls.append(a) or real(*a, **k))
for n in (0, 1, 31, 33, 64):
    check("key of %d bytes" % n, app.ed25519_verify((PK1 * 3)[:n], b"", SIG1), False)
for n in (0, 32, 63, 65, 128):
    check("signature of %d bytes" % n, app.ed25519_verify(PK1, b"", (SIG1 * 2)[:n]), False)
check("library not called on a wrong length", len(calls), 0)
app.ed25519_verify(PK1, b"", SIG1)
check("library called on the right lengths", len(calls), 1)
app.VerifyingKey.from_string = real

# Round trips through the library's own signer, and single-bit flips.
rng = random.Random(25519)
n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
for i in range(n):
    sk = ecdsa.SigningKey.from_string(rng.randbytes(32), curve=ecdsa.curves.Ed25519)
    pk = sk.get_verifying_key().to_string()
    msg = rng.randbytes(rng.randrange(0, 200))
    sig = sk.sign(msg)
    check("round trip %d" % i, app.ed25519_verify(pk, msg, sig), True)
    if msg:
        j = rng.randrange(len(msg) * 8)
        bad = bytearray(msg)
        bad[j // 8] ^= 1 << (j % 8)
        check("message bit flip %d" % i, app.ed25519_verify(pk, bytes(bad), sig), False)
    j = rng.randrange(64 * 8)
    bad = bytearray(sig)
    bad[j // 8] ^= 1 << (j % 8)
    check("signature bit flip %d (bit %d)" % (i, j), app.ed25519_verify(pk, msg, bytes(bad)), False)
    j = rng.randrange(32 * 8)
    bad = bytearray(pk)
    bad[j // 8] ^= 1 << (j % 8)
    # A flipped key is either not a point (MalformedPointError) or another key.
    check("key bit flip %d (bit %d)" % (i, j), app.ed25519_verify(bytes(bad), msg, sig), False)

print("ecdsa", ecdsa.__version__, "on Python", sys.version.split()[0], "-", CHECKS, "checks,", FAILS, "failures")
sys.exit(1 if FAILS else 0)
