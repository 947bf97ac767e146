// Healthy UDP request/response on loopback: a forked echo server and a
// client that sends one datagram and waits for its echo, as many times as
// fit in the given seconds. Prints "<round trips> <seconds>".
// Usage: udp-rr SECONDS
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: udp-rr SECONDS\n");
    return 2;
  }
  struct sockaddr_in sa = {.sin_family = AF_INET};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(sa);
  int srv = socket(AF_INET, SOCK_DGRAM, 0);
  if (bind(srv, (struct sockaddr*)&sa, sizeof(sa)) || getsockname(srv, (struct sockaddr*)&sa, &len)) {
    perror("udp-rr: server");
    return 1;
  }
  pid_t echo = fork();
  if (echo == 0) {
    char buf[64];
    struct sockaddr_in from;
    for (;;) {
      socklen_t fl = sizeof(from);
      ssize_t n = recvfrom(srv, buf, sizeof(buf), 0, (struct sockaddr*)&from, &fl);
      if (n > 0) sendto(srv, buf, n, 0, (struct sockaddr*)&from, fl);
    }
  }
  close(srv);
  int c = socket(AF_INET, SOCK_DGRAM, 0);
  if (connect(c, (struct sockaddr*)&sa, sizeof(sa))) {
    perror("udp-rr: client");
    return 1;
  }
  double seconds = atof(argv[1]), start = now(), end = start + seconds;
  unsigned long n = 0;
  char msg[32] = "ping", back[64];
  while (n % 256 || now() < end) {
    if (send(c, msg, sizeof(msg), 0) < 0 || recv(c, back, sizeof(back), 0) < 0) {
      perror("udp-rr");
      break;
    }
    n++;
  }
  printf("%lu %.6f\n", n, now() - start);
  kill(echo, SIGKILL);
  waitpid(echo, NULL, 0);
  return 0;
}
