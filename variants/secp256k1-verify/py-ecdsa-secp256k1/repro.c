/*
 * repro.c: makes one componentize-py run reproducible (x86_64 Linux, LD_PRELOAD).
 *
 * componentize-py runs CPython's start-up and the import of app.py inside wasmtime
 * and writes the guest's memory, as it then stands, into the component. Whatever the
 * guest learnt from the host on the way is in that memory: random bytes (CPython's
 * str hash key; the hash-map keys of the Rust code around it), clock readings, and
 * file metadata (modification times; device and inode numbers, which the guest sees
 * as st_ino through wasi `metadata-hash`). This library, loaded into that one process
 * by build.sh, pins all three:
 *
 *  - random bytes: a seccomp filter turns every getrandom(2) system call into SIGSYS,
 *    whose handler fills the buffer with a fixed byte sequence (the same one on every
 *    call, so the order in which threads ask does not matter);
 *  - clocks: clock_gettime(), gettimeofday() and time() are replaced; the wall clock
 *    reads 2001-09-09T01:46:40Z and the monotonic clocks read 1 s, always (wasmtime
 *    reads them through the vDSO, which no system-call filter sees);
 *  - metadata: the same filter traps stat, fstat, lstat, newfstatat and statx, which
 *    wasmtime's file-system layer issues as raw `syscall` instructions (rustix), so
 *    that no symbol interposition would reach them. The handler issues the call again,
 *    tagged in the otherwise unused sixth argument register so that the filter lets
 *    it through, then overwrites the device number and every timestamp. Inode numbers
 *    are kept: build.sh runs the build on a fresh tmpfs, which numbers inodes in the
 *    order of creation.
 *
 * Neither the Python source nor any WebAssembly code is changed.
 */
#define _GNU_SOURCE
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>

#define WALL_SECONDS 1000000000L
#define TAG 0x4a534f4e5059ull /* "JSONPY", in the sixth argument of a re-issued call */

/* ---- fixed "random" bytes ---- */

static void fixed_bytes(unsigned char *p, size_t n) {
    uint32_t x = 0x9e3779b9u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13; /* xorshift32 */
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (unsigned char)(x >> 24);
    }
}

/* ---- clocks ---- */

static void fixed_time(clockid_t clock, struct timespec *ts) {
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_TAI:
        ts->tv_sec = WALL_SECONDS;
        break;
    default: /* monotonic, boot time, CPU-time clocks */
        ts->tv_sec = 1;
        break;
    }
    ts->tv_nsec = 0;
}

int clock_gettime(clockid_t clock, struct timespec *ts) {
    fixed_time(clock, ts);
    return 0;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
    (void)tz;
    if (tv) {
        tv->tv_sec = WALL_SECONDS;
        tv->tv_usec = 0;
    }
    return 0;
}

time_t time(time_t *out) {
    if (out) *out = WALL_SECONDS;
    return WALL_SECONDS;
}

/* ---- the SIGSYS handler ---- */

static long reissue(long nr, long a0, long a1, long a2, long a3, long a4) {
    register long r10 __asm__("r10") = a3;
    register long r8 __asm__("r8") = a4;
    register long r9 __asm__("r9") = (long)TAG;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

static void pin_stat(struct stat *st) {
    st->st_dev = 0x2a;
    st->st_atim.tv_sec = st->st_mtim.tv_sec = st->st_ctim.tv_sec = WALL_SECONDS;
    st->st_atim.tv_nsec = st->st_mtim.tv_nsec = st->st_ctim.tv_nsec = 0;
}

static void pin_statx(struct statx *sx) {
    sx->stx_dev_major = 0;
    sx->stx_dev_minor = 0x2a;
    struct statx_timestamp *t[] = {&sx->stx_atime, &sx->stx_btime, &sx->stx_ctime, &sx->stx_mtime};
    for (int i = 0; i < 4; i++) {
        t[i]->tv_sec = WALL_SECONDS;
        t[i]->tv_nsec = 0;
    }
}

static void on_sigsys(int sig, siginfo_t *info, void *context) {
    (void)sig;
    greg_t *r = ((ucontext_t *)context)->uc_mcontext.gregs;
    long nr = info->si_syscall;
    long a0 = r[REG_RDI], a1 = r[REG_RSI], a2 = r[REG_RDX], a3 = r[REG_R10], a4 = r[REG_R8];
    long ret;
    if (nr == SYS_getrandom) {
        fixed_bytes((unsigned char *)a0, (size_t)a1);
        ret = a1;
    } else {
        ret = reissue(nr, a0, a1, a2, a3, a4);
        if (ret == 0) {
            if (nr == SYS_statx) pin_statx((struct statx *)a4);
            else if (nr == SYS_newfstatat) pin_stat((struct stat *)a2);
            else pin_stat((struct stat *)a1); /* stat, fstat, lstat */
        }
    }
    r[REG_RAX] = ret;
}

/* ---- installation, before main() and before any thread exists ---- */

#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define LOAD_AT(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define IF_EQ(k, yes, no) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (yes), (no))
#define RETURN(k) BPF_STMT(BPF_RET | BPF_K, (k))

__attribute__((constructor)) static void install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSYS, &sa, NULL);

    /* After an execve the inherited filter is still in force; only the handler was lost. */
    if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2) return;

    const uint32_t tag_lo = (uint32_t)TAG, tag_hi = (uint32_t)(TAG >> 32);
    const uint32_t arg5 = offsetof(struct seccomp_data, args) + 5 * sizeof(uint64_t);
    struct sock_filter prog[] = {
        LOAD(arch),
        IF_EQ(AUDIT_ARCH_X86_64, 1, 0),
        RETURN(SECCOMP_RET_ALLOW),
        LOAD(nr),
        IF_EQ(SYS_getrandom, 0, 1),
        RETURN(SECCOMP_RET_TRAP),
        IF_EQ(SYS_stat, 5, 0),
        IF_EQ(SYS_fstat, 4, 0),
        IF_EQ(SYS_lstat, 3, 0),
        IF_EQ(SYS_newfstatat, 2, 0),
        IF_EQ(SYS_statx, 1, 0),
        RETURN(SECCOMP_RET_ALLOW),
        /* a stat-family call: let it through only when it carries the tag */
        LOAD_AT(arg5),
        IF_EQ(tag_lo, 0, 2),
        LOAD_AT(arg5 + 4),
        IF_EQ(tag_hi, 1, 0),
        RETURN(SECCOMP_RET_TRAP),
        RETURN(SECCOMP_RET_ALLOW),
    };
    struct sock_fprog fprog = {.len = sizeof prog / sizeof prog[0], .filter = prog};
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0);
}
