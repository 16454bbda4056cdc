package main

import (
	"math"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

type vector struct {
	text string
	want string // the canonical string; "" for none
}

// The test vectors of SPEC.md. `1E400` is "none or Infinity, by library":
// encoding/json answers with an error (see TestOverflowIsAnError).
var specVectors = []vector{
	{"null", "null"},
	{"true", "true"},
	{" [ ] ", "[]"},
	{"{}", "{}"},
	{"0", "0"},
	{"-0.0", "-0"},
	{"1", "1e0"},
	{"-12.5e3", "-1.25e4"},
	{"0.1", "1e-1"},
	{"1E400", ""},
	{`"a\"b"`, `"a\u0022b"`},
	{`"\u00E9"`, `"\u00e9"`},
	{`{"b":1,"a":[true,false]}`, `{"a":[true,false],"b":1e0}`},
	{"[1,]", ""},
	{`{"a" 1}`, ""},
	{"01", ""},
	{"", ""},
	// The worked example and the number examples of the canonical form.
	{`{"b": [1, 2.50, "x"], "a": null}`, `{"a":null,"b":[1e0,2.5e0,"x"]}`},
	{"100", "1e2"},
	{"123.5", "1.235e2"},
	{"0.001", "1e-3"},
	{"-2.5e-8", "-2.5e-8"},
	{"9007199254740992", "9.007199254740992e15"},
	{"5e-324", "5e-324"},
	{`"é"`, `"\u00e9"`},
	{"\"\n\"", ""}, // a raw newline in a string is not JSON
	{`"\n"`, `"\u000a"`},
	{`"😀"`, `"\ud83d\ude00"`},
}

// Edge cases, with what encoding/json does (see README.md).
var edgeVectors = []vector{
	// whitespace: only space, tab, CR, LF
	{"\t\r\n null \t\r\n", "null"},
	{"\f[]", ""},
	{"\u00a0[]", ""},
	{"\ufeffnull", ""}, // a UTF-8 byte order mark is not skipped
	// literals and trailing data
	{"nul", ""}, {"nulll", ""}, {"True", ""}, {"NaN", ""}, {"Infinity", ""}, {"-Infinity", ""},
	{"null x", ""}, {"[] []", ""}, {"1 2", ""}, {"\x00", ""}, {"null\x00", ""},
	// numbers
	{"-0", "-0"}, {"-0e0", "-0"}, {"0e0", "0"}, {"0.0", "0"}, {"1E+2", "1e2"}, {"1e-2", "1e-2"},
	{"0.1e1", "1e0"}, {"1.5E3", "1.5e3"}, {"1e-400", "0"}, {"-1e-400", "-0"},
	{"-1E400", ""}, {"1e309", ""}, {"1.7976931348623157e308", "1.7976931348623157e308"},
	{"1.7976931348623158e308", "1.7976931348623157e308"}, // rounds down to the largest double
	{"1.7976931348623159e308", ""},                       // rounds to infinity: an error
	{"2.2250738585072014e-308", "2.2250738585072014e-308"},
	{"4.9e-324", "5e-324"}, {"2e-324", "0"}, {"3e-324", "5e-324"},
	{"9007199254740993", "9.007199254740992e15"}, // tie, to even
	{"123456789012345678901234567890", "1.2345678901234568e29"},
	{"1e23", "1e23"}, {"8.41e21", "8.41e21"}, {"5e-1", "5e-1"},
	{"+1", ""}, {".5", ""}, {"1.", ""}, {"1.e5", ""}, {"1e", ""}, {"1e+", ""}, {"-", ""}, {"--1", ""},
	{"00", ""}, {"-01", ""}, {"0x10", ""}, {"1_000", ""}, {"[-]", ""}, {"01.5", ""}, {"1E2.5", ""},
	// strings
	{`""`, `""`}, {`"\/"`, `"/"`}, {`"\\"`, `"\u005c"`}, {`"\b\f\n\r\t"`, `"\u0008\u000c\u000a\u000d\u0009"`},
	{`"\u0000"`, `"\u0000"`}, {"\"\x7f\"", `"\u007f"`}, {"\"\t\"", ""}, {"\"\x1f\"", ""},
	{`"\x"`, ""}, {`"\u12"`, ""}, {`"\U00e9"`, ""}, {`"\'"`, ""}, {`'a'`, ""}, {`"abc`, ""},
	{`"~ !"`, `"~ !"`}, {`"\u00e9\u00E9"`, `"\u00e9\u00e9"`},
	{`"\ud83d\ude00"`, `"\ud83d\ude00"`},
	{`"\ud800"`, `"\ufffd"`},                     // lone high surrogate: replaced
	{`"\udc00"`, `"\ufffd"`},                     // lone low surrogate: replaced
	{`"\ud800\u0041"`, `"\ufffdA"`},              // high surrogate then not a low one
	{`"\udc00\ud800"`, `"\ufffd\ufffd"`},         // reversed pair
	{"\"\xff\"", `"\ufffd"`},                     // invalid UTF-8: replaced, one U+FFFD per byte
	{"\"\xe2\x82\"", `"\ufffd\ufffd"`},           // truncated sequence: two, where WHATWG gives one
	{"\"\xed\xa0\x80\"", `"\ufffd\ufffd\ufffd"`}, // UTF-8 of a surrogate
	{"\"\xc0\xaf\"", `"\ufffd\ufffd"`},           // overlong
	{"\"\xf4\x90\x80\x80\"", `"\ufffd\ufffd\ufffd\ufffd"`},
	{"\"\xef\xbf\xbf\"", `"\uffff"`},
	{"\xff", ""},
	// arrays and objects
	{"[", ""}, {"]", ""}, {"[1", ""}, {"[1,2", ""}, {"[,1]", ""}, {"[1,,2]", ""}, {"[1 2]", ""},
	{"[[[]]]", "[[[]]]"}, {"[null,true,false]", "[null,true,false]"},
	{`{"a":1,}`, ""}, {`{,}`, ""}, {`{"a"}`, ""}, {`{"a":}`, ""}, {`{a:1}`, ""}, {`{'a':1}`, ""}, {`{1:1}`, ""},
	{`{"":1}`, `{"":1e0}`},
	{`{"a":1,"a":2}`, `{"a":2e0}`},                   // the last duplicate wins
	{`{"a":{"x":1},"a":{"y":2}}`, `{"a":{"y":2e0}}`}, // replaced, not merged
	{`{"a":1,"b":2,"a":3}`, `{"a":3e0,"b":2e0}`},
	{`{"b":1,"a":2,"c":{"z":0,"y":[]}}`, `{"a":2e0,"b":1e0,"c":{"y":[],"z":0}}`},
	{`{"\uffff":1,"\ud800\udc00":2}`, `{"\ud800\udc00":2e0,"\uffff":1e0}`}, // UTF-16 order
	{`{"aa":1,"a":2,"B":3,"b":4,"é":5}`, `{"B":3e0,"a":2e0,"aa":1e0,"b":4e0,"\u00e9":5e0}`},
	{`{"\ud800":1,"\udc00":2}`, `{"\ufffd":2e0}`}, // two keys that both become U+FFFD
	{`[1e400, 1]`, ""},
	{`[1e400, x]`, ""},
	{"/* c */ 1", ""}, {"1 // c", ""},
}

func TestVectors(t *testing.T) {
	for _, group := range [][]vector{specVectors, edgeVectors} {
		for _, tc := range group {
			got, ok := jsonParse([]byte(tc.text))
			switch {
			case tc.want == "" && ok:
				t.Errorf("jsonParse(%q) = some(%q), want none", tc.text, got)
			case tc.want != "" && !ok:
				t.Errorf("jsonParse(%q) = none, want some(%q)", tc.text, tc.want)
			case tc.want != "" && string(got) != tc.want:
				t.Errorf("jsonParse(%q) = some(%q), want some(%q)", tc.text, got, tc.want)
			}
		}
	}
}

func TestNilText(t *testing.T) {
	if got, ok := jsonParse(nil); ok {
		t.Errorf("jsonParse(nil) = some(%q)", got)
	}
}

// appendNumber against a slow reference: the canonical form must read back
// as x, and no fixed-precision rendering with fewer digits may read back;
// with as many digits, FormatFloat's correctly rounded (ties-to-even)
// rendering must be the same digits.
func checkNumber(t *testing.T, x float64) {
	t.Helper()
	c := string(appendNumber(nil, x))
	if x == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return
	}
	back, err := strconv.ParseFloat(c, 64)
	if err != nil || back != x {
		t.Fatalf("%v: canonical %q reads back as %v (%v)", x, c, back, err)
	}
	mant, exp, _ := strings.Cut(strings.TrimPrefix(c, "-"), "e")
	if strings.HasPrefix(exp, "+") || (len(exp) > 1 && exp[0] == '0') || strings.HasPrefix(exp, "-0") {
		t.Fatalf("%v: exponent of %q", x, c)
	}
	if len(mant) > 1 && (mant[1] != '.' || strings.HasSuffix(mant, "0")) || mant[0] == '0' {
		t.Fatalf("%v: significand of %q", x, c)
	}
	digits := strings.Replace(mant, ".", "", 1)
	for p := 1; p < len(digits); p++ {
		s := strconv.FormatFloat(x, 'e', p-1, 64)
		if y, _ := strconv.ParseFloat(s, 64); y == x {
			t.Fatalf("%v: %q has %d digits but %q reads back", x, c, len(digits), s)
		}
	}
	s := strconv.FormatFloat(x, 'e', len(digits)-1, 64)
	if y, _ := strconv.ParseFloat(s, 64); y == x {
		m, _, _ := strings.Cut(strings.TrimPrefix(s, "-"), "e")
		if strings.Replace(m, ".", "", 1) != digits {
			t.Fatalf("%v: %q, but the nearest %d-digit decimal is %q", x, c, len(digits), s)
		}
	}
}

