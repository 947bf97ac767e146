#include "uprobes.h"

namespace netladder {

const UprobeSpec kUprobes[6] = {
    {"nl_gai_enter", "getaddrinfo", false, {"libc.so.6", "musl"}},
    {"nl_gai_exit", "getaddrinfo", true, {"libc.so.6", "musl"}},
    {"nl_ssl_ctrl", "SSL_ctrl", false, {"libssl.so.3", "node"}},
    {"nl_ssl_free", "SSL_free", false, {"libssl.so.3", "node"}},
    {"nl_ssl_verify_enter", "SSL_get_verify_result", false, {"libssl.so.3", "node"}},
    {"nl_ssl_verify_exit", "SSL_get_verify_result", true, {"libssl.so.3", "node"}},
};

const UprobeSpec* FindUprobe(const std::string& program) {
  for (const UprobeSpec& u : kUprobes)
    if (program == u.program) return &u;
  return nullptr;
}

Napi::Value UprobeTable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  for (const UprobeSpec& u : kUprobes) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("program", u.program);
    o.Set("function", u.function);
    o.Set("retprobe", u.retprobe);
    Napi::Array files = Napi::Array::New(env);
    for (const char* f : u.files)
      if (f) files.Set(files.Length(), f);
    o.Set("files", files);
    out.Set(out.Length(), o);
  }
  return out;
}

}  // namespace netladder
