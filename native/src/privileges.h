// Privileges: after everything is attached, keep only the capabilities the
// running agent still needs, on every thread, with no_new_privs.
//
// Capabilities, the bounding set and no_new_privs belong to a thread, not a
// process, and a thread can change only its own. Node runs several threads
// (libuv's pool, V8's platform workers, the inspector's SIGUSR1 thread, our
// poll thread), so each one is made to drop its own: a signal is sent to
// every tid in /proc/self/task and its handler calls capset. Threads created
// afterwards inherit the reduced set from their creator.
//
// Threads: JS thread (DropPrivileges); the handler runs on every thread.
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>

namespace netladder {

struct DropResult {
  int threads = 0;      // threads that dropped, the caller's included
  int error = 0;        // first errno a thread met; 0 when every one succeeded
  std::string failed;   // what failed, for the message
};

// keep: bit n set = keep capability n. Effective and permitted become
// keep ∩ permitted; inheritable and ambient empty; the bounding set keep
// (when CAP_SETPCAP allows); no_new_privs set.
DropResult DropPrivileges(uint64_t keep);

// JS thread. dropPrivileges(keep: number[]) -> { threads } or throws
// (code EPRIVDROP).
Napi::Value DropPrivilegesJs(const Napi::CallbackInfo& info);

}  // namespace netladder
