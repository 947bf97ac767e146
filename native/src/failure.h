// A failure found away from N-API (loader, poller): a code and a sentence a
// person can act on. The N-API class turns it into a JS CodedError, so the
// parts below it need no Napi::Env.
#pragma once
#include <stdexcept>
#include <string>

namespace netladder {

struct Failure : std::runtime_error {
  Failure(std::string code, const std::string& message) : std::runtime_error(message), code(std::move(code)) {}
  std::string code;
};

// The kernel (or libbpf on its behalf) said no; `err` is the errno.
Failure KernelRefused(int err);

}  // namespace netladder
