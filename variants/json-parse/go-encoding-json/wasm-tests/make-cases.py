#!/usr/bin/env python3
"""Writes cases.wave, the corpus of json-parse/go-encoding-json.

Each case is (comment, text bytes, expected canonical string, or NONE, or
None for no expectation). A line of the corpus is the text as a WAVE
list<u8>, then `=> some("...")` or `=> none` when an answer is expected.
Run from this folder: python3 make-cases.py > cases.wave
"""
NONE = "none"

GO_DOC = "https://pkg.go.dev/encoding/json@go1.27.3#Unmarshal"
GO_V1 = "https://pkg.go.dev/encoding/json@go1.27.3 (section \"Migrating to v2\")"
PARSEFLOAT = "https://pkg.go.dev/strconv@go1.27.3#ParseFloat"

cases = []


def py_number(x):
    """The canonical form of a double, from Python's shortest repr (an
    independent check of the expected answers below)."""
    import math
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0" if math.copysign(1, x) < 0 else "0"
    r = repr(abs(x))  # shortest digits that read back, e.g. 1e+23, 0.001, 123.5
    mant, _, exp = r.partition("e")
    e = int(exp) if exp else 0
    whole, _, frac = mant.partition(".")
    digits = (whole + frac).lstrip("0")
    e += len(whole.lstrip("0")) - 1 if whole.strip("0") else -(len(frac) - len(frac.lstrip("0")) + 1)
    digits = digits.rstrip("0")
    sig = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return ("-" if x < 0 else "") + sig + "e" + str(e)


def section(title):
    cases.append((None, title, None))


def case(comment, text, want):
    if isinstance(text, str):
        text = text.encode("utf-8")
    cases.append((comment, text, want))


section("The test vectors of SPEC.md")
case("null", "null", "null")
case("true", "true", "true")
case("' [ ] '", " [ ] ", "[]")
case("{}", "{}", "{}")
case("0", "0", "0")
case("-0.0 (encoding/json holds a float64)", "-0.0", "-0")
case("1", "1", "1e0")
case("-12.5e3", "-12.5e3", "-1.25e4")
case("0.1", "0.1", "1e-1")
case("1E400: encoding/json returns an *UnmarshalTypeError when a number overflows "
     "float64 (\"If a JSON number overflows the target type, Unmarshal ... returns an "
     "UnmarshalTypeError\", " + GO_DOC + "), so none", "1E400", NONE)
case('"a\\"b"', '"a\\"b"', '"a\\u0022b"')
case('"\\u00E9"', '"\\u00E9"', '"\\u00e9"')
case('{"b":1,"a":[true,false]}', '{"b":1,"a":[true,false]}', '{"a":[true,false],"b":1e0}')
case("[1,]", "[1,]", NONE)
case('{"a" 1}', '{"a" 1}', NONE)
case("01", "01", NONE)
case("empty text", "", NONE)

section("The examples of SPEC.md's canonical form")
case('{"b": [1, 2.50, "x"], "a": null}', '{"b": [1, 2.50, "x"], "a": null}',
     '{"a":null,"b":[1e0,2.5e0,"x"]}')
case("100", "100", "1e2")
case("123.5", "123.5", "1.235e2")
case("0.001", "0.001", "1e-3")
case("-2.5e-8", "-2.5e-8", "-2.5e-8")
case("2^53", "9007199254740992", "9.007199254740992e15")
case("5e-324", "5e-324", "5e-324")
case('"é" (raw UTF-8)', '"é"', '"\\u00e9"')
case('"\\n"', '"\\n"', '"\\u000a"')
case('"😀" (raw UTF-8)', '"😀"', '"\\ud83d\\ude00"')

section("Whitespace and top level (RFC 8259: space, tab, LF, CR only; one value)")
case("one byte: 7", "7", "7e0")
case("one byte: space", " ", NONE)
case("whitespace around null", "\t\r\n null \t\r\n", "null")
case("form feed is not whitespace", "\f[]", NONE)
case("no-break space is not whitespace", "\u00a0[]", NONE)
case("vertical tab is not whitespace", "\v[]", NONE)
case("NUL byte", "\x00", NONE)
case("null then NUL", "null\x00", NONE)
case("two values", "[] []", NONE)
case("two numbers", "1 2", NONE)
case("value then garbage", "null x", NONE)
case("comment", "/* c */ 1", NONE)
case("line comment", "1 // c", NONE)
case("UTF-8 byte order mark before null: RFC 8259 section 8.1 lets a parser ignore it; "
     "encoding/json's documentation says nothing; go1.27.3 was seen to reject it (SyntaxError)",
     "\ufeffnull", None)
