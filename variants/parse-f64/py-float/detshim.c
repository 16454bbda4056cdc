/*
 * Build-time determinism shim for componentize-py (x86_64 Linux, LD_PRELOAD).
 *
 * componentize-py pre-initializes CPython inside wasmtime and snapshots the guest's
 * linear memory. Everything the guest saw from the host during that run ends up in
 * the output: random bytes (CPython's hash secret, the Rust runtime's HashMap keys),
 * clock readings, and stat() results (mtimes; inode and device numbers, which reach
 * the guest through wasi `metadata-hash` as st_ino). Even values that the guest frees
 * again stay behind as garbage in padding and reused heap blocks. componentize-py has
 * no flag for any of this, so this shim pins them, for this one build process only:
 *
 *  - getrandom / getentropy / syscall(SYS_getrandom): every call returns the same
 *    fixed byte stream (restarted at each call, so the order in which threads ask
 *    cannot matter);
 *  - clock_gettime: the realtime clocks give a fixed time, the monotonic and boot clocks a fixed
 *    1 s (time never advances; the build has no timers that wait for it);
 *  - stat family: wasmtime's filesystem code (cap-std / rustix) makes raw `syscall`
 *    instructions that no symbol interposition sees, so a seccomp filter traps every
 *    stat, fstat, lstat, newfstatat and statx into a SIGSYS handler, which redoes the
 *    call through its own stub (recognized by a marker in the unused 6th argument
 *    register, which the filter lets through) and overwrites the device number and
 *    all timestamps with constants. Inode numbers are left alone: the build runs in a
 *    fresh tmpfs (see build.sh), where they are assigned in creation order.
 *
 * Nothing here touches the WebAssembly code or the Python source being packaged.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define FIXED_SEC 1000000000L
#define MARKER 0x6e7678646574ull /* "nvxdet": 6th argument of our own stat calls */

/* ---------- random ---------- */

static void fill(void *buf, size_t len) {
    unsigned char *p = buf;
    uint64_t state = 0x243f6a8885a308d3ull;
    for (size_t i = 0; i < len; i++) {
        state += 0x9e3779b97f4a7c15ull;
        uint64_t z = state;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        p[i] = (unsigned char)(z ^ (z >> 31));
    }
}

ssize_t getrandom(void *buf, size_t len, unsigned flags) {
    (void)flags;
    fill(buf, len);
    return (ssize_t)len;
}

int getentropy(void *buf, size_t len) {
    fill(buf, len);
    return 0;
}

