// Package main implements the nvx `parse-f64` function: correctly rounded
// decimal text -> IEEE 754 binary64, with the grammar of SPEC.md.
//
// The conversion is exact: the grammar is checked by hand, the decimal is
// reduced to an integer ratio N/D (math/big), and the binary64 significand is
// the integer quotient of N by D·2^k, rounded half to even using the exact
// remainder. strconv.ParseFloat is not used (it is only a test oracle).
package main

import (
	"math"
	"math/big"
)

const (
	// Exponent digits beyond this magnitude cannot change the outcome (the
	// decimal point position is bounded by the text length, < 2^40 here), so
	// the parsed exponent saturates at ±expCap.
	expCap = int64(1) << 50

	// keepDigits significant digits are kept exactly; anything after them is
	// replaced by one sticky digit "1" if it is not all zeros. Every rounding
	// boundary of binary64 (a midpoint between adjacent doubles, including the
	// overflow threshold 2^1024 - 2^970 and 2^-1075) has at most 768
	// significant decimal digits, so no boundary can lie strictly between the
	// truncated value and the true value: the rounding is unchanged.
	keepDigits = 800
)

// parsed is the result of the grammar check.
type parsed struct {
	neg     bool
	intPart string // digits before the point (may be empty)
	frac    string // digits after the point (may be empty)
	exp     int64  // decimal exponent, saturated at ±expCap
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scan checks the SPEC grammar on the whole text:
//
//	number   = [sign] mantissa [exponent]
//	mantissa = digits ["." [digits]] | "." digits
//	exponent = ("e" | "E") [sign] digits
func scan(s string) (parsed, bool) {
	var p parsed
	i, n := 0, len(s)
	if i < n && (s[i] == '+' || s[i] == '-') {
		p.neg = s[i] == '-'
		i++
	}
	start := i
	for i < n && isDigit(s[i]) {
		i++
	}
	p.intPart = s[start:i]
	if i < n && s[i] == '.' {
		i++
		fs := i
		for i < n && isDigit(s[i]) {
			i++
		}
		p.frac = s[fs:i]
	}
	if len(p.intPart) == 0 && len(p.frac) == 0 {
		return p, false // ".", "", "+", "e5", ...
	}
	if i < n && (s[i] == 'e' || s[i] == 'E') {
		i++
		eneg := false
		if i < n && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		es := i
		var e int64
		for i < n && isDigit(s[i]) {
			if e < expCap {
				e = e*10 + int64(s[i]-'0')
			}
			i++
		}
		if i == es {
			return p, false // "1e", "1e+"
		}
		if e > expCap {
			e = expCap
		}
		if eneg {
			e = -e
		}
		p.exp = e
	}
	if i != n {
		return p, false // trailing junk, whitespace, non-ASCII, second point...
	}
	return p, true
}

// ParseF64 returns the correctly rounded binary64 value of s, or ok=false if
// s does not match the grammar.
func ParseF64(s string) (float64, bool) {
	p, ok := scan(s)
	if !ok {
		return 0, false
	}
	return math.Float64frombits(convert(p)), true
}

var (
	bigOne = big.NewInt(1)
	pow52  = new(big.Int).Lsh(bigOne, 52)
	pow53  = new(big.Int).Lsh(bigOne, 53)
)

// convert returns the bits of the correctly rounded value of a valid number.
func convert(p parsed) uint64 {
	var sign uint64
	if p.neg {
		sign = 1 << 63
	}

	// Significant digits: int and fraction digits with leading zeros removed.
	// dp = position of the decimal point relative to the first significant
	// digit, so that value = 0.d1d2d3... × 10^(dp + exp).
	ip, fr := p.intPart, p.frac
	k := 0
	for k < len(ip) && ip[k] == '0' {
		k++
	}
	ip = ip[k:]
	dp := int64(len(ip))
	if len(ip) == 0 {
		k = 0
		for k < len(fr) && fr[k] == '0' {
			k++
		}
		fr = fr[k:]
		dp = -int64(k)
	}
	// Drop trailing zeros (they do not change the value).
	if len(fr) > 0 {
		k = len(fr)
		for k > 0 && fr[k-1] == '0' {
			k--
		}
		fr = fr[:k]
	}
	if len(fr) == 0 {
		k = len(ip)
		for k > 0 && ip[k-1] == '0' {
			k--
		}
		ip = ip[:k]
	}
	nd := len(ip) + len(fr) // number of significant digits
	if nd == 0 {
		return sign // ±0, whatever the exponent
	}

	// value ∈ [10^(P-1), 10^P)
	P := dp + p.exp
	if P-1 >= 309 { // value ≥ 1e309 > 2^1024 - 2^970
		return sign | 0x7FF0000000000000
	}
	if P <= -324 { // value < 1e-324 < 2^-1075
		return sign
	}

	// Gather up to keepDigits significant digits, plus a sticky digit.
	buf := make([]byte, 0, keepDigits+1)
	take := func(d string) {
		room := keepDigits - len(buf)
		if room <= 0 {
			return
		}
		if len(d) > room {
			d = d[:room]
		}
		buf = append(buf, d...)
	}
	take(ip)
	take(fr)
	if nd > keepDigits {
		// The digits after the kept ones end in a nonzero digit (trailing
		// zeros were stripped), so the discarded tail is nonzero.
		buf = append(buf, '1')
	}
	// value ≈ M × 10^E, exactly equal when nd ≤ keepDigits, and with the same
	// rounding otherwise.
	E := P - int64(len(buf))

	M, ok := new(big.Int).SetString(string(buf), 10)
	if !ok {
		panic("unreachable: digits only")
	}

	// N / D = M × 10^E, with |E| ≤ ~1130 here.
	num := M
	den := big.NewInt(1)
	if E >= 0 {
		num.Mul(num, pow10(E))
	} else {
		den = pow10(-E)
	}
	return sign | roundRatio(num, den)
}

func pow10(e int64) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(e), nil)
}