case("lone invalid byte", b"\xff", NONE)
case("scalar at top level (RFC 8259)", '"x"', '"x"')

section("Literals")
case("nul", "nul", NONE)
case("nulll", "nulll", NONE)
case("True", "True", NONE)
case("NaN", "NaN", NONE)
case("Infinity", "Infinity", NONE)
case("-Infinity", "-Infinity", NONE)
case("undefined", "undefined", NONE)
case("[null,true,false]", "[null,true,false]", "[null,true,false]")

section("Numbers: encoding/json stores a float64 (\"float64, for JSON numbers\", " + GO_DOC +
        "), read by strconv.ParseFloat, correctly rounded (" + PARSEFLOAT + ")")
case("-0", "-0", "-0")
case("-0e0", "-0e0", "-0")
case("0e0", "0e0", "0")
case("0.0", "0.0", "0")
case("0E-5", "0E-5", "0")
case("1E+2", "1E+2", "1e2")
case("1e-2", "1e-2", "1e-2")
case("0.1e1", "0.1e1", "1e0")
case("1.5E3", "1.5E3", "1.5e3")
case("10", "10", "1e1")
case("-1", "-1", "-1e0")
case("1e23 (shortest form, not 9.999999999999999e22)", "1e23", "1e23")
case("8.41e21", "8.41e21", "8.41e21")
case("0.3", "0.3", "3e-1")
case("2/3 written with 20 digits", "0.66666666666666666667", "6.666666666666666e-1")
case("2^53 + 1 rounds to even", "9007199254740993", "9.007199254740992e15")
case("2^53 + 3 rounds to even (up)", "9007199254740995", "9.007199254740996e15")
case("30 digits", "123456789012345678901234567890", "1.2345678901234568e29")
case("the largest double", "1.7976931348623157e308", "1.7976931348623157e308")
case("just above the largest double, rounds down to it", "1.7976931348623158e308",
     "1.7976931348623157e308")
case("rounds to infinity: *UnmarshalTypeError, none (" + GO_DOC + ")",
     "1.7976931348623159e308", NONE)
case("-1E400: overflow, none", "-1E400", NONE)
case("1e309: overflow, none", "1e309", NONE)
case("overflow inside an array: Unmarshal still returns an error, none", "[1e400, 1]", NONE)
case("overflow then a syntax error", "[1e400, x]", NONE)
case("smallest normal", "2.2250738585072014e-308", "2.2250738585072014e-308")
case("largest subnormal", "2.225073858507201e-308", "2.225073858507201e-308")
case("4.9e-324 is the smallest subnormal", "4.9e-324", "5e-324")
case("3e-324 rounds up to the smallest subnormal", "3e-324", "5e-324")
case("2e-324 rounds down to 0", "2e-324", "0")
case("1e-400 underflows to 0 without error (ParseFloat reports ErrRange only beyond the "
     "largest double, " + PARSEFLOAT + ")", "1e-400", "0")
case("-1e-400 underflows to -0", "-1e-400", "-0")
case("a long run of zeros", "0.00000000000000000000000000000000000000000000001",
     "1e-47")
case("1 with 400 trailing zero decimals", "1." + "0" * 400, "1e0")
case("+1", "+1", NONE)
case(".5", ".5", NONE)
case("1.", "1.", NONE)
case("1.e5", "1.e5", NONE)
case("1e", "1e", NONE)
case("1e+", "1e+", NONE)
case("-", "-", NONE)
case("--1", "--1", NONE)
case("00", "00", NONE)
case("-01", "-01", NONE)
case("01.5", "01.5", NONE)
case("0x10", "0x10", NONE)
case("1_000", "1_000", NONE)
case("1E2.5", "1E2.5", NONE)
case("[-]", "[-]", NONE)
case("-NaN", "-NaN", NONE)

