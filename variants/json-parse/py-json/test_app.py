"""Native checks of app.py against oracles written independently of it.

    python3 test_app.py [N]      # N random cases per check (default 20000)

Runs under any CPython >= 3.11 (app.py only needs the standard library; the
generated `wit_world` module is replaced by a stand-in). Checked:
  1. bytes.decode('utf-8', 'replace') against the WHATWG UTF-8 decoder written out
     below from the Encoding Standard, section 9.1.1 ("UTF-8 decoder"), on every
     sequence of 1 to 3 bytes drawn from boundary bytes and on random sequences;
  2. canonical_number against an oracle that finds the shortest digit count by
     formatting with '%.{p}e' for p = 0, 1, ... (correctly rounded, ties to even)
     until the text reads back as the same double;
  3. canonical_string against a code-unit loop over the UTF-16 encoding;
  4. key order against a sort over lists of UTF-16 code units;
  5. json_parse end to end on the SPEC.md vectors and the corpus edge cases
     whose answers do not depend on the CPython version.
"""

import math
import random
import struct
import sys
import types

sys.modules["wit_world"] = types.SimpleNamespace(WitWorld=object)
import app  # noqa: E402

FAILS = 0


def check(what, got, want):
    global FAILS
    if got != want:
        FAILS += 1
        if FAILS <= 30:
            print("FAIL", what, "got", repr(got)[:200], "want", repr(want)[:200])


# ---------- 1. WHATWG UTF-8 decoder ----------

def whatwg_utf8_decode(data: bytes) -> str:
    out = []
    needed = seen = cp = 0
    lower, upper = 0x80, 0xBF
    i = 0
    while i < len(data):
        b = data[i]
        i += 1
        if needed == 0:
            if b <= 0x7F:
                out.append(chr(b))
            elif 0xC2 <= b <= 0xDF:
                needed, cp = 1, b & 0x1F
            elif 0xE0 <= b <= 0xEF:
                if b == 0xE0:
                    lower = 0xA0
                if b == 0xED:
                    upper = 0x9F
                needed, cp = 2, b & 0x0F
            elif 0xF0 <= b <= 0xF4:
                if b == 0xF0:
                    lower = 0x90
                if b == 0xF4:
                    upper = 0x8F
                needed, cp = 3, b & 0x07
            else:
                out.append("\ufffd")
            continue
        if not lower <= b <= upper:
            needed = seen = cp = 0
            lower, upper = 0x80, 0xBF
            out.append("\ufffd")
            i -= 1  # the byte is processed again from the start state
            continue
        lower, upper = 0x80, 0xBF
        cp = (cp << 6) | (b & 0x3F)
        seen += 1
        if seen == needed:
            out.append(chr(cp))
            needed = seen = cp = 0
    if needed:
        out.append("\ufffd")
    return "".join(out)


def check_decoder(n, rng):
    edge = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
            0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5,
            0xFE, 0xFF]
    count = 0
    for a in edge:
        for b in edge:
            for c in edge:
                for seq in (bytes([a]), bytes([a, b]), bytes([a, b, c])):
                    check("decode %r" % seq, seq.decode("utf-8", "replace"), whatwg_utf8_decode(seq))
                    count += 1
    for _ in range(n):
        seq = bytes(rng.choice(edge) if rng.random() < 0.7 else rng.randrange(256)
                    for _ in range(rng.randrange(1, 12)))
        check("decode %r" % seq, seq.decode("utf-8", "replace"), whatwg_utf8_decode(seq))
        count += 1
    # the byte order mark is kept
    check("bom", b"\xef\xbb\xbf[]".decode("utf-8", "replace"), "\ufeff[]")
    return count


# ---------- 2. numbers ----------

def oracle_number(x: float) -> str:
    if x != x:
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0" if math.copysign(1, x) < 0 else "0"
    for p in range(17):
        text = "%.*e" % (p, abs(x))
        if float(text) == abs(x):
            break
    mant, exp = text.split("e")
    digits = mant.replace(".", "").rstrip("0")
    if len(digits) > 1:
        digits = digits[0] + "." + digits[1:]
    return ("-" if x < 0 else "") + digits + "e" + str(int(exp))


