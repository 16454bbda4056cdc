package main

import (
	"fmt"
	"math/rand"
	"net/netip"
	"regexp"
	"strconv"
	"testing"
)

// Independent reference: the SPEC grammar as a regular expression, one
// capture group per octet; values come from strconv on the captures.
var refRE = regexp.MustCompile(`^` +
	`(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.` +
	`(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.` +
	`(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.` +
	`(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])$`)

func reference(s string) (uint32, bool) {
	m := refRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	var v uint32
	for _, f := range m[1:] {
		n, err := strconv.Atoi(f)
		if err != nil || n > 255 {
			panic("reference regex is wrong for " + strconv.Quote(s))
		}
		v = v<<8 | uint32(n)
	}
	return v, true
}

func check(t *testing.T, s string) {
	t.Helper()
	gv, gok := parseIPv4(s)
	rv, rok := reference(s)
	if gv != rv || gok != rok {
		t.Fatalf("parseIPv4(%q) = (%d, %v), reference (%d, %v)", s, gv, gok, rv, rok)
	}
}

type vector struct {
	text string
	ok   bool
	v    uint32
}

// Every test vector of SPEC.md, verbatim.
var specVectors = []vector{
	{"0.0.0.0", true, 0},
	{"1.2.3.4", true, 16909060},
	{"127.0.0.1", true, 2130706433},
	{"192.168.1.255", true, 3232236031},
	{"255.255.255.255", true, 4294967295},
	{"10.0.0.10", true, 167772170},
	{"01.2.3.4", false, 0},
	{"1.2.3.00", false, 0},
	{"256.1.1.1", false, 0},
	{"1.2.3.1000", false, 0},
	{"1.2.3", false, 0},
	{"1.2.3.4.5", false, 0},
	{"1.2.3.", false, 0},
	{".1.2.3", false, 0},
	{"1..2.3", false, 0},
	{"127.1", false, 0},
	{"+1.2.3.4", false, 0},
	{" 1.2.3.4", false, 0},
	{"1.2.3.4 ", false, 0},
	{"0x7f.0.0.1", false, 0},
	{"1.2.3.4:80", false, 0},
	{"\u0661.2.3.4", false, 0}, // Arabic-Indic digit one
	{"", false, 0},
}

func TestSpecVectors(t *testing.T) {
	for _, tc := range specVectors {
		v, ok := parseIPv4(tc.text)
		if ok != tc.ok || v != tc.v {
			t.Errorf("parseIPv4(%q) = (%d, %v), SPEC says (%d, %v)", tc.text, v, ok, tc.v, tc.ok)
		}
		check(t, tc.text) // the reference must agree with the SPEC too
		if rv, rok := reference(tc.text); rok != tc.ok || rv != tc.v {
			t.Errorf("reference(%q) = (%d, %v), SPEC says (%d, %v)", tc.text, rv, rok, tc.v, tc.ok)
		}
	}
}

// Hand-picked edge cases, including every text that netip.ParseAddr accepts
// but the SPEC does not (the gaps documented in README.md).
var edgeNone = []string{
	// IPv6 forms, accepted by ParseAddr.
	"::", "::1", "::ffff:1.2.3.4", "::FFFF:1.2.3.4", "::1.2.3.4", "0:0:0:0:0:ffff:1.2.3.4",
	"64:ff9b::1.2.3.4", "::ffff:102:304", "fe80::1%eth0", "::ffff:1.2.3.4%0", "1::",
	// zones / ports / brackets
	"1.2.3.4%eth0", "1.2.3.4%", "%1.2.3.4", "[1.2.3.4]", "1.2.3.4:", "1.2.3.4/32",
	// leading zeros and lengths
	"00.0.0.0", "0.00.0.0", "0.0.00.0", "0.0.0.00", "000.0.0.0", "001.1.1.1", "1.1.1.001",
	"0127.0.0.1", "1.2.3.04", "0.0.0.0000", "1.2.3.0256",
	// values
	"256.0.0.0", "0.256.0.0", "0.0.256.0", "0.0.0.256", "999.1.1.1", "1.1.1.300",
	"4294967296.1.1.1", "99999999999999999999.1.1.1", "1.1.1.18446744073709551617",
	// shape
	".", "...", "....", "1.2.3.4.", "1.2.3..4", "1.2..3.4", "..1.2.3", "1", "1.2", "16909060",
	"1.2.3.4.5.6", "0.0.0.0.0",
	// other characters
	"1.2.3.4\n", "1.2.3.4\x00", "\x001.2.3.4", "1.2.3.4\t", "1.2.3.-4", "-1.2.3.4", "1.2.3.+4",
	"1 .2.3.4", "1,2,3,4", "1.2.3.4a", "a.b.c.d", "0x1.2.3.4", "0X7F.0.0.1", "1e2.0.0.1",
	"１.2.3.4", // full-width digit one
	"१.2.3.4", // Devanagari digit one
	"1.2.3.٤", // Arabic-Indic digit four at the end
	"¹.2.3.4", // superscript one
	"1.2.3.4\u200b",
	"\xff.2.3.4", "1.2.3.\x80", "1.2.\xc0\xaf.4", // invalid UTF-8
	"1\u00b72\u00b73\u00b74", // middle dots
	"1。2。3。4",                // ideographic full stops
}

