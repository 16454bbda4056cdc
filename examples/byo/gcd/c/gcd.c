// gcd as a WASI reactor core module; `nvx add` wraps it into a component.
//
//   clang --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -O2 -o c/gcd.wasm c/gcd.c
//
// Core ABI of `gcd: func(a: u64, b: u64) -> u64` is (i64, i64) -> i64,
// exported under its WIT name. This world passes no strings or lists, so the
// host never calls cabi_realloc, but a module must export one all the same.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((export_name("gcd")))
uint64_t gcd(uint64_t a, uint64_t b) {
    puts("gcd called (c)");
    fflush(stdout); // stdout is not a terminal, so it is fully buffered
    while (b != 0) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

// The host's allocator (here only the WASI adapter calls it, for its own state).
// malloc aligns to 16 bytes, enough for every canonical-ABI type; size 0 gets a
// real 1-byte block; realloc keeps the bytes of a block it grows; and running out
// of memory traps, since wasi-libc's abort() is the `unreachable` instruction:
// a NULL (address 0) would be written through.
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old_ptr, size_t old_size, size_t align, size_t new_size) {
    (void)old_size;
    (void)align;
    void *p = realloc(old_ptr, new_size ? new_size : 1);
    if (p == NULL) abort();
    return p;
}
