// UDP ping-pong on loopback, in one process: a client socket connected to a
// server socket; each round is send + recv on both sides, so every round
// runs the socket send and receive tracepoints four times. With PORT 53 the
// payload is a DNS query for a name and the server turns it into an answer
// (QR set, NOERROR), so the DNS programs parse, remember and forget a query
// every round. Prints "<rounds> <seconds>".
// Usage: udp-storm PORT SECONDS   (port 53 needs root; run it in a namespace)
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

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: udp-storm PORT SECONDS\n");
    return 2;
  }
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int srv = socket(AF_INET, SOCK_DGRAM, 0), cli = socket(AF_INET, SOCK_DGRAM, 0);
  int one = 1;
  setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(srv, (struct sockaddr*)&sa, sizeof(sa)) || connect(cli, (struct sockaddr*)&sa, sizeof(sa))) {
    perror("udp-storm: bind/connect");
    return 1;
  }
  // A DNS query: id, RD, one question "bench.nlt4.test" type A class IN.
  unsigned char msg[64] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
  const unsigned char qname[] = "\x05" "bench" "\x04" "nlt4" "\x04" "test";
  memcpy(msg + 12, qname, sizeof(qname));  // includes the final 0 label
  size_t len = 12 + sizeof(qname) + 4;
  msg[len - 3] = 1;
  msg[len - 1] = 1;
  unsigned char buf[512];
  struct sockaddr_in peer;
  socklen_t plen;
  double seconds = atof(argv[2]), start = now(), end = start + seconds;
  unsigned long n = 0;
  while (n % 256 || now() < end) {
    msg[0] = n >> 8;
    msg[1] = n;
    if (send(cli, msg, len, 0) < 0) return perror("send"), 1;
    plen = sizeof(peer);
    ssize_t got = recvfrom(srv, buf, sizeof(buf), 0, (struct sockaddr*)&peer, &plen);
    if (got < 12) return perror("recvfrom"), 1;
    buf[2] |= 0x80;  // an answer, NOERROR
    if (sendto(srv, buf, got, 0, (struct sockaddr*)&peer, plen) < 0) return perror("sendto"), 1;
    if (recv(cli, buf, sizeof(buf), 0) < 0) return perror("recv"), 1;
    n++;
  }
  printf("%lu %.6f\n", n, now() - start);
  return 0;
}
