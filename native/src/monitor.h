// Monitor: the N-API class, and nothing else. It turns JS options into
// LoadOptions, owns the Loader (programs and links), the RingPoller (the
// poll thread), the DnsSweep, and the thread-safe function that carries
// batches from the poll thread to the JS callback.
//
// Threads: every method runs on the JS thread except the lambdas Start
// gives the poller, which run on the poll thread and only queue work on
// the thread-safe function.
#pragma once
#include <napi.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "loader.h"

namespace netladder {

struct Batch;
class DnsSweep;
class RingPoller;

class Monitor : public Napi::ObjectWrap<Monitor> {
 public:
  static void Init(Napi::Env env, Napi::Object exports);
  explicit Monitor(const Napi::CallbackInfo& info);
  ~Monitor() override;

 private:
  static void CallJs(Napi::Env env, Napi::Function callback, Monitor* self, Batch* batch);
  static void Finalize(Napi::Env env, void* unused, Monitor* self);
  using Tsfn = Napi::TypedThreadSafeFunction<Monitor, Batch, CallJs>;

  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value ReadCounters(const Napi::CallbackInfo& info);
  Napi::Value ReadLosses(const Napi::CallbackInfo& info);
  Napi::Value ForgetPids(const Napi::CallbackInfo& info);
  Napi::Value Attached(const Napi::CallbackInfo& info);
  Napi::Value AttachLibraries(const Napi::CallbackInfo& info);
  void Teardown();  // stop the thread, free the ring, detach and free the object
  static void CleanupHook(Monitor* self);
  void ReportPollError(Napi::Env env, int err);
  static Napi::Array StatusRows(Napi::Env env, const std::vector<ProgramStatus>& rows);

  LoadOptions load_;
  int drain_ms_ = 50;
  uint32_t max_batch_ = 4096;
  uint32_t dns_timeout_ms_ = 5000;

  std::unique_ptr<Loader> loader_;
  std::unique_ptr<RingPoller> poller_;
  std::unique_ptr<DnsSweep> sweep_;
  std::vector<ProgramStatus> programs_;
  Tsfn tsfn_;
  Napi::FunctionReference on_error_;
  std::optional<Napi::Promise::Deferred> closed_;
  bool started_ = false;
  bool closing_ = false;
  bool killed_ = false;  // the environment is going away
  bool torn_down_ = false;
};

}  // namespace netladder