var edgeSome = []vector{
	{"0.0.0.1", true, 1},
	{"1.0.0.0", true, 1 << 24},
	{"100.200.250.255", true, 100<<24 | 200<<16 | 250<<8 | 255},
	{"249.250.199.200", true, 249<<24 | 250<<16 | 199<<8 | 200},
	{"10.20.30.40", true, 10<<24 | 20<<16 | 30<<8 | 40},
	{"0.10.100.0", true, 10<<16 | 100<<8},
	{"128.0.0.0", true, 1 << 31},
	{"255.0.0.0", true, 0xff000000},
	{"9.99.109.199", true, 9<<24 | 99<<16 | 109<<8 | 199},
}

func TestEdgeCases(t *testing.T) {
	for _, s := range edgeNone {
		if v, ok := parseIPv4(s); ok {
			t.Errorf("parseIPv4(%q) = some(%d), want none", s, v)
		}
		check(t, s)
	}
	for _, tc := range edgeSome {
		v, ok := parseIPv4(tc.text)
		if ok != tc.ok || v != tc.v {
			t.Errorf("parseIPv4(%q) = (%d, %v), want (%d, %v)", tc.text, v, ok, tc.v, tc.ok)
		}
		check(t, tc.text)
	}
}

// TestGapsAreReal shows that the guards in parseIPv4 are needed: ParseAddr
// itself accepts these texts, and As4 would turn the IPv4-mapped ones into an
// IPv4 result (or panic).
func TestGapsAreReal(t *testing.T) {
	for _, s := range []string{"::ffff:1.2.3.4", "::1.2.3.4", "64:ff9b::1.2.3.4", "fe80::1%eth0", "::1", "::ffff:102:304"} {
		a, err := netip.ParseAddr(s)
		if err != nil {
			t.Errorf("expected netip.ParseAddr(%q) to succeed (a gap), got %v", s, err)
			continue
		}
		if a.Is4() {
			t.Errorf("netip.ParseAddr(%q).Is4() = true", s)
		}
		if _, ok := parseIPv4(s); ok {
			t.Errorf("parseIPv4(%q) accepted an IPv6 text", s)
		}
	}
	a := netip.MustParseAddr("::ffff:1.2.3.4")
	if !a.Is4In6() || a.As4() != [4]byte{1, 2, 3, 4} {
		t.Errorf("As4 of ::ffff:1.2.3.4 = %v", a.As4())
	}
}

// Every one-, two- and three-digit field (with and without leading zeros, and
// four-digit ones) in every position.
func TestEveryFieldInEveryPosition(t *testing.T) {
	var fields []string
	for n := 0; n < 10000; n++ {
		fields = append(fields, strconv.Itoa(n))
		if n < 1000 {
			fields = append(fields, fmt.Sprintf("%02d", n), fmt.Sprintf("%03d", n), fmt.Sprintf("%04d", n))
		}
	}
	fields = append(fields, "")
	count := 0
	for pos := 0; pos < 4; pos++ {
		for _, f := range fields {
			parts := []string{"7", "0", "255", "31"}
			parts[pos] = f
			s := parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3]
			check(t, s)
			count++
		}
	}
	t.Logf("%d texts compared", count)
}

