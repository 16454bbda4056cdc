package main

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

type vec struct {
	text string
	ok   bool
	bits uint64
}

// Every vector of SPEC.md.
var specVectors = []vec{
	{"0", true, 0x0000000000000000},
	{"-0", true, 0x8000000000000000},
	{"+1", true, 0x3FF0000000000000},
	{"1.", true, 0x3FF0000000000000},
	{".5", true, 0x3FE0000000000000},
	{"-.5e-3", true, 0xBF40624DD2F1A9FC},
	{"0.1", true, 0x3FB999999999999A},
	{"1e23", true, 0x44B52D02C7E14AF6},
	{"9007199254740993", true, 0x4340000000000000},
	{"9007199254740995", true, 0x4340000000000002},
	{"123456789012345678901234567890", true, 0x45F8EE90FF6C373E},
	{"3.14159265358979323846264338327950288", true, 0x400921FB54442D18},
	{"1.7976931348623157e308", true, 0x7FEFFFFFFFFFFFFF},
	{"1.7976931348623158e308", true, 0x7FEFFFFFFFFFFFFF},
	{"1.7976931348623159e308", true, 0x7FF0000000000000},
	{"-1e400", true, 0xFFF0000000000000},
	{"1e99999999999999999999", true, 0x7FF0000000000000},
	{"0e99999999999999999", true, 0x0000000000000000},
	{"1e-400", true, 0x0000000000000000},
	{"-1e-400", true, 0x8000000000000000},
	{"4.9406564584124654e-324", true, 0x0000000000000001},
	{"2.4703282292062327e-324", true, 0x0000000000000000},
	{"2.4703282292062328e-324", true, 0x0000000000000001},
	{"2.2250738585072011e-308", true, 0x000FFFFFFFFFFFFF},
	{"2.2250738585072014e-308", true, 0x0010000000000000},
	{"7.038531e-26", true, 0x3AB5C87FB0000000},
	{"1" + strings.Repeat("0", 400) + "e-400", true, 0x3FF0000000000000},
	{"0." + strings.Repeat("0", 500) + "1e501", true, 0x3FF0000000000000},
	{"00000.000001E6", true, 0x3FF0000000000000},
	{".", false, 0},
	{"e5", false, 0},
	{"1e", false, 0},
	{"1e+", false, 0},
	{"+", false, 0},
	{"--1", false, 0},
	{"1.2.3", false, 0},
	{"inf", false, 0},
	{"nan", false, 0},
	{" 1", false, 0},
	{"1 ", false, 0},
	{"0x10", false, 0},
	{"1_000", false, 0},
	{"", false, 0},
}

// Extra edge cases (expected values derived by hand from IEEE 754).
var extraVectors = []vec{
	{"-0.0e5", true, 0x8000000000000000},
	{"-0e-99999999999999999999", true, 0x8000000000000000},
	{"1e-99999999999", true, 0},
	{"-1e-99999999999", true, 0x8000000000000000},
	{"1e+99999999999", true, 0x7FF0000000000000},
	{"0." + strings.Repeat("0", 3000) + "1e99999999999999999999999", true, 0x7FF0000000000000},
	{strings.Repeat("9", 3000) + "e-99999999999999999999999", true, 0},
	{"1E0", true, 0x3FF0000000000000},
	{"1e-0", true, 0x3FF0000000000000},
	{"1e+0", true, 0x3FF0000000000000},
	{"-.0", true, 0x8000000000000000},
	{"0.", true, 0},
	{"1.e5", true, 0x40F86A0000000000},
	{"1.7976931348623157e308", true, 0x7FEFFFFFFFFFFFFF},
	{"2.2250738585072012e-308", true, 0x0010000000000000},
	{"5e-324", true, 1},
	{"1e-323", true, 2},
	{"-2.4703282292062328e-324", true, 0x8000000000000001},
	{"-7.4109846876186982e-324", true, 0x8000000000000002},
	{"1e308", true, 0x7FE1CCF385EBC8A0},
	{"1e309", true, 0x7FF0000000000000},
	{"1e-324", true, 0},
	{"1e-323", true, 2},
	{"１", false, 0},
	{"1\x00", false, 0},
	{"\xff", false, 0},
	{"1e5.", false, 0},
	{"1.e", false, 0},
	{".e1", false, 0},
	{"-.", false, 0},
	{"+-1", false, 0},
	{"1e--1", false, 0},
	{"1e+-1", false, 0},
	{"Infinity", false, 0},
	{"NaN", false, 0},
	{"0x1p3", false, 0},
	{"1,5", false, 0},
	{"\t1", false, 0},
	{"1\n", false, 0},
	{"é", false, 0},
	{"1é", false, 0},
}

