//! crc32 (CRC-32/ISO-HDLC), bit-at-a-time, no lookup table.
//!
//! Each input byte is XORed into the low byte of the register, then the register is
//! shifted right eight times; whenever the bit shifted out is 1 the reflected
//! polynomial 0xEDB88320 is XORed in.

const reflected_poly: u32 = 0xEDB88320;

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
// crc32
// ---------------------------------------------------------------------------

fn crc32(data: []const u8) u32 {
    var crc: u32 = 0xFFFFFFFF;
    for (data) |b| {
        crc ^= b;
        var bit: u4 = 0;
        while (bit < 8) : (bit += 1) {
            // mask is all ones when the low bit is 1, zero otherwise.
            const mask: u32 = 0 -% (crc & 1);
            crc = (crc >> 1) ^ (reflected_poly & mask);
        }
    }
    return crc ^ 0xFFFFFFFF;
}

fn crc32Export(ptr: [*]const u8, len: usize) callconv(.c) u32 {
    defer heapReset();
    return crc32(ptr[0..len]);
}

comptime {
    @export(&crc32Export, .{ .name = "crc32" });
}
