// Build-time helper only (never part of the component): an LD_PRELOAD shim for the
// `wizer` binary that componentize-js runs to snapshot the initialised JS engine.
//
// wizer 10.0.0 lets the engine call WASI during initialisation with real host
// randomness (getrandom) and real clocks (clock_gettime); SpiderMonkey stores seeds and
// timestamps from them in the heap, so every snapshot differs. wizer has no option to
// make them deterministic, so this shim replaces both for the wizer process:
//   - getrandom(2), also when called as syscall(SYS_getrandom, ...): a fixed xorshift
//     stream (the order of calls is deterministic: the snapshot is single-threaded);
//   - clock_gettime: a constant instant for every clock.
// Linux/glibc, x86-64 and aarch64 (the syscall() forwarder reads six long arguments).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t state = 0x9e3779b97f4a7c15ull;

static void fill(void *buf, size_t len) {
  unsigned char *p = buf;
  pthread_mutex_lock(&lock);
  for (size_t i = 0; i < len; i++) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    p[i] = (unsigned char)(state >> 24);
  }
  pthread_mutex_unlock(&lock);
}

ssize_t getrandom(void *buf, size_t len, unsigned int flags) {
  (void)flags;
  fill(buf, len);
  return (ssize_t)len;
}

long syscall(long number, ...) {
  va_list ap;
  long a[6];
  va_start(ap, number);
  for (int i = 0; i < 6; i++) a[i] = va_arg(ap, long);
  va_end(ap);
  if (number == SYS_getrandom) {
    fill((void *)a[0], (size_t)a[1]);
    return a[1];
  }
  static long (*real)(long, ...) = NULL;
  if (real == NULL) real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
  return real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int clock_gettime(clockid_t clock, struct timespec *ts) {
  (void)clock;
  ts->tv_sec = 1000000;
  ts->tv_nsec = 0;
  return 0;
}
