// The addon's entry: registers exports, nothing else.
#include <napi.h>

#include "layout.h"
#include "monitor.h"
#include "privileges.h"
#include "system.h"
#include "uprobes.h"

namespace netladder {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  Monitor::Init(env, exports);
  exports.Set("layout", Napi::Function::New(env, Layout));
  exports.Set("ensureTracefs", Napi::Function::New(env, EnsureTracefs));
  exports.Set("kernelEnum", Napi::Function::New(env, KernelEnum));
  exports.Set("uprobes", Napi::Function::New(env, UprobeTable));
  exports.Set("dropPrivileges", Napi::Function::New(env, DropPrivilegesJs));
  return exports;
}

NODE_API_MODULE(netladder, Init)

}  // namespace netladder
