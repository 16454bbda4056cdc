/*
 * json-parse / c-yyjson: a thin wrapper over yyjson 0.10.0.
 *
 * Written blind from variants/json-parse/SPEC.md and json-parse.wit.
 *
 * The parse is yyjson's: yyjson_read_opts(text, len, YYJSON_READ_NOFLAG, NULL,
 * &err), i.e. the default allocator and the default (strict RFC 8259) flags.
 * A NULL document with any error code but YYJSON_READ_ERROR_MEMORY_ALLOCATION
 * is yyjson's parse error and becomes `none`; an allocation failure is not a
 * verdict on the text and traps (SPEC step 5).
 *
 * The canonical writer below walks yyjson's immutable document without
 * recursion (an explicit stack of frames on the heap), sorts object members by
 * their keys as UTF-16 code-unit sequences and keeps, for a repeated key, the
 * member that yyjson_obj_get() returns (the first one).  Numbers become a
 * binary64 value (yyjson's u64 / i64 integers converted with C's conversion,
 * round to nearest even) whose shortest round-trip digits are taken from
 * yyjson's own number writer (yyjson_mut_val_write of a single real value,
 * Schubfach) and re-shaped into SPEC.md's D.DDDeN form.
 */
#include <math.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "yyjson.h"

#if defined(__wasm__)
#define EXPORT(name) __attribute__((export_name(name)))
#else
#define EXPORT(name)
#endif

/* ---------------------------------------------------------------- memory */

static _Noreturn void die(void) {
    /* Exhausted memory (or an impossible state): surfaces as a trap. */
    __builtin_trap();
}

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) die();
    return p;
}

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) die();
    return q;
}

/* Allocates `size` bytes (at least 1) aligned to `align` (a power of two). */
static void *alloc_aligned(size_t align, size_t size) {
    void *p;
    if (size == 0) size = 1;
    if (align <= alignof(max_align_t)) {
        p = malloc(size);
        if (!p) die();
        if (((uintptr_t)p & (align - 1)) == 0) return p;
        free(p);
    }
    if (align < sizeof(void *)) align = sizeof(void *);
    if (size > SIZE_MAX - align) die();
    size = (size + align - 1) & ~(align - 1); /* C11: a multiple of align */
    p = aligned_alloc(align, size);
    if (!p) die();
    return p;
}

/*
 * cabi_realloc(old_ptr, old_size, align, new_size).  A zero-size request gets
 * a fresh allocation of one byte (or `align` bytes' worth of alignment), so it
 * is non-null, aligned, and distinct from every other live block.  Nothing is
 * freed except by realloc itself when it moves a block that it is resizing.
 */
EXPORT("cabi_realloc")
void *cabi_realloc(void *old_ptr, size_t old_size, size_t align, size_t new_size) {
    void *p;
    if (align == 0) align = 1;
    if (align & (align - 1)) die();
    if (old_ptr == NULL || new_size == 0) return alloc_aligned(align, new_size);
    if (align <= alignof(max_align_t)) {
        p = realloc(old_ptr, new_size);
        if (!p) die();
        if (((uintptr_t)p & (align - 1)) == 0) return p;
        old_ptr = p; /* realloc moved it to a misaligned block: copy once more */
        if (old_size > new_size) old_size = new_size;
    }
    p = alloc_aligned(align, new_size);
    memcpy(p, old_ptr, old_size < new_size ? old_size : new_size);
    free(old_ptr);
    return p;
}

/* ---------------------------------------------------------------- output */

typedef struct {
    char *p;
    size_t len, cap;
} Buf;

static void buf_reserve(Buf *b, size_t extra) {
    if (b->cap - b->len >= extra) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < extra) {
        if (cap > SIZE_MAX / 2) die();
        cap *= 2;
    }
    /* The result string is allocated with the module's own cabi_realloc. */
    b->p = cabi_realloc(b->p, b->len, 1, cap);
    b->cap = cap;
}

