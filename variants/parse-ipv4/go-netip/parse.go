// Package main is the go-netip variant of the nvx function `parse-ipv4`:
// strict dotted-decimal IPv4 parsing (see ../SPEC.md), with Go's standard
// library net/netip.ParseAddr doing the parsing.
//
// The wasm glue (exports, cabi_realloc, result area) is in abi_wasip1.go; this
// file holds the portable logic so that it can be tested natively.
package main

import "net/netip"

// parseIPv4 returns the address of text as a big-endian u32 and true when text
// is a strict dotted-decimal IPv4 address, and (0, false) otherwise.
//
// netip.ParseAddr is the parser. Its IPv4 branch already implements exactly
// the SPEC grammar (four fields of one to three ASCII digits, value <= 255, no
// leading zero except the octet "0" itself, single dots, nothing before or
// after). The checks around it close the places where ParseAddr accepts more
// than the SPEC; each is listed in README.md.
func parseIPv4(text string) (uint32, bool) {
	// Gap A: ParseAddr is a parser for IPv4 *and* IPv6. It decides by the
	// first '.', ':' or '%' it meets, so texts such as "::1",
	// "::ffff:1.2.3.4", "64:ff9b::1.2.3.4" or "fe80::1%eth0" are accepted as
	// IPv6 addresses. The SPEC alphabet is only ASCII digits and dots, so any
	// other byte (':' '%' 'x' ' ' '+' non-ASCII ...) rejects the text before
	// ParseAddr sees it.
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '.' && (c < '0' || c > '9') {
			return 0, false
		}
	}

	addr, err := netip.ParseAddr(text)
	if err != nil {
		return 0, false
	}

	// Gap B: a successful ParseAddr may be an IPv6 address, and As4 also
	// unwraps IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) — and panics, i.e.
	// traps in wasm, on any other IPv6 address. Only a genuine 4-byte
	// address is accepted. (Unreachable after the alphabet check; kept so that
	// the two guards do not depend on each other.)
	if !addr.Is4() {
		return 0, false
	}

	b := addr.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]), true
}

// main is never run: the module is built with -buildmode=c-shared (a WASI
// reactor), whose exports are called after _initialize. A main package needs
// it to build at all, natively (go test) as well as for wasip1.
func main() {}
