/*
 * parse-f64 — a thin wrapper around wasi-libc's strtod (musl's __floatscan):
 * the SPEC.md grammar is checked here, the numeric conversion is musl's.
 *
 * Written blind from SPEC.md and the WIT, without reading the other variants.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
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

/* ---- reactor entry point -----------------------------------------------------
 * Without an `_initialize` export, wasm-ld links a wasm32-wasi module as a WASI
 * command: it wraps every export in calls to __wasm_call_ctors and
 * __wasm_call_dtors, and the latter's stdio flush (pulled in by the FILE-based
 * reader inside strtod) would leave fd_write, fd_seek and fd_close as WASI
 * imports. Exporting `_initialize`, as wasi-libc's crt1-reactor.o does, makes
 * the module a reactor instead and keeps it import-free. There are no
 * constructors to run, so calling it is optional.
 */
void __wasm_call_ctors(void);

__attribute__((export_name("_initialize")))
void initialize(void)
{
    __wasm_call_ctors();
}

/* ---- parse-f64 ---------------------------------------------------------------- */

/* option<f64>: tag byte at offset 0, the f64 at offset 8. */
struct option_f64 {
    uint8_t is_some;
    double value;
};
_Static_assert(offsetof(struct option_f64, value) == 8, "option<f64> layout");
_Static_assert(_Alignof(struct option_f64) == 8, "option<f64> alignment");

static struct option_f64 result;

static bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* Index of the first non-digit in s[i..n). */
static size_t skip_digits(const uint8_t *s, size_t i, size_t n)
{
    while (i < n && is_digit(s[i]))
        i++;
    return i;
}

/* Whole-text match of
 *     number   = [sign] mantissa [exponent]
 *     mantissa = digits ["." [digits]] | "." digits
 *     exponent = ("e" | "E") [sign] digits
 * strtod alone would also take leading whitespace, "inf", "nan", hexadecimal
 * floats and a trailing remainder, which the specification rejects. */
static bool matches_grammar(const uint8_t *s, size_t n)
{
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;

    size_t int_start = i;
    i = skip_digits(s, i, n);
    bool has_int = i > int_start;
    bool has_frac = false;
    if (i < n && s[i] == '.') {
        size_t frac_start = ++i;
        i = skip_digits(s, i, n);
        has_frac = i > frac_start;
    }
    if (!has_int && !has_frac)
        return false;

    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t exp_start = i;
        i = skip_digits(s, i, n);
        if (i == exp_start)
            return false;
    }
    return i == n;
}

__attribute__((export_name("parse-f64")))
struct option_f64 *parse_f64(const uint8_t *text, size_t len)
{
    memset(&result, 0, sizeof result);
    if (matches_grammar(text, len)) {
        /* strtod needs a NUL-terminated string; the grammar allows no NUL byte,
         * so the copy ends exactly where the text does. */
        char *copy = cabi_realloc(NULL, 0, 1, len + 1);
        memcpy(copy, text, len);
        copy[len] = '\0';
        /* Every text of the grammar is a complete strtod subject sequence. */
        result.is_some = 1;
        result.value = strtod(copy, NULL);
    }
    heap_top = &__heap_base;
    return &result;
}