def check_numbers(n, rng):
    fixed = [(0.0, "0"), (-0.0, "-0")] + list({1.0: "1e0", 100.0: "1e2", 123.5: "1.235e2",
             0.001: "1e-3", -2.5e-8: "-2.5e-8", 2.0 ** 53: "9.007199254740992e15",
             5e-324: "5e-324", 0.1: "1e-1", -12.5e3: "-1.25e4", 1e16: "1e16",
             1e15: "1e15", 1e-5: "1e-5", 1e-4: "1e-4", 1e21: "1e21", 1e22: "1e22",
             1e23: "1e23", 1.7976931348623157e308: "1.7976931348623157e308",
             2.2250738585072014e-308: "2.2250738585072014e-308",
             math.inf: "Infinity", -math.inf: "-Infinity", math.nan: "NaN"}.items())
    for x, want in fixed:
        check("number %r" % x, app.canonical_number(x), want)
    # ints: exact, then nearest double, ties to even, overflow to +-inf
    ints = {0: "0", 1: "1e0", -1: "-1e0", 10 ** 2: "1e2", 2 ** 53: "9.007199254740992e15",
            2 ** 53 + 1: "9.007199254740992e15", 2 ** 53 + 3: "9.007199254740996e15",
            10 ** 400: "Infinity", -(10 ** 400): "-Infinity",
            2 ** 1024 - 2 ** 970: "Infinity",
            2 ** 1024 - 2 ** 970 - 1: "1.7976931348623157e308",
            -(2 ** 1024 - 2 ** 970 - 1): "-1.7976931348623157e308",
            12345678901234567890: "1.2345678901234567e19"}
    for x, want in ints.items():
        check("int %d" % x, app.canonical_number(x), want)
    count = len(fixed) + len(ints)
    for _ in range(n):
        r = rng.random()
        if r < 0.5:
            x = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        elif r < 0.8:
            x = float("%.*e" % (rng.randrange(1, 6), rng.uniform(-1, 1) * 10 ** rng.randrange(-30, 30)))
        else:
            x = float(rng.randrange(-(2 ** 64), 2 ** 64))
        check("number %r" % x, app.canonical_number(x), oracle_number(x))
        k = rng.randrange(-(10 ** 30), 10 ** 30)
        check("int %d" % k, app.canonical_number(k), oracle_number(float(k)))
        count += 2
    return count


# ---------- 3, 4. strings and key order ----------

def oracle_string(s: str) -> str:
    units = s.encode("utf-16-le", "surrogatepass")
    out = ['"']
    for i in range(0, len(units), 2):
        u = units[i] | units[i + 1] << 8
        if 0x20 <= u <= 0x7E and u not in (0x22, 0x5C):
            out.append(chr(u))
        else:
            out.append("\\u%04x" % u)
    out.append('"')
    return "".join(out)


def random_text(rng):
    pools = [(0x00, 0x7F), (0x80, 0x7FF), (0xD800, 0xDFFF), (0xE000, 0xFFFF),
             (0x10000, 0x10FFFF), (0x20, 0x7E)]
    chars = []
    for _ in range(rng.randrange(0, 8)):
        lo, hi = rng.choice(pools)
        chars.append(chr(rng.randint(lo, hi)))
    return "".join(chars)


