// gcd as a WASI (preview 1) reactor core module; `nvx add` wraps it into a component.
//
//	cd go && GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o gcd.wasm .
//
// -buildmode=c-shared makes a reactor: no main runs, the module exports
// _initialize (which starts the Go runtime) and every //go:wasmexport function.
// The core ABI of `gcd: func(a: u64, b: u64) -> u64` is (i64, i64) -> i64, so
// Go's uint64 fits it directly.
package main

import (
	"fmt"
	"runtime"
	"unsafe"
)

//go:wasmexport gcd
func gcd(a, b uint64) uint64 {
	fmt.Println("gcd called (go)")
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// cabi_realloc hands out memory from a fixed arena, never from Go's heap.
// The WASI preview1 adapter that `nvx add` links in asks the module's
// cabi_realloc for two 64 KiB blocks (131 072 bytes) on its first WASI call, and Go
// makes that call from _initialize, while the runtime is still starting: Go
// code that allocates cannot run then (instantiation fails with a
// runtime.throw). A bump allocator over a package-level array allocates
// nothing. This world passes no strings or lists, so the arena only ever serves
// the adapter; a variant taking strings or lists needs room for its largest
// argument too (see the hex example).
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
		// Out of room: trap. Returning 0 would not stop the caller, since
		// address 0 is ordinary memory. runtime.Breakpoint is the wasm
		// `unreachable` instruction and needs no Go runtime.
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

// main is required by package main but never runs in a c-shared build.
func main() {}
