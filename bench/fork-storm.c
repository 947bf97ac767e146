// Many short-lived failing processes: forks N children one after another,
// each makes one refused connect to 127.0.0.1:PORT and exits. Shows what an
// agent holds when thousands of distinct pids fail. Prints "<children>".
// Usage: fork-storm PORT N
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: fork-storm PORT N\n");
    return 2;
  }
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  long n = atol(argv[2]), done = 0;
  for (long i = 0; i < n; i++) {
    pid_t pid = fork();
    if (pid < 0) {
      perror("fork");
      return 1;
    }
    if (pid == 0) {
      int fd = socket(AF_INET, SOCK_STREAM, 0);
      _exit(connect(fd, (struct sockaddr*)&sa, sizeof(sa)) == 0 ? 1 : 0);
    }
    int status;
    if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0) done++;
  }
  printf("%ld\n", done);
  return done == n ? 0 : 1;
}
