// nest: how deep a plain recursive descent in C++ gets before the stack runs out.
//
//   clang++ --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -O2 \
//       -nostdlib++ -fno-exceptions -o cpp/nest.wasm cpp/nest.cpp
//
// No JSON parser without libc++ either: a recursive-descent parser of our own
// for arrays of arrays, one member-function call per level.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

namespace {

struct Bytes {
    const char *ptr;
    size_t len;
};

// result<u32, string>: tag byte at 0 (0 ok, 1 err), payload at 4.
struct ResultU32String {
    uint8_t is_err;
    union {
        uint32_t ok;
        Bytes err;
    } payload;
};
static_assert(offsetof(ResultU32String, payload) == 4, "payload offset");
static_assert(sizeof(ResultU32String) == 12, "return area size");

class Parser {
  public:
    Parser(const uint8_t *text, size_t len) : cur_(text), end_(text + len) {}

    // The depth of the one array that makes up the whole text, or 0.
    uint32_t document() {
        skip_space();
        uint32_t d = array();
        skip_space();
        return cur_ == end_ ? d : 0;
    }

  private:
    bool at(uint8_t c) const { return cur_ < end_ && *cur_ == c; }

    void skip_space() {
        while (at(' ') || at('\t') || at('\n') || at('\r')) cur_++;
    }

    uint32_t array() {
        if (!at('[')) return 0;
        cur_++;
        skip_space();
        if (at(']')) {
            cur_++;
            return 1;
        }
        uint32_t deepest = 0;
        for (;;) {
            uint32_t d = array();
            if (d == 0) return 0;
            deepest = d > deepest ? d : deepest;
            skip_space();
            if (at(',')) {
                cur_++;
                skip_space();
            } else if (at(']')) {
                cur_++;
                return deepest + 1;
            } else {
                return 0;
            }
        }
    }

    const uint8_t *cur_;
    const uint8_t *end_;
};

ResultU32String result;
constexpr char message[] = "not an array of arrays";

} // namespace

extern "C" {

__attribute__((export_name("depth")))
ResultU32String *depth(const uint8_t *text, size_t len) {
    uint32_t d = Parser(text, len).document();
    if (d == 0) {
        result.is_err = 1;
        result.payload.err = Bytes{message, sizeof message - 1};
    } else {
        result.is_err = 0;
        result.payload.ok = d;
    }
    return &result;
}

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old_ptr, size_t, size_t, size_t new_size) {
    void *p = realloc(old_ptr, new_size ? new_size : 1);
    if (p == nullptr) abort();
    return p;
}

} // extern "C"
