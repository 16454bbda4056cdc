"""Writes cases.wave next to this file: the SPEC.md test vectors, and the hash-length rule.

    python3 make_cases.py

Every answer is the one SPEC.md gives (its table, and its rule that a hash other than
32 bytes is false); none is computed here. The high-S row, which SPEC.md leaves to the
library, is written without an expectation.
"""

import os

h = bytes.fromhex
GC = h("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
GU = h("0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
       "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")
E = h("53de527c5e297645f24448bb13ee04deef0f90ba070141c1ddbf7cea70c96e28")
SIG = h("3045022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"
        "02200cf16908500b79d99144c494d4d740dc486c210f7253ef16e4cc940b7e81e5e6")
SIG_HIGH = h("3046022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"
             "022100f30e96f7aff486266ebb3b6b2b28bf227242bbd73cf4b124db05ca8151b45b5b")

cases = [
    ("SPEC.md: Gc, e, sig", GC, E, SIG, True),
    ("SPEC.md: Gu, e, sig", GU, E, SIG, True),
    ("SPEC.md: Gc, e + 1 (last byte 29), sig", GC, E[:31] + b"\x29", SIG, False),
    ("SPEC.md: Gc, e with its last byte dropped (31 bytes), sig", GC, E[:31], SIG, False),
    ("SPEC.md: Gc, e, sig with its last byte changed to e7", GC, E, SIG[:-1] + b"\xe7", False),
    ("SPEC.md: Gc, e, empty signature", GC, E, b"", False),
    ("SPEC.md: Gc with its first byte 04 (33 bytes), e, sig", b"\x04" + GC[1:], E, SIG, False),
    ("SPEC.md: Gc, e, sig-high (no expected answer)", GC, E, SIG_HIGH, None),
    ("hash-length rule: Gc, empty hash, sig", GC, b"", SIG, False),
    ("hash-length rule: Gc, e + 00 (33 bytes), sig", GC, E + b"\x00", SIG, False),
    ("hash-length rule: Gu, e twice (64 bytes), sig", GU, E + E, SIG, False),
]


def wave(b):
    return "[" + ", ".join(str(x) for x in b) + "]"


def main():
    lines = [
        "# secp256k1-verify / py-ecdsa-secp256k1: SPEC.md test vectors and the hash-length rule.",
        "# Written by make_cases.py; a line without `=>` has no expected answer.",
    ]
    for what, pk, e, sig, want in cases:
        lines.append("# " + what)
        line = "%s, %s, %s" % (wave(pk), wave(e), wave(sig))
        if want is not None:
            line += " => " + ("true" if want else "false")
        lines.append(line)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.wave")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
