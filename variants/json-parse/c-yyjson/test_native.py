#!/usr/bin/env python3
"""Native test of the c-yyjson json-parse wrapper.

Compiles json_parse.c + yyjson.c (from the crate that build.sh fetches) with gcc
into a shared library, loads it with ctypes and checks
  1. SPEC.md's test vectors (exact canonical strings),
  2. every input of corpus/jsontestsuite.wave against its expectation
     (some(_) accepted, none rejected; i_ inputs are only reported),
  3. the number form against Python's repr (shortest round-trip, David Gay's
     dtoa) on special and random doubles, and key order / escapes on a few
     hand-made documents.
Run from anywhere: python3 test_native.py
"""
import ctypes
import decimal
import json
import math
import os
import random
import re
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "corpus", "jsontestsuite.wave")


def yyjson_dir():
    manifest = os.path.join(HERE, "Cargo.toml")
    subprocess.run(["cargo", "fetch", "--locked", "--manifest-path", manifest],
                   check=True, stdout=subprocess.DEVNULL)
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--locked", "--format-version", "1",
         "--manifest-path", manifest],
        check=True, capture_output=True).stdout)
    pkg = [p for p in meta["packages"] if p["name"] == "yyjson-sys"][0]
    return os.path.join(os.path.dirname(pkg["manifest_path"]), "yyjson", "src")


def build():
    src = yyjson_dir()
    out = os.path.join(tempfile.mkdtemp(prefix="c-yyjson-"), "libjp.so")
    subprocess.run(["nice", "-n", "10", "gcc", "-O2", "-std=c11", "-DNDEBUG",
                    "-shared", "-fPIC", "-Wall", "-Wextra", "-I", src,
                    os.path.join(HERE, "json_parse.c"),
                    "-x", "c", "-w", os.path.join(src, "yyjson.c"),
                    "-o", out, "-lm"], check=True)
    lib = ctypes.CDLL(out)
    lib.json_parse_canonical.restype = ctypes.c_void_p
    lib.json_parse_canonical.argtypes = [ctypes.c_char_p, ctypes.c_size_t,
                                         ctypes.POINTER(ctypes.c_size_t)]
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [ctypes.c_void_p]

    def parse(data: bytes):
        n = ctypes.c_size_t(0)
        p = lib.json_parse_canonical(data, len(data), ctypes.byref(n))
        if not p:
            return None
        s = ctypes.string_at(p, n.value)
        libc.free(p)
        return s.decode("ascii")
    return parse


