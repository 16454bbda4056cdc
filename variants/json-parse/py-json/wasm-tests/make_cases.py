"""Writes cases.wave, the corpus of json-parse/py-json, and limits.wave next to this file.

    python3 make_cases.py

Each case is an input (bytes) and, where SPEC.md together with CPython's documented
behaviour fixes it, the expected answer. The answers are written out here by hand
from those two sources (never computed by app.py); the few long inputs have answers
assembled from the same rule with plain string operations. limits.wave holds inputs
on which this variant fails by design (SPEC step 5: an exception other than
JSONDecodeError, or the stack running out), so that cases.wave alone passes a
one-variant campaign. Citations:
  [json]  https://docs.python.org/3/library/json.html (Python 3.14)
  [capi]  https://docs.python.org/3/c-api/conversion.html, PyOS_string_to_double
  [ints]  https://docs.python.org/3/library/stdtypes.html#int-max-str-digits
  [src]   CPython 3.14 Objects/floatobject.c, float_from_string_inner ("We don't care
          about overflow or underflow")
"""

import os

NONE = object()     # expected: none
UNKNOWN = object()  # no expectation: the outcome is a finding, not fixed in advance

cases = []  # (comment or None, input bytes, expected)


def section(title):
    cases.append((title, None, None))


def case(text, want, note=None):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    cases.append((note, data, want))


def limit(text, note):
    """An input on which this variant is expected to fail (trap or exhausted resource)
    by SPEC step 5; it goes to limits.wave, without an answer."""
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    limits.append((note, data))


limits = []  # (comment, input bytes)


def small_int(i):
    """The canonical form of a small integer, from its decimal digits."""
    if i == 0:
        return "0"
    digits = str(abs(i))
    kept = digits.rstrip("0")
    mantissa = kept[0] + ("." + kept[1:] if len(kept) > 1 else "")
    return ("-" if i < 0 else "") + mantissa + "e" + str(len(digits) - 1)


def arr(depth, inner=""):
    return "[" * depth + inner + "]" * depth


# ---------------------------------------------------------------------------
section("SPEC.md test vectors (table and examples)")
case("null", "null")
case("true", "true")
case(" [ ] ", "[]")
case("{}", "{}")
case("0", "0")
case("-0.0", "-0", "a float: CPython holds a double [json: number (real) -> float]")
case("1", "1e0")
case("-12.5e3", "-1.25e4")
case("0.1", "1e-1")
case("1E400", "Infinity",
     "SPEC: none or Infinity by library. The default parse_float is float(num_str) [json];"
     " float() of a str calls PyOS_string_to_double with overflow_exception NULL [src], which"
     " then returns +-HUGE_VAL, i.e. +-inf, and sets no exception [capi]")
case('"a\\"b"', '"a\\u0022b"')
case('"\\u00E9"', '"\\u00e9"')
case('{"b":1,"a":[true,false]}', '{"a":[true,false],"b":1e0}')
case("[1,]", NONE)
case('{"a" 1}', NONE)
case("01", NONE)
case(b"", NONE, "empty input")
case('{"b": [1, 2.50, "x"], "a": null}', '{"a":null,"b":[1e0,2.5e0,"x"]}')
case(" [] ", "[]")
case('"\\u00e9"', '"\\u00e9"')

# ---------------------------------------------------------------------------
section("NaN and Infinity literals: accepted [json: 'It also understands NaN, Infinity, and -Infinity as their corresponding float values']; no other spelling")
case("NaN", "NaN")
case("Infinity", "Infinity")
case("-Infinity", "-Infinity")
case("[NaN,Infinity,-Infinity]", "[NaN,Infinity,-Infinity]")
case('{"x":NaN}', '{"x":NaN}')
case("nan", NONE)
case("NAN", NONE)
case("-NaN", NONE)
case("+Infinity", NONE)
case("infinity", NONE)
case("inf", NONE)
case("-inf", NONE)
case("Infinity1", NONE)
case("-", NONE)

