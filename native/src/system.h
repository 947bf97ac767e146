#pragma once
#include <napi.h>

namespace netladder {
// JS thread. Mounts tracefs if it is missing; returns its path or throws
// (code ETRACEFS).
Napi::Value EnsureTracefs(const Napi::CallbackInfo& info);
// JS thread. Names of a kernel enum from vmlinux BTF, indexed by value.
Napi::Value KernelEnum(const Napi::CallbackInfo& info);
// Used by the monitor: does the running kernel have this hook?
bool TracefsEventExists(const std::string& category, const std::string& name);
bool RawTracepointExists(const std::string& name);
const char* TracefsPath();
// After attaching: free the kernel's type information and trim the heap.
void ReleaseKernelTypes();
}  // namespace netladder
