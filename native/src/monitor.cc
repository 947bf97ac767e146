#include "monitor.h"

#include <string.h>

#include <algorithm>

#include "dns_sweep.h"
#include "errors.h"
#include "failure.h"
#include "kernel_counts.h"
#include "netladder.h"
#include "ring_poller.h"

namespace netladder {

namespace {

uint32_t OptionU32(Napi::Object opts, const char* key, uint32_t fallback) {
  Napi::Value v = opts.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : fallback;
}

// { "libc.so.6": "/path" | ["/path", ...], ... } -> name -> paths
Libraries ReadLibraries(Napi::Value v) {
  Libraries out;
  if (!v.IsObject()) return out;
  Napi::Object l = v.As<Napi::Object>();
  Napi::Array keys = l.GetPropertyNames();
  for (uint32_t i = 0; i < keys.Length(); i++) {
    std::string k = keys.Get(i).ToString();
    Napi::Value p = l.Get(k);
    if (p.IsString()) out[k].push_back(p.As<Napi::String>().Utf8Value());
    if (p.IsArray()) {
      Napi::Array a = p.As<Napi::Array>();
      for (uint32_t j = 0; j < a.Length(); j++)
        if (a.Get(j).IsString()) out[k].push_back(a.Get(j).As<Napi::String>().Utf8Value());
    }
  }
  return out;
}

}  // namespace

void Monitor::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "Monitor",
                                    {
                                        InstanceMethod("start", &Monitor::Start),
                                        InstanceMethod("close", &Monitor::Close),
                                        InstanceMethod("readCounters", &Monitor::ReadCounters),
                                        InstanceMethod("readLosses", &Monitor::ReadLosses),
                                        InstanceMethod("forgetPids", &Monitor::ForgetPids),
                                        InstanceMethod("attached", &Monitor::Attached),
                                        InstanceMethod("attachLibraries", &Monitor::AttachLibraries),
                                    });
  exports.Set("Monitor", ctor);
}

// JS thread. new Monitor({ rateLimit, wakeBytes, ringBytes, drainMs, maxBatch, disable, libraries, dnsTimeoutMs })
Monitor::Monitor(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Monitor>(info) {
  if (info.Length() > 0 && info[0].IsObject()) {
    Napi::Object o = info[0].As<Napi::Object>();
    load_.rate_limit = OptionU32(o, "rateLimit", load_.rate_limit);
    load_.wake_bytes = OptionU32(o, "wakeBytes", load_.wake_bytes);
    load_.ring_bytes = OptionU32(o, "ringBytes", load_.ring_bytes);
    drain_ms_ = static_cast<int>(OptionU32(o, "drainMs", drain_ms_));
    max_batch_ = std::max<uint32_t>(1, OptionU32(o, "maxBatch", max_batch_));
    dns_timeout_ms_ = std::max<uint32_t>(1, OptionU32(o, "dnsTimeoutMs", dns_timeout_ms_));
    load_.libraries = ReadLibraries(o.Get("libraries"));
    Napi::Value d = o.Get("disable");
    if (d.IsArray()) {
      Napi::Array a = d.As<Napi::Array>();
      for (uint32_t i = 0; i < a.Length(); i++) load_.disabled.push_back(a.Get(i).ToString());
    }
  }
  napi_add_env_cleanup_hook(info.Env(), reinterpret_cast<void (*)(void*)>(&Monitor::CleanupHook), this);
}

// JS thread (the garbage collector's finalizer, or the environment's end).
Monitor::~Monitor() {
  napi_remove_env_cleanup_hook(Env(), reinterpret_cast<void (*)(void*)>(&Monitor::CleanupHook), this);
  killed_ = true;
  Teardown();
}

// JS thread: the environment is shutting down without close(); stop at once.
void Monitor::CleanupHook(Monitor* self) {
  self->killed_ = true;
  self->Teardown();
}

// The attach report as JS sees it: one object per program (per file for uprobes).
Napi::Array Monitor::StatusRows(Napi::Env env, const std::vector<ProgramStatus>& rows) {
  Napi::Array out = Napi::Array::New(env, rows.size());
  for (size_t i = 0; i < rows.size(); i++) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", rows[i].name);
    o.Set("hook", rows[i].hook);
    o.Set("attached", rows[i].attached);
    if (rows[i].optional) o.Set("optional", true);
    if (!rows[i].error.empty()) o.Set("error", rows[i].error);
    out.Set(i, o);
  }
  return out;
}

// JS thread. attachLibraries({ "libc.so.6": [paths], ... }) -> rows of the
// new attachments.
Napi::Value Monitor::AttachLibraries(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!loader_ || closing_) return Napi::Array::New(env);
  std::vector<ProgramStatus> rows =
      loader_->AttachLibraries(ReadLibraries(info.Length() > 0 ? info[0] : env.Undefined()));
  programs_.insert(programs_.end(), rows.begin(), rows.end());
  return StatusRows(env, rows);
}

