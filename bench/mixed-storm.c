// Mixed storm on loopback: each round makes one refused connect, one
// connection the client aborts (a reset each way) and one it closes first
// (a TIME_WAIT entry). A forked server accepts and closes after the client.
// Prints "<rounds> <seconds>". Usage: mixed-storm CLOSED_PORT SECONDS
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

static struct sockaddr_in loopback(int port) {
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return sa;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: mixed-storm CLOSED_PORT SECONDS\n");
    return 2;
  }
  struct sockaddr_in closed = loopback(atoi(argv[1])), open_ = loopback(0);
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  bind(lfd, (struct sockaddr*)&open_, sizeof(open_));
  listen(lfd, 1024);
  socklen_t len = sizeof(open_);
  getsockname(lfd, (struct sockaddr*)&open_, &len);
  pid_t server = fork();
  if (server == 0) {
    char buf[16];
    for (;;) {
      int c = accept(lfd, NULL, NULL);
      if (c < 0) continue;
      while (read(c, buf, sizeof(buf)) > 0) {
      }
      close(c);
    }
  }
  close(lfd);
  double start = now(), end = start + atof(argv[2]);
  unsigned long rounds = 0;
  struct linger abort_ = {1, 0};
  while (rounds % 64 || now() < end) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    connect(fd, (struct sockaddr*)&closed, sizeof(closed));
    close(fd);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr*)&open_, sizeof(open_)) == 0)
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_, sizeof(abort_));
    close(fd);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    connect(fd, (struct sockaddr*)&open_, sizeof(open_));
    close(fd);
    rounds++;
  }
  printf("%lu %.6f\n", rounds, now() - start);
  kill(server, SIGKILL);
  waitpid(server, NULL, 0);
  return 0;
}
