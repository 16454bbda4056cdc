// Command addadapteralloc appends an exported function
//
//	cabi_realloc_adapter(old_ptr, old_size, align, new_size i32) -> i32
//
// to a core wasm module built by Go (GOOS=wasip1, -buildmode=c-shared).
//
// Why: when wit-component wraps the module with the WASI preview1 adapter, the
// adapter allocates its state and stack (2 × 64 KiB) through the main module's
// realloc on its first WASI call. With Go that first call happens inside
// _initialize (the runtime reads random bytes, the clock, ...), before Go
// allows any //go:wasmexport function to run, so Go's cabi_realloc aborts
// ("wasmexport function called before runtime initialization"). wit-component
// prefers an export named cabi_realloc_adapter for the adapter's allocations;
// this tool provides one that needs no Go runtime: a bump allocator over a
// static array (main.adapterArena) that the Go program reserves. The array is
// located by its magic tag in the data section.
//
// The output is the input with one type (if needed), one function, one global
// and one export appended; existing indices do not change. Deterministic.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
)

// Must match wasm.go.
var magic = []byte{
	'n', 'v', 'x', '-', 'a', 'd', 'a', 'p', 't', 'e', 'r', '-', 'a', 'r', 'e', 'n',
	'a', '-', 'v', '1', 0xA5, 0x5A, 0xC3, 0x3C,
}

const arenaSize = 136 << 10 // must match adapterArenaSize in wasm.go

const exportName = "cabi_realloc_adapter"

func main() {
	in := flag.String("in", "", "input core module")
	out := flag.String("out", "", "output core module")
	flag.Parse()
	if *in == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: addadapteralloc -in in.wasm -out out.wasm")
		os.Exit(2)
	}
	b, err := os.ReadFile(*in)
	if err == nil {
		b, err = rewrite(b)
	}
	if err == nil {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "addadapteralloc:", err)
		os.Exit(1)
	}
}

type section struct {
	id      byte
	payload []byte
}

type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) byte() byte {
	if r.err != nil || r.off >= len(r.b) {
		r.err = errors.New("unexpected end of data")
		return 0
	}
	c := r.b[r.off]
	r.off++
	return c
}

func (r *reader) uleb() uint64 {
	var v uint64
	var s uint
	for {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		v |= uint64(c&0x7f) << s
		if c&0x80 == 0 {
			return v
		}
		s += 7
		if s > 63 {
			r.err = errors.New("bad LEB128")
			return 0
		}
	}
}

func (r *reader) sleb32() int64 {
	var v int64
	var s uint
	var c byte
	for {
		c = r.byte()
		if r.err != nil {
			return 0
		}
		v |= int64(c&0x7f) << s
		s += 7
		if c&0x80 == 0 {
			break
		}
		if s > 63 {
			r.err = errors.New("bad LEB128")
			return 0
		}
	}
	if s < 64 && c&0x40 != 0 {
		v |= -1 << s
	}
	return v
}

func (r *reader) bytes(n uint64) []byte {
	if r.err != nil || uint64(len(r.b)-r.off) < n {
		r.err = errors.New("unexpected end of data")
		return nil
	}
	p := r.b[r.off : r.off+int(n)]
	r.off += int(n)
	return p
}

func (r *reader) limits() {
	flags := r.byte()
	r.uleb()
	if flags&1 != 0 {
		r.uleb()
	}
}

func uleb(v uint64) []byte {
	var out []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			out = append(out, c|0x80)
		} else {
			return append(out, c)
		}
	}
}

func sleb(v int64) []byte {
	var out []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(out, c)
		}
		out = append(out, c|0x80)
	}
}

// appendToVec returns a vector payload (count + items) with item appended,
// and the index the new item gets.
func appendToVec(payload []byte, item []byte) ([]byte, uint64, error) {
	r := &reader{b: payload}
	n := r.uleb()
	if r.err != nil {
		return nil, 0, r.err
	}
	out := append(uleb(n+1), payload[r.off:]...)
	return append(out, item...), n, nil
}

