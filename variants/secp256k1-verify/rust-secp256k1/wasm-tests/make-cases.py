#!/usr/bin/env python3
"""Writes the secp256k1-verify corpus of this variant: `cases.wave` next to this script,
from the test vectors of SPEC.md (d = 1, k = 2, e = SHA-256("nvx"))."""
import hashlib
import pathlib

GC = bytes.fromhex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
GU = bytes.fromhex("0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
                   "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")
E = hashlib.sha256(b"nvx").digest()
assert E.hex() == "53de527c5e297645f24448bb13ee04deef0f90ba070141c1ddbf7cea70c96e28"
SIG = bytes.fromhex("3045022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"
                    "02200cf16908500b79d99144c494d4d740dc486c210f7253ef16e4cc940b7e81e5e6")
SIG_HIGH = bytes.fromhex("3046022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"
                         "022100f30e96f7aff486266ebb3b6b2b28bf227242bbd73cf4b124db05ca8151b45b5b")

rows = [
    ("Gc, e, sig", GC, E, SIG, "true"),
    ("Gu, e, sig", GU, E, SIG, "true"),
    ("Gc, e + 1, sig", GC, E[:-1] + b"\x29", SIG, "false"),
    ("Gc, e without its last byte (31 bytes), sig", GC, E[:-1], SIG, "false"),
    ("Gc, e, sig with its last byte e7", GC, E, SIG[:-1] + b"\xe7", "false"),
    ("Gc, e, empty signature", GC, E, b"", "false"),
    ("Gc with first byte 04 (33 bytes), e, sig", b"\x04" + GC[1:], E, SIG, "false"),
    ("Gc, e, sig-high (no expected answer)", GC, E, SIG_HIGH, None),
]

def wave(b):
    return "[" + ", ".join(str(x) for x in b) + "]"

out = ["# secp256k1-verify corpus of variants/secp256k1-verify/rust-secp256k1 (made by make-cases.py).",
       "# The test vectors of SPEC.md; `=> answer` only where SPEC.md fixes it."]
for name, pk, h, sig, ans in rows:
    out.append(f"# {name}")
    line = f"{wave(pk)}, {wave(h)}, {wave(sig)}"
    out.append(line + (f" => {ans}" if ans else ""))
pathlib.Path(__file__).with_name("cases.wave").write_text("\n".join(out) + "\n")
