//! gcd as a WASI reactor core module; `nvx add` wraps it into a component.
//!
//!   python3 -m ziglang build-exe gcd.zig -target wasm32-wasi -mexec-model=reactor \
//!       -fno-entry -rdynamic -O ReleaseSafe -femit-bin=gcd.wasm
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

/// The component model asks every module for cabi_realloc, even though this
/// world passes no strings or lists and the host never calls it.
export fn cabi_realloc(old_ptr: ?[*]u8, old_size: usize, alignment: usize, new_size: usize) ?[*]u8 {
    const gpa = std.heap.wasm_allocator;
    const al = std.mem.Alignment.fromByteUnits(alignment);
    const new = gpa.rawAlloc(new_size, al, @returnAddress()) orelse @panic("out of memory");
    if (old_ptr) |old| {
        const n = @min(old_size, new_size);
        @memcpy(new[0..n], old[0..n]);
        gpa.rawFree(old[0..old_size], al, @returnAddress());
    }
    return new;
}
