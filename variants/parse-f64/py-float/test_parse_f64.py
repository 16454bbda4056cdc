"""Native tests for app.py (CPython 3.11+): python3 test_parse_f64.py [N_RANDOM] [--dump FILE]

Checks every SPEC.md vector, then random valid and invalid texts against two oracles
written independently of app.py: a hand-written grammar automaton, and an exact
rational (fractions.Fraction) round-to-nearest-even into binary64 that does not use
float() at all. --dump writes the inputs and expected bits as JSON for the
end-to-end test of the built component.
"""

import json
import random
import re
import struct
import sys
import types
from fractions import Fraction

# app.py imports the generated bindings module `wit_world`; natively a stub will do.
if "wit_world" not in sys.modules:
    stub = types.ModuleType("wit_world")

    class _Protocol:
        pass

    stub.WitWorld = _Protocol
    sys.modules["wit_world"] = stub

import app  # noqa: E402

# ----------------------------------------------------------------- oracles


def grammar_ok(t: str) -> bool:
    """State machine for [sign] (digits ["." [digits]] | "." digits) [(e|E) [sign] digits]."""
    digits = set("0123456789")
    i, n = 0, len(t)
    if i < n and t[i] in "+-":
        i += 1
    int_digits = 0
    while i < n and t[i] in digits:
        i += 1
        int_digits += 1
    frac_digits = 0
    if i < n and t[i] == ".":
        i += 1
        while i < n and t[i] in digits:
            i += 1
            frac_digits += 1
    if int_digits == 0 and frac_digits == 0:
        return False
    if i < n and t[i] in "eE":
        i += 1
        if i < n and t[i] in "+-":
            i += 1
        exp_digits = 0
        while i < n and t[i] in digits:
            i += 1
            exp_digits += 1
        if exp_digits == 0:
            return False
    return i == n


MAX_DOUBLE_BITS = 0x7FEFFFFFFFFFFFFF


def exact_bits(t: str) -> int:
    """Correctly rounded binary64 bits of a grammar-valid text, from exact rationals."""
    m = re.fullmatch(r"([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?", t)
    sign = 1 if m.group(1) == "-" else 0
    ip, fp = m.group(2), m.group(3) or ""
    digits = (ip + fp).lstrip("0")
    sbit = sign << 63
    if not digits:
        return sbit
    exp10 = int(m.group(4) or "0") - len(fp)
    # drop trailing zeros into the exponent
    stripped = digits.rstrip("0")
    exp10 += len(digits) - len(stripped)
    digits = stripped
    # value = digits * 10^exp10, in [10^(len-1+exp10), 10^(len+exp10))
    mag = len(digits) + exp10  # value < 10^mag
    if mag > 310:
        return sbit | 0x7FF0000000000000
    if mag < -330:
        return sbit
    v = Fraction(int(digits)) * (Fraction(10) ** exp10)
    # binary exponent: 2^k <= v < 2^(k+1)
    k = v.numerator.bit_length() - v.denominator.bit_length()
    if Fraction(2) ** k > v:
        k -= 1
    e = max(k - 52, -1074)
    scaled = v / (Fraction(2) ** e)
    q, r = divmod(scaled.numerator, scaled.denominator)
    twice = 2 * r
    if twice > scaled.denominator or (twice == scaled.denominator and q & 1):
        q += 1
    if q == 1 << 53:
        q >>= 1
        e += 1
    if e > 971:
        return sbit | 0x7FF0000000000000
    if q < (1 << 52):  # subnormal (e == -1074) or zero
        return sbit | q
    return sbit | ((e + 1075) << 52) | (q - (1 << 52))


def bits_of(x):
    return None if x is None else struct.unpack("<Q", struct.pack("<d", x))[0]


# ----------------------------------------------------------------- vectors

SPEC = [
    ("0", 0x0000000000000000),
    ("-0", 0x8000000000000000),
    ("+1", 0x3FF0000000000000),
    ("1.", 0x3FF0000000000000),
    (".5", 0x3FE0000000000000),
    ("-.5e-3", 0xBF40624DD2F1A9FC),
    ("0.1", 0x3FB999999999999A),
    ("1e23", 0x44B52D02C7E14AF6),
    ("9007199254740993", 0x4340000000000000),
    ("9007199254740995", 0x4340000000000002),
    ("123456789012345678901234567890", 0x45F8EE90FF6C373E),
    ("3.14159265358979323846264338327950288", 0x400921FB54442D18),
    ("1.7976931348623157e308", 0x7FEFFFFFFFFFFFFF),
    ("1.7976931348623158e308", 0x7FEFFFFFFFFFFFFF),
    ("1.7976931348623159e308", 0x7FF0000000000000),
    ("-1e400", 0xFFF0000000000000),
    ("1e99999999999999999999", 0x7FF0000000000000),
    ("0e99999999999999999", 0x0000000000000000),
    ("1e-400", 0x0000000000000000),
    ("-1e-400", 0x8000000000000000),
    ("4.9406564584124654e-324", 0x0000000000000001),
    ("2.4703282292062327e-324", 0x0000000000000000),
    ("2.4703282292062328e-324", 0x0000000000000001),
    ("2.2250738585072011e-308", 0x000FFFFFFFFFFFFF),
    ("2.2250738585072014e-308", 0x0010000000000000),
    ("7.038531e-26", 0x3AB5C87FB0000000),
    ("1" + "0" * 400 + "e-400", 0x3FF0000000000000),
    ("0." + "0" * 500 + "1e501", 0x3FF0000000000000),
    ("00000.000001E6", 0x3FF0000000000000),
    (".", None),
    ("e5", None),
    ("1e", None),
    ("1e+", None),
    ("+", None),
    ("--1", None),
    ("1.2.3", None),
    ("inf", None),
    ("nan", None),
    (" 1", None),
    ("1 ", None),
    ("0x10", None),
    ("1_000", None),
    ("", None),
]