func check(t *testing.T, v vec) {
	t.Helper()
	got, ok := ParseF64(v.text)
	short := abbrev(v.text)
	if ok != v.ok {
		t.Errorf("%q: ok=%v want %v", short, ok, v.ok)
		return
	}
	if ok && math.Float64bits(got) != v.bits {
		t.Errorf("%q: got %#016x (%v) want %#016x (%v)", short, math.Float64bits(got), got,
			v.bits, math.Float64frombits(v.bits))
	}
}

func TestSpecVectors(t *testing.T) {
	for _, v := range specVectors {
		check(t, v)
	}
	t.Logf("%d SPEC vectors", len(specVectors))
}

func TestExtraVectors(t *testing.T) {
	for _, v := range extraVectors {
		check(t, v)
	}
}

// Grammar oracle (the SPEC grammar as a regular expression).
var grammarRE = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// oracle: strconv.ParseFloat (only in tests) on texts that match the grammar.
func oracle(s string) (uint64, bool) {
	if !grammarRE.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		panic(fmt.Sprintf("strconv rejected %q: %v", s, err))
	}
	return math.Float64bits(f), true
}

func compare(t *testing.T, s string) bool {
	t.Helper()
	want, wok := oracle(s)
	got, ok := ParseF64(s)
	if ok != wok || (ok && math.Float64bits(got) != want) {
		t.Errorf("%q: got (%#016x,%v) oracle (%#016x,%v)", abbrev(s), math.Float64bits(got), ok, want, wok)
		return false
	}
	return true
}

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.Intn(10))
	}
	// Sometimes runs of zeros or nines.
	if n > 2 && r.Intn(4) == 0 {
		c := byte("09"[r.Intn(2)])
		a := r.Intn(n)
		for i := a; i < n && i < a+r.Intn(n); i++ {
			b[i] = c
		}
	}
	return string(b)
}

func pickLen(r *rand.Rand) int {
	switch r.Intn(10) {
	case 0:
		return 0
	case 1:
		return 20 + r.Intn(800)
	case 2:
		return 700 + r.Intn(200) // around the truncation length
	default:
		return 1 + r.Intn(20)
	}
}

// randomValid builds a text from the grammar.
func randomValid(r *rand.Rand) string {
	var sb strings.Builder
	switch r.Intn(3) {
	case 0:
		sb.WriteByte('-')
	case 1:
		sb.WriteByte('+')
	}
	ni, nf := pickLen(r), pickLen(r)
	point := r.Intn(2) == 0
	if ni == 0 && nf == 0 {
		ni = 1
	}
	if ni == 0 {
		point = true
	}
	if r.Intn(5) == 0 {
		sb.WriteString(strings.Repeat("0", r.Intn(400)))
	}
	sb.WriteString(digits(r, ni))
	if point {
		sb.WriteByte('.')
		if r.Intn(5) == 0 {
			sb.WriteString(strings.Repeat("0", r.Intn(400)))
		}
		sb.WriteString(digits(r, nf))
	}
	if r.Intn(4) != 0 {
		sb.WriteByte("eE"[r.Intn(2)])
		switch r.Intn(3) {
		case 0:
			sb.WriteByte('-')
		case 1:
			sb.WriteByte('+')
		}
		var e int64
		switch r.Intn(6) {
		case 0:
			e = r.Int63n(1 << 40)
		case 1:
			e = 280 + r.Int63n(60)
		case 2:
			e = 300 + r.Int63n(1100)
		default:
			e = r.Int63n(400)
		}
		if r.Intn(8) == 0 {
			sb.WriteString(strings.Repeat("0", r.Intn(30)))
		}
		sb.WriteString(strconv.FormatInt(e, 10))
	}
	return sb.String()
}

