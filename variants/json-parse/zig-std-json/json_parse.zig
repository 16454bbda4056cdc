//! json-parse: a thin wrapper around Zig's std.json.
//!
//! The input bytes go unchanged to
//!     std.json.parseFromSlice(std.json.Value, allocator, text, .{})
//! (default options). Any error it returns other than error.OutOfMemory is the library's
//! verdict that the document is not JSON, and the result is `none`; running out of
//! memory traps. Otherwise the returned std.json.Value is written in the canonical form
//! of SPEC.md by an iterative writer (no recursion, so depth is bounded only by memory).

const std = @import("std");
const Value = std.json.Value;
const Allocator = std.mem.Allocator;

/// Every allocation, the host's argument buffers (cabi_realloc) included, comes from
/// the standard library's WebAssembly page allocator.
const gpa: Allocator = std.heap.wasm_allocator;

// ---------------------------------------------------------------------------
// cabi_realloc
// ---------------------------------------------------------------------------

fn cabiRealloc(old_ptr: ?[*]u8, old_size: usize, alignment: usize, new_size: usize) callconv(.c) [*]u8 {
    const al = std.mem.Alignment.fromByteUnits(if (alignment == 0) 1 else alignment);
    // A zero-size request still gets a real, distinct block (of one byte).
    const new = gpa.rawAlloc(@max(new_size, 1), al, @returnAddress()) orelse @trap();
    if (old_ptr) |old| {
        if (old_size != 0) {
            const n = @min(old_size, new_size);
            @memcpy(new[0..n], old[0..n]);
            gpa.rawFree(old[0..old_size], al, @returnAddress());
        }
    }
    return new;
}

comptime {
    @export(&cabiRealloc, .{ .name = "cabi_realloc" });
}

/// Allocation failure is not a verdict on the input: it traps.
fn oom() noreturn {
    @trap();
}

// ---------------------------------------------------------------------------
// Canonical form (SPEC.md)
// ---------------------------------------------------------------------------

const Out = std.ArrayList(u8);

fn put(out: *Out, bytes: []const u8) void {
    out.appendSlice(bytes) catch oom();
}

fn putByte(out: *Out, b: u8) void {
    out.append(b) catch oom();
}

fn writeDouble(out: *Out, x: f64) void {
    if (std.math.isNan(x)) return put(out, "NaN");
    if (std.math.isInf(x)) return put(out, if (x < 0) "-Infinity" else "Infinity");
    if (x == 0) return put(out, if (std.math.signbit(x)) "-0" else "0");
    // Ryu, shortest round-trip digits; scientific mode writes exactly SPEC.md's form
    // for a finite nonzero double: [-]D[.DDD]e[-]N.
    var buf: [std.fmt.format_float.bufferSize(.scientific, f64)]u8 = undefined;
    const s = std.fmt.formatFloat(&buf, x, .{ .mode = .scientific }) catch unreachable;
    put(out, s);
}

fn writeNumber(out: *Out, v: Value) void {
    switch (v) {
        // Round to nearest, ties to even (the conversion of the target).
        .integer => |i| writeDouble(out, @floatFromInt(i)),
        .float => |f| writeDouble(out, f),
        // An integer beyond i64, or a number that overflows a double: the library keeps
        // the text; it becomes the nearest double (±infinity beyond the range).
        .number_string => |s| writeDouble(out, std.fmt.parseFloat(f64, s) catch unreachable),
        else => unreachable,
    }
}

const hex = "0123456789abcdef";

fn putUnit(out: *Out, u: u16) void {
    if (u >= 0x20 and u <= 0x7e and u != '"' and u != '\\') {
        putByte(out, @intCast(u));
    } else {
        const esc = [6]u8{ '\\', 'u', hex[u >> 12], hex[(u >> 8) & 15], hex[(u >> 4) & 15], hex[u & 15] };
        put(out, &esc);
    }
}

/// Decodes one code point of a string the scanner has already validated as UTF-8
/// (std.json rejects invalid UTF-8 and unpaired surrogate escapes), so no checks here.
fn nextCodePoint(s: []const u8, i: *usize) u21 {
    const b0 = s[i.*];
    if (b0 < 0x80) {
        i.* += 1;
        return b0;
    }
    const n: usize = if (b0 >= 0xf0) 4 else if (b0 >= 0xe0) 3 else 2;
    var cp: u21 = switch (n) {
        2 => b0 & 0x1f,
        3 => b0 & 0x0f,
        else => b0 & 0x07,
    };
    var k: usize = 1;
    while (k < n) : (k += 1) cp = (cp << 6) | (s[i.* + k] & 0x3f);
    i.* += n;
    return cp;
}

