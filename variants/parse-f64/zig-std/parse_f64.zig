//! parse-f64: a thin wrapper around Zig's std.fmt.parseFloat.
//!
//! The text is first checked against the grammar of SPEC.md here, because
//! std.fmt.parseFloat accepts more than the grammar allows (underscores between digits,
//! hexadecimal floats, "inf", "infinity", "nan"). Only a text that matches the grammar
//! is handed to std.fmt.parseFloat(f64, ...), which does all the numeric work
//! (Eisel-Lemire with a big-decimal fallback, correctly rounded).

const std = @import("std");

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
// Grammar of SPEC.md
//   number   = [sign] mantissa [exponent]
//   sign     = "+" | "-"
//   mantissa = digits ["." [digits]] | "." digits
//   exponent = ("e" | "E") [sign] digits
//   digits   = one or more of "0" ..= "9"
// ---------------------------------------------------------------------------

/// Index of the first byte at or after `start` that is not an ASCII digit.
fn skipDigits(text: []const u8, start: usize) usize {
    var i = start;
    while (i < text.len and text[i] >= '0' and text[i] <= '9') i += 1;
    return i;
}

fn matchesGrammar(text: []const u8) bool {
    var i: usize = 0;
    if (i < text.len and (text[i] == '+' or text[i] == '-')) i += 1;

    // Mantissa: at least one digit, before or after the optional dot.
    const int_start = i;
    i = skipDigits(text, i);
    var mantissa_digits = i - int_start;
    if (i < text.len and text[i] == '.') {
        const frac_start = i + 1;
        i = skipDigits(text, frac_start);
        mantissa_digits += i - frac_start;
    }
    if (mantissa_digits == 0) return false;

    // Exponent: a letter, an optional sign and at least one digit.
    if (i < text.len and (text[i] == 'e' or text[i] == 'E')) {
        i += 1;
        if (i < text.len and (text[i] == '+' or text[i] == '-')) i += 1;
        const exp_start = i;
        i = skipDigits(text, exp_start);
        if (i == exp_start) return false;
    }

    return i == text.len;
}

fn parseF64(text: []const u8) ?f64 {
    if (!matchesGrammar(text)) return null;
    return std.fmt.parseFloat(f64, text) catch null;
}

/// Result area: byte 0 is the option tag, the f64 at offset 8 the payload.
const ResultArea = extern struct {
    tag: u8,
    pad: [7]u8,
    value: f64,
};
var result_area: ResultArea align(8) = undefined;

fn parseF64Export(ptr: [*]const u8, len: usize) callconv(.c) *ResultArea {
    defer heapReset();
    if (parseF64(ptr[0..len])) |x| {
        result_area.tag = 1;
        result_area.value = x;
    } else {
        result_area.tag = 0;
        result_area.value = 0;
    }
    return &result_area;
}

comptime {
    @export(&parseF64Export, .{ .name = "parse-f64" });
}
