//! parse-ipv4 / faulty / zig-inet-aton-zeros
//!
//! Dotted-quad IPv4 parser: exactly four octets of one to three ASCII digits,
//! each at most 255, separated by exactly three dots, nothing else.
//!
//! DELIBERATE FAULT (demo variant): an octet with leading zeros ("01", "00",
//! "010", "000") is accepted and read as decimal, as the lenient parsers of
//! CVE-2021-29921 (Python ipaddress) and CVE-2021-29923 (Go net.ParseIP) did.
//! "01.02.003.4" gives some(16909060) instead of none. See README.md.

const std = @import("std");

// ---- allocator for the canonical ABI --------------------------------------

extern var __heap_base: u8;
var bump: usize = 0;
const page_size: usize = 65536;

fn cabiRealloc(old_ptr: ?[*]u8, old_size: usize, alignment: usize, new_size: usize) callconv(.c) ?[*]u8 {
    if (old_ptr != null and new_size <= old_size) return old_ptr;
    if (bump == 0) bump = @intFromPtr(&__heap_base);
    const a: usize = if (alignment == 0) 1 else alignment;
    const start = std.mem.alignForward(usize, bump, a);
    if (new_size > std.math.maxInt(usize) - start) @trap();
    const end = start + new_size;
    const have = @wasmMemorySize(0) * page_size;
    if (end > have) {
        const need = (end - have + page_size - 1) / page_size;
        if (@wasmMemoryGrow(0, need) < 0) @trap();
    }
    bump = end;
    const dst: [*]u8 = @ptrFromInt(start);
    if (old_ptr) |src| {
        @memcpy(dst[0..old_size], src[0..old_size]);
    }
    return dst;
}

// ---- the function ---------------------------------------------------------

const ResultArea = extern struct {
    tag: u8 align(4),
    pad: [3]u8,
    value: u32,
};

var result: ResultArea = .{ .tag = 0, .pad = .{ 0, 0, 0 }, .value = 0 };

fn parse(text: []const u8) ?u32 {
    var addr: u32 = 0;
    var octets: u32 = 0;
    var i: usize = 0;
    while (true) {
        // one octet: 1..=3 ASCII digits
        var value: u32 = 0;
        var digits: u32 = 0;
        while (i < text.len and text[i] >= '0' and text[i] <= '9') : (i += 1) {
            if (digits == 3) return null; // a fourth digit
            // FAULT: a strict parser rejects a digit following a leading '0'
            // here (`if (digits == 1 and value == 0) return null;`).
            value = value * 10 + (text[i] - '0');
            digits += 1;
        }
        if (digits == 0) return null; // empty octet or a non-digit
        if (value > 255) return null;
        addr = (addr << 8) | value;
        octets += 1;
        if (octets == 4) break;
        if (i >= text.len or text[i] != '.') return null;
        i += 1; // the dot
    }
    if (i != text.len) return null; // trailing characters (a fifth part, port, space)
    return addr;
}

fn parseIpv4(ptr: [*]const u8, len: usize) callconv(.c) *ResultArea {
    const text = ptr[0..len];
    if (parse(text)) |v| {
        result.tag = 1;
        result.value = v;
    } else {
        result.tag = 0;
        result.value = 0;
    }
    bump = 0; // the argument is no longer needed once the call returns
    return &result;
}

comptime {
    @export(&cabiRealloc, .{ .name = "cabi_realloc" });
    @export(&parseIpv4, .{ .name = "parse-ipv4" });
}
