// libbpf talks through a global print callback. Keep its last warning for
// error messages instead of spraying the verifier log over the user's
// terminal; NETLADDER_DEBUG=1 prints everything.
#pragma once
#include <string>

namespace netladder {
void InstallLibbpfLog();
std::string LastLibbpfMessage();
}  // namespace netladder
