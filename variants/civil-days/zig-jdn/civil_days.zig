//! days-from-civil via the Julian Day Number.
//!
//! The date is validated against the domain of SPEC.md, its Julian Day Number is
//! computed with an integer formula that starts the year in March (so the leap day is
//! the last day of the shifted year), and the JDN of 1970-01-01, 2440588, is subtracted.
//! Every division is floored (@divFloor), so the formula holds for negative years too.

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
// days-from-civil
// ---------------------------------------------------------------------------

const min_year: i32 = -1_000_000;
const max_year: i32 = 1_000_000;

/// Julian Day Number of 1970-01-01.
const jdn_unix_epoch: i64 = 2440588;

fn isLeap(year: i64) bool {
    return @mod(year, 4) == 0 and (@mod(year, 100) != 0 or @mod(year, 400) == 0);
}

fn monthLength(year: i64, month: u32) u32 {
    return switch (month) {
        1, 3, 5, 7, 8, 10, 12 => 31,
        4, 6, 9, 11 => 30,
        2 => if (isLeap(year)) 29 else 28,
        else => 0,
    };
}

/// Julian Day Number of a valid proleptic Gregorian date.
fn julianDayNumber(year: i64, month: i64, day: i64) i64 {
    // a = 1 for January and February, 0 otherwise: those two months are counted as
    // months 10 and 11 of the previous year.
    const a = @divFloor(14 - month, 12);
    // Shifted year, offset by 4800 so the formula's origin lies before -4713.
    const y = year + 4800 - a;
    // Month counted from March: March = 0, ..., February = 11.
    const m = month + 12 * a - 3;
    // (153 m + 2) / 5 is the number of days in the shifted months before month m
    // (month lengths 31, 30, 31, 30, 31 repeat); then 365 days a year plus the
    // Gregorian leap days; -32045 aligns the count with the Julian Day epoch.
    return day + @divFloor(153 * m + 2, 5) + 365 * y + @divFloor(y, 4) - @divFloor(y, 100) + @divFloor(y, 400) - 32045;
}

fn daysFromCivil(year: i32, month: u32, day: u32) ?i64 {
    if (year < min_year or year > max_year) return null;
    if (month < 1 or month > 12) return null;
    if (day < 1 or day > monthLength(year, month)) return null;
    return julianDayNumber(year, month, day) - jdn_unix_epoch;
}

/// Result area: byte 0 is the option tag, the i64 at offset 8 the payload.
const ResultArea = extern struct {
    tag: u8,
    pad: [7]u8,
    value: i64,
};
var result_area: ResultArea align(8) = undefined;

fn daysFromCivilExport(year: i32, month: u32, day: u32) callconv(.c) *ResultArea {
    defer heapReset();
    if (daysFromCivil(year, month, day)) |n| {
        result_area.tag = 1;
        result_area.value = n;
    } else {
        result_area.tag = 0;
        result_area.value = 0;
    }
    return &result_area;
}

comptime {
    @export(&daysFromCivilExport, .{ .name = "days-from-civil" });
}
