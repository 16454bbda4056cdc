//go:build wasip1

// The canonical-ABI side of the core module (GOOS=wasip1 GOARCH=wasm,
// -buildmode=c-shared). The Go linker exports the linear memory as "memory".
//
// cabi_realloc is called by two parties:
//
//   - the WASI preview1 adapter that is linked in when the module is wrapped
//     into a component: on its first WASI call it asks for two 64 KiB blocks
//     and keeps them. The Go runtime makes that first call (reading the
//     clock) from inside _initialize, before the Go heap can be used;
//   - the host, before each call, for the bytes of the `text` argument, which
//     may be empty or several hundred KB long. The host is then lowering the
//     argument, and a component may not call out of itself meanwhile.
//
// Neither may be served from the Go heap. The first comes too early. For the
// second, the allocator itself may call WASI: a large make() that grows the
// heap scavenges and reads the clock (runtime.(*mheap).allocSpan calls
// nanotime), and an allocation may start a collection, which reads it too;
// under nvx such a call ends in trap(cannot-leave-component). So every
// request is served from one static bump arena by code that needs nothing
// from the Go runtime. The arena lies in the module's zero-initialised
// memory: it adds nothing to the file, only to each instance's memory.

package main

import (
	"runtime"
	"unsafe"
)

// arenaBytes is the adapter's 131 072 bytes plus room for an argument of up
// to 4 MiB (and alignment padding). A larger argument traps in cabi_realloc,
// before json-parse runs.
const arenaBytes = 128<<10 + 4<<20 + 64<<10

// arena is 8-byte aligned and never freed: each call runs in a fresh
// instance.
var arena [arenaBytes / 8]uint64
var arenaUsed uintptr

//go:wasmexport cabi_realloc
//go:nosplit
func cabiRealloc(oldPtr, oldSize, align, newSize uint32) uint32 {
	if align == 0 || align&(align-1) != 0 || align > 8 {
		align = 8
	}
	base := uintptr(unsafe.Pointer(&arena[0]))
	off := (arenaUsed + uintptr(align) - 1) &^ (uintptr(align) - 1)
	if uint64(off)+uint64(newSize) > arenaBytes {
		// Out of room: trap (the wasm `unreachable` instruction). Returning
		// 0 would let the host write the argument over the bottom of memory.
		runtime.Breakpoint()
	}
	// A request of size 0 gets a real address too: the arena's next free
	// byte, which the host does not write.
	arenaUsed = off + uintptr(newSize)
	p := base + off
	if oldPtr != 0 {
		n := min(oldSize, newSize)
		for i := uint32(0); i < n; i++ {
			*(*byte)(unsafe.Pointer(p + uintptr(i))) = *(*byte)(unsafe.Pointer(uintptr(oldPtr + i)))
		}
	}
	return uint32(p)
}

// memAt is the linear memory from addr, n bytes long. On this ABI a pointer is
// an offset into the one linear memory (go vet's unsafeptr check flags the
// conversion).
func memAt(addr, n uint32) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(uintptr(addr))), n)
}

// resultArea is the 12-byte, 4-aligned result of json-parse (SPEC.md, Core
// ABI): the option tag in byte 0 (wasm is little-endian, so the uint32 1 is
// the byte 1 and three bytes of padding), then the string's pointer and
// length.
var resultArea [3]uint32

// resultText keeps the canonical string (on the Go heap, allocated while
// json-parse runs, when the runtime may call WASI) reachable until the host
// has copied it out, after json-parse returns.
var resultText []byte

//go:wasmexport json-parse
func exportJSONParse(ptr, length uint32) uint32 {
	var text []byte
	if length != 0 {
		// Read in place from the arena; encoding/json copies what it keeps.
		text = memAt(ptr, length)
	}
	c, ok := jsonParse(text)
	if ok {
		resultText = c
		resultArea = [3]uint32{1, uint32(uintptr(unsafe.Pointer(unsafe.SliceData(c)))), uint32(len(c))}
	} else {
		resultText = nil
		resultArea = [3]uint32{}
	}
	return uint32(uintptr(unsafe.Pointer(&resultArea[0])))
}
