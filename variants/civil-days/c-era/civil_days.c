/*
 * civil-days — days from 1970-01-01 to a proleptic Gregorian date, by the
 * era / year-of-era / day-of-year method (400-year eras, years starting in March).
 *
 * Written blind from SPEC.md and the WIT, without reading the other variants.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- canonical-ABI allocator ------------------------------------------------
 * A bump allocator over the linear memory that follows the static data
 * (__heap_base, set by the linker), growing the memory when needed. This
 * function takes no string or list argument, so a host has no reason to call it;
 * it is exported because every variant must provide it.
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

/* ---- days-from-civil ---------------------------------------------------------- */

#define YEAR_MIN (-1000000)
#define YEAR_MAX 1000000

/* Days in a 400-year Gregorian cycle: 400*365 + 100 - 4 + 1. */
#define DAYS_PER_ERA 146097
/* Days from 0000-03-01 (day 0 of era 0) to 1970-01-01. */
#define EPOCH_SHIFT 719468

/* option<s64>: tag byte at offset 0, the i64 at offset 8. */
struct option_s64 {
    uint8_t is_some;
    int64_t value;
};
_Static_assert(offsetof(struct option_s64, value) == 8, "option<s64> layout");
_Static_assert(_Alignof(struct option_s64) == 8, "option<s64> alignment");

static struct option_s64 result;

static bool is_leap(int32_t y)
{
    /* A remainder of 0 means the same for negative y in C, so no special case. */
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int month_length(int32_t y, uint32_t m)
{
    static const uint8_t len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

__attribute__((export_name("days-from-civil")))
struct option_s64 *days_from_civil(int32_t year, uint32_t month, uint32_t day)
{
    memset(&result, 0, sizeof result);
    if (year < YEAR_MIN || year > YEAR_MAX || month < 1 || month > 12 || day < 1
        || day > (uint32_t)month_length(year, month))
        return &result;

    /* Count years from March so that the leap day is the last day of the year:
     * January and February belong to the previous March-based year. */
    int64_t y = (int64_t)year - (month <= 2);

    /* The Gregorian calendar repeats every 400 years; era e covers the March-based
     * years 400e .. 400e+399. Floor division, since y may be negative. */
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400; /* year of era, 0 ..= 399 */

    /* Day of the March-based year, 0 ..= 365. With mp = 0 for March .. 11 for
     * February, (153*mp + 2)/5 is the number of days in the months before mp:
     * the months from March follow the 31,30,31,30,31 pattern twice and then
     * start it again, and this formula reproduces those cumulative sums
     * 0, 31, 61, 92, 122, 153, 184, 214, 245, 275, 306, 337. */
    int64_t mp = month > 2 ? (int64_t)month - 3 : (int64_t)month + 9;
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)day - 1;

    /* Day of era, 0 ..= 146096: 365 days for each earlier year of the era plus
     * their leap days. A March-based year ends with the February of the next
     * calendar year, so the years before year-of-era yoe hold the leap days of
     * calendar years 400*era + 1 ..= 400*era + yoe; since 400*era is divisible
     * by 400, their number is yoe/4 - yoe/100 (+ yoe/400, which is 0 here). */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    result.is_some = 1;
    result.value = era * DAYS_PER_ERA + doe - EPOCH_SHIFT;
    return &result;
}
