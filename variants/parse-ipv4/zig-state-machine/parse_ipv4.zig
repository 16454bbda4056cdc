//! parse-ipv4: strict dotted-decimal IPv4, one pass with a hand-written state machine.
//!
//! States (per octet):
//!   octet_start  - at the start of an octet: a digit is required
//!   after_zero   - the octet is exactly "0": only "." (or the end, for the 4th octet)
//!   in_octet     - inside a nonzero octet with 1..3 digits: a digit, "." or the end
//! Any byte that is not allowed in the current state rejects the text at once, so
//! non-ASCII bytes, whitespace, signs, letters and ":" never get past the machine.

// ---------------------------------------------------------------------------
// cabi_realloc: a bump allocator over the memory above the module's initial size.
// Every export resets it when it returns, so argument buffers are reused from one
// call to the next instead of accumulating.
// ---------------------------------------------------------------------------

const page_size: usize = 65536;
var heap_start: usize = 0;
var heap_top: usize = 0;

fn heapReset() void {
    heap_top = heap_start;
}

fn cabiRealloc(old_ptr: usize, old_size: usize, alignment: usize, new_size: usize) callconv(.c) usize {
    if (heap_start == 0) {
        heap_start = @wasmMemorySize(0) * page_size;
        heap_top = heap_start;
    }
    const a = if (alignment == 0) 1 else alignment;
    const ptr = (heap_top + a - 1) & ~(a - 1);
    const end = ptr + new_size;
    const have = @wasmMemorySize(0) * page_size;
    if (end > have) {
        const pages = (end - have + page_size - 1) / page_size;
        if (@wasmMemoryGrow(0, pages) < 0) @trap();
    }
    heap_top = end;
    if (old_ptr != 0 and old_size != 0) {
        const n = @min(old_size, new_size);
        const src: [*]const u8 = @ptrFromInt(old_ptr);
        const dst: [*]u8 = @ptrFromInt(ptr);
        @memcpy(dst[0..n], src[0..n]);
    }
    return ptr;
}

comptime {
    @export(&cabiRealloc, .{ .name = "cabi_realloc" });
}

// ---------------------------------------------------------------------------
// parse-ipv4
// ---------------------------------------------------------------------------

const State = enum { octet_start, after_zero, in_octet };

fn parseIpv4(text: []const u8) ?u32 {
    var state: State = .octet_start;
    var octets_done: u32 = 0; // completed octets before the current one (0..3)
    var value: u32 = 0; // value of the current octet
    var digits: u32 = 0; // digits of the current octet
    var address: u32 = 0;

    for (text) |c| {
        switch (state) {
            .octet_start => switch (c) {
                '0' => {
                    value = 0;
                    digits = 1;
                    state = .after_zero;
                },
                '1'...'9' => {
                    value = c - '0';
                    digits = 1;
                    state = .in_octet;
                },
                else => return null,
            },
            .after_zero, .in_octet => switch (c) {
                '0'...'9' => {
                    // A digit after a lone "0" would be a leading zero.
                    if (state == .after_zero or digits == 3) return null;
                    value = value * 10 + (c - '0');
                    digits += 1;
                    if (value > 255) return null;
                },
                '.' => {
                    // A fourth dot is one too many.
                    if (octets_done == 3) return null;
                    address = (address << 8) | value;
                    octets_done += 1;
                    state = .octet_start;
                },
                else => return null,
            },
        }
    }

    // Accept only at the end of a complete fourth octet.
    if (state == .octet_start or octets_done != 3) return null;
    return (address << 8) | value;
}

/// Result area: byte 0 is the option tag, the u32 at offset 4 the payload.
const ResultArea = extern struct {
    tag: u8,
    pad: [3]u8,
    value: u32,
};
var result_area: ResultArea align(4) = undefined;

fn parseIpv4Export(ptr: [*]const u8, len: usize) callconv(.c) *ResultArea {
    defer heapReset();
    if (parseIpv4(ptr[0..len])) |v| {
        result_area.tag = 1;
        result_area.value = v;
    } else {
        result_area.tag = 0;
        result_area.value = 0;
    }
    return &result_area;
}

comptime {
    @export(&parseIpv4Export, .{ .name = "parse-ipv4" });
}
