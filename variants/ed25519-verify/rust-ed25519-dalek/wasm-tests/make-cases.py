#!/usr/bin/env python3
"""Writes wasm-tests/cases.wave for ed25519-verify / rust-ed25519-dalek.

One line per call: the three WAVE arguments (public-key, message, signature, each a
list<u8>), then `=> answer` where SPEC.md fixes the answer."""
import os

PK1 = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
SIG1 = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
PK2 = bytes.fromhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
SIG2 = bytes.fromhex(
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")
P1 = (2**255 - 18).to_bytes(32, "little")  # p + 1, a non-canonical y = 1
L = 2**252 + 27742317777372353535851937790883648493


def wave(b):
    return "[" + ", ".join(str(x) for x in b) + "]"


def line(pk, msg, sig, answer=None):
    s = f"{wave(pk)}, {wave(msg)}, {wave(sig)}"
    return s if answer is None else f"{s} => {'true' if answer else 'false'}"


out = [
    "# ed25519-verify corpus of variants/ed25519-verify/rust-ed25519-dalek (made by make-cases.py).",
    "# public-key, message, signature as list<u8>; `=> answer` only where SPEC.md fixes it.",
    "",
    "# SPEC.md: RFC 8032 section 7.1 TEST 1 (empty message)",
    line(PK1, b"", SIG1, True),
    line(PK1, b"\x00", SIG1, False),
    line(PK1, b"", b"\xe4" + SIG1[1:], False),
    line(PK1[:31], b"", SIG1, False),
    line(PK1, b"", SIG1[:63], False),
    "# SPEC.md: RFC 8032 section 7.1 TEST 2 (message 72)",
    line(PK2, b"\x72", SIG2, True),
    "# SPEC.md: any other length of key or signature is false",
    line(b"", b"", SIG1, False),
    line(PK1 + b"\x00", b"", SIG1, False),
    line(PK1, b"", b"", False),
    line(PK1, b"", SIG1 + b"\x00", False),
    line(b"", b"", b"", False),
    line(PK2[:31], b"\x72", SIG2, False),
    line(PK2, b"\x72", SIG2[:63], False),
    "# Edge cases with no answer fixed by SPEC.md (the library's verdict is recorded by the run)",
    "# S + L in place of S (TEST 1)",
    line(PK1, b"", SIG1[:32] + (int.from_bytes(SIG1[32:], "little") + L).to_bytes(32, "little")),
    "# identity key (y = 1), identity R, S = 0, empty and non-empty message",
    line(b"\x01" + bytes(31), b"", b"\x01" + bytes(63)),
    line(b"\x01" + bytes(31), b"any message", b"\x01" + bytes(63)),
    "# key y = 2: not a curve point",
    line(b"\x02" + bytes(31), b"", SIG1),
    "# identity key encoded non-canonically (y = p + 1), identity R, S = 0",
    line(P1, b"", b"\x01" + bytes(63)),
    "# identity key encoded with the sign bit set (x = 0), identity R, S = 0",
    line(b"\x01" + bytes(30) + b"\x80", b"", b"\x01" + bytes(63)),
    "# identity key, R the identity encoded non-canonically (y = p + 1), S = 0",
    line(b"\x01" + bytes(31), b"", P1 + bytes(32)),
]

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "cases.wave"), "w") as f:
    f.write("\n".join(out) + "\n")
