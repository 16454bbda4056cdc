// SHA-256 (NIST FIPS 180-4) as a freestanding C++17 streaming hasher, exported
// to WebAssembly under the canonical ABI of the WIT function
//     sha256: func(data: list<u8>) -> list<u8>
//
// The hashing core (namespace nvx_sha256) is plain portable C++ and is also
// compiled natively by test_native.cpp; the WebAssembly glue at the end of this
// file is only compiled when targeting wasm.

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

namespace nvx_sha256 {

// FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of the
// cube roots of the first 64 primes.
static constexpr uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// FIPS 180-4 section 5.3.3: initial hash value H(0).
static constexpr uint32_t H0[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

// FIPS 180-4 section 4.1.2 functions (ROTR^n written out, n in 1..31 only).
constexpr uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32u - n)); }
constexpr uint32_t ch(uint32_t x, uint32_t y, uint32_t z) { return (x & y) ^ (~x & z); }
constexpr uint32_t maj(uint32_t x, uint32_t y, uint32_t z) { return (x & y) ^ (x & z) ^ (y & z); }
constexpr uint32_t bsig0(uint32_t x) { return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22); }
constexpr uint32_t bsig1(uint32_t x) { return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25); }
constexpr uint32_t ssig0(uint32_t x) { return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3); }
constexpr uint32_t ssig1(uint32_t x) { return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10); }

inline uint32_t load_be32(const uint8_t* p) {
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

inline void store_be32(uint8_t* p, uint32_t v) {
    p[0] = uint8_t(v >> 24);
    p[1] = uint8_t(v >> 16);
    p[2] = uint8_t(v >> 8);
    p[3] = uint8_t(v);
}

// One round of the compression function (FIPS 180-4 section 6.2.2 step 3).
// Instead of shifting the eight working variables a..h each round, the
// variables stay in place and their names rotate: in round I, working
// variable number j (a=0 .. h=7) lives in v[(j - I) mod 8]. After 64 rounds
// (a multiple of 8) the mapping is the identity again.
template <int I>
inline void round(uint32_t (&v)[8], const uint32_t (&W)[64]) {
    static_assert(I >= 0 && I < 64, "round index out of range");
    constexpr int a = (0 - I) & 7, b = (1 - I) & 7, c = (2 - I) & 7, d = (3 - I) & 7;
    constexpr int e = (4 - I) & 7, f = (5 - I) & 7, g = (6 - I) & 7, h = (7 - I) & 7;
    const uint32_t t1 = v[h] + bsig1(v[e]) + ch(v[e], v[f], v[g]) + K[I] + W[I];
    const uint32_t t2 = bsig0(v[a]) + maj(v[a], v[b], v[c]);
    v[d] += t1;        // new e
    v[h] = t1 + t2;    // new a (slot h of round I is slot a of round I+1)
}

// Compile-time recursion instantiating round<0> .. round<63>.
template <int I>
inline void rounds(uint32_t (&v)[8], const uint32_t (&W)[64]) {
    if constexpr (I < 64) {
        round<I>(v, W);
        rounds<I + 1>(v, W);
    }
}

class Sha256 {
public:
    Sha256() { reset(); }

    void reset() {
        for (int i = 0; i < 8; ++i) h_[i] = H0[i];
        total_ = 0;
        fill_ = 0;
    }

    void update(const uint8_t* data, size_t len) {
        total_ += uint64_t(len);
        // Top up a partially filled buffer first.
        if (fill_ != 0) {
            size_t take = 64 - fill_;
            if (take > len) take = len;
            memcpy(buf_ + fill_, data, take);
            fill_ += take;
            data += take;
            len -= take;
            if (fill_ < 64) return;
            compress(buf_);
            fill_ = 0;
        }
        // Whole blocks straight from the input.
        while (len >= 64) {
            compress(data);
            data += 64;
            len -= 64;
        }
        // Keep the tail.
        if (len != 0) {
            memcpy(buf_, data, len);
            fill_ = len;
        }
    }

    // FIPS 180-4 section 5.1.1 padding, then the digest H0..H7 big-endian.
    // The hasher must be reset() before reuse.
    void finish(uint8_t out[32]) {
        const uint64_t bit_len = total_ * 8u;  // message length mod 2^64 bits
        buf_[fill_++] = 0x80;
        if (fill_ > 56) {
            memset(buf_ + fill_, 0, 64 - fill_);
            compress(buf_);
            fill_ = 0;
        }
        memset(buf_ + fill_, 0, 56 - fill_);
        for (int i = 0; i < 8; ++i) buf_[56 + i] = uint8_t(bit_len >> (56 - 8 * i));
        compress(buf_);
        fill_ = 0;
        for (int i = 0; i < 8; ++i) store_be32(out + 4 * i, h_[i]);
    }

private:
    void compress(const uint8_t* block) {
        // Message schedule W[0..63], fully expanded before the rounds.
        uint32_t W[64];
        for (int t = 0; t < 16; ++t) W[t] = load_be32(block + 4 * t);
        for (int t = 16; t < 64; ++t) W[t] = ssig1(W[t - 2]) + W[t - 7] + ssig0(W[t - 15]) + W[t - 16];

        uint32_t v[8];
        for (int i = 0; i < 8; ++i) v[i] = h_[i];
        rounds<0>(v, W);
        for (int i = 0; i < 8; ++i) h_[i] += v[i];
    }

    uint32_t h_[8];
    uint64_t total_;   // bytes absorbed so far
    size_t fill_;      // bytes pending in buf_ (always < 64 between calls)
    uint8_t buf_[64];
};

inline void digest(const uint8_t* data, size_t len, uint8_t out[32]) {
    Sha256 s;
    s.update(data, len);
    s.finish(out);
}

}  // namespace nvx_sha256

