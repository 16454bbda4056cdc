/* civil-days / faulty / c-julian-leap
 *
 * Day count from 1970-01-01, computed with the March-based "4-year cycle"
 * method of the classic Julian-calendar day-number routines (Meeus,
 * Astronomical Algorithms, ch. 7, with the Gregorian correction B = 0).
 *
 * DELIBERATE FAULT (demo variant): the leap rule is the Julian one (every year
 * divisible by 4 is leap, no century exception), both in the validation of
 * February 29 and in the day count.  The count is anchored at 1970-01-01 = 0,
 * so it agrees with the proleptic Gregorian count from 1900-03-01 through
 * 2100-02-28 and drifts by one day per skipped Gregorian century leap day
 * outside that window.  1900-02-29, 2100-02-29, -100-02-29 ... are accepted.
 * See README.md.
 */
#include <stdint.h>

/* ---- allocator for the canonical ABI (unused: no string/list args) ----- */

extern unsigned char __heap_base;
static uintptr_t bump = 0;

#define WASM_PAGE 65536u

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old_ptr, uintptr_t old_size, uintptr_t align, uintptr_t new_size)
{
    if (old_ptr != 0 && new_size <= old_size)
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
        uintptr_t need = (end - have + WASM_PAGE - 1) / WASM_PAGE;
        if (__builtin_wasm_memory_grow(0, need) == (uintptr_t)-1)
            __builtin_trap();
    }
    bump = end;
    if (old_ptr != 0 && old_size != 0) {
        unsigned char *dst = (unsigned char *)start;
        const unsigned char *src = (const unsigned char *)old_ptr;
        for (uintptr_t i = 0; i < old_size; i++)
            dst[i] = src[i];
    }
    return (void *)start;
}

/* ---- the function ------------------------------------------------------ */

static struct {
    uint8_t tag;
    uint8_t pad[7];
    int64_t value;
} __attribute__((aligned(8))) result;

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q -= 1;
    return q;
}

/* FAULT: Julian rule; the Gregorian rule also needs
 * (year % 100 != 0 || year % 400 == 0). */
static int is_leap(int64_t year)
{
    return year % 4 == 0; /* remainder 0 is sign-independent in C */
}

static int month_length(int64_t year, int month)
{
    static const uint8_t len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && is_leap(year))
        return 29;
    return len[month - 1];
}

/* Day number of the date in the 4-year-cycle count whose day 0 is 0000-03-01
 * (Julian reckoning), minus the same count for 1970-01-01. */
#define EPOCH_OFFSET 719483 /* count for 1970-01-01 in this reckoning */

__attribute__((export_name("days-from-civil")))
void *days_from_civil(int32_t year, uint32_t month, uint32_t day)
{
    result.tag = 0;
    result.value = 0;

    if (year < -1000000 || year > 1000000)
        return &result;
    if (month < 1 || month > 12)
        return &result;
    if (day < 1 || (int)day > month_length(year, (int)month))
        return &result;

    /* March-based year: January and February belong to the previous year. */
    int64_t y = (int64_t)year - (month <= 2 ? 1 : 0);
    int64_t mp = month > 2 ? (int64_t)month - 3 : (int64_t)month + 9; /* 0 = March */
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)day - 1;              /* 0 ..= 365 */

    int64_t cycle = floor_div(y, 4);       /* 4-year cycles of 1461 days */
    int64_t yoc = y - cycle * 4;           /* 0 ..= 3 */
    int64_t doc = yoc * 365 + doy;         /* 0 ..= 1460 */

    result.tag = 1;
    result.value = cycle * 1461 + doc - EPOCH_OFFSET;
    return &result;
}
