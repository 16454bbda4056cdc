// nest: how deep encoding/json parses, as a WASI (preview 1) reactor core module.
//
//	cd go && GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o nest.wasm .
//
// depth: func(text: string) -> result<u32, string> is (ptr, len uint32) -> uint32,
// the address of a return area: tag byte at 0 (0 ok, 1 err), then the u32, or
// the error string's pointer and length, at 4 (and 8).
package main

import (
	"encoding/json"
	"runtime"
	"unsafe"
)

// The fixed arena of the hex example (see there): the adapter's state plus the
// largest argument. measure.sh sends up to 2 MB of text; encoding/json stops
// at 10 000 levels (20 kB) anyway, so 1 MiB is plenty.
var (
	arena [1 << 20]byte
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
		runtime.Breakpoint() // wasm `unreachable`: out of room traps
	}
	if oldPtr != 0 {
		n := min(oldSize, newSize)
		copy(unsafe.Slice((*byte)(unsafe.Pointer(p)), n),
			unsafe.Slice((*byte)(unsafe.Pointer(uintptr(oldPtr))), n))
	}
	used = p + uintptr(newSize) - base
	return uint32(p)
}

var (
	ret     [3]uint32
	message []byte // the error text, kept reachable until the host has read it
)

//go:wasmexport depth
func depth(ptr, n uint32) uint32 {
	var text []byte
	if n > 0 {
		text = unsafe.Slice((*byte)(unsafe.Pointer(uintptr(ptr))), n)
	}
	var v any
	if err := json.Unmarshal(text, &v); err != nil {
		message = []byte(err.Error())
		ret = [3]uint32{1, uint32(uintptr(unsafe.Pointer(unsafe.SliceData(message)))), uint32(len(message))}
	} else {
		ret = [3]uint32{0, deepest(v), 0}
	}
	return uint32(uintptr(unsafe.Pointer(&ret)))
}

// deepest is the depth of the deepest array or object, without recursion.
func deepest(v any) uint32 {
	type item struct {
		v any
		d uint32
	}
	stack := []item{{v, 0}}
	var max uint32
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch x := it.v.(type) {
		case []any:
			max = maxOf(max, it.d+1)
			for _, e := range x {
				stack = append(stack, item{e, it.d + 1})
			}
		case map[string]any:
			max = maxOf(max, it.d+1)
			for _, e := range x {
				stack = append(stack, item{e, it.d + 1})
			}
		}
	}
	return max
}

func maxOf(a, b uint32) uint32 {
	if a > b {
		return a
	}
	return b
}

// main is required by package main but never runs in a c-shared build.
func main() {}
