//! secp256k1-verify: a thin wrapper around Zig's std.crypto.sign.ecdsa over
//! std.crypto.ecc.Secp256k1 (Zig 0.14.1 standard library).
//!
//! After the hash-length check of SPEC.md (exactly 32 bytes), the arguments go
//! unchanged to the standard library, the way its users verify:
//!     const pk = try Ecdsa.PublicKey.fromSec1(public_key);
//!     const sig = try Ecdsa.Signature.fromDer(signature);
//!     try sig.verify(msg, pk);
//! Any error from these calls is a rejection (false).
//!
//! Zig 0.14.1's std.crypto.sign.ecdsa has no prehashed verify: `Signature.verify`
//! and `Verifier` always run the `Hash` of the `Ecdsa(Curve, Hash)` instance over the
//! message, then take the hash output as `e`. To verify against a hash the caller has
//! already computed, the library's generic `Ecdsa` is instantiated with `Prehashed`
//! below, a 32-byte "hash" whose output is its input: the library's own
//! `Signature.verify`/`Verifier` code then runs unchanged with `e = msg_hash`.

const std = @import("std");

/// The identity "hash" of a 32-byte prehashed message: `final` returns the 32 bytes
/// given to `update`. It exists only so that `Ecdsa(Secp256k1, Prehashed)` verifies
/// against the caller's hash; the wrapper only ever feeds it exactly 32 bytes.
pub const Prehashed = struct {
    pub const digest_length = 32;
    pub const block_length = 64; // only for the type of the (unused) signing PRF
    pub const Options = struct {};

    buf: [digest_length]u8 = [_]u8{0} ** digest_length,
    len: usize = 0,

    pub fn init(options: Options) Prehashed {
        _ = options;
        return .{};
    }

    pub fn update(self: *Prehashed, data: []const u8) void {
        const n = @min(data.len, digest_length - self.len);
        @memcpy(self.buf[self.len..][0..n], data[0..n]);
        self.len += n;
    }

    pub fn final(self: *Prehashed, out: *[digest_length]u8) void {
        out.* = self.buf;
    }

    pub fn hash(data: []const u8, out: *[digest_length]u8, options: Options) void {
        var h = Prehashed.init(options);
        h.update(data);
        h.final(out);
    }
};

/// ECDSA over secp256k1 of the standard library, with the message already hashed.
pub const Ecdsa = std.crypto.sign.ecdsa.Ecdsa(std.crypto.ecc.Secp256k1, Prehashed);

/// The verdict of the library on one signature; the hash is already known to be 32 bytes.
pub fn verify(public_key: []const u8, msg_hash: *const [32]u8, signature: []const u8) bool {
    const pk = Ecdsa.PublicKey.fromSec1(public_key) catch return false;
    const sig = Ecdsa.Signature.fromDer(signature) catch return false;
    sig.verify(msg_hash, pk) catch return false;
    return true;
}

/// SPEC.md: a hash that is not exactly 32 bytes is `false`, without calling the
/// library. Nothing else is checked here.
pub fn verifySlices(public_key: []const u8, msg_hash: []const u8, signature: []const u8) bool {
    if (msg_hash.len != 32) return false;
    return verify(public_key, msg_hash[0..32], signature);
}

// ---------------------------------------------------------------------------
// Core ABI (only when compiled for WebAssembly)
// ---------------------------------------------------------------------------

const is_wasm = @import("builtin").target.cpu.arch.isWasm();

/// The host's argument buffers come from the standard library's WebAssembly allocator.
fn cabiRealloc(old_ptr: ?[*]u8, old_size: usize, alignment: usize, new_size: usize) callconv(.c) [*]u8 {
    const gpa = std.heap.wasm_allocator;
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

fn bytes(ptr: ?[*]const u8, len: usize) []const u8 {
    if (len == 0) return &.{};
    return ptr.?[0..len];
}

fn secp256k1VerifyExport(
    pk_ptr: ?[*]const u8,
    pk_len: usize,
    hash_ptr: ?[*]const u8,
    hash_len: usize,
    sig_ptr: ?[*]const u8,
    sig_len: usize,
) callconv(.c) i32 {
    const ok = verifySlices(bytes(pk_ptr, pk_len), bytes(hash_ptr, hash_len), bytes(sig_ptr, sig_len));
    return @intFromBool(ok);
}

comptime {
    if (is_wasm) {
        @export(&cabiRealloc, .{ .name = "cabi_realloc" });
        @export(&secp256k1VerifyExport, .{ .name = "secp256k1-verify" });
    }
}
