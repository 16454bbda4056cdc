/* crc32 / faulty / c-no-final-xor
 *
 * Bitwise CRC-32 (reflected polynomial 0xEDB88320, init 0xFFFFFFFF).
 *
 * DELIBERATE FAULT (demo variant): the final XOR with 0xFFFFFFFF (xorout) is
 * missing, so the returned value is the bitwise complement of the correct
 * CRC-32/ISO-HDLC for every input (empty input gives 0xFFFFFFFF, not 0).
 * See README.md.
 */
#include <stddef.h>
#include <stdint.h>

/* ---- allocator for the canonical ABI --------------------------------- */

extern unsigned char __heap_base;
static uintptr_t bump = 0;

#define WASM_PAGE 65536u

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old_ptr, size_t old_size, size_t align, size_t new_size)
{
    (void)old_size;
    if (old_ptr != NULL && new_size <= old_size)
        return old_ptr;
    if (bump == 0)
        bump = (uintptr_t)&__heap_base;
    if (align == 0)
        align = 1;
    uintptr_t start = (bump + (align - 1)) & ~(uintptr_t)(align - 1);
    if (new_size > UINTPTR_MAX - start)
        __builtin_trap();
    uintptr_t end = start + new_size;
    uintptr_t have = (uintptr_t)__builtin_wasm_memory_size(0) * WASM_PAGE;
    if (end > have) {
        size_t need = (size_t)((end - have + WASM_PAGE - 1) / WASM_PAGE);
        if (__builtin_wasm_memory_grow(0, need) == (size_t)-1)
            __builtin_trap();
    }
    bump = end;
    if (old_ptr != NULL && old_size != 0) {
        unsigned char *dst = (unsigned char *)start;
        const unsigned char *src = (const unsigned char *)old_ptr;
        for (size_t i = 0; i < old_size; i++)
            dst[i] = src[i];
    }
    return (void *)start;
}

/* ---- the function ------------------------------------------------------ */

__attribute__((export_name("crc32")))
uint32_t crc32(const uint8_t *data, size_t len)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        crc ^= data[i];
        for (int k = 0; k < 8; k++) {
            if (crc & 1u)
                crc = (crc >> 1) ^ 0xEDB88320u;
            else
                crc >>= 1;
        }
    }
    /* the argument buffer is no longer needed once the call returns */
    bump = 0;
    return crc; /* FAULT: should be crc ^ 0xFFFFFFFFu */
}
