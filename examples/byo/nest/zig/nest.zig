//! nest: how deep std.json parses, as a core module over the canonical ABI.
//!
//!   python3 -m ziglang build-exe zig/nest.zig -target wasm32-wasi -mexec-model=reactor \
//!       -fno-entry -rdynamic -fno-ubsan-rt -O ReleaseSafe -femit-bin=zig/nest.wasm
//!
//! depth: func(text: string) -> result<u32, string> is (ptr, len) -> the address of
//! a return area: tag byte at 0 (0 ok, 1 err), the u32 or the string at 4.
const std = @import("std");

const Bytes = extern struct { ptr: [*]const u8, len: usize };
const ResultU32String = extern struct {
    is_err: u8,
    payload: extern union { ok: u32, err: Bytes },
};

comptime {
    std.debug.assert(@offsetOf(ResultU32String, "payload") == 4);
    std.debug.assert(@sizeOf(ResultU32String) == 12);
}

var result: ResultU32String = undefined;

export fn depth(ptr: [*]const u8, len: usize) *ResultU32String {
    var arena = std.heap.ArenaAllocator.init(std.heap.wasm_allocator);
    // Not freed: each call gets a fresh instance, and the error name below must
    // outlive the call.
    const parsed = std.json.parseFromSliceLeaky(std.json.Value, arena.allocator(), ptr[0..len], .{}) catch |e| {
        const name = @errorName(e);
        result = .{ .is_err = 1, .payload = .{ .err = .{ .ptr = name.ptr, .len = name.len } } };
        return &result;
    };
    result = .{ .is_err = 0, .payload = .{ .ok = deepest(arena.allocator(), parsed) } };
    return &result;
}

/// The depth of the deepest array or object, without recursion.
fn deepest(allocator: std.mem.Allocator, root: std.json.Value) u32 {
    const Item = struct { v: std.json.Value, d: u32 };
    var stack = std.ArrayList(Item).init(allocator);
    stack.append(.{ .v = root, .d = 0 }) catch @trap();
    var max: u32 = 0;
    while (stack.pop()) |it| {
        switch (it.v) {
            .array => |a| {
                max = @max(max, it.d + 1);
                for (a.items) |x| stack.append(.{ .v = x, .d = it.d + 1 }) catch @trap();
            },
            .object => |o| {
                max = @max(max, it.d + 1);
                for (o.values()) |x| stack.append(.{ .v = x, .d = it.d + 1 }) catch @trap();
            },
            else => {},
        }
    }
    return max;
}

/// As in the hex example: never 0, never WASI, at least one byte, a trap when exhausted.
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

const max_block = (1 << 30) - (1 << 16);