// JS thread. start(onBatch(buffer, records), onError?(error)) -> attach report
Napi::Value Monitor::Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (started_) throw CodedError(env, "EALREADY", "this monitor was already started");
  if (info.Length() < 1 || !info[0].IsFunction())
    throw Napi::TypeError::New(env, "start(onBatch): onBatch must be a function");
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    if (!info[1].IsFunction()) throw Napi::TypeError::New(env, "start(onBatch, onError): onError must be a function");
    on_error_ = Napi::Persistent(info[1].As<Napi::Function>());
  }
  started_ = true;
  try {
    loader_ = Loader::Load(load_);
    programs_ = loader_->report();
    poller_ = std::make_unique<RingPoller>(loader_->ring_fd(), drain_ms_, max_batch_);
  } catch (const Failure& f) {
    Teardown();
    throw CodedError(env, f.code, f.what());
  } catch (...) {
    Teardown();
    throw;
  }
  sweep_ = std::make_unique<DnsSweep>(loader_->dns_pending_fd(), dns_timeout_ms_);
  // A small queue: when JS falls behind, the poll thread waits, the ring
  // fills, and the kernel counts what it could not store.
  tsfn_ = Tsfn::New(env, info[0].As<Napi::Function>(), "netladder-poll", 16, 1, this, &Monitor::Finalize,
                    static_cast<void*>(nullptr));
  // The poll thread and the thread-safe function use this object until
  // Finalize: a monitor dropped without close() must not be collected
  // while they run.
  Ref();
  RingPoller* poller = poller_.get();
  DnsSweep* sweep = sweep_.get();
  poller_->Start(
      [this](Batch* b) {
        napi_status s = tsfn_.NonBlockingCall(b);
        if (s == napi_ok) return RingPoller::Handoff::kTaken;
        return s == napi_queue_full ? RingPoller::Handoff::kBusy : RingPoller::Handoff::kClosed;
      },
      [poller, sweep](uint64_t now) { sweep->Tick(now, [poller](const void* d, size_t n) { poller->Add(d, n); }); },
      [this] { tsfn_.Release(); });
  return Attached(info);
}

Napi::Value Monitor::Attached(const Napi::CallbackInfo& info) {
  return StatusRows(info.Env(), programs_);
}

// JS thread. close() -> Promise, resolved once every record drained before
// the call has been delivered and every program is detached.
Napi::Value Monitor::Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (closed_) return closed_->Promise();
  closed_.emplace(Napi::Promise::Deferred::New(env));
  if (!poller_ || !poller_->running()) {
    Teardown();
    closed_->Resolve(env.Undefined());
    return closed_->Promise();
  }
  closing_ = true;
  poller_->Drain();
  return closed_->Promise();
}

// JS thread, after the last queued batch was delivered (or dropped, when
// the environment is going away).
void Monitor::Finalize(Napi::Env env, void*, Monitor* self) {
  self->Teardown();
  self->on_error_.Reset();
  if (self->closed_ && !self->killed_) self->closed_->Resolve(env.Undefined());
  self->Unref();
}

void Monitor::Teardown() {
  if (torn_down_) return;
  if (poller_) poller_->Stop(killed_);
  torn_down_ = true;
  poller_.reset();
  loader_.reset();  // detaches every link
}

// JS thread.
void Monitor::CallJs(Napi::Env env, Napi::Function callback, Monitor* self, Batch* raw) {
  std::unique_ptr<Batch> batch(raw);  // freed however the callback returns, or throws
  if (env != nullptr && callback != nullptr) {
    if (batch->error)
      self->ReportPollError(env, batch->error);
    else
      callback.Call({Napi::Buffer<uint8_t>::Copy(env, batch->bytes.data(), batch->bytes.size()),
                     Napi::Number::New(env, batch->records)});
  }
}

// JS thread. To onError; without one it is thrown, which Node-API only
// warns about for callbacks from other threads: callers that care pass one.
void Monitor::ReportPollError(Napi::Env env, int err) {
  Napi::Error e = CodedError(env, "EPOLL", std::string("reading the ring buffer failed: ") + strerror(err));
  if (on_error_.IsEmpty()) throw e;
  on_error_.Call({e.Value()});
}

// JS thread. -> Float64Array [pid, kind, err, count, ...], summed over CPUs
Napi::Value Monitor::ReadCounters(const Napi::CallbackInfo& info) {
  std::vector<double> out;
  if (loader_) AppendKernelCounts(loader_->counts_fd(), out);
  if (sweep_) sweep_->AppendCounts(out);
  Napi::Float64Array arr = Napi::Float64Array::New(info.Env(), out.size());
  std::copy(out.begin(), out.end(), arr.Data());
  return arr;
}

// JS thread. -> [ringbuf_full, rate_limited, counter_full, dns_pending_full], summed over CPUs
Napi::Value Monitor::ReadLosses(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<uint64_t> losses = loader_ ? ReadKernelLosses(loader_->losses_fd()) : std::vector<uint64_t>(NL_LOSS_MAX);
  Napi::Array out = Napi::Array::New(env, losses.size());
  for (uint32_t i = 0; i < losses.size(); i++) out.Set(i, Napi::Number::New(env, double(losses[i])));
  return out;
}

// JS thread. forgetPids([pid, ...]): drop the counters of exited processes
// once user space has folded them into its own totals.
Napi::Value Monitor::ForgetPids(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!loader_ || info.Length() < 1 || !info[0].IsArray()) return Napi::Number::New(env, 0);
  Napi::Array pids = info[0].As<Napi::Array>();
  std::vector<uint32_t> drop;
  for (uint32_t i = 0; i < pids.Length(); i++) drop.push_back(pids.Get(i).As<Napi::Number>().Uint32Value());
  size_t n = ForgetKernelCounts(loader_->counts_fd(), drop);
  if (sweep_) n += sweep_->Forget(drop);
  return Napi::Number::New(env, n);
}

}  // namespace netladder
