/*
 * haversine — great-circle distance by the haversine formula of SPEC.md, with
 * wasi-libc's (musl's) sin, cos, asin and sqrt.
 *
 * Written blind from SPEC.md and the WIT, without reading the other variants.
 */
#include <math.h>
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

/* ---- haversine ---------------------------------------------------------------- */

/* Mean Earth radius R1 of GRS 80, in metres. */
static const double EARTH_RADIUS = 6371008.8;
/* pi / 180 rounded to a double. */
static const double DEG_TO_RAD = 0.017453292519943295;

/* True for a finite value in lo ..= hi; false for NaN and the infinities too,
 * since every comparison with NaN is false. */
static int in_range(double x, double lo, double hi)
{
    return x >= lo && x <= hi;
}

__attribute__((export_name("haversine")))
double haversine(double lat1, double lon1, double lat2, double lon2)
{
    if (!in_range(lat1, -90.0, 90.0) || !in_range(lat2, -90.0, 90.0)
        || !in_range(lon1, -360.0, 360.0) || !in_range(lon2, -360.0, 360.0))
        return NAN;

    double phi1 = lat1 * DEG_TO_RAD;
    double phi2 = lat2 * DEG_TO_RAD;
    double dphi = (lat2 - lat1) * DEG_TO_RAD;
    double dlambda = (lon2 - lon1) * DEG_TO_RAD;

    double s_phi = sin(dphi / 2);
    double s_lambda = sin(dlambda / 2);
    double a = s_phi * s_phi + cos(phi1) * cos(phi2) * s_lambda * s_lambda;
    /* Rounding can push a slightly outside 0 ..= 1, where asin(sqrt(a)) is NaN. */
    if (a < 0.0)
        a = 0.0;
    if (a > 1.0)
        a = 1.0;
    return 2 * EARTH_RADIUS * asin(sqrt(a));
}