def exact_decimal(num: int, den_pow2: int) -> str:
    """Exact decimal text of num / 2^den_pow2 (den_pow2 >= 0)."""
    # num / 2^p = num * 5^p / 10^p
    s = str(num * 5**den_pow2).rjust(den_pow2 + 1, "0")
    return s[: len(s) - den_pow2] + "." + s[len(s) - den_pow2 :] if den_pow2 else s


def boundary_texts():
    out = []
    # 2^-1075 (half the smallest subnormal), exactly and nudged
    half_min = exact_decimal(1, 1075)
    out += [half_min, "-" + half_min, half_min + "1", "-" + half_min + "000001"]
    out.append(half_min[:-1] + str(int(half_min[-1]) - 1) + "9" * 30)
    # 3 * 2^-1075 (midpoint between 1 and 2 subnormal units: ties to even -> 2)
    out += [exact_decimal(3, 1075), "-" + exact_decimal(3, 1075), exact_decimal(3, 1075) + "1"]
    # 2^1024 - 2^970 (overflow threshold), exactly and just below
    thr = (1 << 1024) - (1 << 970)
    out += [str(thr), "-" + str(thr), str(thr - 1), str(thr - 1) + ".999999999999999999", str(thr) + ".0000"]
    # midpoint between the largest subnormal and the smallest normal
    out.append(exact_decimal((1 << 53) - 1, 1075))
    # midpoints between consecutive doubles in several binades, +- a tiny nudge
    rng = random.Random(1)
    for _ in range(60):
        e = rng.randint(-1074, 971)
        q = rng.randint(1 << 52, (1 << 53) - 1) if e > -1074 else rng.randint(1, (1 << 53) - 1)
        num = 2 * q + 1  # midpoint (q + 1/2) * 2^e = (2q+1) * 2^(e-1)
        p = e - 1
        text = str(num << p) if p >= 0 else exact_decimal(num, -p)
        out += [text, text + "000000000000000000001" if "." in text else text + ".000000000000000000001"]
        if "." in text:
            out.append(text[:-1] + str(int(text[-1]) - 1) + "9999999999")
    return out


def random_valid(rng: random.Random) -> str:
    sign = rng.choice(["", "", "+", "-"])
    kind = rng.random()
    nd = rng.choice([1, 2, 5, 15, 16, 17, 18, 19, 20, 25, 40, 100, 800, 3000])
    digs = "".join(rng.choice("0123456789") for _ in range(nd))
    if rng.random() < 0.2:
        digs = "0" * rng.randint(1, 50) + digs
    if kind < 0.33:
        mant = digs
    elif kind < 0.66:
        cut = rng.randint(0, len(digs))
        mant = digs[:cut] + "." + digs[cut:]
        if mant == ".":
            mant = "0."
    else:
        mant = digs + "."
    if rng.random() < 0.7:
        ex = rng.choice(
            [
                rng.randint(-30, 30),
                rng.randint(-400, 400),
                rng.randint(-3400, 3400),
                rng.randint(-(10**25), 10**25),
            ]
        )
        es = str(abs(ex)).rjust(rng.choice([0, 0, 3, 30]), "0")
        exs = ("-" if ex < 0 else rng.choice(["", "+"])) + es
        mant += rng.choice("eE") + exs
    return sign + mant


JUNK = list("0123456789.eE+-") * 4 + list(" _xiInNfa,\t\n\r\x00\u00a0\u0663\uff11\u2212\u00b9\U0001d7ce") + ["inf", "nan", "Infinity", "0x", "p3"]


def random_mutant(rng: random.Random) -> str:
    t = random_valid(rng) if rng.random() < 0.7 else ""
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        pos = rng.randint(0, len(t))
        if op < 0.4:
            t = t[:pos] + rng.choice(JUNK) + t[pos:]
        elif op < 0.7 and t:
            pos = min(pos, len(t) - 1)
            t = t[:pos] + t[pos + 1 :]
        elif t:
            pos = min(pos, len(t) - 1)
            t = t[:pos] + rng.choice(JUNK) + t[pos + 1 :]
    return t