# ---------------------------------------------------------------------------
section("Numbers: JSON ints become Python int (exact), then the nearest double, ties to even, +-inf past the range (SPEC)")
case("-0", "0", "an int: Python's int 0 has no sign, so -0 is +0 (SPEC: an integer converts to the nearest double)")
case("-0e0", "-0", "a float: keeps the sign")
case("0e0", "0")
case("0.0", "0")
case("-0.0e-5", "-0")
case("1.0", "1e0")
case("100", "1e2")
case("1e2", "1e2")
case("1E+2", "1e2")
case("1e-2", "1e-2")
case("123.5", "1.235e2")
case("0.001", "1e-3")
case("-2.5e-8", "-2.5e-8")
case("1e16", "1e16")
case("10000000000000000", "1e16")
case("1e21", "1e21")
case("1e23", "1e23")
case("0.30000000000000004", "3.0000000000000004e-1")
case("9007199254740992", "9.007199254740992e15", "2^53")
case("9007199254740993", "9.007199254740992e15", "2^53+1: a tie, to even")
case("9007199254740995", "9.007199254740996e15", "2^53+3: a tie, to even")
case("-9007199254740993", "-9.007199254740992e15")
case("12345678901234567890", "1.2345678901234567e19", "beyond u64")
case("123456789012345678901234567890", "1.2345678901234568e29")
case("5e-324", "5e-324")
case("4.9406564584124654e-324", "5e-324")
case("2.4703282292062328e-324", "5e-324", "just above half the least subnormal")
case("2.4703282292062327e-324", "0", "just below half the least subnormal")
case("1e-400", "0")
case("-1e-400", "-0")
case("2.2250738585072014e-308", "2.2250738585072014e-308", "least normal")
case("1.7976931348623157e308", "1.7976931348623157e308", "greatest finite")
case("1.7976931348623158e308", "1.7976931348623157e308", "below the midpoint to 2^1024")
case("1.7976931348623159e308", "Infinity", "above that midpoint")
case("-1e400", "-Infinity")
case("1e999999999999999999", "Infinity")
case("0.1000000000000000055511151231257827021181583404541015625", "1e-1", "the exact value of the double 0.1")
big = 2 ** 1024 - 2 ** 970
case(str(big), "Infinity", "int 2^1024-2^970, the midpoint: a tie, to even, overflows")
case(str(big - 1), "1.7976931348623157e308", "int one below the midpoint")
case("-" + str(big - 1), "-1.7976931348623157e308")
case("1" + "0" * 309, "Infinity", "int 10^309")
case("-1" + "0" * 309, "-Infinity")
case("9" * 4300, "Infinity",
     "4300 digits: the most CPython's int() takes under its default limit [ints]")
case("1" + "0" * 5000 + ".5", "Infinity", "a float of 5002 digits: float() has no digit limit [ints lists only int/str conversions]")
case("0." + "0" * 5000 + "1", "0")
limit("9" * 4301,
     "4301 digits: json.loads raises ValueError (the integer string conversion length limit, [json] 'Changed in version 3.11', [ints]),"
     " not JSONDecodeError, so by SPEC step 5 it is left uncaught and traps")
limit("-" + "1" * 4301, "the same, negative")
case("[" + ",".join(str(i) for i in range(-500, 500)) + "]",
     "[" + ",".join(small_int(i) for i in range(-500, 500)) + "]",
     "the ints -500..499")
for bad in ["+1", ".5", "1.", "1.e5", "1e", "1e+", "1E-", "00", "-01", "0x10", "1_000", "1.5e3.2",
            "- 1", "--1", "0.5.1", "1e5e5", "\u0661", "\uff11", "0e", "01.5", "-.5", "1,5"]:
    case(bad, NONE)

