#include "failure.h"

#include <errno.h>
#include <string.h>

#include "libbpf_log.h"

namespace netladder {

Failure KernelRefused(int err) {
  if (err == EPERM || err == EACCES)
    return Failure("EPERM", "loading BPF programs needs root, or CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN");
  std::string detail = LastLibbpfMessage();
  return Failure("ELOAD", std::string("the kernel refused netladder's BPF programs: ") + strerror(err) +
                              (detail.empty() ? "" : " (" + detail + ")"));
}

}  // namespace netladder
