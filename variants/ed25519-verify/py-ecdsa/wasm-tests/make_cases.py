"""Writes cases.wave next to this file: the SPEC.md test vectors, and the length rule.

    python3 make_cases.py

Every answer is the one SPEC.md gives (its two tables, and its rule that a key other
than 32 bytes or a signature other than 64 bytes is false); none is computed here.
"""

import os

h = bytes.fromhex
PK1 = h("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
SIG1 = h("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
PK2 = h("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
SIG2 = h("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")

cases = [
    ("SPEC.md, RFC 8032 7.1 TEST 1 (empty message)", PK1, b"", SIG1, True),
    ("SPEC.md, TEST 1 key and signature, message 00", PK1, b"\x00", SIG1, False),
    ("SPEC.md, TEST 1, signature with its first byte e4", PK1, b"", b"\xe4" + SIG1[1:], False),
    ("SPEC.md, TEST 1, 31-byte key (last byte dropped)", PK1[:31], b"", SIG1, False),
    ("SPEC.md, TEST 1, 63-byte signature", PK1, b"", SIG1[:63], False),
    ("SPEC.md, RFC 8032 7.1 TEST 2 (message 72)", PK2, b"\x72", SIG2, True),
    ("length rule: empty key", b"", b"", SIG1, False),
    ("length rule: 33-byte key (TEST 1 key + 00)", PK1 + b"\x00", b"", SIG1, False),
    ("length rule: empty signature", PK1, b"", b"", False),
    ("length rule: 65-byte signature (TEST 1 signature + 00)", PK1, b"", SIG1 + b"\x00", False),
    ("length rule: 32-byte signature (R only)", PK1, b"", SIG1[:32], False),
    ("length rule: TEST 2 with a 64-byte key (key twice)", PK2 + PK2, b"\x72", SIG2, False),
]


def wave(b):
    return "[" + ", ".join(str(x) for x in b) + "]"


here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "cases.wave"), "w") as f:
    f.write("# ed25519-verify/py-ecdsa: SPEC.md test vectors and the length rule (written by make_cases.py)\n")
    for comment, pk, msg, sig, want in cases:
        f.write("# %s\n" % comment)
        f.write("%s, %s, %s => %s\n" % (wave(pk), wave(msg), wave(sig), "true" if want else "false"))