section("Strings (RFC 8259 section 7)")
case('""', '""', '""')
case('"\\/"', '"\\/"', '"/"')
case('"\\\\"', '"\\\\"', '"\\u005c"')
case('"\\b\\f\\n\\r\\t"', '"\\b\\f\\n\\r\\t"', '"\\u0008\\u000c\\u000a\\u000d\\u0009"')
case('"\\u0000"', '"\\u0000"', '"\\u0000"')
case('DEL raw (allowed unescaped)', '"\x7f"', '"\\u007f"')
case('printable ASCII', '"~ !#$%&()*+,-.09:;<=>?@AZ[]^_`az{|}"',
     '"~ !#$%&()*+,-.09:;<=>?@AZ[]^_`az{|}"')
case('"\\u00e9\\u00E9"', '"\\u00e9\\u00E9"', '"\\u00e9\\u00e9"')
case('"\\ud83d\\ude00" (an escaped pair)', '"\\ud83d\\ude00"', '"\\ud83d\\ude00"')
case('U+FFFF raw', '"\uffff"', '"\\uffff"')
case('U+10FFFF raw', '"\U0010ffff"', '"\\udbff\\udfff"')
case('raw tab in a string', '"\t"', NONE)
case('raw newline in a string', '"\n"', NONE)
case('raw 0x1f in a string', '"\x1f"', NONE)
case('"\\x"', '"\\x"', NONE)
case('"\\u12" (short escape)', '"\\u12"', NONE)
case('"\\U00e9"', '"\\U00e9"', NONE)
case("\"\\'\"", "\"\\'\"", NONE)
case("'a'", "'a'", NONE)
case('unterminated', '"abc', NONE)
case('lone quote', '"', NONE)

section("Lone surrogates and invalid UTF-8: \"invalid UTF-8 or invalid UTF-16 surrogate pairs are "
        "not treated as an error. Instead, they are replaced by the Unicode replacement character "
        "U+FFFD\" (" + GO_DOC + ")")
case('"\\ud800" lone high surrogate', '"\\ud800"', '"\\ufffd"')
case('"\\udc00" lone low surrogate', '"\\udc00"', '"\\ufffd"')
case('"\\ud800\\u0041" high surrogate, then not a low one', '"\\ud800\\u0041"', '"\\ufffdA"')
case('"\\udc00\\ud800" reversed pair', '"\\udc00\\ud800"', '"\\ufffd\\ufffd"')
case('"\\ud800x" high surrogate, then a character', '"\\ud800x"', '"\\ufffdx"')
case('one invalid byte 0xff in a string', b'"\xff"', '"\\ufffd"')
case('one invalid byte 0x80 between letters', b'"a\x80b"', '"a\\ufffdb"')
case('truncated 3-byte sequence E2 82: the docs do not say how many U+FFFD; go1.27.3 was '
     'seen to write one per byte (two), where the WHATWG decoder writes one', b'"\xe2\x82"', None)
case('UTF-8 of a surrogate (ED A0 80): go1.27.3 was seen to write three U+FFFD', b'"\xed\xa0\x80"',
     None)
case('overlong C0 AF: go1.27.3 was seen to write two U+FFFD', b'"\xc0\xaf"', None)
case('F4 90 80 80 (above U+10FFFF): go1.27.3 was seen to write four U+FFFD',
     b'"\xf4\x90\x80\x80"', None)
case('invalid UTF-8 outside a string', b'[\xff]', NONE)

section("Arrays")
case("[", "[", NONE)
case("]", "]", NONE)
case("[1", "[1", NONE)
case("[1,2", "[1,2", NONE)
case("[,1]", "[,1]", NONE)
case("[1,,2]", "[1,,2]", NONE)
case("[1 2]", "[1 2]", NONE)
case("[[[]]]", "[[[]]]", "[[[]]]")
case("mixed", '[1, "a", [null], {}, -0.5]', '[1e0,"a",[null],{},-5e-1]')
case("1000 nested arrays", "[" * 1000 + "]" * 1000, "[" * 1000 + "]" * 1000)
case("2000 nested arrays (go1.27.3 reaches 2613 with stack-kib 512; deeper is "
     "exhausted(stack))", "[" * 2000 + "]" * 2000, "[" * 2000 + "]" * 2000)