// quoRemScaled returns q, r with num = q·(den·2^k) + r, scaling whichever
// side keeps the arithmetic on integers.
func quoRemScaled(num, den *big.Int, k int64) (q, r, d *big.Int) {
	n := num
	d = den
	if k >= 0 {
		d = new(big.Int).Lsh(den, uint(k))
	} else {
		n = new(big.Int).Lsh(num, uint(-k))
	}
	q, r = new(big.Int).QuoRem(n, d, new(big.Int))
	return q, r, d
}

// roundRatio returns the bits of the positive rational num/den rounded to
// binary64 (round half to even, gradual underflow, overflow to +Inf).
func roundRatio(num, den *big.Int) uint64 {
	// num/den ∈ (2^(a-b-1), 2^(a-b+1)) with a, b the bit lengths.
	k := int64(num.BitLen()) - int64(den.BitLen()) - 53
	q, r, d := quoRemScaled(num, den, k)
	for q.Cmp(pow53) >= 0 { // at most once
		k++
		q, r, d = quoRemScaled(num, den, k)
	}
	for q.Cmp(pow52) < 0 { // at most once (cannot happen given the bound, kept for safety)
		k--
		q, r, d = quoRemScaled(num, den, k)
	}
	// Now 2^52 ≤ q < 2^53 and value = (q + r/d)·2^k.
	if k < -1074 {
		// Below the normal range: fix the exponent at that of the subnormals.
		k = -1074
		q, r, d = quoRemScaled(num, den, k)
	}
	// Round half to even on the remainder.
	c := new(big.Int).Lsh(r, 1).Cmp(d)
	if c > 0 || (c == 0 && q.Bit(0) == 1) {
		q.Add(q, bigOne)
		if q.Cmp(pow53) == 0 {
			q.Rsh(q, 1)
			k++
		}
	}
	m := q.Uint64()
	if m >= 1<<52 { // normal
		be := k + 1075 // biased exponent: k + 52 + 1023
		if be >= 2047 {
			return 0x7FF0000000000000
		}
		return uint64(be)<<52 | (m - 1<<52)
	}
	return m // subnormal or zero (k == -1074)
}
