// Build-time helper, never part of the component. build.mjs preloads it
// (LD_PRELOAD) into the wizer process that componentize-js runs to snapshot the
// initialised JavaScript engine.
//
// While the engine initialises it asks WASI for random bytes and the current time;
// wizer passes the host's real ones through, and SpiderMonkey keeps values derived
// from them in the heap that becomes the snapshot, so two builds would differ. wizer
// offers no option against this, so this library replaces, inside that one process:
//   - getrandom(2), called directly or as syscall(SYS_getrandom, ...): bytes of a
//     fixed SplitMix64 stream (the initialisation runs on one thread, so the calls
//     come in the same order and get the same bytes in every build);
//   - clock_gettime(3): the same fixed instant for every clock.
// For Linux with glibc on x86-64 or aarch64 (syscall() is forwarded with six longs).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>

static pthread_mutex_t shim_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t shim_state = 0x736563703235366bull; /* fixed seed */

static uint64_t shim_next(void) {
  uint64_t z = (shim_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static void shim_fill(void *buf, size_t len) {
  unsigned char *p = buf;
  pthread_mutex_lock(&shim_lock);
  size_t i = 0;
  while (i < len) {
    uint64_t w = shim_next();
    for (int k = 0; k < 8 && i < len; k++, i++) p[i] = (unsigned char)(w >> (8 * k));
  }
  pthread_mutex_unlock(&shim_lock);
}

ssize_t getrandom(void *buf, size_t len, unsigned int flags) {
  (void)flags;
  shim_fill(buf, len);
  return (ssize_t)len;
}

long syscall(long number, ...) {
  long a[6];
  va_list ap;
  va_start(ap, number);
  for (int i = 0; i < 6; i++) a[i] = va_arg(ap, long);
  va_end(ap);
  if (number == SYS_getrandom) {
    shim_fill((void *)a[0], (size_t)a[1]);
    return a[1];
  }
  static long (*real_syscall)(long, ...) = NULL;
  if (real_syscall == NULL) real_syscall = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
  return real_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int clock_gettime(clockid_t clock, struct timespec *ts) {
  (void)clock;
  ts->tv_sec = 172800;
  ts->tv_nsec = 0;
  return 0;
}
