// A DNS-heavy client that bypasses libc, as Go and dig do: one connected UDP
// socket, an A query for NAME, wait for the answer, again, for the given
// seconds. Every answer must be NOERROR (a healthy resolver); the first
// that is not stops the run. Prints "<answered queries> <seconds>".
// Usage: dns-client SERVER-IPV4 NAME SECONDS
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

/* Header (id, RD set, one question), then NAME as length-prefixed labels,
 * type A, class IN. Returns the message length. */
static size_t query(unsigned char* q, size_t cap, const char* name) {
  size_t n = 12;
  memset(q, 0, 12);
  q[2] = 0x01; /* RD */
  q[5] = 1;    /* QDCOUNT */
  for (const char* p = name; *p;) {
    const char* dot = strchr(p, '.');
    size_t l = dot ? (size_t)(dot - p) : strlen(p);
    if (l == 0 || l > 63 || n + l + 6 > cap) return 0;
    q[n++] = (unsigned char)l;
    memcpy(q + n, p, l);
    n += l;
    p += l + (dot ? 1 : 0);
  }
  q[n++] = 0;
  q[n++] = 0, q[n++] = 1; /* A */
  q[n++] = 0, q[n++] = 1; /* IN */
  return n;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: dns-client SERVER-IPV4 NAME SECONDS\n");
    return 2;
  }
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(53)};
  unsigned char q[300], a[512];
  size_t qn = query(q, sizeof(q), argv[2]);
  if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1 || qn == 0) {
    fprintf(stderr, "dns-client: bad server or name\n");
    return 2;
  }
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct timeval tv = {.tv_sec = 2};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  if (connect(s, (struct sockaddr*)&sa, sizeof(sa))) {
    perror("dns-client: connect");
    return 1;
  }
  double seconds = atof(argv[3]), start = now(), end = start + seconds;
  unsigned long n = 0;
  unsigned short id = 0;
  while (n % 64 || now() < end) {
    id++;
    q[0] = id >> 8, q[1] = id & 0xff;
    if (send(s, q, qn, 0) < 0) {
      perror("dns-client: send");
      return 1;
    }
    ssize_t got = recv(s, a, sizeof(a), 0);
    if (got < 12 || a[0] != q[0] || a[1] != q[1] || (a[3] & 0x0f) != 0) {
      fprintf(stderr, "dns-client: no NOERROR answer to query %lu\n", n);
      return 1;
    }
    n++;
  }
  printf("%lu %.6f\n", n, now() - start);
  return 0;
}
