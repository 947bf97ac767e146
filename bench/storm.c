// Refused-connect storm on loopback: as many blocking connect()s to a closed
// port as fit in the given seconds. Prints "<connects> <seconds>".
// Usage: storm PORT SECONDS
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: storm PORT SECONDS\n");
    return 2;
  }
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  double seconds = atof(argv[2]), start = now(), end = start + seconds;
  unsigned long n = 0;
  while (n % 256 || now() < end) {  // read the clock every 256 connects
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr*)&sa, sizeof(sa)) == 0) {
      fprintf(stderr, "port %s is open: pick a closed one\n", argv[1]);
      return 1;
    }
    close(fd);
    n++;
  }
  printf("%lu %.6f\n", n, now() - start);
  return 0;
}
