// hex as a WASI (preview 1) reactor core module over the canonical ABI;
// `nvx add` wraps it into a component.
//
//	cd go && GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o hex.wasm .
//
// encode: func(data: list<u8>) -> string            is (ptr, len uint32) -> uint32
// decode: func(text: string) -> option<list<u8>>    is (ptr, len uint32) -> uint32
//
// The host copies each argument into memory it gets from cabi_realloc and passes
// its address and length; each function returns the address of a return area
// that holds its result (see hex.wit and docs/writing-variants.md).
package main

import (
	"runtime"
	"unsafe"
)

// cabi_realloc serves a fixed arena, never Go's heap: the WASI preview1 adapter
// that `nvx add` links in asks for two 64 KiB blocks (its stack and its state,
// 131 072 bytes) during _initialize, while the Go runtime is still starting and
// Go code that allocates cannot run. The arguments of a call come from the same
// arena, so it must hold those 131 072 bytes plus the largest argument the
// variant is to accept: 256 KiB leaves 131 072 bytes for it. A larger argument
// traps in cabi_realloc, before the function runs.
var (
	arena [256 << 10]byte
	used  uintptr
)

//go:wasmexport cabi_realloc
func cabiRealloc(oldPtr, oldSize, align, newSize uint32) uint32 {
	if align == 0 {
		align = 1
	}
	base := uintptr(unsafe.Pointer(&arena[0]))
	p := (base + used + uintptr(align) - 1) &^ (uintptr(align) - 1)
	if p+uintptr(newSize) > base+uintptr(len(arena)) {
		// Out of room. Returning 0 would not stop the caller: address 0 is
		// ordinary memory, and the host would write the argument over Go's
		// own data. runtime.Breakpoint is the wasm `unreachable` instruction:
		// a trap, which needs no Go runtime (this may run during _initialize).
		runtime.Breakpoint()
	}
	if oldPtr != 0 {
		n := min(oldSize, newSize)
		copy(unsafe.Slice((*byte)(unsafe.Pointer(p)), n),
			unsafe.Slice((*byte)(unsafe.Pointer(uintptr(oldPtr))), n))
	}
	used = p + uintptr(newSize) - base
	return uint32(p)
}

// The return areas: a string or list is (ptr, len) at offsets 0 and 4; an
// option<list<u8>> is a tag byte at 0 (0 none, 1 some) and the list at 4 and 8.
var (
	encoded [2]uint32
	decoded [3]uint32
	// result keeps the result's bytes (on the Go heap) reachable until the host
	// has copied them, after the function returns.
	result []byte
)

// bytesAt is the argument the host wrote at ptr.
func bytesAt(ptr, n uint32) []byte {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(uintptr(ptr))), n)
}

// address is the linear-memory address of b's first byte (0 for no bytes,
// which the host accepts for an empty list or string).
func address(b []byte) uint32 {
	if len(b) == 0 {
		return 0
	}
	return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
}

const digits = "0123456789abcdef"

//go:wasmexport encode
func encode(ptr, n uint32) uint32 {
	data := bytesAt(ptr, n)
	result = make([]byte, 2*len(data))
	for i, b := range data {
		result[2*i] = digits[b>>4]
		result[2*i+1] = digits[b&15]
	}
	encoded = [2]uint32{address(result), uint32(len(result))}
	return uint32(uintptr(unsafe.Pointer(&encoded)))
}

func nibble(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

//go:wasmexport decode
func decode(ptr, n uint32) uint32 {
	decoded = [3]uint32{} // none
	text := bytesAt(ptr, n)
	if len(text)%2 == 0 {
		out := make([]byte, len(text)/2)
		ok := true
		for i := range out {
			hi, ok1 := nibble(text[2*i])
			lo, ok2 := nibble(text[2*i+1])
			if !ok1 || !ok2 {
				ok = false
				break
			}
			out[i] = hi<<4 | lo
		}
		if ok {
			result = out
			decoded = [3]uint32{1, address(out), uint32(len(out))}
		}
	}
	return uint32(uintptr(unsafe.Pointer(&decoded)))
}

// main is required by package main but never runs in a c-shared build.
func main() {}