func rewrite(b []byte) ([]byte, error) {
	if len(b) < 8 || !bytes.Equal(b[:8], []byte{0, 'a', 's', 'm', 1, 0, 0, 0}) {
		return nil, errors.New("not a core wasm module")
	}
	r := &reader{b: b, off: 8}
	var secs []*section
	find := func(id byte) *section {
		for _, s := range secs {
			if s.id == id {
				return s
			}
		}
		return nil
	}
	for r.off < len(b) {
		id := r.byte()
		n := r.uleb()
		p := r.bytes(n)
		if r.err != nil {
			return nil, r.err
		}
		secs = append(secs, &section{id, p})
	}
	for _, s := range secs {
		if s.id == 7 {
			if bytes.Contains(s.payload, []byte(exportName)) {
				return nil, errors.New(exportName + " already present")
			}
		}
	}
	typeSec, funcSec, globSec, expSec, codeSec, dataSec := find(1), find(3), find(6), find(7), find(10), find(11)
	if typeSec == nil || funcSec == nil || globSec == nil || expSec == nil || codeSec == nil || dataSec == nil {
		return nil, errors.New("missing a type/function/global/export/code/data section")
	}

	// Imported functions and globals shift the index spaces.
	var impFuncs, impGlobals uint64
	if imp := find(2); imp != nil {
		ir := &reader{b: imp.payload}
		n := ir.uleb()
		for i := uint64(0); i < n && ir.err == nil; i++ {
			ir.bytes(ir.uleb()) // module
			ir.bytes(ir.uleb()) // name
			switch kind := ir.byte(); kind {
			case 0: // func
				ir.uleb()
				impFuncs++
			case 1: // table
				ir.byte()
				ir.limits()
			case 2: // memory
				ir.limits()
			case 3: // global
				ir.byte()
				ir.byte()
				impGlobals++
			case 4: // tag
				ir.byte()
				ir.uleb()
			default:
				return nil, fmt.Errorf("unknown import kind %d", kind)
			}
		}
		if ir.err != nil {
			return nil, ir.err
		}
	}

	// Locate the arena through its magic tag in an active data segment.
	var arena int64 = -1
	{
		dr := &reader{b: dataSec.payload}
		n := dr.uleb()
		for i := uint64(0); i < n && dr.err == nil; i++ {
			flags := dr.uleb()
			var base int64 = -1
			switch flags {
			case 0, 2:
				if flags == 2 {
					dr.uleb()
				}
				if op := dr.byte(); op == 0x41 { // i32.const
					base = dr.sleb32()
				} else {
					return nil, fmt.Errorf("data segment %d: unsupported offset expression", i)
				}
				if dr.byte() != 0x0B {
					return nil, fmt.Errorf("data segment %d: unsupported offset expression", i)
				}
			case 1:
			default:
				return nil, fmt.Errorf("data segment %d: unknown flags %d", i, flags)
			}
			data := dr.bytes(dr.uleb())
			if k := bytes.Index(data, magic); k >= 0 && base >= 0 {
				if arena >= 0 {
					return nil, errors.New("arena magic found twice")
				}
				arena = base + int64(k)
			}
		}
		if dr.err != nil {
			return nil, dr.err
		}
	}
	if arena < 0 {
		return nil, errors.New("arena magic not found in the data section")
	}
	start := arena + int64(len(magic))
	end := arena + arenaSize

	// Type (i32 i32 i32 i32) -> i32: reuse if present.
	sig := []byte{0x60, 4, 0x7F, 0x7F, 0x7F, 0x7F, 1, 0x7F}
	var typeIdx uint64
	{
		tr := &reader{b: typeSec.payload}
		n := tr.uleb()
		found := false
		for i := uint64(0); i < n && tr.err == nil; i++ {
			at := tr.off
			if tr.byte() != 0x60 {
				return nil, errors.New("unsupported type section entry (not a plain func type)")
			}
			np := tr.uleb()
			tr.bytes(np)
			nr := tr.uleb()
			tr.bytes(nr)
			if !found && bytes.Equal(tr.b[at:tr.off], sig) {
				typeIdx, found = i, true
			}
		}
		if tr.err != nil {
			return nil, tr.err
		}
		if !found {
			var err error
			typeSec.payload, typeIdx, err = appendToVec(typeSec.payload, sig)
			if err != nil {
				return nil, err
			}
		}
	}

	// The bump pointer: a new mutable i32 global.
	var err error
	var gIdx uint64
	globItem := append([]byte{0x7F, 0x01, 0x41}, sleb(start)...)
	globItem = append(globItem, 0x0B)
	if globSec.payload, gIdx, err = appendToVec(globSec.payload, globItem); err != nil {
		return nil, err
	}
	gIdx += impGlobals

	var fIdx uint64
	if funcSec.payload, fIdx, err = appendToVec(funcSec.payload, uleb(typeIdx)); err != nil {
		return nil, err
	}
	fIdx += impFuncs

	// Body. Params: 0 old_ptr, 1 old_size, 2 align, 3 new_size; locals: 4 p, 5 e.
	g := uleb(gIdx)
	var code []byte
	emit := func(bs ...[]byte) {
		for _, x := range bs {
			code = append(code, x...)
		}
	}
	op := func(o ...byte) []byte { return o }
	emit(op(0x01, 0x02, 0x7F)) // 2 locals of type i32
	// The adapter only ever asks for fresh blocks: a reallocation traps.
	emit(op(0x20, 0), op(0x04, 0x40, 0x00, 0x0B)) // if old_ptr != 0: unreachable
	// if align == 0 { align = 1 }
	emit(op(0x20, 2, 0x45), op(0x04, 0x40, 0x41, 1, 0x21, 2, 0x0B))
	// p = (bump + align - 1) & -align
	emit(op(0x23), g, op(0x20, 2, 0x6A, 0x41, 1, 0x6B, 0x41, 0, 0x20, 2, 0x6B, 0x71, 0x21, 4))
	// e = p + new_size; if e < p (wrap) or e > end: unreachable
	emit(op(0x20, 4, 0x20, 3, 0x6A, 0x21, 5))
	emit(op(0x20, 5, 0x20, 4, 0x49), op(0x04, 0x40, 0x00, 0x0B))
	emit(op(0x20, 5, 0x41), sleb(end), op(0x4B), op(0x04, 0x40, 0x00, 0x0B))
	// bump = e; return p
	emit(op(0x20, 5, 0x24), g, op(0x20, 4, 0x0B))
	body := append(uleb(uint64(len(code))), code...)
	if codeSec.payload, _, err = appendToVec(codeSec.payload, body); err != nil {
		return nil, err
	}

	exp := append(uleb(uint64(len(exportName))), exportName...)
	exp = append(exp, 0x00)
	exp = append(exp, uleb(fIdx)...)
	if expSec.payload, _, err = appendToVec(expSec.payload, exp); err != nil {
		return nil, err
	}

	out := append([]byte(nil), b[:8]...)
	for _, s := range secs {
		out = append(out, s.id)
		out = append(out, uleb(uint64(len(s.payload)))...)
		out = append(out, s.payload...)
	}
	return out, nil
}
