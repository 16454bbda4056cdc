#!/usr/bin/env python3
"""Writes cases.wave next to this script: the SPEC.md test vectors of secp256k1-verify
as WAVE lines `[public-key], [msg-hash], [signature] => answer`, each after a `#`
comment saying what it is. The `sig-high` row has no expected answer in the SPEC and
is written without `=>`.
"""
import os

GC = bytes.fromhex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
GU = bytes.fromhex("0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
                   "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")
E = bytes.fromhex("53de527c5e297645f24448bb13ee04deef0f90ba070141c1ddbf7cea70c96e28")
SIG = bytes.fromhex("3045022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"
                    "02200cf16908500b79d99144c494d4d740dc486c210f7253ef16e4cc940b7e81e5e6")
SIG_HIGH = bytes.fromhex("3046022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"
                         "022100f30e96f7aff486266ebb3b6b2b28bf227242bbd73cf4b124db05ca8151b45b5b")

CASES = [
    ("Gc, e, sig", GC, E, SIG, True),
    ("Gu, e, sig", GU, E, SIG, True),
    ("Gc, e + 1 (last byte 29), sig", GC, E[:-1] + b"\x29", SIG, False),
    ("Gc, e without its last byte (31 bytes), sig", GC, E[:-1], SIG, False),
    ("Gc, e, sig with its last byte changed to e7", GC, E, SIG[:-1] + b"\xe7", False),
    ("Gc, e, empty signature", GC, E, b"", False),
    ("Gc with its first byte 04 (33 bytes), e, sig", b"\x04" + GC[1:], E, SIG, False),
    ("Gc, e, sig-high (S replaced by n - s): by library, no expected answer", GC, E, SIG_HIGH, None),
]


def wave(b):
    return "[" + ", ".join(str(x) for x in b) + "]"


def main():
    out = ["# secp256k1-verify: the SPEC.md test vectors (made by make-cases.py).",
           "# public-key, msg-hash, signature; `=> answer` where SPEC.md fixes it.", ""]
    for what, pk, h, sig, want in CASES:
        out.append("# " + what)
        line = f"{wave(pk)}, {wave(h)}, {wave(sig)}"
        if want is not None:
            line += " => " + ("true" if want else "false")
        out.append(line)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.wave")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
