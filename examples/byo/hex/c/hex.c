// hex as a core module over the canonical ABI; `nvx add` wraps it into a component.
//
//   clang --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -O2 -o c/hex.wasm c/hex.c
//
// encode: func(data: list<u8>) -> string            is (ptr, len) -> return-area pointer
// decode: func(text: string) -> option<list<u8>>    is (ptr, len) -> return-area pointer
//
// The host copies each argument into memory it gets from cabi_realloc and passes
// its address and length. Results too big for one core value are written to a
// return area whose address the function returns; the bytes it points at are
// allocated here too, and the host copies them out after the call.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

// The return area of `string` (and of `list<u8>`): pointer at 0, length at 4.
struct bytes {
    const uint8_t *ptr;
    size_t len;
};

// The return area of `option<list<u8>>`: the tag in byte 0 (0 none, 1 some),
// then the list aligned to 4: pointer at 4, length at 8.
struct option_bytes {
    uint8_t is_some;
    struct bytes value;
};

_Static_assert(sizeof(struct bytes) == 8, "string return area");
_Static_assert(offsetof(struct option_bytes, value) == 4, "option payload offset");
_Static_assert(sizeof(struct option_bytes) == 12, "option return area");

// One call per instance: static return areas are never shared.
static struct bytes encoded;
static struct option_bytes decoded;

// Never returns NULL: out of memory (or a length that does not fit) traps.
static uint8_t *alloc_bytes(size_t n) {
    uint8_t *p = malloc(n ? n : 1);
    if (p == NULL) abort(); // wasi-libc's abort() is the `unreachable` instruction
    return p;
}

__attribute__((export_name("encode")))
struct bytes *encode(const uint8_t *data, size_t len) {
    static const char digits[] = "0123456789abcdef";
    if (len > SIZE_MAX / 2) abort();
    uint8_t *out = alloc_bytes(2 * len);
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = (uint8_t)digits[data[i] >> 4];
        out[2 * i + 1] = (uint8_t)digits[data[i] & 15];
    }
    encoded.ptr = out;
    encoded.len = 2 * len;
    return &encoded;
}

static int nibble(uint8_t c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

__attribute__((export_name("decode")))
struct option_bytes *decode(const uint8_t *text, size_t len) {
    decoded.is_some = 0;
    if (len % 2 != 0) return &decoded;
    uint8_t *out = alloc_bytes(len / 2);
    for (size_t i = 0; i < len / 2; i++) {
        int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(out);
            return &decoded;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    decoded.is_some = 1;
    decoded.value.ptr = out;
    decoded.value.len = len / 2;
    return &decoded;
}

// The host's allocator for arguments. malloc aligns to 16, more than any
// canonical-ABI type needs (8); size 0 gets a 1-byte block, so the pointer is
// always a real one; realloc keeps the bytes of a block it grows; running out
// of memory traps rather than returning NULL, which the host would write through.
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old_ptr, size_t old_size, size_t align, size_t new_size) {
    (void)old_size;
    (void)align;
    void *p = realloc(old_ptr, new_size ? new_size : 1);
    if (p == NULL) abort();
    return p;
}