func TestNumbers(t *testing.T) {
	fixed := map[float64]string{
		0: "0", math.Copysign(0, -1): "-0", math.Inf(1): "Infinity", math.Inf(-1): "-Infinity",
		math.NaN(): "NaN", 1: "1e0", 100: "1e2", 123.5: "1.235e2", 0.001: "1e-3", -2.5e-8: "-2.5e-8",
		1 << 53: "9.007199254740992e15", 5e-324: "5e-324", math.MaxFloat64: "1.7976931348623157e308",
		1e21: "1e21", 1e-7: "1e-7", 0.3: "3e-1", 2.0 / 3: "6.666666666666666e-1", 1e100: "1e100",
	}
	for x, want := range fixed {
		if got := string(appendNumber(nil, x)); got != want {
			t.Errorf("appendNumber(%v) = %q, want %q", x, got, want)
		}
	}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 200000; i++ {
		x := math.Float64frombits(r.Uint64())
		checkNumber(t, x)
		checkNumber(t, float64(r.Int63n(1<<20))/1024)
	}
	for e := -1074; e <= 1023; e++ {
		x := math.Ldexp(1, e)
		checkNumber(t, x)
		checkNumber(t, math.Nextafter(x, 0))
		checkNumber(t, math.Nextafter(x, math.Inf(1)))
	}
}

func TestDeepNesting(t *testing.T) {
	for _, d := range []int{1000, 10000} {
		text := strings.Repeat("[", d) + strings.Repeat("]", d)
		got, ok := jsonParse([]byte(text))
		if !ok || string(got) != text {
			t.Errorf("depth %d: ok=%v", d, ok)
		}
	}
	// One level past encoding/json's nesting limit.
	text := strings.Repeat("[", 10001) + strings.Repeat("]", 10001)
	if _, ok := jsonParse([]byte(text)); ok {
		t.Errorf("depth 10001 accepted")
	}
}
