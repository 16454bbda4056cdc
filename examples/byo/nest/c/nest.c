// nest: how deep a plain recursive descent in C gets before the stack runs out.
//
//   clang --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -O2 -o c/nest.wasm c/nest.c
//
// C has no JSON parser in its standard library, so this is one of our own for
// the texts measure.sh sends: arrays of arrays ("[[], [[]]]"), one recursive
// call per level, as a hand-written recursive-descent parser would do it.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct bytes {
    const char *ptr;
    size_t len;
};

// The return area of result<u32, string>: the tag in byte 0 (0 ok, 1 err), the
// payload at 4: the u32, or the string's pointer and length.
struct result_u32_string {
    uint8_t is_err;
    union {
        uint32_t ok;
        struct bytes err;
    } payload;
};
_Static_assert(offsetof(struct result_u32_string, payload) == 4, "payload offset");
_Static_assert(sizeof(struct result_u32_string) == 12, "return area size");

static struct result_u32_string result;
static const uint8_t *cur, *end;

static void skip_space(void) {
    while (cur < end && (*cur == ' ' || *cur == '\t' || *cur == '\n' || *cur == '\r')) cur++;
}

// Parses the array at `cur` and returns its depth (1 for "[]"); 0 on a syntax error.
static uint32_t array(void) {
    if (cur == end || *cur != '[') return 0;
    cur++;
    skip_space();
    if (cur < end && *cur == ']') {
        cur++;
        return 1;
    }
    uint32_t deepest = 0;
    for (;;) {
        uint32_t d = array();
        if (d == 0) return 0;
        if (d > deepest) deepest = d;
        skip_space();
        if (cur < end && *cur == ',') {
            cur++;
            skip_space();
        } else if (cur < end && *cur == ']') {
            cur++;
            return deepest + 1;
        } else {
            return 0;
        }
    }
}

__attribute__((export_name("depth")))
struct result_u32_string *depth(const uint8_t *text, size_t len) {
    cur = text;
    end = text + len;
    skip_space();
    uint32_t d = array();
    skip_space();
    if (d == 0 || cur != end) {
        static const char message[] = "not an array of arrays";
        result.is_err = 1;
        result.payload.err = (struct bytes){message, strlen(message)};
    } else {
        result.is_err = 0;
        result.payload.ok = d;
    }
    return &result;
}

// As in the hex example: never NULL, a real block for size 0, a trap when out of memory.
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old_ptr, size_t old_size, size_t align, size_t new_size) {
    (void)old_size;
    (void)align;
    void *p = realloc(old_ptr, new_size ? new_size : 1);
    if (p == NULL) abort();
    return p;
}
