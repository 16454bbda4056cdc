#!/usr/bin/env python3
"""Writes cases.wave: the SPEC.md test vectors (d = 1, k = 2, e = SHA-256("nvx")) as
WAVE argument tuples (public-key, msg-hash, signature) with their answers. The
sig-high row has no expected answer in SPEC.md, so it is written without one."""
import hashlib
import os

gc = bytes.fromhex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
gu = bytes.fromhex("0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")
e = bytes.fromhex("53de527c5e297645f24448bb13ee04deef0f90ba070141c1ddbf7cea70c96e28")
sig = bytes.fromhex("3045022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee502200cf16908500b79d99144c494d4d740dc486c210f7253ef16e4cc940b7e81e5e6")
sig_high = bytes.fromhex("3046022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5022100f30e96f7aff486266ebb3b6b2b28bf227242bbd73cf4b124db05ca8151b45b5b")
assert hashlib.sha256(b"nvx").digest() == e


def wave(b):
    return "[" + ", ".join(str(x) for x in b) + "]"


cases = [
    ("Gc, e, sig", gc, e, sig, "true"),
    ("Gu, e, sig", gu, e, sig, "true"),
    ("Gc, e + 1 (last byte 29), sig", gc, e[:31] + b"\x29", sig, "false"),
    ("Gc, e with its last byte dropped (31 bytes), sig", gc, e[:31], sig, "false"),
    ("Gc, e, sig with its last byte changed to e7", gc, e, sig[:-1] + b"\xe7", "false"),
    ("Gc, e, empty signature", gc, e, b"", "false"),
    ("Gc with its first byte 04 (33 bytes), e, sig", b"\x04" + gc[1:], e, sig, "false"),
    ("Gc, e, sig-high: by library, no expected answer", gc, e, sig_high, None),
]

lines = [
    "# secp256k1-verify cases for zig-std-secp256k1: one WAVE argument tuple (public-key, msg-hash, signature) per line.",
    "# SPEC.md test vectors (d = 1, k = 2, e = SHA-256(\"nvx\")). Made by gen_cases.py.",
]
for name, pk, h, s, want in cases:
    lines.append(f"# {name}")
    line = f"{wave(pk)}, {wave(h)}, {wave(s)}"
    lines.append(line if want is None else f"{line} => {want}")

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "cases.wave"), "w") as f:
    f.write("\n".join(lines) + "\n")
