#!/usr/bin/env python3
"""Writes cases.wave (beside this file): the SPEC.md test vectors with their answers,
then edge cases without answers (where SPEC.md leaves the verdict to the library)."""
import os

def wave_bytes(b: bytes) -> str:
    return "[" + ", ".join(str(x) for x in b) + "]"

def wave_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

lines = []
def comment(text):
    lines.append("# " + text)
def case(b, expect=None):
    if isinstance(b, str):
        b = b.encode("utf-8")
    line = wave_bytes(b)
    if expect is not None:
        line += " => " + ("none" if expect is False else "some(" + wave_str(expect) + ")")
    lines.append(line)

comment("json-parse corpus for zig-std-json: one WAVE argument tuple (the text as list<u8>) per line.")
comment("SPEC.md test vectors (1E400 has no fixed answer: none or Infinity by library).")
case("null", "null")
case("true", "true")
case(" [ ] ", "[]")
case("{}", "{}")
case("0", "0")
case("-0.0", "-0")
case("1", "1e0")
case("-12.5e3", "-1.25e4")
case("0.1", "1e-1")
case("1E400")
case('"a\\"b"', '"a\\u0022b"')
case('"\\u00E9"', '"\\u00e9"')
case('{"b":1,"a":[true,false]}', '{"a":[true,false],"b":1e0}')
case("[1,]", False)
case('{"a" 1}', False)
case("01", False)
case(b"", False)
comment("SPEC.md canonical-form examples.")
case('{"b": [1, 2.50, "x"], "a": null}', '{"a":null,"b":[1e0,2.5e0,"x"]}')
case(" [] ", "[]")
case('"\\u00e9"', '"\\u00e9"')

comment("numbers: zeros, integers beyond i64 and 2^53, overflow and underflow, bad forms")
for t in ["-0", "0e0", "-0e0", "0.0", "-0.0e-5", "1e-400", "-1e-400", "1e400", "-1e400",
          "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
          "5e-324", "2.4703282292062328e-324", "2.4703282292062327e-324", "2.2250738585072014e-308",
          "9007199254740993", "9007199254740993.0", "9223372036854775807", "9223372036854775808",
          "-9223372036854775808", "-9223372036854775809", "18446744073709551616",
          "123456789012345678901234567890", "1" + "0" * 400, "0." + "0" * 400 + "1",
          "100", "1E2", "1e+2", "1.5E-3", "123.456e-7", "-1", "1.0", "1e0", "0.30000000000000004",
          "+1", ".5", "1.", "1.e3", "-", "-a", "00", "-01", "0x10", "1_000", "NaN", "Infinity",
          "-Infinity", "1e", "1e+", "2.", "- 1", "1 ", " 1"]:
    case(t)

comment("literals, whitespace, trailing content, comments")
for t in [b"nul", b"True", b"NULL", b"null x", b"[] []", b"1 2", b"{}}", b"[]]", b"\t\n\r [1]\r\n",
          b"\x0c[]", b"\xc2\xa0[]", b"[]\x00", b"\x00", b"\x00[]", b"/* c */ []", b"[] // c",
          b"[1,2", b"[", b"]", b"{", b"}", b",", b":", b"[,1]", b"[1,,2]", b"[1 2]", b"{,}",
          b'{"a":1,}', b"{'a':1}", b"{a:1}", b'{"a":}', b'{"a"}', b'{1:1}', b'{"a":1 "b":2}',
          b" ", b"\n", b"\xef\xbb\xbf[]", b"\xef\xbb\xbf", b"\xfe\xff\x00[\x00]", b"[\xef\xbb\xbf]"]:
    case(t)

comment("strings: escapes, control characters, surrogates, UTF-8 validity")
for t in [b'""', b'"\\/"', b'"\\b\\f\\n\\r\\t"', b'"\\u0000"', b'"a\\u0000b"', b'"\\u001f"', b'"\\u007f"',
          b'"\\uFFFF"', b'"\\uffff"', b'"\\ud83d\\ude00"', b'"\\uD83D\\uDE00"', b'"\\ud800"', b'"\\udc00"',
          b'"\\ud800x"', b'"\\ud800\\u0041"', b'"\\udc00\\ud800"', b'"\\ud800\\ud800"', b'"\\ud800\\udbff\\udc00"',
          b'"\\x"', b'"\\a"', b'"\\U0041"', b'"\\u00"', b'"\\u00g0"', b'"\\', b'"abc', b"'a'",
          b'"\x01"', b'"\t"', b'"\n"', b'"\x7f"', b'"\x00"', '"é"'.encode(), '"\U0001F600"'.encode(),
          '"\uffff"'.encode(), '"\U0010FFFF"'.encode(), '"\u2028\u2029"'.encode(), '"~"'.encode(),
          b'"\xff"', b'"\xc0\x80"', b'"\xc1\xbf"', b'"\xe0\x80\x80"', b'"\xed\xa0\x80"', b'"\xed\xbf\xbf"',
          b'"\xed\xa0\xbd\xed\xb8\x80"', b'"\xf4\x90\x80\x80"', b'"\xf5\x80\x80\x80"', b'"\xf0\x80\x80\x80"',
          b'"\x80"', b'"\xc3"', b'"\xe2\x82"', b'"\xf0\x9f\x98"', b'"\xc3\xa9"', b"\xff", b"[\xff]",
          b'["a","\\"","\\\\"]']:
    case(t)

comment("objects: key order by UTF-16 code units, duplicate keys, empty keys")
for t in ['{"\\uffff":1,"\\ud83d\\ude00":2,"a":3,"\\u00e9":4,"":5}', '{"\uffff":1,"\U0001F600":2}',
          '{"ab":1,"a":2,"b":3,"A":4}', '{"a":1,"a":2}', '{"a":1,"\\u0061":2}', '{"a":1,"b":2,"a":1}',
          '{"":1,"":2}', '{"a":{"a":{"a":{}}}}', '{"x":[{"b":1,"a":2}]}', '[{"a":1},{"a":1}]',
          '{"a":null,"b":true,"c":false,"d":0,"e":"s","f":[],"g":{}}']:
    case(t)

comment("nesting: deep arrays and objects, closed and unclosed")
for n in [100, 1000, 10000]:
    case("[" * n + "]" * n)
case('{"a":' * 5000 + "1" + "}" * 5000)
case("[" * 10000)
case("[" * 10000 + "]" * 9999)
case("[" * 100 + "1" + "]" * 100)

comment("larger inputs: a 16 KiB string, 2 000 numbers, a 2 000-member object")
case('"' + "x" * 16384 + '"')
case("[" + ",".join(str(i * 7919 % 100003) + ".5" for i in range(2000)) + "]")
case("{" + ",".join('"k%d":%d' % (i * 7919 % 100003, i) for i in range(2000)) + "}")

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "cases.wave"), "w") as f:
    f.write("\n".join(lines) + "\n")
