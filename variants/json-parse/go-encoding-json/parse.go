// json-parse with Go's standard encoding/json: the library decides what JSON
// is and which value a document holds; this file only writes that value down
// in the canonical form of SPEC.md. It is portable (no build tag), so that
// `go test` runs it natively.

package main

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

// jsonParse is the whole function: the library's verdict on text and, when it
// accepts it, the canonical form of the value it read.
//
// json.Unmarshal into a nil `any` is encoding/json's generic entry point: it
// stores nil, bool, float64, string, []any and map[string]any. Any error it
// returns (a *json.SyntaxError, or a *json.UnmarshalTypeError for a number
// that overflows float64) is its report that it did not read a value, so the
// answer is none. Nothing else is checked here.
func jsonParse(text []byte) ([]byte, bool) {
	var v any
	if err := json.Unmarshal(text, &v); err != nil {
		return nil, false
	}
	return canonical(v), true
}

// frame is one open array or object while canonical walks the value.
type frame struct {
	array []any          // the array's elements, when obj is nil
	obj   map[string]any // the object, or nil for an array
	keys  []string       // the object's keys in UTF-16 order
	next  int            // index of the next element or key to write
}

// canonical writes v in the canonical form. It walks the value with a stack
// of its own rather than by recursion, so that a document as deep as the
// library managed to parse never runs out of stack here.
func canonical(v any) []byte {
	var out []byte
	var stack []frame
	for {
		switch x := v.(type) {
		case nil:
			out = append(out, "null"...)
		case bool:
			if x {
				out = append(out, "true"...)
			} else {
				out = append(out, "false"...)
			}
		case float64:
			out = appendNumber(out, x)
		case string:
			out = appendString(out, x)
		case []any:
			out = append(out, '[')
			stack = append(stack, frame{array: x})
		case map[string]any:
			out = append(out, '{')
			stack = append(stack, frame{obj: x, keys: sortedKeys(x)})
		default:
			// encoding/json stores no other type in an `any`.
			panic(fmt.Sprintf("json-parse: unexpected %T from encoding/json", v))
		}

		// Close finished containers and move to the next value to write.
	next:
		for {
			if len(stack) == 0 {
				return out
			}
			f := &stack[len(stack)-1]
			if f.obj == nil {
				if f.next < len(f.array) {
					if f.next > 0 {
						out = append(out, ',')
					}
					v = f.array[f.next]
					f.next++
					break next
				}
				out = append(out, ']')
			} else {
				if f.next < len(f.keys) {
					if f.next > 0 {
						out = append(out, ',')
					}
					k := f.keys[f.next]
					out = appendString(out, k)
					out = append(out, ':')
					v = f.obj[k]
					f.next++
					break next
				}
				out = append(out, '}')
			}
			stack[len(stack)-1] = frame{}
			stack = stack[:len(stack)-1]
		}
	}
}

// sortedKeys returns the keys of m ordered as sequences of UTF-16 code units
// (RFC 8785, section 3.2.3). This differs from Go's byte (code point) order
// only when a key holds a character above U+FFFF: its high surrogate
// (U+D800..U+DBFF) sorts before U+E000..U+FFFF.
func sortedKeys(m map[string]any) []string {
	type key struct {
		s     string
		units []uint16
	}
	keys := make([]key, 0, len(m))
	for s := range m {
		keys = append(keys, key{s, utf16.Encode([]rune(s))})
	}
	slices.SortFunc(keys, func(a, b key) int { return slices.Compare(a.units, b.units) })
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.s
	}
	return out
}

// appendNumber writes a float64 in the canonical form: 0, -0, Infinity,
// -Infinity, NaN, or the shortest round-tripping significand D or D.DDD and a
// decimal exponent: 1e0, 1.235e2, -2.5e-8.
func appendNumber(out []byte, x float64) []byte {
	switch {
	case math.IsNaN(x):
		return append(out, "NaN"...)
	case math.IsInf(x, 1):
		return append(out, "Infinity"...)
	case math.IsInf(x, -1):
		return append(out, "-Infinity"...)
	case x == 0:
		if math.Signbit(x) {
			return append(out, "-0"...)
		}
		return append(out, '0')
	}
	// Format 'e' with precision -1 gives the fewest digits that ParseFloat
	// reads back as exactly x, such as "-1.235e+02" or "5e-324"; its
	// exponent always has a sign and at least two digits.
	s := strconv.FormatFloat(x, 'e', -1, 64)
	i := strings.IndexByte(s, 'e')
	out = append(out, s[:i+1]...)
	exp, err := strconv.Atoi(s[i+1:])
	if err != nil {
		panic("json-parse: unexpected FormatFloat output " + s)
	}
	return strconv.AppendInt(out, int64(exp), 10)
}

const hexDigits = "0123456789abcdef"

// appendString writes s (UTF-8, as encoding/json's strings always are: it
// replaces invalid bytes and lone surrogates with U+FFFD) as a quoted string
// of UTF-16 code units: printable ASCII other than `"` and `\` as itself,
// every other code unit as \u and four lowercase hex digits.
func appendString(out []byte, s string) []byte {
	out = append(out, '"')
	for _, r := range s {
		if r >= 0x20 && r <= 0x7e && r != '"' && r != '\\' {
			out = append(out, byte(r))
			continue
		}
		if r > 0xffff {
			hi, lo := utf16.EncodeRune(r)
			out = appendUnit(out, uint16(hi))
			out = appendUnit(out, uint16(lo))
			continue
		}
		out = appendUnit(out, uint16(r))
	}
	return append(out, '"')
}

func appendUnit(out []byte, u uint16) []byte {
	return append(out, '\\', 'u',
		hexDigits[u>>12], hexDigits[u>>8&15], hexDigits[u>>4&15], hexDigits[u&15])
}
