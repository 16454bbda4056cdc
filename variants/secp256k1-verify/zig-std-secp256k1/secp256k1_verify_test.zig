//! Native tests of the wrapper: the SPEC.md vectors (d = 1, k = 2, e = SHA-256("nvx")),
//! and the two Wycheproof corpora, read at run time.
//! Run from this folder: python3 -m ziglang test secp256k1_verify_test.zig

const std = @import("std");
const v = @import("secp256k1_verify.zig");

fn hex(comptime s: []const u8) [s.len / 2]u8 {
    var out: [s.len / 2]u8 = undefined;
    _ = std.fmt.hexToBytes(&out, s) catch unreachable;
    return out;
}

const gc = hex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
const gu = hex("0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
const e = hex("53de527c5e297645f24448bb13ee04deef0f90ba070141c1ddbf7cea70c96e28");
const sig = hex("3045022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee502200cf16908500b79d99144c494d4d740dc486c210f7253ef16e4cc940b7e81e5e6");
const sig_high = hex("3046022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5022100f30e96f7aff486266ebb3b6b2b28bf227242bbd73cf4b124db05ca8151b45b5b");

test "SPEC: e = SHA-256(\"nvx\")" {
    var h: [32]u8 = undefined;
    std.crypto.hash.sha2.Sha256.hash("nvx", &h, .{});
    try std.testing.expectEqualSlices(u8, &e, &h);
}

test "SPEC: Gc, e, sig => true" {
    try std.testing.expect(v.verifySlices(&gc, &e, &sig));
}

test "SPEC: Gu, e, sig => true" {
    try std.testing.expect(v.verifySlices(&gu, &e, &sig));
}

test "SPEC: Gc, e + 1, sig => false" {
    var e1 = e;
    e1[31] = 0x29;
    try std.testing.expect(!v.verifySlices(&gc, &e1, &sig));
}

test "SPEC: Gc, 31-byte hash, sig => false" {
    try std.testing.expect(!v.verifySlices(&gc, e[0..31], &sig));
}

test "SPEC: Gc, e, sig with last byte e7 => false" {
    var s = sig;
    s[s.len - 1] = 0xe7;
    try std.testing.expect(!v.verifySlices(&gc, &e, &s));
}

test "SPEC: Gc, e, empty signature => false" {
    try std.testing.expect(!v.verifySlices(&gc, &e, ""));
}

test "SPEC: Gc with first byte 04 (33 bytes) => false" {
    var k = gc;
    k[0] = 0x04;
    try std.testing.expect(!v.verifySlices(&k, &e, &sig));
}

test "SPEC: Gc, e, sig-high => by library (printed)" {
    const got = v.verifySlices(&gc, &e, &sig_high);
    std.debug.print("sig-high: library says {}\n", .{got});
}

test "lengths: 33-byte hash, empty hash" {
    const e33 = e ++ [_]u8{0};
    try std.testing.expect(!v.verifySlices(&gc, &e33, &sig));
    try std.testing.expect(!v.verifySlices(&gc, "", &sig));
    try std.testing.expect(!v.verifySlices("", &e, &sig));
}

test "the prehashed instance agrees with EcdsaSecp256k1Sha256 over the message" {
    const S = std.crypto.sign.ecdsa.EcdsaSecp256k1Sha256;
    const pk = try S.PublicKey.fromSec1(&gc);
    const s = try S.Signature.fromDer(&sig);
    try s.verify("nvx", pk);
    try std.testing.expectError(error.SignatureVerificationFailed, s.verify("nvy", pk));
}

// ---------------------------------------------------------------------------
// The Wycheproof corpora (../corpus/*.wave), read at run time: run the tests from this
// folder. Prints each vector whose answer differs from Wycheproof's, and checks that
// the set of differences is the one recorded in README.md.
// ---------------------------------------------------------------------------

fn parseList(alloc: std.mem.Allocator, s: []const u8, pos: *usize) ![]u8 {
    var out = std.ArrayList(u8).init(alloc);
    while (s[pos.*] != '[') pos.* += 1;
    pos.* += 1;
    var cur: ?u16 = null;
    while (true) : (pos.* += 1) {
        const c = s[pos.*];
        switch (c) {
            '0'...'9' => cur = (cur orelse 0) * 10 + (c - '0'),
            ',', ']' => {
                if (cur) |x| try out.append(@intCast(x));
                cur = null;
                if (c == ']') {
                    pos.* += 1;
                    return out.toOwnedSlice();
                }
            },
            else => {},
        }
    }
}

fn runCorpus(path: []const u8, expected: []const u32) !void {
    var arena = std.heap.ArenaAllocator.init(std.testing.allocator);
    defer arena.deinit();
    const alloc = arena.allocator();
    const text = std.fs.cwd().readFileAlloc(alloc, path, 1 << 24) catch |err| {
        std.debug.print("skipping: {s} not readable ({s})\n", .{ path, @errorName(err) });
        return error.SkipZigTest;
    };
    var disagreements = std.ArrayList(u32).init(alloc);
    var tc_id: u32 = 0;
    var total: usize = 0;
    var lines = std.mem.splitScalar(u8, text, '\n');
    while (lines.next()) |line| {
        if (std.mem.startsWith(u8, line, "# tcId ")) {
            const rest = line["# tcId ".len..];
            const end = std.mem.indexOfAny(u8, rest, ": ") orelse rest.len;
            tc_id = try std.fmt.parseInt(u32, rest[0..end], 10);
            continue;
        }
        if (line.len == 0 or line[0] == '#') continue;
        const arrow = std.mem.indexOf(u8, line, "=>") orelse continue; // no expectation
        const want = std.mem.eql(u8, std.mem.trim(u8, line[arrow + 2 ..], " \r"), "true");
        var pos: usize = 0;
        const pk = try parseList(alloc, line, &pos);
        const msg = try parseList(alloc, line, &pos);
        const sg = try parseList(alloc, line, &pos);
        const got = v.verifySlices(pk, msg, sg);
        total += 1;
        if (got != want) {
            std.debug.print("{s} tcId {d}: library says {}, Wycheproof {}\n", .{ path, tc_id, got, want });
            try disagreements.append(tc_id);
        }
    }
    std.debug.print("{s}: {d} vectors with an expectation, {d} disagreements\n", .{ path, total, disagreements.items.len });
    try std.testing.expectEqualSlices(u32, expected, disagreements.items);
}

/// tcIds on which std.crypto.sign.ecdsa (Zig 0.14.1) differs from Wycheproof, as measured.
const expected_sha256 = [_]u32{6};
const expected_bitcoin = [_]u32{ 1, 100, 388 };

test "wycheproof ecdsa_secp256k1_sha256" {
    try runCorpus("../corpus/wycheproof-sha256.wave", &expected_sha256);
}

test "wycheproof ecdsa_secp256k1_sha256_bitcoin" {
    try runCorpus("../corpus/wycheproof-bitcoin.wave", &expected_bitcoin);
}