def canonical_number(x: float) -> str:
    """SPEC.md's number form, from Python's shortest repr."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "-Infinity" if x < 0 else "Infinity"
    if x == 0:
        return "-0" if math.copysign(1, x) < 0 else "0"
    sign, digits, exp = decimal.Decimal(repr(x)).as_tuple()
    digits = list(digits)
    while digits and digits[0] == 0:
        digits.pop(0)
    while digits[-1] == 0:
        digits.pop()
        exp += 1
    e = exp + len(digits) - 1
    d = "".join(map(str, digits))
    m = d if len(d) == 1 else d[0] + "." + d[1:]
    return ("-" if sign else "") + m + "e" + str(e)


SPEC_VECTORS = [
    (b"null", "null"),
    (b"true", "true"),
    (b" [ ] ", "[]"),
    (b"{}", "{}"),
    (b"0", "0"),
    (b"-0.0", "-0"),
    (b"1", "1e0"),
    (b"-12.5e3", "-1.25e4"),
    (b"0.1", "1e-1"),
    (b"1E400", "none-or-Infinity"),
    (b'"a\\"b"', '"a\\u0022b"'),
    (b'"\\u00E9"', '"\\u00e9"'),
    (b'{"b":1,"a":[true,false]}', '{"a":[true,false],"b":1e0}'),
    (b"[1,]", None),
    (b'{"a" 1}', None),
    (b"01", None),
    (b"", None),
    # the SPEC's prose examples
    (b'{"b": [1, 2.50, "x"], "a": null}', '{"a":null,"b":[1e0,2.5e0,"x"]}'),
    (b"100", "1e2"), (b"123.5", "1.235e2"), (b"0.001", "1e-3"),
    (b"-2.5e-8", "-2.5e-8"), (b"9007199254740992", "9.007199254740992e15"),
    (b"5e-324", "5e-324"), (b'"\xc3\xa9"', '"\\u00e9"'), (b'"\\""', '"\\u0022"'),
    (b'"\\n"', '"\\u000a"'), (b'"\xf0\x9f\x98\x80"', '"\\ud83d\\ude00"'),
    (b'"\\ud83d\\ude00"', '"\\ud83d\\ude00"'),
]

EXTRA_VECTORS = [
    # key order by UTF-16 code units: U+FF61 (one unit 0xff61) sorts after
    # U+1F600 (units 0xd83d 0xde00), the reverse of code-point / UTF-8 order
    ('{"\uff61":1,"\U0001F600":2,"a":3,"":4}'.encode(),
     '{"":4e0,"a":3e0,"\\ud83d\\ude00":2e0,"\\uff61":1e0}'),
    (b'{"a":1,"a":2}', '{"a":1e0}'),  # yyjson_obj_get returns the first
    (b'{"b":{"d":[],"c":{}},"a\\u0000":0}', '{"a\\u0000":0,"b":{"c":{},"d":[]}}'),
    (b'"\\u0000\\u001f\\u007f ~\\/"', '"\\u0000\\u001f\\u007f ~/"'),
    (b"-0", "0"),  # yyjson reads -0 as the integer 0 (SINT)
    (b"18446744073709551615", "1.8446744073709552e19"),
    (b"-9223372036854775808", "-9.223372036854776e18"),
    (b"18446744073709551616", "1.8446744073709552e19"),
    (b"1e309", None), (b"-1e309", None),  # yyjson: infinity is an error
    (b"1e-400", "0"), (b"-1e-400", "-0"),
    (b"\xef\xbb\xbf{}", None),  # BOM
    (b'"\\ud800"', None), (b'"\xff"', None),
    (b"[" * 100000 + b"]" * 100000, "[" * 100000 + "]" * 100000),
    (b'{"a":' * 50000 + b"1" + b"}" * 50000, '{"a":' * 50000 + "1e0" + "}" * 50000),
]


def read_corpus():
    name = None
    for line in open(CORPUS, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("# ") and line[2:].split(" ")[0].endswith(".json"):
            name = line[2:].split(" ")[0]
        elif line.startswith("["):
            m = re.fullmatch(r"\[([0-9, ]*)\](?: => (none|some\(_\)))?", line)
            assert m, line[:80]
            data = bytes(int(t) for t in m.group(1).split(",") if t.strip())
            yield name, data, m.group(2)


def main():
    parse = build()
    failures = 0

    def check(label, data, want):
        nonlocal failures
        got = parse(data)
        ok = (got in (None, "Infinity")) if want == "none-or-Infinity" else got == want
        if not ok:
            failures += 1
            print(f"FAIL {label}: {data[:60]!r} -> {str(got)[:80]!r}, want {str(want)[:80]!r}")

    for data, want in SPEC_VECTORS:
        check("spec", data, want)
    for data, want in EXTRA_VECTORS:
        check("extra", data, want)
    print(f"spec+extra vectors: {len(SPEC_VECTORS) + len(EXTRA_VECTORS)} checked")

    counts = {}
    for name, data, want in read_corpus():
        got = parse(data)
        kind = name[0]
        if kind == "i":
            print(f"  {name}: {'some(' + repr(got[:60]) + ')' if got is not None else 'none'}")
            continue
        ok = (got is not None) == (want == "some(_)")
        right, total = counts.get(kind, (0, 0))
        counts[kind] = (right + ok, total + 1)
        if not ok:
            failures += 1
            print(f"FAIL {name}: got {str(got)[:60]!r}, want {want}")
        elif got is not None:
            # an accepted input's canonical form must itself be accepted and stable
            again = parse(got.encode())
            if kind == "y" and again is None:
                print(f"  note {name}: canonical form {got[:60]!r} not re-readable")
    for kind, (right, total) in sorted(counts.items()):
        print(f"{kind}_: {right}/{total} right")

    # numbers
    rng = random.Random(20240101)
    specials = [5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
                1.7976931348623157e308, 2.0 ** 53, 2.0 ** 54, 2.0 ** -1074 * 3,
                0.1, 0.2, 0.3, 1e21, 1e22, 1e23, 123456789012345678.0, 9.5, 1e-7,
                1.5e-6, 123e-20, 4.35, 0.000001, 1e300 * 1e8]
    specials += [2.0 ** e for e in range(-1074, 1024)]
    specials += [-(2.0 ** e) * 1.5 for e in range(-1000, 1000, 7)]
    nums = specials + [struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
                       for _ in range(200000)]
    nums += [rng.uniform(-1e6, 1e6) for _ in range(20000)]
    nums += [float(rng.randint(-2 ** 63, 2 ** 64)) for _ in range(5000)]
    bad = 0
    for x in nums:
        if math.isnan(x) or math.isinf(x):
            continue
        text = repr(x).encode()
        got = parse(text)
        want = canonical_number(x)
        if got != want:
            bad += 1
            if bad < 10:
                print(f"FAIL number {text!r}: {got!r}, want {want!r}")
    failures += bad
    # integers read as u64 / i64 (exact), converted to the nearest double
    for _ in range(20000):
        i = rng.choice([rng.randint(-2 ** 63, 2 ** 64 - 1), rng.randint(-10 ** 6, 10 ** 6)])
        got = parse(str(i).encode())
        want = canonical_number(float(i)) if i != 0 else "0"
        if got != want:
            failures += 1
            print(f"FAIL integer {i}: {got!r}, want {want!r}")
    print(f"numbers: {len(nums)} doubles and 20000 integers checked")

    print(f"{'FAILED' if failures else 'ok'}: {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
