// Uprobes: which program goes on which function of which file. A file is
// named by the key user space resolves it under (the `libraries` option):
// the C library and libssl as the dynamic loader would find them, musl's C
// library (its getaddrinfo has glibc's signature and EAI codes), and the
// node binary for Node's statically linked OpenSSL. A file or symbol that
// is missing skips that probe, and the attach report says so.
//
// The table lives here, next to the programs it names; TypeScript reads it
// (the addon's `uprobes()`) to know which files to look for.
#pragma once
#include <napi.h>

#include <string>

namespace netladder {

struct UprobeSpec {
  const char* program;
  const char* function;
  bool retprobe;
  const char* files[2];
};

extern const UprobeSpec kUprobes[6];

// nullptr when `program` is not a uprobe.
const UprobeSpec* FindUprobe(const std::string& program);

// JS thread. uprobes() -> [{ program, function, retprobe, files }], the
// table as data, so TypeScript finds the files it names and lists none.
Napi::Value UprobeTable(const Napi::CallbackInfo& info);

}  // namespace netladder