case("an array of 5000 numbers", "[" + ",".join(str(i) for i in range(5000)) + "]",
     "[" + ",".join(py_number(float(i)) for i in range(5000)) + "]")

section("Objects")
case('{"a":1,}', '{"a":1,}', NONE)
case("{,}", "{,}", NONE)
case('{"a"}', '{"a"}', NONE)
case('{"a":}', '{"a":}', NONE)
case("{a:1}", "{a:1}", NONE)
case("{'a':1}", "{'a':1}", NONE)
case("{1:1}", "{1:1}", NONE)
case('{"a":1', '{"a":1', NONE)
case('{"":1}', '{"":1}', '{"":1e0}')
case("members sorted, nested objects too", '{"b":1,"a":2,"c":{"z":0,"y":[]}}',
     '{"a":2e0,"b":1e0,"c":{"y":[],"z":0}}')
case("sorted by UTF-16 code units: \"B\" < \"a\" < \"aa\" < \"b\" < \"é\"",
     '{"aa":1,"a":2,"B":3,"b":4,"é":5}', '{"B":3e0,"a":2e0,"aa":1e0,"b":4e0,"\\u00e9":5e0}')
case("U+10000 (high surrogate D800) sorts before U+FFFF (RFC 8785 section 3.2.3)",
     '{"\\uffff":1,"\\ud800\\udc00":2}', '{"\\ud800\\udc00":2e0,"\\uffff":1e0}')
case("U+E000 vs U+1F600 (raw UTF-8): UTF-16 order, not code point order",
     '{"\ue000":1,"\U0001f600":2}', '{"\\ud83d\\ude00":2e0,"\\ue000":1e0}')
case("duplicate keys: \"In v1, a JSON object with duplicate names is permitted\" (" + GO_V1 +
     "); the map takes each pair in turn, so the last one stays", '{"a":1,"a":2}', '{"a":2e0}')
case("duplicate object values are replaced, not merged (v1 \"merges ... (but not map values)\", "
     + GO_V1 + ")", '{"a":{"x":1},"a":{"y":2}}', '{"a":{"y":2e0}}')
case("a key repeated around another", '{"a":1,"b":2,"a":3}', '{"a":3e0,"b":2e0}')
case("two keys that both become U+FFFD: one member, the last value",
     '{"\\ud800":1,"\\udc00":2}', '{"\\ufffd":2e0}')
case("1000 nested objects", '{"a":' * 1000 + "null" + "}" * 1000,
     '{"a":' * 1000 + "null" + "}" * 1000)


for comment, text, want in cases:
    # Every expected answer for a bare number agrees with Python's float().
    if comment is not None and want not in (None, NONE):
        try:
            x = float(text)
        except ValueError:
            continue
        if text.strip().lower() in (b"nan", b"infinity", b"-infinity"):
            continue
        assert py_number(x) == want, (text, want, py_number(x))


def wave_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def printable(comment):
    # A comment line must stay one line of printable text.
    return "".join(c if c.isprintable() else "\\x%02x" % ord(c) if ord(c) < 256 else
                   "\\u%04x" % ord(c) for c in comment)


out = ["# json-parse/go-encoding-json: corpus of edge cases (written by make-cases.py).",
       "# One line per input: the text as a WAVE list<u8>, then => and the expected answer",
       "# when the SPEC, RFC 8259 or encoding/json's documentation fixes it; lines without",
       "# an answer record what go1.27.3 was seen to do, in their comment."]
for comment, text, want in cases:
    if comment is None:
        out.append("")
        out.append("# ==== " + printable(text.decode() if isinstance(text, bytes) else text))
        continue
    out.append("# " + printable(comment))
    line = "[" + ", ".join(str(b) for b in text) + "]"
    if want == NONE:
        line += " => none"
    elif want is not None:
        assert all(0x20 <= ord(c) <= 0x7e for c in want), want
        line += " => some(" + wave_string(want) + ")"
    out.append(line)
print("\n".join(out))