// exactDecimal returns the exact decimal expansion of a dyadic rational.
func exactDecimal(x *big.Rat) string {
	s := x.FloatString(1100)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// boundaryTexts returns texts at and just around the midpoint above bits b.
func boundaryTexts(r *rand.Rand, b uint64) []string {
	lo := new(big.Rat)
	lo.SetFloat64(math.Float64frombits(b))
	var hi *big.Rat
	if b == 0x7FEFFFFFFFFFFFFF {
		hi = new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(1), 1024))
	} else {
		hi = new(big.Rat).SetFloat64(math.Float64frombits(b + 1))
	}
	mid := new(big.Rat).Add(lo, hi)
	mid.Quo(mid, big.NewRat(2, 1))
	m := exactDecimal(mid)
	out := []string{m, m + "0000001", m + strings.Repeat("0", 900) + "1"}
	// Just below: truncate the exact expansion (it has a nonzero last digit).
	if strings.Contains(m, ".") {
		cut := len(m) - 1 - r.Intn(5)
		if cut > strings.Index(m, ".")+1 {
			out = append(out, m[:cut])
		}
		out = append(out, m[:len(m)-1])
	}
	// Same value written with the point moved into the exponent.
	if i := strings.Index(m, "."); i >= 0 {
		d := m[:i] + m[i+1:]
		out = append(out, d+"e-"+strconv.Itoa(len(m)-i-1))
	}
	return out
}

func TestRandomValid(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	n, bad := 0, 0
	for i := 0; i < 200000; i++ {
		if !compare(t, randomValid(r)) {
			bad++
		}
		n++
		if bad > 20 {
			t.Fatal("too many failures")
		}
	}
	t.Logf("%d random valid texts compared with strconv.ParseFloat", n)
}

func randomBits(r *rand.Rand) uint64 {
	switch r.Intn(6) {
	case 0: // subnormal
		return uint64(r.Int63n(1 << 52))
	case 1: // tiny subnormal
		return uint64(r.Intn(64))
	case 2: // around the normal/subnormal boundary
		return 1<<52 - 32 + uint64(r.Intn(64))
	case 3: // near the top
		return 0x7FEFFFFFFFFFFFFF - uint64(r.Intn(64))
	default:
		return uint64(r.Int63n(0x7FEFFFFFFFFFFFFF + 1))
	}
}

func TestBoundaries(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	n := 0
	fixed := []uint64{0, 1, 2, 3, 0x000FFFFFFFFFFFFF, 0x0010000000000000, 0x7FEFFFFFFFFFFFFF,
		0x7FEFFFFFFFFFFFFE, 0x3FEFFFFFFFFFFFFF, 0x3FF0000000000000, 0x433FFFFFFFFFFFFF, 0x4340000000000000}
	for _, b := range fixed {
		for _, s := range boundaryTexts(r, b) {
			compare(t, s)
			compare(t, "-"+s)
			n += 2
		}
	}
	for i := 0; i < 20000; i++ {
		neg := ""
		if r.Intn(2) == 0 {
			neg = "-"
		}
		for _, s := range boundaryTexts(r, randomBits(r)) {
			compare(t, neg+s)
			n++
		}
	}
	t.Logf("%d midpoint and near-midpoint texts compared with strconv.ParseFloat", n)
}

