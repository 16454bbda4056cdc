#!/usr/bin/env python3
"""Writes the json-parse corpus of this variant: `cases.wave` next to this script.

    python3 make-cases.py                 # rewrite cases.wave
    python3 make-cases.py --huge FILE     # also write FILE with 1 MiB inputs (not committed)

Each case is one line: the input bytes as a WAVE `list<u8>`, preceded by a `#` comment
line saying what it is. Only the SPEC.md test vectors whose answer the SPEC fixes for
every RFC 8259 parser carry `=> expected`.
"""
import os
import sys

BOM = b"\xef\xbb\xbf"


def wave_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def line(text, expected=None):
    out = "[" + ", ".join(str(b) for b in text) + "]"
    if expected is not None:
        out += " => " + ("none" if expected == "none" else "some(" + wave_string(expected) + ")")
    return out


def describe(text, limit=70):
    s = text.decode("utf-8", "backslashreplace")
    # Printable ASCII as itself, other ASCII and undecodable bytes as \xNN, other
    # characters as <U+NNNN>.
    s = "".join(
        c if " " <= c <= "~" else "\\x%02x" % ord(c) if ord(c) < 0x80 else "<U+%04X>" % ord(c)
        for c in s
    )
    return s if len(s) <= limit else s[:limit] + "... (%d bytes)" % len(text)


# (comment, bytes, expected answer or None)
SPEC = [
    (b"null", "null"),
    (b"true", "true"),
    (b" [ ] ", "[]"),
    (b"{}", "{}"),
    (b"0", "0"),
    (b"-0.0", None),  # "-0" for a double-holding parser
    (b"1", "1e0"),
    (b"-12.5e3", "-1.25e4"),
    (b"0.1", "1e-1"),
    (b"1E400", None),  # none or Infinity, by library
    (b'"a\\"b"', '"a\\u0022b"'),
    (b'"\\u00E9"', '"\\u00e9"'),
    (b'{"b":1,"a":[true,false]}', '{"a":[true,false],"b":1e0}'),
    (b"[1,]", "none"),
    (b'{"a" 1}', "none"),
    (b"01", "none"),
    (b"", "none"),
    (b'{"b": [1, 2.50, "x"], "a": null}', '{"a":null,"b":[1e0,2.5e0,"x"]}'),
]