# ---------------------------------------------------------------------------
section("Strings: the code units of the str json.loads built, printable ASCII as itself, the rest \\uXXXX (SPEC)")
case('""', '""')
case('"abc"', '"abc"')
case('" ~!#[]"', '" ~!#[]"')
case('"\\\\"', '"\\u005c"')
case('"\\/"', '"/"')
case('"\\b\\f\\n\\r\\t"', '"\\u0008\\u000c\\u000a\\u000d\\u0009"')
case('"\\u0000"', '"\\u0000"')
case('"\\u001f\\u0020\\u007e\\u007f"', '"\\u001f ~\\u007f"')
case(b'"\x7f"', '"\\u007f"', "raw DEL is not a control character for JSON")
case('"\\uABCD"', '"\\uabcd"')
case('"\u00e9\u4e2d"', '"\\u00e9\\u4e2d"', "raw UTF-8")
case('"\U0001F600"', '"\\ud83d\\ude00"', "raw UTF-8, 4 bytes: two code units")
case('"\\uD83D\\uDE00"', '"\\ud83d\\ude00"', "an escaped pair")
case('"\\udbff\\udfff"', '"\\udbff\\udfff"', "U+10FFFF escaped")
case('"\U0010FFFF"', '"\\udbff\\udfff"', "U+10FFFF raw")
case('"\uffff"', '"\\uffff"')
case('"\u2028\u2029"', '"\\u2028\\u2029"', "allowed in JSON strings [json, footnote 1]")
# lone surrogates [json: 'By default, this module accepts and outputs (when present in the
# original str) code points for such sequences.'] stay lone code units (SPEC)
case('"\\ud800"', '"\\ud800"', "a lone high surrogate escape is kept [json, Character Encodings]")
case('"\\udc00"', '"\\udc00"', "a lone low surrogate escape is kept")
case('"\\ud800\\u0041"', '"\\ud800A"', "high surrogate then a non-surrogate")
case('"\\ude00\\ud83d"', '"\\ude00\\ud83d"', "a pair in the wrong order: two lone units")
case('"\\ud800\\ud800"', '"\\ud800\\ud800"')
case('"\\ud83d"x', NONE)
case(b'"\x00"', NONE, "raw NUL: control characters are refused with strict=True, the default [json]")
case(b'"\x1f"', NONE)
case(b'"\t"', NONE, "raw tab")
case(b'"\n"', NONE, "raw newline")
case('"\\x41"', NONE)
case('"\\u12"', NONE)
case('"\\u12G4"', NONE)
case('"\\U00e9"', NONE)
case('"\\a"', NONE)
case('"\\\'"', NONE)
case('"abc', NONE, "unterminated")
case('"\\"', NONE, "unterminated after an escaped quote")
case("'a'", NONE)
case('"' + "ab" * 10000 + '"', '"' + "ab" * 10000 + '"', "20 000 characters")
case('"' + "\u00e9" * 3000 + '"', '"' + "\\u00e9" * 3000 + '"', "3 000 two-byte characters")

# ---------------------------------------------------------------------------
section("Invalid UTF-8: SPEC step 2, the WHATWG decoder gives U+FFFD per maximal invalid subsequence; outside a string U+FFFD is not JSON")
case(b'"\xff"', '"\\ufffd"')
case(b'"\xfe\xff"', '"\\ufffd\\ufffd"')
case(b'"\xc3"', '"\\ufffd"', "truncated 2-byte sequence")
case(b'"\xc3\x28"', '"\\ufffd("')
case(b'"\xe2\x82"', '"\\ufffd"', "truncated 3-byte sequence: one maximal subpart")
case(b'"\xe2\x82\x28"', '"\\ufffd("')
case(b'"\xf0\x9f\x98"', '"\\ufffd"', "truncated 4-byte sequence")
case(b'"\xed\xa0\x80"', '"\\ufffd\\ufffd\\ufffd"', "an encoded surrogate: ED may only be followed by 80..9F")
case(b'"\xed\x9f\xbf"', '"\\ud7ff"')
case(b'"\xc0\xaf"', '"\\ufffd\\ufffd"', "overlong '/'")
case(b'"\xe0\x80\xaf"', '"\\ufffd\\ufffd\\ufffd"', "overlong, 3 bytes")
case(b'"\xf0\x80\x80\x80"', '"\\ufffd\\ufffd\\ufffd\\ufffd"', "overlong, 4 bytes")
case(b'"\xf4\x90\x80\x80"', '"\\ufffd\\ufffd\\ufffd\\ufffd"', "beyond U+10FFFF")
case(b'"\xf5\x80"', '"\\ufffd\\ufffd"')
case(b'"\x80"', '"\\ufffd"', "a lone continuation byte")
case(b'"a\xffb\xc3\xa9"', '"a\\ufffdb\\u00e9"')
case(b'{"\xff":1}', '{"\\ufffd":1e0}', "in a key")
case(b"\xff", NONE)
case(b"[\xff]", NONE)
case(b"1\xff", NONE)
case(b"\xc3\xa9", NONE, "a raw e-acute outside a string")

