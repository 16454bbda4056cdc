/*
 * sha256 — SHA-256 as specified in NIST FIPS 180-4 (sections 4.1.2, 4.2.2, 5.1.1,
 * 5.3.3 and 6.2), with a 64-word message schedule array.
 *
 * Written blind from SPEC.md and the WIT, without reading the other variants.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- canonical-ABI allocator ------------------------------------------------
 * A bump allocator over the linear memory that follows the static data
 * (__heap_base, set by the linker), growing the memory when needed. Argument
 * buffers only have to live until the export returns, so the export resets the
 * bump pointer when it is done and memory does not leak across calls.
 */
extern unsigned char __heap_base;
static unsigned char *heap_top = &__heap_base;

#define WASM_PAGE 65536u

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old_ptr, size_t old_size, size_t align, size_t new_size)
{
    if (align == 0)
        align = 1;
    uint64_t start = ((uint64_t)(uintptr_t)heap_top + align - 1) & ~(uint64_t)(align - 1);
    uint64_t end = start + new_size;
    uint64_t limit = (uint64_t)__builtin_wasm_memory_size(0) * WASM_PAGE;
    if (end > limit) {
        size_t pages = (size_t)((end - limit + WASM_PAGE - 1) / WASM_PAGE);
        if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1)
            __builtin_trap(); /* out of memory: nothing sensible to return */
    }
    heap_top = (unsigned char *)(uintptr_t)end;
    if (old_ptr != NULL)
        memcpy((void *)(uintptr_t)start, old_ptr, old_size < new_size ? old_size : new_size);
    return (void *)(uintptr_t)start;
}

/* ---- SHA-256 ------------------------------------------------------------------ */

/* FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes. */
static const uint32_t K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

/* Section 5.3.3: the first 32 bits of the fractional parts of the square roots of
 * the first 8 primes. */
static const uint32_t H_INIT[8] = {
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
    0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};

/* Section 4.1.2 functions; ROTR is section 3.2. */
#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x) (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x) (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x) (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))

/* Section 6.2.2: process one 512-bit block M (64 bytes) into the hash value H. */
static void compress(uint32_t H[8], const uint8_t *M)
{
    uint32_t W[64];
    for (int t = 0; t < 16; t++)
        W[t] = (uint32_t)M[4 * t] << 24 | (uint32_t)M[4 * t + 1] << 16
             | (uint32_t)M[4 * t + 2] << 8 | (uint32_t)M[4 * t + 3];
    for (int t = 16; t < 64; t++)
        W[t] = SSIG1(W[t - 2]) + W[t - 7] + SSIG0(W[t - 15]) + W[t - 16];

    uint32_t a = H[0], b = H[1], c = H[2], d = H[3];
    uint32_t e = H[4], f = H[5], g = H[6], h = H[7];
    for (int t = 0; t < 64; t++) {
        uint32_t T1 = h + BSIG1(e) + CH(e, f, g) + K[t] + W[t];
        uint32_t T2 = BSIG0(a) + MAJ(a, b, c);
        h = g;
        g = f;
        f = e;
        e = d + T1;
        d = c;
        c = b;
        b = a;
        a = T1 + T2;
    }
    H[0] += a; H[1] += b; H[2] += c; H[3] += d;
    H[4] += e; H[5] += f; H[6] += g; H[7] += h;
}

static uint8_t digest[32];
/* Result area: address of the digest, then its length (two little-endian i32). */
static uint32_t result_area[2];

__attribute__((export_name("sha256")))
uint32_t *sha256(const uint8_t *data, size_t len)
{
    uint32_t H[8];
    memcpy(H, H_INIT, sizeof H);

    /* All complete blocks straight from the input. */
    size_t full = len - len % 64;
    for (size_t i = 0; i < full; i += 64)
        compress(H, data + i);

    /* Section 5.1.1 padding of the remaining 0..63 bytes: a 1 bit, zeros up to
     * 56 bytes modulo 64, then the message length in bits as a 64-bit big-endian
     * integer. That is one final block, or two when the rest is 56 bytes or more. */
    uint8_t tail[128];
    size_t rest = len - full;
    memcpy(tail, data + full, rest);
    tail[rest] = 0x80;
    size_t tail_len = rest < 56 ? 64 : 128;
    memset(tail + rest + 1, 0, tail_len - rest - 1);
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        tail[tail_len - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (size_t i = 0; i < tail_len; i += 64)
        compress(H, tail + i);

    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(H[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(H[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(H[i] >> 8);
        digest[4 * i + 3] = (uint8_t)H[i];
    }
    result_area[0] = (uint32_t)(uintptr_t)digest;
    result_area[1] = sizeof digest;
    heap_top = &__heap_base;
    return result_area;
}