EXTRA = [
    ("whitespace", [
        b"\t\n\r 1 \t\n\r", b"\x0c1", b"\x0b1", b"\xc2\xa01", b"1\xe3\x80\x80", b" ", b"\n",
    ]),
    ("byte order mark", [
        BOM + b"{}", BOM + b'""', BOM, b'"' + BOM + b'"', b"[" + BOM + b"1]",
    ]),
    ("NUL bytes", [
        b'"a\x00b"', b"1\x00", b"\x00", b"\x001", b'"\\u0000"', b'{"\\u0000":0}',
    ]),
    ("invalid UTF-8", [
        b'"\xff"', b'"\xc0\xaf"', b'"\xed\xa0\x80"', b'"\xed\xbf\xbf"', b'"\xf4\x90\x80\x80"',
        b'"\xe2\x82"', b'"\x80"', b'"\xf8\x88\x80\x80\x80"', b"[1]\xff", b"\xff[1]",
        b'{"\xff":1}', b'"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"',
    ]),
    ("surrogate escapes", [
        b'"\\ud800"', b'"\\udc00"', b'"\\udbff\\udfff"', b'"\\ud800\\u0041"', b'"\\udc00\\ud800"',
        b'"\\ud800\\ud800"', b'"\\uD83D\\uDE00"', b'"\\ud83d\\ude00"', b'"\\ud800x"',
        b'"\\ud800\\"', b'{"\\ud800":1}', b'["\\udfff"]',
    ]),
    ("escapes", [
        b'"\\/\\b\\f\\n\\r\\t\\\\\\""', b'"\\x41"', b'"\\U0041"', b'"\\\'"', b'"\\u12"', b'"\\u12G4"',
        b'"\\uABCD\\uabcd"', b'"\\a"', b'"\\0"', b'"\\', b'"\\u"',
    ]),
    ("raw control characters and DEL in strings", [
        b'"\t"', b'"\n"', b'"\x1f"', b'"\x7f"', b'"\x7f~ !"', b'"\xc2\x80"', b'"\xe2\x80\xa8\xe2\x80\xa9"',
    ]),
    ("duplicate keys", [
        b'{"a":1,"a":2}', b'{"a":1,"b":2,"a":3}', b'{"a":{"x":1},"a":[2]}', b'{"a":1,"\\u0061":2}',
        b'{"a":null,"a":null}',
    ]),
    ("key order (UTF-16 code units, not code points)", [
        '{"\uff61":1,"\U0001f600":2,"a":3,"":4,"A":5,"aa":6,"\u00e9":7}'.encode(),
        '{"\ue000":1,"\U00010000":2}'.encode(),
        b'{"b":{"d":1,"c":2},"a":[{"z":0,"y":1}]}',
    ]),
    ("numbers", [
        b"-0", b"-0.0", b"0e0", b"-0e-0", b"0.0e+10", b"-0.0E-10",
        b"1e400", b"-1e400", b"1e309", b"1e-400", b"-1e-400", b"1e-324",
        b"1.7976931348623157e308", b"1.7976931348623158e308", b"1.797693134862315807e308",
        b"1.7976931348623159e308", b"-1.7976931348623157e308",
        b"4.9406564584124654e-324", b"5e-324", b"2.4703282292062328e-324", b"2.4703282292062327e-324",
        b"2.2250738585072011e-308", b"2.2250738585072014e-308",
        b"9007199254740992", b"9007199254740993", b"9007199254740995", b"9007199254740993.0",
        b"18446744073709551615", b"18446744073709551616", b"-9223372036854775808",
        b"-9223372036854775809", b"123456789012345678901234567890",
        b"1" * 309, b"1" * 310, b"0." + b"0" * 400 + b"1", b"1." + b"0" * 400 + b"1",
        b"1e23", b"8.98846567431158e307", b"0.30000000000000004", b"100", b"123.5", b"0.001",
        b"-2.5e-8", b"7.068e-175", b"8.062551734e90", b"117.63331139400017",
        b"122.416294033786585", b"0.9999999999999999", b"1.5777777777770001",
        b"10587.436593658975", b"0.9215686321258545", b"2.638344616030823e-256",
        b"268631970648555.125", b"2.6863197064855512e14", b"2.6863197064855513e14",
        b"1.00000000000000011102230246251565404236316680908203125",
        b"1E2", b"1e+2", b"1e-2", b"1.5E+02", b"1e0000000000000000000001", b"1e-0000000000000000000001",
        b"1e99999999999999999999", b"1e-99999999999999999999", b"0e99999999999999999999",
    ]),
    ("number grammar", [
        b"-01", b"00", b"1.", b".1", b"+1", b"1e", b"1e+", b"1E-", b"0x10", b"1.e1", b"-", b"- 1",
        b"--1", b"1.0.0", b"1e1.5", b"NaN", b"nan", b"Infinity", b"-Infinity", b"inf", b"1_000",
        b"\xd9\xa1", b"\xef\xbc\x91",
    ]),
    ("structure", [
        b"[,1]", b"[1,,2]", b'{"a":1,}', b"{,}", b'{"a"}', b'{"a":}', b"{1:2}", b"{a:1}",
        b"{'a':1}", b"'a'", b"[1 2]", b'"a" "b"', b"1 2", b"[1]]", b"[1", b'"abc', b"[]x",
        b"[1]//c", b"/*c*/[1]", b"# c\n1", b"tRue", b"nul", b"truex", b"True", b"NULL",
        b"[true,false,null]", b'"top-level string"', b"3", b'{"a":[]}', b"[[],{},[{}]]",
    ]),
    ("deep nesting", [
        b"[" * 127 + b"]" * 127,
        b"[" * 128 + b"]" * 128,
        b"[" * 129 + b"]" * 129,
        b'{"a":' * 127 + b"1" + b"}" * 127,
        b'{"a":' * 128 + b"1" + b"}" * 128,
        b"[" * 5000 + b"]" * 5000,
        b"[" * 5000,
        b'{"a":' * 1000,
    ]),
    ("larger inputs", [
        b'"' + b"x" * 4096 + b'"',
        b'"' + "\u00e9".encode() * 2048 + b'"',
        b"[" + b",".join([b"1.5"] * 1024) + b"]",
        b"{" + b",".join(b'"k%d":%d' % (i, i) for i in range(500)) + b"}",
    ]),
]


def huge():
    yield "1 MiB string of ASCII", b'"' + b"a" * (1 << 20) + b'"'
    yield "1 MiB string of 2-byte UTF-8", b'"' + "\u00e9".encode() * (1 << 19) + b'"'
    yield "1 MiB array of 17-digit numbers", b"[" + b",".join([b"1.2345678901234567"] * 55000) + b"]"
    yield "1 MiB array of small integers", b"[" + b",".join([b"1"] * (1 << 19)) + b"]"
    yield "1 MiB object", b"{" + b",".join(b'"k%d":%d' % (i, i) for i in range(80000)) + b"}"
    yield "depth 100000, closed", b"[" * 100000 + b"]" * 100000
    yield "depth 1000000, unclosed", b"[" * 1000000
    yield "1 MiB of whitespace, then 1", b" " * (1 << 20) + b"1"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = [
        "# json-parse corpus of variants/json-parse/rust-serde-json (made by make-cases.py).",
        "# One WAVE argument (the input bytes as list<u8>) per line; `=> answer` only where",
        "# SPEC.md fixes the answer for every RFC 8259 parser.",
        "",
        "# SPEC.md test vectors",
    ]
    for text, expected in SPEC:
        out.append("# " + describe(text))
        out.append(line(text, expected))
    for title, cases in EXTRA:
        out.append("")
        out.append("# == " + title)
        for text in cases:
            out.append("# " + describe(text))
            out.append(line(text))
    with open(os.path.join(here, "cases.wave"), "w") as f:
        f.write("\n".join(out) + "\n")
    if len(sys.argv) == 3 and sys.argv[1] == "--huge":
        with open(sys.argv[2], "w") as f:
            for title, text in huge():
                f.write("# " + title + "\n" + line(text) + "\n")


if __name__ == "__main__":
    main()
