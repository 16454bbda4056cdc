//! haversine: great-circle distance with the formula of SPEC.md, evaluated with Zig's
//! builtins (@sin, @cos, @sqrt) and std.math.asin.

const std = @import("std");

// ---------------------------------------------------------------------------
// cabi_realloc: a bump allocator over the memory above the module's initial size.
// This function takes no list or string, but the canonical ABI still requires the
// export; every export resets the allocator when it returns.
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
// haversine
// ---------------------------------------------------------------------------

/// Mean Earth radius R1 (IUGG / GRS 80), metres.
const earth_radius: f64 = 6371008.8;
/// pi / 180 as the double 0.017453292519943295.
const deg_to_rad: f64 = 0.017453292519943295;

/// True for a finite value in lo ..= hi; false for NaN and the infinities, because
/// every comparison with NaN is false and the infinities lie outside any finite range.
fn inRange(x: f64, lo: f64, hi: f64) bool {
    return x >= lo and x <= hi;
}

fn haversine(lat1: f64, lon1: f64, lat2: f64, lon2: f64) f64 {
    if (!inRange(lat1, -90, 90) or !inRange(lat2, -90, 90) or
        !inRange(lon1, -360, 360) or !inRange(lon2, -360, 360))
    {
        return std.math.nan(f64);
    }

    const phi1 = lat1 * deg_to_rad;
    const phi2 = lat2 * deg_to_rad;
    const dphi = (lat2 - lat1) * deg_to_rad;
    const dlambda = (lon2 - lon1) * deg_to_rad;

    const s_phi = @sin(dphi / 2);
    const s_lambda = @sin(dlambda / 2);
    var a = s_phi * s_phi + @cos(phi1) * @cos(phi2) * (s_lambda * s_lambda);
    // Clamp rounding excursions so that sqrt and asin stay in their domains.
    a = @min(1.0, @max(0.0, a));
    return 2 * earth_radius * std.math.asin(@sqrt(a));
}

fn haversineExport(lat1: f64, lon1: f64, lat2: f64, lon2: f64) callconv(.c) f64 {
    defer heapReset();
    return haversine(lat1, lon1, lat2, lon2);
}

comptime {
    @export(&haversineExport, .{ .name = "haversine" });
}