static void put(Buf *b, const char *s, size_t n) {
    buf_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void putc1(Buf *b, char c) {
    buf_reserve(b, 1);
    b->p[b->len++] = c;
}

/* ---------------------------------------------------------------- strings */

/*
 * Reads the next UTF-16 code unit of a UTF-8 string; -1 at its end.  yyjson
 * (default flags) hands out well-formed UTF-8 only, so the decoding is plain;
 * it never reads past `end` whatever the bytes are.
 */
typedef struct {
    const uint8_t *p, *end;
    uint32_t pending; /* a low surrogate still to deliver, or 0 */
} U16Iter;

static long u16_next(U16Iter *it) {
    uint32_t cp;
    size_t n, i;
    if (it->pending) {
        long u = (long)it->pending;
        it->pending = 0;
        return u;
    }
    if (it->p >= it->end) return -1;
    cp = *it->p++;
    if (cp < 0x80) return (long)cp;
    if (cp >= 0xF0) { n = 3; cp &= 0x07; }
    else if (cp >= 0xE0) { n = 2; cp &= 0x0F; }
    else { n = 1; cp &= 0x1F; }
    for (i = 0; i < n && it->p < it->end; i++) cp = (cp << 6) | (*it->p++ & 0x3F);
    if (cp >= 0x10000) {
        cp -= 0x10000;
        it->pending = 0xDC00 | (cp & 0x3FF);
        return (long)(0xD800 | ((cp >> 10) & 0x3FF));
    }
    return (long)cp;
}

static void put_string(Buf *b, const char *s, size_t len) {
    static const char hex[] = "0123456789abcdef";
    U16Iter it = {(const uint8_t *)s, (const uint8_t *)s + len, 0};
    long u;
    putc1(b, '"');
    while ((u = u16_next(&it)) >= 0) {
        if (u >= 0x20 && u <= 0x7E && u != '"' && u != '\\') {
            putc1(b, (char)u);
        } else {
            char e[6] = {'\\', 'u', hex[(u >> 12) & 15], hex[(u >> 8) & 15],
                         hex[(u >> 4) & 15], hex[u & 15]};
            put(b, e, 6);
        }
    }
    putc1(b, '"');
}

/* ---------------------------------------------------------------- numbers */

/*
 * Writes a finite nonzero double's shortest round-trip digits, taken from
 * yyjson's writer (which prints forms such as 12500.0, 0.001, 1.25e-7, 2e34),
 * as SPEC.md's [-]D[.DDD]e[-]N.
 */
static void put_real_digits(Buf *b, double x) {
    yyjson_mut_val v;
    size_t len = 0, i = 0, nd = 0;
    char *s, d[48];
    long point = 0, exp10 = 0;
    int neg = 0, seen_point = 0;

    yyjson_mut_set_real(&v, x);
    s = yyjson_mut_val_write(&v, YYJSON_WRITE_NOFLAG, &len);
    if (!s) die();

    if (i < len && s[i] == '-') { neg = 1; i++; }
    for (; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (nd >= sizeof d) die();
            d[nd++] = c;
            if (!seen_point) point++;
        } else if (c == '.') {
            seen_point = 1;
        } else {
            break;
        }
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        int eneg = 0;
        i++;
        if (i < len && (s[i] == '-' || s[i] == '+')) { eneg = s[i] == '-'; i++; }
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) exp10 = exp10 * 10 + (s[i] - '0');
        if (eneg) exp10 = -exp10;
    }
    if (i != len) die(); /* not a number form this code knows */
    free(s);

    /* value = 0.d[0]d[1]... * 10^(point + exp10) */
    size_t lo = 0, hi = nd;
    while (lo < hi && d[lo] == '0') { lo++; point--; }
    while (hi > lo && d[hi - 1] == '0') hi--;
    if (lo == hi) die(); /* zero was handled by the caller */
    exp10 = point + exp10 - 1;

    if (neg) putc1(b, '-');
    putc1(b, d[lo]);
    if (hi - lo > 1) {
        putc1(b, '.');
        put(b, d + lo + 1, hi - lo - 1);
    }
    putc1(b, 'e');
    {
        char e[24];
        int n = 0;
        unsigned long m;
        if (exp10 < 0) { putc1(b, '-'); m = (unsigned long)(-exp10); }
        else m = (unsigned long)exp10;
        do { e[n++] = (char)('0' + m % 10); m /= 10; } while (m);
        while (n) putc1(b, e[--n]);
    }
}

static void put_double(Buf *b, double x) {
    if (isnan(x)) put(b, "NaN", 3);
    else if (isinf(x)) { if (signbit(x)) put(b, "-Infinity", 9); else put(b, "Infinity", 8); }
    else if (x == 0) { if (signbit(x)) put(b, "-0", 2); else putc1(b, '0'); }
    else put_real_digits(b, x);
}

static void put_number(Buf *b, yyjson_val *v) {
    switch (yyjson_get_subtype(v)) {
    case YYJSON_SUBTYPE_UINT: put_double(b, (double)yyjson_get_uint(v)); break;
    case YYJSON_SUBTYPE_SINT: put_double(b, (double)yyjson_get_sint(v)); break;
    default: put_double(b, yyjson_get_real(v)); break;
    }
}

/* ---------------------------------------------------------------- objects */

typedef struct {
    yyjson_val *key;
    size_t idx; /* position in the object, to keep the first of equal keys */
} Member;

static int key_cmp(yyjson_val *a, yyjson_val *b) {
    U16Iter ia = {(const uint8_t *)yyjson_get_str(a),
                  (const uint8_t *)yyjson_get_str(a) + yyjson_get_len(a), 0};
    U16Iter ib = {(const uint8_t *)yyjson_get_str(b),
                  (const uint8_t *)yyjson_get_str(b) + yyjson_get_len(b), 0};
    for (;;) {
        long ua = u16_next(&ia), ub = u16_next(&ib);
        if (ua != ub) return ua < ub ? -1 : 1;
        if (ua < 0) return 0;
    }
}

