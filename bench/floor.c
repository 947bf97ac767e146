// The floor of a bench: loads a BPF object whose programs do nothing and
// attaches each to its hook, prints "ready", and holds them until SIGINT.
// What netladder costs above this is netladder's own work.
// Usage: floor OBJECT.bpf.o
#include <bpf/libbpf.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t done;
static void on_signal(int sig) { (void)sig, done = 1; }

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: floor OBJECT.bpf.o\n");
    return 2;
  }
  struct bpf_object* obj = bpf_object__open_file(argv[1], NULL);
  if (!obj || bpf_object__load(obj)) {
    fprintf(stderr, "floor: cannot load %s\n", argv[1]);
    return 1;
  }
  struct bpf_program* p;
  int n = 0;
  bpf_object__for_each_program(p, obj) {
    if (!bpf_program__attach(p)) {
      fprintf(stderr, "floor: cannot attach %s\n", bpf_program__name(p));
      return 1;
    }
    n++;
  }
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  printf("ready: %d programs\n", n);
  fflush(stdout);
  while (!done) pause();
  bpf_object__close(obj);
  return 0;
}