def random_extreme(rng: random.Random) -> str:
    """Near the subnormal range or the overflow threshold."""
    nd = rng.choice([1, 3, 16, 17, 18, 25, 60, 400])
    digs = rng.choice("123456789") + "".join(rng.choice("0123456789") for _ in range(nd - 1))
    ex = rng.choice([rng.randint(-345, -300), rng.randint(300, 310)])
    return rng.choice(["", "-"]) + digs[0] + "." + digs[1:] + "e" + str(ex)


def random_short(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789.eE+-") for _ in range(rng.randint(0, 8)))


# ----------------------------------------------------------------- run


def main():
    args = sys.argv[1:]
    dump = None
    if "--dump" in args:
        i = args.index("--dump")
        dump = args[i + 1]
        del args[i : i + 2]
    n_random = int(args[0]) if args else 20000
    # The oracle converts long digit strings with int(); app.py must not need this.
    default_limit = sys.get_int_max_str_digits()

    failures = 0
    checked = 0
    cases = []

    def check(text, expected_bits, label):
        nonlocal failures, checked
        sys.set_int_max_str_digits(default_limit)  # app runs under the default limit
        got = bits_of(app.parse_f64(text))
        checked += 1
        cases.append((text, expected_bits))
        if got != expected_bits:
            failures += 1
            if failures <= 20:
                print(f"FAIL [{label}] {text[:80]!r}{'...' if len(text) > 80 else ''}: "
                      f"got {got if got is None else hex(got)}, want {expected_bits if expected_bits is None else hex(expected_bits)}")

    def oracle(text):
        sys.set_int_max_str_digits(0)
        try:
            return exact_bits(text) if grammar_ok(text) else None
        finally:
            sys.set_int_max_str_digits(default_limit)

    # 1. SPEC vectors; the oracles must agree with SPEC too
    for text, want in SPEC:
        assert oracle(text) == want, ("oracle disagrees with SPEC", text)
        check(text, want, "spec")
    print(f"SPEC vectors: {len(SPEC)}")

    # 2. hand-picked edge cases
    edge = [
        "1\n", "\n1", "1\r", "\t1", "1\x00", "\u0661", "1\u0660", "\uff11", "\u22121", "\u00b2",
        "infinity", "-inf", "+nan", "Infinity", "NaN", "1e1_0", "1_0", "_1", "1._5", "0x1p3",
        "1,5", "1e5.5", "1e+-5", "+-1", "1.e5", ".e5", "-.e5", "+.5", "-.", "+.", "1E5", "1e05",
        "1e-0", "-0.0e5", "-0e-99999999999999999999999", "0.000e+000", "-00", "+00.00e-00",
        "5e-324", "-5e-324", "1e308", "1e309", "1.8e308", "-1.8e308", "2e-324", "3e-324",
        "1" * 5000, "0." + "0" * 5000 + "1", "9" * 400, "-" + "9" * 309, "9" * 308 + ".9e0",
        "1" + "0" * 5000 + "e-5000", "0" * 10000 + "1", "1e-99999999999999999999",
        "0.0000000000000000000000000000000000001e37", "1e0000000000000000000000000000000000023",
        "123456789" * 1000 + "e-8990", "1e4294967296", "1e-4294967296", "1e2147483647",
        "1e-2147483648", "1e1100000000", "1e-1100000000", "1e1099999999",
    ] + boundary_texts()
    for text in edge:
        check(text, oracle(text), "edge")
    print(f"edge cases: {len(edge)}")

    # 3. random valid / mutated / short texts
    rng = random.Random(20240611)
    for i in range(n_random):
        r = i % 5
        text = (random_valid(rng) if r < 2 else random_mutant(rng) if r == 2
                else random_short(rng) if r == 3 else random_extreme(rng))
        check(text, oracle(text), "random")
    print(f"random texts: {n_random}")

    # 4. huge inputs (timed): digit count far beyond the int/str limit
    import time

    big = [
        "1" + "0" * 100000,
        "0." + "0" * 100000 + "1e100001",
        "4" + "9" * 100000 + "e-100000",
        exact_decimal(1, 1075) + "0" * 100000 + "1",
        "1" + "0" * 100000 + "e-100000",
        "-" + "7" * 200000 + "e-200300",
    ]
    for text in big:
        t0 = time.perf_counter()
        check(text, oracle(text), "big")
        dt = time.perf_counter() - t0
        if dt > 0.5:
            print(f"slow: {len(text)} chars took {dt:.3f}s")
    print(f"huge texts: {len(big)}")

    print(f"checked {checked}, failures {failures}")
    if dump:
        with open(dump, "w") as f:
            json.dump([[t, None if b is None else f"{b:016x}"] for t, b in cases], f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