static int member_cmp(const void *pa, const void *pb) {
    const Member *a = pa, *b = pb;
    int c = key_cmp(a->key, b->key);
    if (c) return c;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* The object's keys, sorted, each once (the first occurrence); *count set. */
static Member *sorted_members(yyjson_val *obj, size_t *count) {
    size_t n = yyjson_obj_size(obj), i = 0, k;
    Member *m;
    yyjson_obj_iter it;
    yyjson_val *key;

    *count = 0;
    if (n == 0) return NULL;
    if (n > SIZE_MAX / sizeof(Member)) die();
    m = xmalloc(n * sizeof(Member));
    yyjson_obj_iter_init(obj, &it);
    while ((key = yyjson_obj_iter_next(&it)) != NULL && i < n) {
        m[i].key = key;
        m[i].idx = i;
        i++;
    }
    n = i;
    qsort(m, n, sizeof(Member), member_cmp);
    for (i = 0, k = 0; i < n; i++) {
        if (k > 0 && key_cmp(m[k - 1].key, m[i].key) == 0) continue;
        m[k++] = m[i];
    }
    *count = k;
    return m;
}

/* ---------------------------------------------------------------- writer */

typedef struct {
    int is_obj;
    size_t i, n;
    Member *members;    /* objects */
    yyjson_arr_iter it; /* arrays */
} Frame;

typedef struct {
    Frame *f;
    size_t len, cap;
} Stack;

/* Writes a scalar, or opens a container (pushing its frame). */
static void put_value(Buf *b, Stack *st, yyjson_val *v) {
    switch (yyjson_get_type(v)) {
    case YYJSON_TYPE_NULL: put(b, "null", 4); return;
    case YYJSON_TYPE_BOOL:
        if (yyjson_get_bool(v)) put(b, "true", 4); else put(b, "false", 5);
        return;
    case YYJSON_TYPE_NUM: put_number(b, v); return;
    case YYJSON_TYPE_STR: put_string(b, yyjson_get_str(v), yyjson_get_len(v)); return;
    case YYJSON_TYPE_ARR:
    case YYJSON_TYPE_OBJ: break;
    default: die(); /* raw values and NONE do not occur with default flags */
    }
    if (st->len == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        if (cap > SIZE_MAX / sizeof(Frame)) die();
        st->f = xrealloc(st->f, cap * sizeof(Frame));
        st->cap = cap;
    }
    Frame *f = &st->f[st->len++];
    memset(f, 0, sizeof *f);
    if (yyjson_get_type(v) == YYJSON_TYPE_ARR) {
        putc1(b, '[');
        f->is_obj = 0;
        f->n = yyjson_arr_size(v);
        yyjson_arr_iter_init(v, &f->it);
    } else {
        putc1(b, '{');
        f->is_obj = 1;
        f->members = sorted_members(v, &f->n);
    }
}

static void write_canonical(Buf *b, yyjson_val *root) {
    Stack st = {NULL, 0, 0};
    put_value(b, &st, root);
    while (st.len > 0) {
        Frame *f = &st.f[st.len - 1];
        if (f->i == f->n) {
            putc1(b, f->is_obj ? '}' : ']');
            free(f->members);
            st.len--;
            continue;
        }
        if (f->i > 0) putc1(b, ',');
        yyjson_val *child;
        if (f->is_obj) {
            yyjson_val *key = f->members[f->i].key;
            put_string(b, yyjson_get_str(key), yyjson_get_len(key));
            putc1(b, ':');
            child = yyjson_obj_iter_get_val(key);
        } else {
            child = yyjson_arr_iter_next(&f->it);
            if (!child) die();
        }
        f->i++;
        put_value(b, &st, child); /* may move st.f: f is not used after this */
    }
    free(st.f);
}

/* ---------------------------------------------------------------- export */

typedef struct {
    uint8_t tag;
    uint8_t pad[3];
    uint32_t ptr;
    uint32_t len;
} ResultArea;

static alignas(4) ResultArea result;
static char *previous_output; /* the last result string, read by the host since */

/* Returns the canonical form (malloc'd, *out_len bytes), or NULL for `none`. */
char *json_parse_canonical(const uint8_t *text, size_t len, size_t *out_len) {
    yyjson_read_err err;
    yyjson_doc *doc;
    Buf b = {NULL, 0, 0};

    doc = yyjson_read_opts((char *)text, len, YYJSON_READ_NOFLAG, NULL, &err);
    if (!doc) {
        if (err.code == YYJSON_READ_ERROR_MEMORY_ALLOCATION) die();
        return NULL;
    }
    write_canonical(&b, yyjson_doc_get_root(doc));
    yyjson_doc_free(doc);
    if (!b.p) b.p = cabi_realloc(NULL, 0, 1, 0);
    *out_len = b.len;
    return b.p;
}

EXPORT("json-parse")
ResultArea *json_parse(uint8_t *text, size_t len) {
    size_t out_len = 0;
    char *out;

    free(previous_output);
    previous_output = NULL;

    out = json_parse_canonical(text, len, &out_len);
    memset(&result, 0, sizeof result);
    if (out) {
        previous_output = out;
        result.tag = 1;
        result.ptr = (uint32_t)(uintptr_t)out;
        result.len = (uint32_t)out_len;
    }
    return &result;
}