# ---------------------------------------------------------------------------
section("Byte order mark: SPEC step 2 keeps it as U+FEFF; CPython's deserializer rejects an initial BOM [json, Character Encodings: 'raises a ValueError when an initial BOM is present']")
case(b"\xef\xbb\xbf{}", NONE, "the ValueError is json's parse error, JSONDecodeError ('Unexpected UTF-8 BOM'), so none")
case(b"\xef\xbb\xbf1", NONE)
case(b"\xef\xbb\xbf", NONE, "a BOM alone")
case(b" \xef\xbb\xbf1", NONE, "after whitespace: not JSON whitespace")
case(b'"\xef\xbb\xbf"', '"\\ufeff"', "inside a string it is a character")
case('"\\ufeff"', '"\\ufeff"')
case(b"\xfe\xff\x00\x31", NONE, "UTF-16BE with BOM: bytes FE FF are invalid UTF-8")
case(b"\x00\x31", NONE, "UTF-16BE without BOM: a NUL is not JSON")

# ---------------------------------------------------------------------------
section("Whitespace: only space, tab, LF, CR")
case(" \t\r\n1 \t\r\n", "1e0")
case("\f1", NONE, "form feed")
case("\v1", NONE, "vertical tab")
case("1\u00a0", NONE, "no-break space")
case("\u30001", NONE, "ideographic space")
case(b"1\x00", NONE, "trailing NUL")
case(" ", NONE, "whitespace only")
case("[1 , 2 ]", "[1e0,2e0]")
case('{ "a" : 1 }', '{"a":1e0}')

# ---------------------------------------------------------------------------
section("Literals and structure")
for bad in ["True", "NULL", "nul", "nulll", "tru", "falsey", "undefined", "[1 2]", "[,1]", "[1,,2]",
            "[", "]", "[[]", "[]]", "{", "}", '{"a":1,}', "{,}", '{"a"}', '{"a":}', "{1:2}",
            "{'a':1}", '{"a":1 "b":2}', '{"a":1;"b":2}', '{"a":[}]', "[1]x", "[][]", "1 2",
            "/**/[]", "[]//", "#1", "[1]]", '{"a":1}}', "(1)", "<>", "[1,2,]", '{"a":1,"b"}']:
    case(bad, NONE)
case("[1,2,3]", "[1e0,2e0,3e0]")
case('[null,true,false,"",[],{}]', '[null,true,false,"",[],{}]')
case('{"a":{"b":{"c":[]}}}', '{"a":{"b":{"c":[]}}}')
case('"top-level string"', '"top-level string"', "top-level scalars are accepted [json, Top-level Non-Object, Non-Array Values]")
case("1.5", "1.5e0")
case('{"":0}', '{"":0}')

# ---------------------------------------------------------------------------
section("Object members: sorted by UTF-16 code units; a repeated key keeps the last value [json, Repeated Names Within an Object]")
case('{"b":1,"a":2,"A":3,"aa":4,"":5}', '{"":5e0,"A":3e0,"a":2e0,"aa":4e0,"b":1e0}')
case('{"\\uffff":1,"\\ud800\\udc00":2}', '{"\\ud800\\udc00":2e0,"\\uffff":1e0}', "U+10000 sorts before U+FFFF in UTF-16")
case('{"\uffff":1,"\U00010000":2}', '{"\\ud800\\udc00":2e0,"\\uffff":1e0}', "the same, raw")
case('{"\u00e9":1,"z":2}', '{"z":2e0,"\\u00e9":1e0}')
case('{"\\udc00":1,"\\ud800":2}', '{"\\ud800":2e0,"\\udc00":1e0}', "lone surrogate keys")
case('{"a":1,"a":2}', '{"a":2e0}')
case('{"a":1,"b":0,"a":2}', '{"a":2e0,"b":0}')
case('{"a":1,"\\u0061":2}', '{"a":2e0}', "the same key spelt two ways")
case('{"a":{"x":1},"a":[2]}', '{"a":[2e0]}')
case('{"a":[1],"a":null}', '{"a":null}')
case('[{"b":1,"a":2},{"d":[{"z":0,"y":1}],"c":3}]', '[{"a":2e0,"b":1e0},{"c":3e0,"d":[{"y":1e0,"z":0}]}]')

