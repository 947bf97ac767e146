#include "system.h"

#include <bpf/btf.h>
#include <errno.h>
#include <malloc.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "errors.h"

namespace netladder {

namespace {
const char* kTracefs[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};

// stat, not access: access() checks the real uid with every capability
// cleared, so a non-root agent given CAP_DAC_READ_SEARCH for a mode-0700
// tracefs would be told it is missing.
bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

bool HasEvents(const char* root) { return Exists(std::string(root) + "/events"); }

// Loaded on first use and kept while hook checks and enum lookups read it
// repeatedly, then released (ReleaseKernelTypes): it is megabytes.
struct btf*& CachedBtf() {
  static struct btf* btf = nullptr;
  return btf;
}

struct btf* VmlinuxBtf() {
  struct btf*& btf = CachedBtf();
  if (!btf) btf = btf__load_vmlinux_btf();
  return btf;
}
}  // namespace

void ReleaseKernelTypes() {
  btf__free(CachedBtf());
  CachedBtf() = nullptr;
  // Hand back to the kernel what parsing vmlinux BTF (ours, and libbpf's
  // own copy for CO-RE during load) left in malloc's free lists: ~8 MiB of
  // a long-running agent's RSS otherwise.
  malloc_trim(0);
}

const char* TracefsPath() {
  for (const char* root : kTracefs)
    if (HasEvents(root)) return root;
  return nullptr;
}

bool TracefsEventExists(const std::string& category, const std::string& name) {
  const char* root = TracefsPath();
  if (!root) return false;
  return Exists(std::string(root) + "/events/" + category + "/" + name);
}

bool RawTracepointExists(const std::string& name) {
  struct btf* btf = VmlinuxBtf();
  if (!btf) return false;
  std::string type = "btf_trace_" + name;
  return btf__find_by_name_kind(btf, type.c_str(), BTF_KIND_TYPEDEF) > 0;
}

Napi::Value EnsureTracefs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (const char* root = TracefsPath()) return Napi::String::New(env, root);
  if (mount("nodev", kTracefs[0], "tracefs", 0, nullptr) == 0 && HasEvents(kTracefs[0]))
    return Napi::String::New(env, kTracefs[0]);
  int err = errno;
  std::string why = err == EPERM ? "mounting it needs root or CAP_SYS_ADMIN" : strerror(err);
  throw CodedError(env, "ETRACEFS",
                   "tracefs is not mounted at /sys/kernel/tracing and could not be mounted (" + why +
                       "); run: mount -t tracefs nodev /sys/kernel/tracing");
}

Napi::Value KernelEnum(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString())
    throw Napi::TypeError::New(env, "kernelEnum(name): name must be a string");
  std::string name = info[0].As<Napi::String>();
  Napi::Array out = Napi::Array::New(env);
  struct btf* btf = VmlinuxBtf();
  if (!btf) return out;
  int id = btf__find_by_name_kind(btf, name.c_str(), BTF_KIND_ENUM);
  if (id <= 0) return out;
  const struct btf_type* t = btf__type_by_id(btf, id);
  const struct btf_enum* e = btf_enum(t);
  for (int i = 0; i < btf_vlen(t); i++, e++)
    out.Set(static_cast<uint32_t>(e->val), Napi::String::New(env, btf__name_by_offset(btf, e->name_off)));
  return out;
}

}  // namespace netladder
