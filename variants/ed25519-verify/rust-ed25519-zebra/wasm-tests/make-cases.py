#!/usr/bin/env python3
"""Writes cases.wave: the SPEC.md vectors with their answers, then edge cases on which
Ed25519 libraries differ (small-order and non-canonical points, S >= L), without an
expected answer (SPEC.md fixes none for them)."""
import sys

L = 2**252 + 27742317777372353535851937790883648493
P = 2**255 - 19


def h(s):
    return bytes.fromhex(s)


def wave(b):
    return "[" + ", ".join(str(x) for x in b) + "]"


def line(pk, msg, sig, answer=None):
    s = f"{wave(pk)}, {wave(msg)}, {wave(sig)}"
    if answer is not None:
        s += " => " + ("true" if answer else "false")
    return s


PK1 = h("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
SIG1 = h("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
PK2 = h("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
SIG2 = h("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")

IDENTITY = (1).to_bytes(32, "little")
IDENTITY_NONCANON = (P + 1).to_bytes(32, "little")  # y = p + 1 = 1 (mod p)
ZERO32 = bytes(32)


def le(n):
    return n.to_bytes(32, "little")


out = [
    "# ed25519-verify corpus of variants/ed25519-verify/rust-ed25519-zebra (made by make-cases.py).",
    "# public-key, message, signature; `=> answer` only where SPEC.md fixes it.",
    "",
    "# SPEC.md: RFC 8032 7.1 TEST 1",
    line(PK1, b"", SIG1, True),
    line(PK1, b"\x00", SIG1, False),
    line(PK1, b"", b"\xe4" + SIG1[1:], False),
    line(PK1[:31], b"", SIG1, False),
    line(PK1, b"", SIG1[:63], False),
    "# SPEC.md: RFC 8032 7.1 TEST 2",
    line(PK2, b"\x72", SIG2, True),
    "",
    "# Lengths (false without calling the library)",
    line(b"", b"", b"", False),
    line(PK1 + b"\x00", b"", SIG1, False),
    line(PK1, b"", SIG1 + b"\x00", False),
    line(PK1, b"", b"", False),
    "",
    "# Edge cases (no expected answer): identity key, R = identity, S = 0",
    line(IDENTITY, b"", IDENTITY + ZERO32),
    line(IDENTITY, b"Zcash", IDENTITY + ZERO32),
    "# non-canonical identity (y = p + 1) as key and as R, S = 0",
    line(IDENTITY_NONCANON, b"", IDENTITY_NONCANON + ZERO32),
    line(IDENTITY, b"", IDENTITY_NONCANON + ZERO32),
    "# S = L and S = L + (S of TEST 1) on the TEST 1 signature",
    line(PK1, b"", SIG1[:32] + le(L)),
    line(PK1, b"", SIG1[:32] + le(int.from_bytes(SIG1[32:], "little") + L)),
    "# all-zero key (y = 0: a point of order 4) with R = identity, S = 0",
    line(ZERO32, b"", IDENTITY + ZERO32),
    "# key y = 2 (not on the curve)",
    line(le(2), b"", SIG1),
]
sys.stdout.write("\n".join(out) + "\n")