fn writeString(out: *Out, s: []const u8) void {
    putByte(out, '"');
    var i: usize = 0;
    while (i < s.len) {
        const cp = nextCodePoint(s, &i);
        if (cp >= 0x10000) {
            const c = cp - 0x10000;
            putUnit(out, @intCast(0xd800 + (c >> 10)));
            putUnit(out, @intCast(0xdc00 + (c & 0x3ff)));
        } else {
            putUnit(out, @intCast(cp));
        }
    }
    putByte(out, '"');
}

/// The first UTF-16 code unit of a code point.
fn leadUnit(cp: u21) u21 {
    return if (cp >= 0x10000) 0xd800 + ((cp - 0x10000) >> 10) else cp;
}

/// Orders two UTF-8 strings as sequences of UTF-16 code units (RFC 8785, 3.2.3).
fn utf16Less(a: []const u8, b: []const u8) bool {
    var i: usize = 0;
    var j: usize = 0;
    while (i < a.len and j < b.len) {
        const ca = nextCodePoint(a, &i);
        const cb = nextCodePoint(b, &j);
        if (ca == cb) continue;
        const ua = leadUnit(ca);
        const ub = leadUnit(cb);
        // Equal lead units: two supplementary code points with the same high surrogate,
        // whose low surrogates are ordered as the code points are.
        if (ua != ub) return ua < ub;
        return ca < cb;
    }
    return a.len - i < b.len - j;
}

fn keyLess(keys: [][]const u8, x: usize, y: usize) bool {
    return utf16Less(keys[x], keys[y]);
}

const Frame = union(enum) {
    array: struct { items: []const Value, next: usize },
    object: struct { map: *const std.json.ObjectMap, order: []usize, next: usize },
};

/// Writes the canonical form of `root`, with an explicit stack instead of recursion.
fn writeCanonical(out: *Out, root: *const Value) void {
    var stack = std.ArrayList(Frame).init(gpa);
    defer stack.deinit();

    var pending: ?*const Value = root;
    while (true) {
        if (pending) |v| {
            pending = null;
            switch (v.*) {
                .null => put(out, "null"),
                .bool => |b| put(out, if (b) "true" else "false"),
                .integer, .float, .number_string => writeNumber(out, v.*),
                .string => |s| writeString(out, s),
                .array => |a| {
                    putByte(out, '[');
                    stack.append(.{ .array = .{ .items = a.items, .next = 0 } }) catch oom();
                },
                .object => |*m| {
                    putByte(out, '{');
                    const order = gpa.alloc(usize, m.count()) catch oom();
                    for (order, 0..) |*o, k| o.* = k;
                    std.mem.sort(usize, order, m.keys(), keyLess);
                    stack.append(.{ .object = .{ .map = m, .order = order, .next = 0 } }) catch oom();
                },
            }
        }
        if (stack.items.len == 0) return;
        const top = &stack.items[stack.items.len - 1];
        switch (top.*) {
            .array => |*f| {
                if (f.next == f.items.len) {
                    putByte(out, ']');
                    _ = stack.pop();
                } else {
                    if (f.next != 0) putByte(out, ',');
                    pending = &f.items[f.next];
                    f.next += 1;
                }
            },
            .object => |*f| {
                if (f.next == f.order.len) {
                    putByte(out, '}');
                    gpa.free(f.order);
                    _ = stack.pop();
                } else {
                    if (f.next != 0) putByte(out, ',');
                    const k = f.order[f.next];
                    writeString(out, f.map.keys()[k]);
                    putByte(out, ':');
                    pending = &f.map.values()[k];
                    f.next += 1;
                }
            },
        }
    }
}

// ---------------------------------------------------------------------------
// The export
// ---------------------------------------------------------------------------

/// Result area: byte 0 the option tag; for `some`, the string's pointer and length.
const ResultArea = extern struct {
    tag: u8,
    pad: [3]u8,
    ptr: u32,
    len: u32,
};
var result_area: ResultArea align(4) = undefined;

fn jsonParse(ptr: [*]const u8, len: usize) callconv(.c) *ResultArea {
    const text = ptr[0..len];
    const parsed = std.json.parseFromSlice(Value, gpa, text, .{}) catch |err| switch (err) {
        error.OutOfMemory => oom(),
        // Every other error of std.json's ParseError set is its verdict on the document
        // (SyntaxError, UnexpectedEndOfInput, DuplicateField, ...).
        else => {
            result_area = .{ .tag = 0, .pad = .{ 0, 0, 0 }, .ptr = 0, .len = 0 };
            return &result_area;
        },
    };
    defer parsed.deinit();

    var out = Out.init(gpa);
    writeCanonical(&out, &parsed.value);
    const s = out.toOwnedSlice() catch oom();
    // An empty slice would have no address of its own; the canonical form is never empty.
    std.debug.assert(s.len != 0);
    result_area = .{ .tag = 1, .pad = .{ 0, 0, 0 }, .ptr = @intFromPtr(s.ptr), .len = s.len };
    return &result_area;
}

comptime {
    @export(&jsonParse, .{ .name = "json-parse" });
}
