// Build-time helper, never part of the component: preloaded (LD_PRELOAD) into the
// wizer process that componentize-js runs to snapshot the initialised engine.
//
// During that initialisation the engine asks WASI for random bytes and for the time,
// wizer answers with the host's real ones, and the engine keeps them in its heap (hash
// seeds, timestamps), so two snapshots of the same source would differ. wizer has no
// switch for this, so the wizer process gets deterministic replacements here:
//   - getrandom(2), both the libc wrapper and syscall(SYS_getrandom, ...): bytes from
//     a fixed splitmix64 sequence (initialisation is single-threaded, so the order of
//     the requests, and hence every byte, is the same from build to build);
//   - clock_gettime(3): one fixed instant, whatever the clock.
// Linux with glibc on x86-64 or aarch64 (the syscall() wrapper forwards six longs).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>

static pthread_mutex_t det_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t det_counter = 0x6a736f6e2d706172ull; /* fixed seed */

static uint64_t det_next(void) {
  uint64_t z = (det_counter += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static void det_fill(void *dst, size_t n) {
  unsigned char *out = dst;
  pthread_mutex_lock(&det_lock);
  while (n > 0) {
    uint64_t w = det_next();
    for (int i = 0; i < 8 && n > 0; i++, n--) {
      *out++ = (unsigned char)(w >> (8 * i));
    }
  }
  pthread_mutex_unlock(&det_lock);
}

ssize_t getrandom(void *buf, size_t buflen, unsigned int flags) {
  (void)flags;
  det_fill(buf, buflen);
  return (ssize_t)buflen;
}

long syscall(long nr, ...) {
  long a[6];
  va_list ap;
  va_start(ap, nr);
  for (int i = 0; i < 6; i++) a[i] = va_arg(ap, long);
  va_end(ap);
  if (nr == SYS_getrandom) {
    det_fill((void *)a[0], (size_t)a[1]);
    return a[1];
  }
  static long (*next_syscall)(long, ...);
  if (next_syscall == NULL) {
    next_syscall = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
  }
  return next_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int clock_gettime(clockid_t clk, struct timespec *tp) {
  (void)clk;
  tp->tv_sec = 86400;
  tp->tv_nsec = 0;
  return 0;
}