// Every string over the alphabet "0125." up to length 9 (2 441 406 texts),
// plus every string over "0123456789." up to length 5.
func TestExhaustiveSmallAlphabets(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	total, valid := 0, 0
	enumerate := func(alpha string, maxLen int) {
		buf := make([]byte, 0, maxLen)
		var rec func()
		rec = func() {
			s := string(buf)
			gv, gok := parseIPv4(s)
			rv, rok := reference(s)
			if gv != rv || gok != rok {
				t.Fatalf("parseIPv4(%q) = (%d, %v), reference (%d, %v)", s, gv, gok, rv, rok)
			}
			total++
			if gok {
				valid++
			}
			if len(buf) == maxLen {
				return
			}
			for i := 0; i < len(alpha); i++ {
				buf = append(buf, alpha[i])
				rec()
				buf = buf[:len(buf)-1]
			}
		}
		rec()
	}
	enumerate("0125.", 9)
	enumerate("0123456789.", 5)
	t.Logf("%d texts compared, %d valid", total, valid)
}

func randomValid(r *rand.Rand) (string, uint32) {
	var v uint32
	s := ""
	for i := 0; i < 4; i++ {
		var o int
		switch r.Intn(4) {
		case 0:
			o = r.Intn(10)
		case 1:
			o = 250 + r.Intn(6)
		default:
			o = r.Intn(256)
		}
		if i > 0 {
			s += "."
		}
		s += strconv.Itoa(o)
		v = v<<8 | uint32(o)
	}
	return s, v
}

var mutationPieces = []string{
	"0", "1", "2", "5", "9", ".", "..", "00", "256", "255", "1000", ":", "%", " ", "+", "-",
	"x", "0x", "\n", "\x00", "\u0661", "\uff11", "\xff", "::ffff:", "::", "%eth0", ":80",
}

func mutate(r *rand.Rand, s string) string {
	for k := 1 + r.Intn(3); k > 0; k-- {
		i := 0
		if len(s) > 0 {
			i = r.Intn(len(s) + 1)
		}
		switch r.Intn(4) {
		case 0: // insert
			s = s[:i] + mutationPieces[r.Intn(len(mutationPieces))] + s[i:]
		case 1: // delete one byte
			if i < len(s) {
				s = s[:i] + s[i+1:]
			}
		case 2: // replace one byte by a digit or dot
			if i < len(s) {
				s = s[:i] + string("0123456789."[r.Intn(11)]) + s[i+1:]
			}
		case 3: // duplicate a tail
			s = s + s[i:]
		}
	}
	return s
}

func TestRandom(t *testing.T) {
	r := rand.New(rand.NewSource(20241201))
	n := 300000
	if testing.Short() {
		n = 20000
	}
	valid, mutated, mutatedValid, noise, noiseValid := 0, 0, 0, 0, 0
	for i := 0; i < n; i++ {
		// 1. random valid addresses, checked against the computed value
		s, want := randomValid(r)
		if v, ok := parseIPv4(s); !ok || v != want {
			t.Fatalf("parseIPv4(%q) = (%d, %v), want some(%d)", s, v, ok, want)
		}
		check(t, s)
		valid++

		// 2. mutations of valid addresses
		m := mutate(r, s)
		check(t, m)
		mutated++
		if _, ok := reference(m); ok {
			mutatedValid++
		}

		// 3. random strings over "0123456789." (as the ensemble generator draws)
		b := make([]byte, r.Intn(17))
		for j := range b {
			if r.Intn(4) == 0 {
				b[j] = '.'
			} else {
				b[j] = "0123456789"[r.Intn(10)]
			}
		}
		check(t, string(b))
		noise++
		if _, ok := reference(string(b)); ok {
			noiseValid++
		}
	}
	t.Logf("random: %d valid, %d mutated (%d still valid), %d noise (%d valid)",
		valid, mutated, mutatedValid, noise, noiseValid)
}

// FuzzParseIPv4 compares with the reference; `go test -fuzz=FuzzParseIPv4`.
func FuzzParseIPv4(f *testing.F) {
	for _, tc := range specVectors {
		f.Add(tc.text)
	}
	for _, s := range edgeNone {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		gv, gok := parseIPv4(s)
		rv, rok := reference(s)
		if gv != rv || gok != rok {
			t.Fatalf("parseIPv4(%q) = (%d, %v), reference (%d, %v)", s, gv, gok, rv, rok)
		}
	})
}