#if defined(__wasm__)

// ---------------------------------------------------------------------------
// Canonical ABI glue.
//
// cabi_realloc hands out memory from wasi-libc's malloc. The argument list of
// a call is owned by the callee, so every block handed out by cabi_realloc is
// remembered in a small table and released once sha256 has finished reading
// it. Only blocks this module allocated itself are ever freed.
// ---------------------------------------------------------------------------

namespace {

constexpr int kMaxPending = 16;
void* g_pending[kMaxPending];

void pending_add(void* p) {
    for (int i = 0; i < kMaxPending; ++i) {
        if (g_pending[i] == nullptr) {
            g_pending[i] = p;
            return;
        }
    }
    // Table full: the block is simply never freed (cannot happen with a
    // single list argument per call).
}

bool pending_take(void* p) {
    for (int i = 0; i < kMaxPending; ++i) {
        if (g_pending[i] == p) {
            g_pending[i] = nullptr;
            return true;
        }
    }
    return false;
}

void pending_release_all() {
    for (int i = 0; i < kMaxPending; ++i) {
        if (g_pending[i] != nullptr) {
            free(g_pending[i]);
            g_pending[i] = nullptr;
        }
    }
}

// Result storage owned by the module; valid until the next call.
alignas(4) uint8_t g_digest[32];
alignas(8) int32_t g_ret_area[2];

}  // namespace

extern "C" __attribute__((export_name("cabi_realloc")))
void* cabi_realloc(void* old_ptr, size_t old_size, size_t align, size_t new_size) {
    if (align == 0 || (align & (align - 1)) != 0) __builtin_trap();
    const size_t want = new_size != 0 ? new_size : 1;
    void* p;
    if (align <= 16) {
        // malloc/realloc return 16-byte aligned memory.
        if (old_ptr == nullptr) {
            p = malloc(want);
        } else {
            bool ours = pending_take(old_ptr);
            p = realloc(old_ptr, want);
            if (p == nullptr && ours) pending_add(old_ptr);
        }
    } else {
        size_t rounded = (want + align - 1) & ~(align - 1);
        p = aligned_alloc(align, rounded);
        if (p != nullptr && old_ptr != nullptr) {
            memcpy(p, old_ptr, old_size < new_size ? old_size : new_size);
            if (pending_take(old_ptr)) free(old_ptr);
        }
    }
    if (p == nullptr) __builtin_trap();
    pending_add(p);
    return p;
}

extern "C" __attribute__((export_name("sha256")))
int32_t* sha256_export(const uint8_t* ptr, size_t len) {
    nvx_sha256::digest(ptr, len, g_digest);
    pending_release_all();
    g_ret_area[0] = int32_t(uintptr_t(g_digest));
    g_ret_area[1] = 32;
    return g_ret_area;
}

#endif  // __wasm__