long syscall(long nr, ...) {
    va_list ap;
    va_start(ap, nr);
    long a[6];
    for (int i = 0; i < 6; i++) a[i] = va_arg(ap, long);
    va_end(ap);
    if (nr == SYS_getrandom) {
        fill((void *)a[0], (size_t)a[1]);
        return a[1];
    }
    static long (*real)(long, ...);
    if (!real) real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
    return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* ---------- clocks ---------- */

int clock_gettime(clockid_t c, struct timespec *ts) {
    static int (*real)(clockid_t, struct timespec *);
    if (!real) real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    int r = real(c, ts);
    if (r != 0) return r;
    if (c == CLOCK_REALTIME || c == CLOCK_REALTIME_COARSE || c == CLOCK_TAI) {
        ts->tv_sec = FIXED_SEC;
        ts->tv_nsec = 0;
    } else if (c == CLOCK_MONOTONIC || c == CLOCK_MONOTONIC_COARSE || c == CLOCK_MONOTONIC_RAW ||
               c == CLOCK_BOOTTIME) {
        ts->tv_sec = 1;
        ts->tv_nsec = 0;
    }
    return r;
}

/* ---------- stat family, via seccomp trap ---------- */

/* raw 6-argument syscall whose 6th argument register carries MARKER */
long nvxdet_raw(long nr, long a1, long a2, long a3, long a4, long a5);
__asm__(".text\n"
        ".globl nvxdet_raw\n"
        ".type nvxdet_raw,@function\n"
        "nvxdet_raw:\n"
        "  mov %rdi, %rax\n"
        "  mov %rsi, %rdi\n"
        "  mov %rdx, %rsi\n"
        "  mov %rcx, %rdx\n"
        "  mov %r8, %r10\n"
        "  mov %r9, %r8\n"
        "  movabs $0x6e7678646574, %r9\n"
        "  syscall\n"
        "  ret\n"
        ".size nvxdet_raw, .-nvxdet_raw\n");

static void fix_stat(struct stat *st) {
    st->st_dev = 1;
    st->st_atim.tv_sec = st->st_mtim.tv_sec = st->st_ctim.tv_sec = FIXED_SEC;
    st->st_atim.tv_nsec = st->st_mtim.tv_nsec = st->st_ctim.tv_nsec = 0;
}

static void fix_statx(struct statx *sx) {
    sx->stx_dev_major = 0;
    sx->stx_dev_minor = 1;
    sx->stx_atime.tv_sec = sx->stx_mtime.tv_sec = sx->stx_ctime.tv_sec = sx->stx_btime.tv_sec = FIXED_SEC;
    sx->stx_atime.tv_nsec = sx->stx_mtime.tv_nsec = sx->stx_ctime.tv_nsec = sx->stx_btime.tv_nsec = 0;
}

static void on_sigsys(int sig, siginfo_t *info, void *vctx) {
    (void)sig;
    ucontext_t *uc = vctx;
    greg_t *g = uc->uc_mcontext.gregs;
    long nr = info->si_syscall;
    long a1 = g[REG_RDI], a2 = g[REG_RSI], a3 = g[REG_RDX], a4 = g[REG_R10], a5 = g[REG_R8];
    long r = nvxdet_raw(nr, a1, a2, a3, a4, a5);
    if (r == 0) {
        switch (nr) {
        case SYS_stat:
        case SYS_fstat:
        case SYS_lstat:
            fix_stat((struct stat *)a2);
            break;
        case SYS_newfstatat:
            fix_stat((struct stat *)a3);
            break;
        case SYS_statx:
            fix_statx((struct statx *)a5);
            break;
        }
    }
    g[REG_RAX] = r;
}

#define LD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define JEQ(v, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (v), (t), (f))
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))

__attribute__((constructor)) static void nvxdet_init(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSYS, &sa, NULL);

    /* a filter inherited through execve is already in force: only the handler is needed */
    if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2) return;

    const uint32_t lo = (uint32_t)(MARKER & 0xffffffffu), hi = (uint32_t)(MARKER >> 32);
    struct sock_filter f[] = {
        /* 0 */ LD(offsetof(struct seccomp_data, arch)),
        /* 1 */ JEQ(AUDIT_ARCH_X86_64, 0, 13),
        /* 2 */ LD(offsetof(struct seccomp_data, nr)),
        /* 3 */ JEQ(SYS_stat, 5, 0),
        /* 4 */ JEQ(SYS_fstat, 4, 0),
        /* 5 */ JEQ(SYS_lstat, 3, 0),
        /* 6 */ JEQ(SYS_newfstatat, 2, 0),
        /* 7 */ JEQ(SYS_statx, 1, 0),
        /* 8 */ RET(SECCOMP_RET_ALLOW),
        /* 9 */ LD(offsetof(struct seccomp_data, args[5])),
        /* 10 */ JEQ(lo, 0, 3),
        /* 11 */ LD(offsetof(struct seccomp_data, args[5]) + 4),
        /* 12 */ JEQ(hi, 0, 1),
        /* 13 */ RET(SECCOMP_RET_ALLOW),
        /* 14 */ RET(SECCOMP_RET_TRAP),
        /* 15 */ RET(SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = sizeof f / sizeof f[0], .filter = f};
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}
