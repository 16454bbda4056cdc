// hex as a core module in C++ over the canonical ABI; `nvx add` wraps it into a component.
//
//   clang++ --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -O2 \
//       -nostdlib++ -fno-exceptions -o cpp/hex.wasm cpp/hex.cpp
//
// The same ABI as the C example (c/hex.c), with the digit tables computed at
// compile time. No libc++ here (-nostdlib++), so no std::string or std::vector:
// memory comes from wasi-libc's malloc.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

namespace {

// A `string` or `list<u8>` as the canonical ABI stores it: pointer, then length.
struct Bytes {
    const uint8_t *ptr;
    size_t len;
};

// `option<list<u8>>`: tag byte at 0, payload at 4 (the list's alignment).
struct OptionBytes {
    uint8_t is_some;
    Bytes value;
};

static_assert(sizeof(Bytes) == 8, "string return area");
static_assert(offsetof(OptionBytes, value) == 4, "option payload offset");
static_assert(sizeof(OptionBytes) == 12, "option return area");

// value of each hex digit, -1 for every other byte
struct NibbleTable {
    int8_t value[256];
    constexpr NibbleTable() : value() {
        for (int c = 0; c < 256; c++) {
            value[c] = c >= '0' && c <= '9'   ? static_cast<int8_t>(c - '0')
                       : c >= 'a' && c <= 'f' ? static_cast<int8_t>(c - 'a' + 10)
                       : c >= 'A' && c <= 'F' ? static_cast<int8_t>(c - 'A' + 10)
                                              : static_cast<int8_t>(-1);
        }
    }
};

constexpr NibbleTable nibbles;
constexpr char digits[] = "0123456789abcdef";
constexpr int nibble(uint8_t c) { return nibbles.value[c]; }
static_assert(nibble('f') == 15 && nibble('F') == 15 && nibble('0') == 0 && nibble('g') == -1,
              "nibble table");

Bytes encoded;
OptionBytes decoded;

// Never returns null: out of memory traps (wasi-libc's abort() is `unreachable`).
uint8_t *alloc_bytes(size_t n) {
    void *p = malloc(n ? n : 1);
    if (p == nullptr) abort();
    return static_cast<uint8_t *>(p);
}

} // namespace

extern "C" {

__attribute__((export_name("encode")))
Bytes *encode(const uint8_t *data, size_t len) {
    if (len > SIZE_MAX / 2) abort();
    uint8_t *out = alloc_bytes(2 * len);
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = static_cast<uint8_t>(digits[data[i] >> 4]);
        out[2 * i + 1] = static_cast<uint8_t>(digits[data[i] & 15]);
    }
    encoded = Bytes{out, 2 * len};
    return &encoded;
}

__attribute__((export_name("decode")))
OptionBytes *decode(const uint8_t *text, size_t len) {
    decoded.is_some = 0;
    if (len % 2 != 0) return &decoded;
    uint8_t *out = alloc_bytes(len / 2);
    for (size_t i = 0; i < len / 2; i++) {
        int hi = nibble(text[2 * i]);
        int lo = nibble(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(out);
            return &decoded;
        }
        out[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    decoded.is_some = 1;
    decoded.value = Bytes{out, len / 2};
    return &decoded;
}

// As in C: 16-byte aligned blocks, a real block for size 0, bytes kept on growth,
// a trap when memory runs out.
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old_ptr, size_t, size_t, size_t new_size) {
    void *p = realloc(old_ptr, new_size ? new_size : 1);
    if (p == nullptr) abort();
    return p;
}

} // extern "C"