def check_strings(n, rng):
    fixed = {"": '""', 'a"b': '"a\\u0022b"', "\u00e9": '"\\u00e9"', "\n": '"\\u000a"',
             "\U0001F600": '"\\ud83d\\ude00"', "\\": '"\\u005c"', "\x7f": '"\\u007f"',
             "\ud800": '"\\ud800"', "\udfff x": '"\\udfff x"', " ~": '" ~"'}
    for s, want in fixed.items():
        check("string %r" % s, app.canonical_string(s), want)
    count = len(fixed)
    for _ in range(n):
        s = random_text(rng)
        check("string %r" % s, app.canonical_string(s), oracle_string(s))
        keys = list({random_text(rng) for _ in range(rng.randrange(1, 6))})
        got = [k for k, _ in sorted(((k, 0) for k in keys), key=app._key_order)]

        def units(k):
            b = k.encode("utf-16-le", "surrogatepass")
            return [b[i] | b[i + 1] << 8 for i in range(0, len(b), 2)]
        check("order %r" % keys, got, sorted(keys, key=units))
        count += 2
    return count


# ---------- 5. end to end ----------

END_TO_END = [
    # SPEC.md test vectors
    (b"null", "null"), (b"true", "true"), (b" [ ] ", "[]"), (b"{}", "{}"), (b"0", "0"),
    (b"-0.0", "-0"), (b"1", "1e0"), (b"-12.5e3", "-1.25e4"), (b"0.1", "1e-1"),
    (b"1E400", "Infinity"), (b'"a\\"b"', '"a\\u0022b"'), (b'"\\u00E9"', '"\\u00e9"'),
    (b'{"b":1,"a":[true,false]}', '{"a":[true,false],"b":1e0}'), (b"[1,]", None),
    (b'{"a" 1}', None), (b"01", None), (b"", None),
    (b'{"b": [1, 2.50, "x"], "a": null}', '{"a":null,"b":[1e0,2.5e0,"x"]}'),
    # CPython behaviours fixed by its documentation
    (b"NaN", "NaN"), (b"Infinity", "Infinity"), (b"-Infinity", "-Infinity"),
    (b"[NaN,-Infinity]", "[NaN,-Infinity]"), (b"nan", None), (b"-NaN", None),
    (b'{"a":1,"a":2}', '{"a":2e0}'), (b"\xef\xbb\xbf{}", None),
    (b"-0", "0"), (b"1E-400", "0"), (b"-1E-400", "-0"),
    (b'"\\ud800"', '"\\ud800"'), (b'"\\ud83d\\ude00"', '"\\ud83d\\ude00"'),
    (b'"\xf0\x9f\x98\x80"', '"\\ud83d\\ude00"'), (b'"\xff"', '"\\ufffd"'),
    (b'"\xed\xa0\x80"', '"\\ufffd\\ufffd\\ufffd"'), (b'"\xc3"', '"\\ufffd"'),
    (b"\xff", None), (b'"\t"', None), (b"[1]x", None), (b" \t\r\n1\n", "1e0"),
    (b"\x0c1", None), (b'{"\xef\xbf\xbf":1,"\xf0\x90\x80\x80":2}',
                       '{"\\ud800\\udc00":2e0,"\\uffff":1e0}'),
    (b"1" * 400, "Infinity"), (b"-" + b"9" * 4300, "-Infinity"),
    (b"[" * 50 + b"]" * 50, "[" * 50 + "]" * 50),
]


def check_end_to_end():
    for data, want in END_TO_END:
        check("json_parse %r" % data[:60], app.json_parse(data), want)
    try:
        app.json_parse(b"1" * 4301)
    except ValueError as e:
        if isinstance(e, app.json.JSONDecodeError):
            check("4301 digits", "JSONDecodeError", "plain ValueError")
    else:
        check("4301 digits", "returned", "plain ValueError")
    # nesting deeper than the recursion limit, serialized without recursion
    deep = [[]]
    for _ in range(100000):
        deep = [deep]
    check("deep canonical", app.canonical(deep), "[" * 100002 + "]" * 100002)
    return len(END_TO_END) + 2


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    rng = random.Random(20240617)
    total = check_decoder(n, rng) + check_numbers(n, rng) + check_strings(n, rng) + check_end_to_end()
    print("CPython %s: %d checks, %d failures" % (sys.version.split()[0], total, FAILS))
    sys.exit(1 if FAILS else 0)


if __name__ == "__main__":
    main()
