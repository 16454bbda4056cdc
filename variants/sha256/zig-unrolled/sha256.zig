//! sha256 (FIPS 180-4), own implementation with the 64 rounds unrolled at compile time.
//!
//! Whole 64-byte blocks are compressed straight from the input; the tail, the 0x80 byte,
//! the zero fill and the 64-bit big-endian bit length go through a 128-byte buffer
//! (one block when the tail is at most 55 bytes, two otherwise).

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
// SHA-256
// ---------------------------------------------------------------------------

/// Round constants: the first 32 bits of the fractional parts of the cube roots of the
/// first 64 primes (FIPS 180-4, 4.2.2).
const K = [64]u32{
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/// Initial hash value (FIPS 180-4, 5.3.3).
const H0 = [8]u32{
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

fn rotr(x: u32, comptime n: u5) u32 {
    return (x >> n) | (x << (32 - @as(u6, n)));
}

fn readBe32(p: *const [4]u8) u32 {
    return (@as(u32, p[0]) << 24) | (@as(u32, p[1]) << 16) | (@as(u32, p[2]) << 8) | p[3];
}

/// Compresses one 64-byte block into the state `h` (FIPS 180-4, 6.2.2).
fn compress(h: *[8]u32, block: *const [64]u8) void {
    var w: [64]u32 = undefined;
    inline for (0..16) |t| {
        w[t] = readBe32(block[4 * t ..][0..4]);
    }
    inline for (16..64) |t| {
        const s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        const s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] +% s0 +% w[t - 7] +% s1;
    }

    var a = h[0];
    var b = h[1];
    var c = h[2];
    var d = h[3];
    var e = h[4];
    var f = h[5];
    var g = h[6];
    var hh = h[7];
    inline for (0..64) |t| {
        const big_s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        const ch = (e & f) ^ (~e & g);
        const t1 = hh +% big_s1 +% ch +% K[t] +% w[t];
        const big_s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        const maj = (a & b) ^ (a & c) ^ (b & c);
        const t2 = big_s0 +% maj;
        hh = g;
        g = f;
        f = e;
        e = d +% t1;
        d = c;
        c = b;
        b = a;
        a = t1 +% t2;
    }

    h[0] +%= a;
    h[1] +%= b;
    h[2] +%= c;
    h[3] +%= d;
    h[4] +%= e;
    h[5] +%= f;
    h[6] +%= g;
    h[7] +%= hh;
}

fn sha256(data: []const u8, out: *[32]u8) void {
    var h = H0;

    const full = data.len / 64;
    var i: usize = 0;
    while (i < full) : (i += 1) {
        compress(&h, data[64 * i ..][0..64]);
    }

    // Padding (FIPS 180-4, 5.1.1): tail, 0x80, zeros, then the bit length big-endian.
    const tail = data[64 * full ..];
    var buf = [_]u8{0} ** 128;
    @memcpy(buf[0..tail.len], tail);
    buf[tail.len] = 0x80;
    const blocks: usize = if (tail.len < 56) 1 else 2;
    const bit_len: u64 = @as(u64, data.len) * 8;
    const end = 64 * blocks;
    inline for (0..8) |k| {
        buf[end - 1 - k] = @truncate(bit_len >> (8 * k));
    }
    compress(&h, buf[0..64]);
    if (blocks == 2) compress(&h, buf[64..128]);

    inline for (0..8) |k| {
        out[4 * k + 0] = @truncate(h[k] >> 24);
        out[4 * k + 1] = @truncate(h[k] >> 16);
        out[4 * k + 2] = @truncate(h[k] >> 8);
        out[4 * k + 3] = @truncate(h[k]);
    }
}

/// Digest bytes and the result area (address, length) handed back to the host.
var digest: [32]u8 = undefined;
var result_area: [2]u32 align(8) = undefined;

fn sha256Export(ptr: [*]const u8, len: usize) callconv(.c) *[2]u32 {
    defer heapReset();
    sha256(ptr[0..len], &digest);
    result_area[0] = @intFromPtr(&digest);
    result_area[1] = digest.len;
    return &result_area;
}

comptime {
    @export(&sha256Export, .{ .name = "sha256" });
}
