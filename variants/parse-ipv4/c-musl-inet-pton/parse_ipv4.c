/*
 * parse-ipv4 — a thin wrapper around wasi-libc's inet_pton(AF_INET, ...), which is
 * musl's strict dotted-decimal parser.
 *
 * Written blind from SPEC.md and the WIT, without reading the other variants.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

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

/* ---- parse-ipv4 --------------------------------------------------------------- */

/* The longest valid address, "255.255.255.255", has 15 bytes. */
#define MAX_ADDRESS_LEN 15

/* option<u32>: tag byte at offset 0, the u32 at offset 4. */
struct option_u32 {
    uint8_t is_some;
    uint32_t value;
};
_Static_assert(offsetof(struct option_u32, value) == 4, "option<u32> layout");
_Static_assert(_Alignof(struct option_u32) == 4, "option<u32> alignment");

static struct option_u32 result;

__attribute__((export_name("parse-ipv4")))
struct option_u32 *parse_ipv4(const char *text, size_t len)
{
    memset(&result, 0, sizeof result);
    /* inet_pton reads a NUL-terminated string, so the text is copied into one.
     * A text with a NUL byte inside would be cut short by inet_pton, and a text
     * longer than any address cannot be one: both are rejected first. */
    if (len <= MAX_ADDRESS_LEN && memchr(text, '\0', len) == NULL) {
        char copy[MAX_ADDRESS_LEN + 1];
        memcpy(copy, text, len);
        copy[len] = '\0';
        uint8_t addr[4]; /* network byte order: the first octet first */
        if (inet_pton(AF_INET, copy, addr) == 1) {
            result.is_some = 1;
            result.value = (uint32_t)addr[0] << 24 | (uint32_t)addr[1] << 16
                         | (uint32_t)addr[2] << 8 | (uint32_t)addr[3];
        }
    }
    heap_top = &__heap_base;
    return &result;
}
