// A syscall-heavy process that does no networking: getppid() and a one-byte
// write to /dev/null in a loop, as many as fit in the given seconds. Every
// enabled syscall tracepoint, whatever syscall it is for, sends each of these
// through the kernel's slow path. Prints "<syscall pairs> <seconds>".
// Usage: syscalls SECONDS
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: syscalls SECONDS\n");
    return 2;
  }
  int fd = open("/dev/null", O_WRONLY);
  double seconds = atof(argv[1]), start = now(), end = start + seconds;
  unsigned long n = 0;
  while (n % 4096 || now() < end) {
    syscall(SYS_getppid);
    if (write(fd, "x", 1) != 1) {
      perror("syscalls: write");
      return 1;
    }
    n++;
  }
  printf("%lu %.6f\n", n, now() - start);
  return 0;
}
