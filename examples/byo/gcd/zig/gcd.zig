//! gcd as a WASI reactor core module; `nvx add` wraps it into a component.
//!
//!   python3 -m ziglang build-exe zig/gcd.zig -target wasm32-wasi -mexec-model=reactor \
//!       -fno-entry -rdynamic -fno-ubsan-rt -O ReleaseSafe -femit-bin=zig/gcd.wasm
//!
//! The core ABI of `gcd: func(a: u64, b: u64) -> u64` is (i64, i64) -> i64:
//! an `export fn` taking and returning u64 is exactly that.
const std = @import("std");

export fn gcd(a0: u64, b0: u64) u64 {
    // Unbuffered write to fd 1; ignore errors (stdout is always writable in nvx).
    std.io.getStdOut().writer().writeAll("gcd called (zig)\n") catch {};
    var a = a0;
    var b = b0;
    while (b != 0) {
        const t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/// The component model asks every module for cabi_realloc. This world passes no
/// strings or lists, so only the WASI preview1 adapter calls it (for its own state).
/// It must never return 0 and never call WASI: WasmAllocator cannot serve size 0, so
/// every block is at least one byte (and freed with that size); running out of memory
/// is @trap(), since a @panic prints through WASI, which a component cannot call while
/// the host is inside cabi_realloc; and requests beyond WasmAllocator's largest block
/// (1 GiB), where it fails a safety check instead of returning null, are refused first.
export fn cabi_realloc(old_ptr: ?[*]u8, old_size: usize, alignment: usize, new_size: usize) [*]u8 {
    const gpa = std.heap.wasm_allocator;
    const al = std.mem.Alignment.fromByteUnits(alignment);
    if (new_size > max_block) @trap();
    const new = gpa.rawAlloc(@max(new_size, 1), al, @returnAddress()) orelse @trap();
    if (old_ptr) |old| {
        const n = @min(old_size, new_size);
        @memcpy(new[0..n], old[0..n]);
        gpa.rawFree(old[0..@max(old_size, 1)], al, @returnAddress());
    }
    return new;
}

/// The largest request WasmAllocator serves (1 GiB less its bookkeeping, rounded down).
const max_block = (1 << 30) - (1 << 16);
