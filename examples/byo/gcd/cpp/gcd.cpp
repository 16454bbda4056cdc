// gcd as a WASI reactor core module in C++; `nvx add` wraps it into a component.
//
//   clang++ --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -O2 \
//       -nostdlib++ -fno-exceptions -o cpp/gcd.wasm cpp/gcd.cpp
//
// There is no libc++ for wasm32 here (-nostdlib++), not even its headers: no
// <cstdint> or <cstdio>, so include the C headers of wasi-libc. The language
// itself (templates, constexpr, lambdas, namespaces) works; std::string,
// iostream, containers and exceptions do not.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

namespace {

template <typename T>
constexpr T euclid(T a, T b) {
    while (b != 0) {
        T t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static_assert(euclid<uint64_t>(12, 18) == 6, "gcd(12, 18)");
static_assert(euclid<uint64_t>(0, 0) == 0, "gcd(0, 0)");

} // namespace

// extern "C": the export names are the WIT names, without C++ mangling.
extern "C" {

__attribute__((export_name("gcd")))
uint64_t gcd(uint64_t a, uint64_t b) {
    puts("gcd called (c++)");
    fflush(stdout); // stdout is not a terminal, so it is fully buffered
    return euclid(a, b);
}

// As in C: 16-byte aligned, a real block for size 0, bytes kept on growth, and a
// trap (abort() is `unreachable`) rather than NULL when memory runs out.
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old_ptr, size_t, size_t, size_t new_size) {
    void *p = realloc(old_ptr, new_size ? new_size : 1);
    if (p == nullptr) abort();
    return p;
}

} // extern "C"
