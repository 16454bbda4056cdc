//! hex as a core module over the canonical ABI; `nvx add` wraps it into a component.
//!
//!   python3 -m ziglang build-exe zig/hex.zig -target wasm32-wasi -mexec-model=reactor \
//!       -fno-entry -rdynamic -fno-ubsan-rt -O ReleaseSafe -femit-bin=zig/hex.wasm
//!
//! encode: func(data: list<u8>) -> string            is (ptr, len) -> return-area pointer
//! decode: func(text: string) -> option<list<u8>>    is (ptr, len) -> return-area pointer
const std = @import("std");

/// A `string` or `list<u8>` as the canonical ABI stores it: pointer at 0, length at 4.
const Bytes = extern struct { ptr: [*]const u8, len: usize };

/// `option<list<u8>>`: the tag in byte 0 (0 none, 1 some), the list at 4 (its alignment).
const OptionBytes = extern struct { is_some: u8, value: Bytes };

comptime {
    std.debug.assert(@sizeOf(Bytes) == 8);
    std.debug.assert(@offsetOf(OptionBytes, "value") == 4);
    std.debug.assert(@sizeOf(OptionBytes) == 12);
}

// One call per instance: static return areas are never shared.
var encoded: Bytes = undefined;
var decoded: OptionBytes = undefined;

/// A buffer for a result: from cabi_realloc, so an empty one still has a real address
/// (Zig's own zero-length slices point at the top of the address space, which the host
/// refuses as out of bounds).
fn allocBytes(n: usize) [*]u8 {
    return cabi_realloc(null, 0, 1, n);
}

export fn encode(data: [*]const u8, len: usize) *Bytes {
    const digits = "0123456789abcdef";
    const n = std.math.mul(usize, len, 2) catch @trap();
    const out = allocBytes(n);
    for (data[0..len], 0..) |b, i| {
        out[2 * i] = digits[b >> 4];
        out[2 * i + 1] = digits[b & 15];
    }
    encoded = .{ .ptr = out, .len = n };
    return &encoded;
}

fn nibble(c: u8) ?u8 {
    return switch (c) {
        '0'...'9' => c - '0',
        'a'...'f' => c - 'a' + 10,
        'A'...'F' => c - 'A' + 10,
        else => null,
    };
}

export fn decode(text: [*]const u8, len: usize) *OptionBytes {
    decoded = .{ .is_some = 0, .value = undefined };
    if (len % 2 != 0) return &decoded;
    const out = allocBytes(len / 2);
    for (0..len / 2) |i| {
        const hi = nibble(text[2 * i]) orelse return &decoded;
        const lo = nibble(text[2 * i + 1]) orelse return &decoded;
        out[i] = hi << 4 | lo;
    }
    decoded = .{ .is_some = 1, .value = .{ .ptr = out, .len = len / 2 } };
    return &decoded;
}

/// The host's allocator for arguments. It must never return 0 and never call WASI:
/// - WasmAllocator cannot serve size 0 (its size classes overflow), so every block is
///   at least one byte, and is freed with the size it was made with;
/// - running out of memory is @trap(), the `unreachable` instruction: a @panic would
///   print its message through WASI, which cannot be called from inside cabi_realloc
///   (the host is in the middle of lowering arguments), and the call would end in a
///   `cannot-leave-component` trap instead;
/// - WasmAllocator's largest block is 1 GiB: a larger request fails a safety check
///   inside it (a panic) rather than returning null, so it is refused here first.
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
