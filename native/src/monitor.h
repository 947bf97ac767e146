// Monitor: owns the BPF skeleton, its links and the ring buffer, and a
// dedicated poll thread that drains the ring in batches and hands them to JS
// through one thread-safe function.
//
// Threads: every method named after a JS call runs on the JS thread; PollLoop,
// OnRecord and Flush run on the poll thread, which never touches N-API apart
// from queueing batches on the thread-safe function.
#pragma once
#include <napi.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

struct netladder_bpf;
struct ring_buffer;
struct bpf_program;
struct bpf_link;

namespace netladder {

struct UprobeSpec;
// Files for the uprobes: "libc.so.6" -> paths (the host's, and containers').
using Libraries = std::map<std::string, std::vector<std::string>>;

struct Batch {
  std::vector<uint8_t> bytes;
  uint32_t records = 0;
};

class Monitor : public Napi::ObjectWrap<Monitor> {
 public:
  static void Init(Napi::Env env, Napi::Object exports);
  explicit Monitor(const Napi::CallbackInfo& info);
  ~Monitor() override;

 private:
  static void CallJs(Napi::Env env, Napi::Function callback, Monitor* self, Batch* batch);
  static void Finalize(Napi::Env env, void* unused, Monitor* self);
  using Tsfn = Napi::TypedThreadSafeFunction<Monitor, Batch, CallJs>;

  // JS thread.
  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value ReadCounters(const Napi::CallbackInfo& info);
  Napi::Value ReadLosses(const Napi::CallbackInfo& info);
  Napi::Value ForgetPids(const Napi::CallbackInfo& info);
  Napi::Value Attached(const Napi::CallbackInfo& info);
  void Attach(Napi::Env env);
  struct ProgramStatus;
  void AttachUprobe(bpf_program* prog, const UprobeSpec& u, const Libraries& libs, bool say_missing,
                    std::vector<ProgramStatus>& rows);
  Napi::Value AttachLibraries(const Napi::CallbackInfo& info);
  void Teardown();          // join the thread, destroy links and maps
  static void CleanupHook(Monitor* self);

  // Poll thread.
  void PollLoop();
  static int OnRecord(void* ctx, void* data, size_t size);
  bool Flush();
  void SweepDnsQueries(uint64_t now_ns);

  struct ProgramStatus {
    std::string name;
    std::string hook;
    bool attached = false;
    bool optional = false;  // uprobes: skipping one is not a failure
    std::string error;
  };
  static Napi::Array StatusRows(Napi::Env env, const std::vector<ProgramStatus>& rows);

  uint32_t rate_limit_ = 0;
  uint32_t wake_bytes_ = 256 * 1024;
  uint32_t ring_bytes_ = 8 << 20;
  int drain_ms_ = 50;
  uint32_t max_batch_ = 4096;
  std::vector<std::string> disabled_;
  Libraries libraries_;
  uint32_t dns_timeout_ms_ = 5000;

  netladder_bpf* skel_ = nullptr;
  ring_buffer* ring_ = nullptr;
  std::vector<ProgramStatus> programs_;
  std::vector<bpf_link*> uprobe_links_;
  // Exact counts decided in user space (DNS timeouts): poll thread writes,
  // JS thread reads. Key: (pid, kind, err).
  std::mutex counts_mu_;
  std::map<std::tuple<uint32_t, uint32_t, int32_t>, uint64_t> user_counts_;
  std::thread thread_;
  int stop_fd_ = -1;
  int epoll_fd_ = -1;
  std::atomic<bool> stopping_{false};  // drain what is left, then stop
  std::atomic<bool> killed_{false};    // stop now: the environment is going away
  Batch* batch_ = nullptr;
  Tsfn tsfn_;
  std::optional<Napi::Promise::Deferred> closed_;
  bool started_ = false;
  bool closing_ = false;
  bool torn_down_ = false;
};

}  // namespace netladder
