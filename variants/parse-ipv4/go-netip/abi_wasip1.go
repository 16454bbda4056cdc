//go:build wasip1

// Canonical-ABI glue for the core module (GOOS=wasip1 GOARCH=wasm,
// -buildmode=c-shared). Go exports its linear memory as "memory" itself.
//
// cabi_realloc has two callers:
//
//  1. the host, before each call, to get room for the `text` argument;
//  2. the WASI preview1 -> 0.2 adapter that wit-component links in when the
//     core module is wrapped into a component. The adapter imports the main
//     module's cabi_realloc and calls it on its first WASI call to get its
//     state and its stack (two 64 KiB blocks that it keeps for ever). The Go
//     runtime makes its first WASI calls (clock, random) *inside* _initialize,
//     while it is still setting itself up, so that cabi_realloc call comes
//     re-entrantly, before the Go heap exists.
//
// Requests of kind 2 are recognised as "the runtime is not ready yet (package
// init has not run), or a Go export is already running" and are served from a
// static arena by code that needs nothing from the Go runtime (no allocation,
// no stack growth). Requests of kind 1 are served from a second static arena,
// argArena, which each parse-ipv4 call empties once it has copied its argument.
// They are not served from the Go heap: a request that makes the heap grow has
// the runtime read the clock through WASI inside cabi_realloc, which the
// component model forbids there (trap(cannot-leave-component) on arguments of
// about 120 KB and more).

package main

import (
	"runtime"
	"unsafe"
)

// runtimeReady is set by package initialisation, i.e. at the end of
// _initialize, once the Go runtime and heap are usable.
var runtimeReady bool

func init() { runtimeReady = true }

// busy is true while a Go export is running; a cabi_realloc that arrives then
// comes from the adapter (through a WASI call made by the runtime), never from
// the host.
var busy bool

// staticArena serves the adapter's requests; it is 8-byte aligned and never
// freed. 192 KiB is room for the adapter's two 64 KiB blocks with margin.
var staticArena [192 << 10 / 8]uint64
var staticUsed uintptr

// argArena holds the host's argument for the next call: 4 MiB, 8-byte aligned,
// zero-initialised data (no file size). A larger argument traps in cabi_realloc.
var argArena [4 << 20 / 8]uint64
var argUsed uintptr

// emptyArea is the (never read or written) answer to a zero-size request.
var emptyArea [1]uint64

// resultArea is the 8-byte, 4-byte-aligned result area of parse-ipv4 (see the
// SPEC's Core ABI): byte 0 is the option tag, the u32 at offset 4 the value.
// wasm is little-endian, so resultArea[0] = 1 puts 1 in byte 0 and zeros in
// the padding bytes 1..3.
var resultArea [2]uint32

// bytesAt views host-provided linear memory. Addresses in this module are
// 32-bit offsets into the one linear memory; converting them back to pointers
// is how the canonical ABI works (go vet's unsafeptr check flags it).
func bytesAt(ptr, n uint32) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(uintptr(ptr))), n)
}

//go:wasmexport cabi_realloc
//go:nosplit
func cabiRealloc(oldPtr, oldSize, align, newSize uint32) uint32 {
	if !runtimeReady || busy {
		return staticRealloc(oldPtr, oldSize, align, newSize)
	}
	return argRealloc(oldPtr, oldSize, align, newSize)
}

// argRealloc is a bump allocator over argArena, emptied by each call; it traps
// (runtime.Breakpoint is the wasm `unreachable` instruction) when full.
//
//go:nosplit
func argRealloc(oldPtr, oldSize, align, newSize uint32) uint32 {
	if newSize == 0 {
		return uint32(uintptr(unsafe.Pointer(&emptyArea[0])))
	}
	if align == 0 || align&(align-1) != 0 || align > 8 {
		align = 8
	}
	base := uintptr(unsafe.Pointer(&argArena[0]))
	off := (argUsed + uintptr(align) - 1) &^ (uintptr(align) - 1)
	if off+uintptr(newSize) > uintptr(len(argArena))*8 {
		runtime.Breakpoint()
	}
	argUsed = off + uintptr(newSize)
	p := base + off
	if oldPtr != 0 {
		n := oldSize
		if newSize < n {
			n = newSize
		}
		for i := uint32(0); i < n; i++ {
			*(*byte)(unsafe.Pointer(p + uintptr(i))) = *(*byte)(unsafe.Pointer(uintptr(oldPtr + i)))
		}
	}
	return uint32(p)
}

// staticRealloc is a bump allocator over staticArena that runs without the Go
// runtime: nosplit, no calls, no allocation, no pointer writes.
//
//go:nosplit
func staticRealloc(oldPtr, oldSize, align, newSize uint32) uint32 {
	if align == 0 || align&(align-1) != 0 || align > 8 {
		align = 8
	}
	base := uintptr(unsafe.Pointer(&staticArena[0]))
	off := (staticUsed + uintptr(align) - 1) &^ (uintptr(align) - 1)
	if off+uintptr(newSize) > uintptr(len(staticArena))*8 {
		// Out of room (never expected: the adapter asks for 128 KiB once).
		// Hand out an address far beyond any memory the 256 MiB limit
		// allows, so the caller's first store traps instead of corrupting
		// the Go heap.
		return 0xFFFF0000
	}
	staticUsed = off + uintptr(newSize)
	p := base + off
	if oldPtr != 0 {
		n := oldSize
		if newSize < n {
			n = newSize
		}
		for i := uint32(0); i < n; i++ {
			*(*byte)(unsafe.Pointer(p + uintptr(i))) = *(*byte)(unsafe.Pointer(uintptr(oldPtr + i)))
		}
	}
	return uint32(p)
}

//go:wasmexport parse-ipv4
func exportParseIPv4(ptr, length uint32) uint32 {
	busy = true
	var text string
	if length != 0 {
		text = string(bytesAt(ptr, length)) // copy out of the host's buffer
	}
	// The argument has been copied: the next call's argument may reuse the arena.
	argUsed = 0

	v, ok := parseIPv4(text)
	if ok {
		resultArea[0] = 1
		resultArea[1] = v
	} else {
		resultArea[0] = 0
		resultArea[1] = 0
	}
	busy = false
	return uint32(uintptr(unsafe.Pointer(&resultArea[0])))
}