# ---------------------------------------------------------------------------
section("Nesting")
case(arr(100), arr(100), "100 arrays")
case('{"a":' * 100 + "0" + "}" * 100, '{"a":' * 100 + "0" + "}" * 100, "100 objects")
case(arr(500, "1"), arr(500, "1e0"), "500 arrays")
case(arr(1000), UNKNOWN, "1 000 arrays: returns at the default stack-kib (512), still at 464, exhausted(stack) at 448 (see README)")
limit('{"a":' * 1000 + "0" + "}" * 1000, "1 000 objects: exhausted(stack) at the default stack-kib (512; 986 pass)")
limit(arr(3000), "3 000 arrays: exhausted(stack) at the default stack-kib (1 123 pass)")
limit(arr(3000)[:-1], "3 000 arrays, one unclosed: exhausted(stack) before the error is found")
limit("[" * 5000, "5 000 open brackets and nothing else")
limit(arr(10000), "10 000 arrays: exhausted(stack) at 512 KiB; returns at stack-kib 8192 (18 072 pass)")
case("[" * 100 + "]" * 99, NONE, "100 open, 99 closed")


def wave_bytes(data):
    return "[" + ", ".join(str(b) for b in data) + "]"


def wave_answer(want):
    if want is NONE:
        return "none"
    assert want.isascii() and want.isprintable(), want
    return 'some("' + want.replace("\\", "\\\\").replace('"', '\\"') + '")'


def show(data):
    text = data.decode("utf-8", "backslashreplace")
    shown = "".join(c if c.isprintable() and c.isascii() else "\\u%04x" % ord(c)
                    if ord(c) <= 0xFFFF else "\\U%08x" % ord(c) for c in text)
    return shown if len(shown) <= 70 else shown[:60] + "... (%d bytes)" % len(data)


HEADER = [
    "# One list<u8> argument per line. [json] = https://docs.python.org/3/library/json.html,",
    "# [capi] = https://docs.python.org/3/c-api/conversion.html (PyOS_string_to_double),",
    "# [ints] = https://docs.python.org/3/library/stdtypes.html#int-max-str-digits,",
    "# [src] = CPython 3.14 Objects/floatobject.c, float_from_string_inner.",
]


def label(data):
    return show(data) if data else "(empty)"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    lines = ["# json-parse/py-json corpus, written by make_cases.py (do not edit by hand).",
             "# '=> answer' where SPEC.md and CPython's documented behaviour fix it."] + HEADER
    n = expected = 0
    for note, data, want in cases:
        if data is None:
            lines += ["", "# == " + note + " =="]
            continue
        lines.append("# " + label(data) + (" -- " + note if note else ""))
        line = wave_bytes(data)
        if want is not UNKNOWN:
            line += " => " + wave_answer(want)
            expected += 1
        lines.append(line)
        n += 1
    with open(os.path.join(here, "cases.wave"), "w", encoding="ascii") as f:
        f.write("\n".join(lines) + "\n")
    lines = ["# json-parse/py-json: inputs on which this variant fails by design, written by",
             "# make_cases.py. SPEC step 5: an exception other than json.JSONDecodeError, or an",
             "# exhausted stack, is not caught; it surfaces as a trap or exhausted(stack)."] + HEADER
    for note, data in limits:
        lines += ["# " + label(data) + " -- " + note, wave_bytes(data)]
    with open(os.path.join(here, "limits.wave"), "w", encoding="ascii") as f:
        f.write("\n".join(lines) + "\n")
    print("cases.wave: %d cases, %d with an expected answer; limits.wave: %d cases"
          % (n, expected, len(limits)))


if __name__ == "__main__":
    main()
