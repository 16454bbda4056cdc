//go:build wasip1

package main

import (
	"runtime"
	"unsafe"
)

// argArena holds the blocks cabi_realloc hands the host for an argument: 4 MiB,
// 8-byte aligned, zero-initialised data (no file size), emptied by each
// parse-f64 call once it has copied its argument. They do not come from the Go
// heap: a request that makes the heap grow has the runtime read the clock
// through WASI inside cabi_realloc, which the component model forbids there
// (trap(cannot-leave-component) on arguments of about 120 KB and more). A
// larger argument traps.
var argArena [4 << 20 / 8]uint64
var argUsed uintptr

// The result area: 16 bytes, 8-byte aligned (uint64 elements).
// byte 0 = discriminant (0 none, 1 some); bytes 8..16 = the f64, little-endian.
var result [2]uint64

//go:wasmexport cabi_realloc
func cabiRealloc(oldPtr, oldSize, align, newSize uint32) uint32 {
	if align == 0 {
		align = 1
	}
	if newSize == 0 {
		// Any non-null, suitably aligned address will do for an empty block.
		return align
	}
	if align&(align-1) != 0 || align > 8 {
		align = 8
	}
	base := uintptr(unsafe.Pointer(&argArena[0]))
	off := (argUsed + uintptr(align) - 1) &^ (uintptr(align) - 1)
	if off+uintptr(newSize) > uintptr(len(argArena))*8 {
		runtime.Breakpoint() // the wasm `unreachable` instruction: a trap
	}
	argUsed = off + uintptr(newSize)
	out := unsafe.Slice((*byte)(unsafe.Pointer(base+off)), newSize)
	if oldPtr != 0 && oldSize != 0 {
		copy(out, hostBytes(oldPtr, oldSize)) // copies min(oldSize, newSize)
	}
	return uint32(base + off)
}

//go:wasmexport parse-f64
func parseF64Export(ptr, length uint32) uint32 {
	var text string
	if length > 0 {
		text = string(hostBytes(ptr, length))
	}
	argUsed = 0 // the argument has been copied
	v, ok := ParseF64(text)
	result[0], result[1] = 0, 0
	if ok {
		result[0] = 1 // little-endian: byte 0 = 1
		result[1] = *(*uint64)(unsafe.Pointer(&v))
	}
	return uint32(uintptr(unsafe.Pointer(&result[0])))
}

// hostBytes views linear memory [ptr, ptr+n) given by the host as a slice.
func hostBytes(ptr, n uint32) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(uintptr(ptr))), n)
}

// adapterArena is memory for the WASI preview1 adapter that wraps this module
// into a component. The adapter allocates its state (2 × 64 KiB) through the
// main module's realloc while the Go runtime is still initializing (its first
// WASI call happens inside _initialize), when a Go //go:wasmexport function
// cannot run yet. build.sh therefore appends to the built module a small
// hand-encoded `cabi_realloc_adapter` (which wit-component prefers for the
// adapter) that bump-allocates from this array. The array starts with a
// magic tag so the post-processor can find its address in the data section.
// The Go code never reads or writes it after the tag.
const adapterArenaSize = 136 << 10

var adapterArena = [adapterArenaSize]byte{
	'n', 'v', 'x', '-', 'a', 'd', 'a', 'p', 't', 'e', 'r', '-', 'a', 'r', 'e', 'n',
	'a', '-', 'v', '1', 0xA5, 0x5A, 0xC3, 0x3C,
}

// arenaAddr keeps adapterArena reachable for the linker.
var arenaAddr uintptr

func init() { arenaAddr = uintptr(unsafe.Pointer(&adapterArena[0])) }
