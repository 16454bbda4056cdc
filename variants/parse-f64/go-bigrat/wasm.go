//go:build wasip1

package main

import "unsafe"

// Blocks handed out by cabi_realloc. The Go collector does not move objects,
// so a block's address is stable while it is referenced from here. The list
// is cleared at the end of each parse-f64 call (the argument has been copied
// by then), so memory does not grow across calls.
var live [][]byte

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
	// Backing store of uint64 gives 8-byte alignment; over-allocate for more.
	words := (uint64(newSize) + uint64(align) + 7) / 8
	store := make([]uint64, words)
	blk := unsafe.Slice((*byte)(unsafe.Pointer(&store[0])), words*8)
	base := uintptr(unsafe.Pointer(&blk[0]))
	off := ((base + uintptr(align) - 1) &^ (uintptr(align) - 1)) - base
	live = append(live, blk)
	out := blk[off : off+uintptr(newSize)]
	if oldPtr != 0 && oldSize != 0 {
		copy(out, hostBytes(oldPtr, oldSize)) // copies min(oldSize, newSize)
	}
	return uint32(uintptr(unsafe.Pointer(&out[0])))
}

//go:wasmexport parse-f64
func parseF64Export(ptr, length uint32) uint32 {
	var text string
	if length > 0 {
		text = string(hostBytes(ptr, length))
	}
	live = nil
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