// The hand-derived boundary facts of SPEC.md, checked with exact decimals.
func TestExactThresholds(t *testing.T) {
	two := big.NewInt(2)
	// 2^1024 - 2^970 -> +Inf; one less in the last place of a long expansion -> max.
	th := new(big.Int).Sub(new(big.Int).Exp(two, big.NewInt(1024), nil), new(big.Int).Exp(two, big.NewInt(970), nil))
	s := th.String()
	check(t, vec{s, true, 0x7FF0000000000000})
	check(t, vec{"-" + s, true, 0xFFF0000000000000})
	below := new(big.Int).Sub(th, big.NewInt(1)).String()
	check(t, vec{below, true, 0x7FEFFFFFFFFFFFFF})
	check(t, vec{below + ".99999999999999999999999999", true, 0x7FEFFFFFFFFFFFFF})
	check(t, vec{s[:1] + "." + s[1:] + "e" + strconv.Itoa(len(s)-1), true, 0x7FF0000000000000})
	// 2^-1075 -> 0 (tie to even), a hair above -> smallest subnormal.
	h := exactDecimal(new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(two, big.NewInt(1075), nil)))
	check(t, vec{h, true, 0})
	check(t, vec{"-" + h, true, 0x8000000000000000})
	check(t, vec{h + "1", true, 1})
	check(t, vec{"-" + h + strings.Repeat("0", 5000) + "1", true, 0x8000000000000001})
	// 3·2^-1075 -> tie between 1 and 2 subnormal units -> 2 (even).
	h3 := exactDecimal(new(big.Rat).SetFrac(big.NewInt(3), new(big.Int).Exp(two, big.NewInt(1075), nil)))
	check(t, vec{h3, true, 2})
	check(t, vec{h3[:len(h3)-1], true, 1})
}

// Every midpoint has at most ~768 significant digits; check that the number of
// digits kept exactly (keepDigits) covers it on the worst cases.
func TestKeepDigitsBound(t *testing.T) {
	// Longest digit strings come from odd multiples of 2^-1075 close to 2^-1021.
	two := big.NewInt(2)
	p := new(big.Int).Exp(big.NewInt(5), big.NewInt(1075), nil)
	j := new(big.Int).Sub(new(big.Int).Exp(two, big.NewInt(54), nil), big.NewInt(1))
	nd := len(new(big.Int).Mul(p, j).String())
	if nd >= keepDigits {
		t.Fatalf("midpoint digits %d >= keepDigits %d", nd, keepDigits)
	}
	t.Logf("longest midpoint: %d significant digits; keepDigits=%d", nd, keepDigits)
}

// Random strings over the number alphabet plus junk: validity must match the
// regular expression and values must match the oracle.
func TestRandomMixed(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	alpha := "0123456789.eE+-"
	junk := []string{" ", "_", "x", "i", "n", "a", "f", ",", "\t", "é", "\x00", "\xff", "E", "e", "."}
	n, valid := 0, 0
	for i := 0; i < 300000; i++ {
		var s string
		if r.Intn(2) == 0 {
			b := make([]byte, r.Intn(12))
			for k := range b {
				b[k] = alpha[r.Intn(len(alpha))]
			}
			s = string(b)
		} else {
			s = randomValid(r)
			if len(s) > 0 {
				k := r.Intn(len(s) + 1)
				switch r.Intn(3) {
				case 0:
					s = s[:k] + junk[r.Intn(len(junk))] + s[k:]
				case 1:
					if k < len(s) {
						s = s[:k] + s[k+1:]
					}
				}
			}
		}
		if grammarRE.MatchString(s) {
			valid++
		}
		compare(t, s)
		n++
	}
	t.Logf("%d mixed texts (%d valid) compared with regexp + strconv.ParseFloat", n, valid)
}

