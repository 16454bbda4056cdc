// Native test driver (not part of the wasm build).
//   test_native vectors          -> checks the SPEC vectors, exit 1 on failure
//   test_native oneshot FILE     -> hex digest of FILE, hashed in one update()
//   test_native chunked FILE SEED-> hex digest of FILE, fed in random-size chunks
// Build: g++ -O2 -std=c++17 -Wall -Wextra -Werror -o test_native test_native.cpp
#include "sha256.cpp"

#include <stdio.h>

static void hex(const uint8_t d[32], char out[65]) {
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; ++i) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[64] = 0;
}

static int check(const char* name, const uint8_t* data, size_t len, const char* want) {
    uint8_t d[32];
    char h[65];
    nvx_sha256::digest(data, len, d);
    hex(d, h);
    int ok = strcmp(h, want) == 0;
    printf("%s %s %s\n", ok ? "ok  " : "FAIL", name, h);
    return ok ? 0 : 1;
}

static uint8_t* read_file(const char* path, size_t* len) {
    FILE* f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    size_t cap = 1 << 16, n = 0;
    uint8_t* buf = (uint8_t*)malloc(cap);
    for (;;) {
        if (n == cap) { cap *= 2; buf = (uint8_t*)realloc(buf, cap); }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0) break;
        n += r;
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char** argv) {
    if (argc >= 2 && strcmp(argv[1], "vectors") == 0) {
        int fails = 0;
        static uint8_t a[1000000];
        memset(a, 'a', sizeof a);
        const char* abc = "abc";
        const char* two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        fails += check("empty", nullptr, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        fails += check("abc", (const uint8_t*)abc, 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        fails += check("56-byte", (const uint8_t*)two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        fails += check("1M a", a, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
        fails += check("55 a", a, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
        fails += check("56 a", a, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
        fails += check("64 a", a, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
        // 1M 'a' fed one byte at a time through the streaming interface.
        nvx_sha256::Sha256 s;
        for (int i = 0; i < 1000000; ++i) s.update(a, 1);
        uint8_t d[32];
        char h[65];
        s.finish(d);
        hex(d, h);
        int ok = strcmp(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0;
        printf("%s 1M a bytewise %s\n", ok ? "ok  " : "FAIL", h);
        fails += !ok;
        printf("%d failure(s)\n", fails);
        return fails ? 1 : 0;
    }
    if (argc >= 3 && strcmp(argv[1], "oneshot") == 0) {
        size_t n;
        uint8_t* buf = read_file(argv[2], &n);
        uint8_t d[32];
        char h[65];
        nvx_sha256::digest(buf, n, d);
        hex(d, h);
        printf("%s\n", h);
        free(buf);
        return 0;
    }
    if (argc >= 4 && strcmp(argv[1], "chunked") == 0) {
        size_t n;
        uint8_t* buf = read_file(argv[2], &n);
        uint32_t x = (uint32_t)strtoul(argv[3], nullptr, 10) * 2654435761u + 1;
        nvx_sha256::Sha256 s;
        size_t off = 0;
        while (off < n) {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            size_t c = x % 200;  // chunks of 0..199 bytes, including empty updates
            if (c > n - off) c = n - off;
            s.update(buf + off, c);
            off += c;
        }
        uint8_t d[32];
        char h[65];
        s.finish(d);
        hex(d, h);
        printf("%s\n", h);
        free(buf);
        return 0;
    }
    fprintf(stderr, "usage: test_native vectors | oneshot FILE | chunked FILE SEED\n");
    return 2;
}
