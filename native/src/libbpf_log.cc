#include "libbpf_log.h"

#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <mutex>

namespace netladder {

namespace {
std::mutex mu;
std::string last;

int Print(enum libbpf_print_level level, const char* fmt, va_list args) {
  static const bool debug = getenv("NETLADDER_DEBUG") != nullptr;
  if (debug) {
    va_list copy;
    va_copy(copy, args);
    vfprintf(stderr, fmt, copy);
    va_end(copy);
  }
  if (level == LIBBPF_DEBUG) return 0;
  char buf[512];
  vsnprintf(buf, sizeof(buf), fmt, args);
  std::string s(buf);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  std::lock_guard<std::mutex> lock(mu);
  last = s;
  return 0;
}
}  // namespace

void InstallLibbpfLog() { libbpf_set_print(Print); }

std::string LastLibbpfMessage() {
  std::lock_guard<std::mutex> lock(mu);
  return last;
}

}  // namespace netladder