// Second, independent oracle: big.Rat.SetString + Float64 (exact) for
// moderate exponents.
func TestRatOracle(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	n := 0
	for i := 0; i < 20000; i++ {
		s := randomValid(r)
		if strings.ContainsAny(s, "eE") {
			e := s[strings.IndexAny(s, "eE")+1:]
			v, err := strconv.ParseInt(strings.TrimLeft(e, "+"), 10, 64)
			if err != nil || v > 1500 || v < -1500 {
				continue
			}
		}
		x, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("Rat rejected %q", s)
		}
		want, _ := x.Float64()
		if strings.HasPrefix(s, "-") && want == 0 {
			want = math.Copysign(0, -1)
		}
		got, _ := ParseF64(s)
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("%q: got %#x rat %#x", s, math.Float64bits(got), math.Float64bits(want))
		}
		n++
	}
	t.Logf("%d texts compared with big.Rat.Float64", n)
}

// Absurd inputs must stay fast. Each long text is paired with a short text
// of the same value (or of a value with the same rounding) for the oracle:
// strconv.ParseFloat itself is wrong on some of these long texts, because it
// saturates the exponent near 10^4..10^5 and so mis-places the decimal point
// when more than ~10^5 digits separate it from the first significant digit
// (golang/go#42436, open): e.g. "1" + 5e6 zeros + "e-5000000" gives +Inf.
func TestTimeBounds(t *testing.T) {
	sevens := strings.Repeat("7", 5_000_000)
	z := strings.Repeat("0", 5_000_000)
	cases := [][2]string{
		{"1e-99999999999", "0"},
		{"1e99999999999", "1e400"},
		{"-1e" + strings.Repeat("9", 1_000_000), "-1e400"},
		{"1e-" + strings.Repeat("9", 1_000_000), "0"},
		{sevens, "7.777777777777777777777777777777777777777e4999999"},
		{"." + sevens, "0." + sevens[:2000]},
		{sevens + "e-5000000", "0." + sevens[:2000]},
		{"0." + z + "1e5000000", "0.1"},
		{"1" + z + "e-5000000", "1"},
		{"-0." + z + "1e99999999999999999999", "-1e400"},
		{"-0." + z + "1e-99999999999999999999", "-0"},
		{"0." + z + "1e4999678", "1e-323"},
		{"0." + z + "24703282292062328e4999677", "2.4703282292062328e-324"},
		{"17976931348623159" + z + "e-5000000e292", ""}, // invalid
		{"17976931348623159" + z + "e-4999708", "1.7976931348623159e308"},
		{"17976931348623158" + z + "e-4999708", "1.7976931348623158e308"},
	}
	for _, c := range cases {
		t0 := time.Now()
		got, ok := ParseF64(c[0])
		if d := time.Since(t0); d > 250*time.Millisecond {
			t.Errorf("%s took %v", abbrev(c[0]), d)
		}
		want, wok := oracle(c[1])
		if c[1] == "" {
			wok = false
		}
		if ok != wok || (ok && math.Float64bits(got) != want) {
			t.Errorf("%s: got (%#016x,%v) want (%#016x,%v)", abbrev(c[0]), math.Float64bits(got), ok, want, wok)
		}
	}
}

// The strconv defect of golang/go#42436, pinned so that a fix is noticed.
func TestOracleDefectGo42436(t *testing.T) {
	s := "1" + strings.Repeat("0", 200_000) + "e-200000"
	f, err := strconv.ParseFloat(s, 64)
	got, _ := ParseF64(s)
	if got != 1 {
		t.Fatalf("ParseF64 = %v, want 1", got)
	}
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		err = ne.Err
	}
	t.Logf("strconv.ParseFloat(\"1\" + 200000 zeros + \"e-200000\") = %v, err %v (exact value: 1)", f, err)
}

// abbrev shortens long texts in messages: "123...(N chars)...e-5".
func abbrev(s string) string {
	if len(s) <= 80 {
		return s
	}
	return fmt.Sprintf("%s...(%d chars)...%s", s[:30], len(s), s[len(s)-25:])
}
