#include "monitor.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <time.h>

#include <algorithm>
#include <chrono>

#include "errors.h"
#include "libbpf_log.h"
#include "map_keys.h"
#include "netladder.h"
#include "netladder.skel.h"
#include "system.h"

namespace netladder {

// Uprobes: which program goes on which function of which file. A file is
// named by the key user space resolved it under (`libraries` option): the
// C library and libssl as the dynamic loader would find them, musl's C
// library (its getaddrinfo has glibc's signature and EAI codes), and the
// node binary for Node's statically linked OpenSSL. A file or symbol that is
// missing skips that probe, and the attach report says so.
struct UprobeSpec {
  const char* program;
  const char* function;
  bool retprobe;
  const char* files[2];
};

namespace {

uint32_t OptionU32(Napi::Object opts, const char* key, uint32_t fallback) {
  Napi::Value v = opts.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : fallback;
}

// "tp_btf/inet_sock_set_state" -> does the running kernel have it?
bool HookExists(const std::string& section) {
  auto slash = section.find('/');
  // Uprobes name their file at attach time; the kernel side is always there.
  if (slash == std::string::npos) return section == "uprobe" || section == "uretprobe";
  std::string type = section.substr(0, slash), rest = section.substr(slash + 1);
  if (type == "tp_btf" || type == "raw_tp") return RawTracepointExists(rest);
  if (type == "tracepoint") {
    auto s2 = rest.find('/');
    return s2 != std::string::npos && TracefsEventExists(rest.substr(0, s2), rest.substr(s2 + 1));
  }
  return true;
}

const UprobeSpec kUprobes[] = {
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

uint64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);  // the clock of bpf_ktime_get_ns()
  return uint64_t(ts.tv_sec) * 1000000000ULL + uint64_t(ts.tv_nsec);
}

Napi::Error LoadError(Napi::Env env, int err) {
  if (err == EPERM || err == EACCES)
    return CodedError(env, "EPERM",
                      "loading BPF programs needs root, or CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN");
  std::string detail = LastLibbpfMessage();
  return CodedError(env, "ELOAD",
                    std::string("the kernel refused netladder's BPF programs: ") + strerror(err) +
                        (detail.empty() ? "" : " (" + detail + ")"));
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

// JS thread. new Monitor({ rateLimit, wakeBytes, ringBytes, drainMs, maxBatch, disable })
Monitor::Monitor(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Monitor>(info) {
  if (info.Length() > 0 && info[0].IsObject()) {
    Napi::Object o = info[0].As<Napi::Object>();
    rate_limit_ = OptionU32(o, "rateLimit", rate_limit_);
    wake_bytes_ = OptionU32(o, "wakeBytes", wake_bytes_);
    ring_bytes_ = OptionU32(o, "ringBytes", ring_bytes_);
    drain_ms_ = static_cast<int>(OptionU32(o, "drainMs", drain_ms_));
    max_batch_ = std::max<uint32_t>(1, OptionU32(o, "maxBatch", max_batch_));
    dns_timeout_ms_ = std::max<uint32_t>(1, OptionU32(o, "dnsTimeoutMs", dns_timeout_ms_));
    libraries_ = ReadLibraries(o.Get("libraries"));
    Napi::Value d = o.Get("disable");
    if (d.IsArray()) {
      Napi::Array a = d.As<Napi::Array>();
      for (uint32_t i = 0; i < a.Length(); i++) disabled_.push_back(a.Get(i).ToString());
    }
  }
  napi_add_env_cleanup_hook(info.Env(), reinterpret_cast<void (*)(void*)>(&Monitor::CleanupHook), this);
}

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

// JS thread. open -> configure -> load -> attach, one error path.
void Monitor::Attach(Napi::Env env) {
  InstallLibbpfLog();
  skel_ = netladder_bpf__open();
  if (!skel_) throw LoadError(env, errno);
  skel_->rodata->rate_limit = rate_limit_;
  skel_->rodata->wake_bytes = wake_bytes_;
  if (bpf_map__set_max_entries(skel_->maps.nl_events, ring_bytes_))
    throw CodedError(env, "EINVAL", "ringBytes must be a power of two and a multiple of the page size");

  bpf_program* prog;
  bpf_object__for_each_program(prog, skel_->obj) {
    ProgramStatus st;
    st.name = bpf_program__name(prog);
    st.hook = bpf_program__section_name(prog);
    bool off = std::find(disabled_.begin(), disabled_.end(), st.name) != disabled_.end();
    // Optional hooks the kernel lacks are switched off, not failed on.
    if (off || !HookExists(st.hook)) {
      bpf_program__set_autoload(prog, false);
      st.error = off ? "disabled" : "hook not present in this kernel";
    }
    programs_.push_back(st);
  }

  int err = netladder_bpf__load(skel_);
  if (err) throw LoadError(env, -err);

  size_t i = 0;
  std::vector<ProgramStatus> uprobe_rows;
  bpf_object__for_each_program(prog, skel_->obj) {
    ProgramStatus& st = programs_[i++];
    if (!bpf_program__autoload(prog)) continue;
    if (const UprobeSpec* u = FindUprobe(st.name)) {
      AttachUprobe(prog, *u, libraries_, true, uprobe_rows);
      st.name.clear();  // replaced by one row per file
      continue;
    }
    bpf_link* link = bpf_program__attach(prog);
    if (!link) {
      st.error = std::string("attach failed: ") + strerror(errno);
      continue;
    }
    // The skeleton destroys its links on close; give it this one.
    for (int p = 0; p < skel_->skeleton->prog_cnt; p++)
      if (*skel_->skeleton->progs[p].prog == prog) *skel_->skeleton->progs[p].link = link;
    st.attached = true;
  }
  programs_.erase(std::remove_if(programs_.begin(), programs_.end(),
                                 [](const ProgramStatus& p) { return p.name.empty(); }),
                  programs_.end());
  programs_.insert(programs_.end(), uprobe_rows.begin(), uprobe_rows.end());

  ring_ = ring_buffer__new(bpf_map__fd(skel_->maps.nl_events), &Monitor::OnRecord, this, nullptr);
  if (!ring_) throw LoadError(env, errno);
  stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (stop_fd_ < 0 || epoll_fd_ < 0) throw CodedError(env, "EIO", strerror(errno));
  epoll_event ev = {};
  ev.events = EPOLLIN;
  ev.data.fd = ring_buffer__epoll_fd(ring_);
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, ev.data.fd, &ev);
  ev.data.fd = stop_fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, stop_fd_, &ev);
  ReleaseKernelTypes();
}

// JS thread. One row per file: attached, or skipped with the reason. A
// uprobe that cannot attach is never fatal: the process it watches runs on.
void Monitor::AttachUprobe(bpf_program* prog, const UprobeSpec& u, const Libraries& libs, bool say_missing,
                           std::vector<ProgramStatus>& rows) {
  std::string kind = u.retprobe ? "uretprobe" : "uprobe";
  for (const char* file : u.files) {
    if (!file) continue;
    ProgramStatus st;
    st.name = bpf_program__name(prog);
    st.optional = true;
    auto it = libs.find(file);
    if (it == libs.end() || it->second.empty()) {
      if (!say_missing) continue;
      st.hook = kind + ":" + file + ":" + u.function;
      st.error = std::string("skipped: ") + file + " not found";
      rows.push_back(st);
      continue;
    }
    for (const std::string& path : it->second) {
      st.hook = kind + ":" + path + ":" + u.function;
      st.attached = false;
      st.error.clear();
      LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = u.retprobe, .func_name = u.function);
      bpf_link* link = bpf_program__attach_uprobe_opts(prog, -1, path.c_str(), 0, &opts);
      if (!link) {
        int err = errno;
        st.error = err == ENOENT ? std::string("skipped: no symbol ") + u.function + " in " + path
                                 : std::string("skipped: ") + strerror(err);
      } else {
        uprobe_links_.push_back(link);
        st.attached = true;
      }
      rows.push_back(st);
    }
  }
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
// new attachments: more files for the uprobes (a container's own libc,
// found after start). Files already probed are the caller's to leave out.
Napi::Value Monitor::AttachLibraries(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!skel_ || closing_) return Napi::Array::New(env);
  Libraries libs = ReadLibraries(info.Length() > 0 ? info[0] : env.Undefined());
  std::vector<ProgramStatus> rows;
  for (const UprobeSpec& u : kUprobes) {
    bpf_program* prog = bpf_object__find_program_by_name(skel_->obj, u.program);
    if (prog && bpf_program__autoload(prog)) AttachUprobe(prog, u, libs, false, rows);
  }
  programs_.insert(programs_.end(), rows.begin(), rows.end());
  return StatusRows(env, rows);
}

// JS thread. start(onBatch(buffer, records)) -> attach report
Napi::Value Monitor::Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (started_) throw CodedError(env, "EALREADY", "this monitor was already started");
  if (info.Length() < 1 || !info[0].IsFunction())
    throw Napi::TypeError::New(env, "start(onBatch): onBatch must be a function");
  started_ = true;
  try {
    Attach(env);
  } catch (...) {
    Teardown();
    throw;
  }
  batch_ = new Batch();
  // A small queue: when JS falls behind, the poll thread waits, the ring
  // fills, and the kernel counts what it could not store.
  tsfn_ = Tsfn::New(env, info[0].As<Napi::Function>(), "netladder-poll", 16, 1, this, &Monitor::Finalize,
                    static_cast<void*>(nullptr));
  thread_ = std::thread([this] { PollLoop(); });
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
  if (!started_ || !thread_.joinable()) {
    Teardown();
    closed_->Resolve(env.Undefined());
    return closed_->Promise();
  }
  closing_ = true;
  stopping_ = true;
  uint64_t one = 1;
  if (write(stop_fd_, &one, sizeof(one)) < 0) { /* the thread also polls stopping_ */ }
  return closed_->Promise();
}

// JS thread, after the last queued batch was delivered.
void Monitor::Finalize(Napi::Env env, void*, Monitor* self) {
  self->Teardown();
  if (self->closed_ && !self->killed_) self->closed_->Resolve(env.Undefined());
}

void Monitor::Teardown() {
  if (torn_down_) return;
  stopping_ = true;
  if (thread_.joinable()) {
    uint64_t one = 1;
    if (stop_fd_ >= 0 && write(stop_fd_, &one, sizeof(one)) < 0) { /* polled too */ }
    thread_.join();
  }
  torn_down_ = true;
  if (ring_) ring_buffer__free(ring_);
  ring_ = nullptr;
  for (bpf_link* l : uprobe_links_) bpf_link__destroy(l);
  uprobe_links_.clear();
  if (skel_) netladder_bpf__destroy(skel_);  // detaches every link
  skel_ = nullptr;
  if (stop_fd_ >= 0) close(stop_fd_);
  if (epoll_fd_ >= 0) close(epoll_fd_);
  stop_fd_ = epoll_fd_ = -1;
  delete batch_;
  batch_ = nullptr;
}

// JS thread.
void Monitor::CallJs(Napi::Env env, Napi::Function callback, Monitor*, Batch* batch) {
  if (env != nullptr && callback != nullptr) {
    callback.Call({Napi::Buffer<uint8_t>::Copy(env, batch->bytes.data(), batch->bytes.size()),
                   Napi::Number::New(env, batch->records)});
  }
  delete batch;
}

// Poll thread.
void Monitor::PollLoop() {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);  // signals belong to the JS thread
  epoll_event events[2];
  uint64_t next_sweep = 0;
  while (!stopping_) {
    // Wakes when the kernel crossed the byte threshold, or after drain_ms_:
    // the timer drains the records submitted without a wakeup.
    epoll_wait(epoll_fd_, events, 2, drain_ms_);
    if (killed_) break;
    ring_buffer__consume(ring_);
    uint64_t now = MonotonicNs();
    if (now >= next_sweep) {
      SweepDnsQueries(now);
      next_sweep = now + std::min<uint64_t>(500, std::max<uint64_t>(dns_timeout_ms_ / 4, 20)) * 1000000ULL;
    }
    Flush();
  }
  if (!killed_) {
    ring_buffer__consume(ring_);
    Flush();
  }
  tsfn_.Release();
}

// Poll thread. Queries the kernel saw sent and no answer for, older than
// the timeout, become dns_error DNS_TIMEOUT records. Deleting the entry is
// what claims it: an answer racing the sweep deletes it first, and then the
// query is not reported; so each query is counted at most once, here.
void Monitor::SweepDnsQueries(uint64_t now) {
  int fd = bpf_map__fd(skel_->maps.nl_dns_pending);
  uint64_t limit = uint64_t(dns_timeout_ms_) * 1000000ULL;
  std::vector<nl_dns_key> expired;
  nl_host_event q;
  for (const nl_dns_key& k : MapKeys<nl_dns_key>(fd)) {
    // A query sent after `now` was read is young, not 2^64 ns old.
    if (bpf_map_lookup_elem(fd, &k, &q) == 0 && q.ev.ts_ns < now && now - q.ev.ts_ns >= limit)
      expired.push_back(k);
  }
  for (nl_dns_key& k : expired) {
    if (bpf_map_lookup_and_delete_elem(fd, &k, &q) != 0) continue;
    q.ev.ts_ns = now;
    {
      std::lock_guard<std::mutex> lock(counts_mu_);
      user_counts_[{q.ev.pid, uint32_t(q.ev.kind), q.ev.err}] += 1;
    }
    OnRecord(this, &q, sizeof(q));
  }
}

// Poll thread.
int Monitor::OnRecord(void* ctx, void* data, size_t size) {
  Monitor* self = static_cast<Monitor*>(ctx);
  if (size != sizeof(struct nl_event) && size != sizeof(struct nl_host_event)) return 0;
  const uint8_t* p = static_cast<const uint8_t*>(data);
  self->batch_->bytes.insert(self->batch_->bytes.end(), p, p + size);
  if (++self->batch_->records >= self->max_batch_) self->Flush();
  return 0;
}

// Poll thread. Queue the current batch for JS; waits while the queue is full.
bool Monitor::Flush() {
  if (batch_->records == 0) return true;
  Batch* b = batch_;
  batch_ = new Batch();
  batch_->bytes.reserve(b->bytes.size());
  for (;;) {
    napi_status s = tsfn_.NonBlockingCall(b);
    if (s == napi_ok) return true;
    if (s != napi_queue_full || killed_) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  delete b;
  return false;
}

// JS thread. -> Float64Array [pid, kind, err, count, ...], summed over CPUs
Napi::Value Monitor::ReadCounters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<double> out;
  if (skel_) {
    int fd = bpf_map__fd(skel_->maps.nl_counts);
    int ncpu = libbpf_num_possible_cpus();
    std::vector<uint64_t> values(std::max(ncpu, 1));
    for (const nl_count_key& k : MapKeys<nl_count_key>(fd)) {
      if (bpf_map_lookup_elem(fd, &k, values.data()) == 0) {
        uint64_t sum = 0;
        for (uint64_t v : values) sum += v;
        out.insert(out.end(), {double(k.pid), double(k.kind), double(k.err), double(sum)});
      }
    }
  }
  {
    // Counts kept here: DNS timeouts, decided by the sweep.
    std::lock_guard<std::mutex> lock(counts_mu_);
    for (auto& [k, n] : user_counts_)
      out.insert(out.end(), {double(std::get<0>(k)), double(std::get<1>(k)), double(std::get<2>(k)), double(n)});
  }
  Napi::Float64Array arr = Napi::Float64Array::New(env, out.size());
  std::copy(out.begin(), out.end(), arr.Data());
  return arr;
}

// JS thread. -> [ringbuf_full, rate_limited, counter_full], summed over CPUs
Napi::Value Monitor::ReadLosses(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env, NL_LOSS_MAX);
  int ncpu = std::max(libbpf_num_possible_cpus(), 1);
  std::vector<uint64_t> values(ncpu);
  for (uint32_t i = 0; i < NL_LOSS_MAX; i++) {
    uint64_t sum = 0;
    if (skel_ && bpf_map_lookup_elem(bpf_map__fd(skel_->maps.nl_losses), &i, values.data()) == 0)
      for (uint64_t v : values) sum += v;
    out.Set(i, Napi::Number::New(env, double(sum)));
  }
  return out;
}

// JS thread. forgetPids([pid, ...]): drop the kernel counters of exited
// processes once user space has folded them into its own totals.
Napi::Value Monitor::ForgetPids(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!skel_ || info.Length() < 1 || !info[0].IsArray()) return Napi::Number::New(env, 0);
  Napi::Array pids = info[0].As<Napi::Array>();
  std::vector<uint32_t> drop;
  for (uint32_t i = 0; i < pids.Length(); i++) drop.push_back(pids.Get(i).As<Napi::Number>().Uint32Value());
  int fd = bpf_map__fd(skel_->maps.nl_counts);
  std::vector<nl_count_key> victims;
  for (const nl_count_key& k : MapKeys<nl_count_key>(fd))
    if (std::find(drop.begin(), drop.end(), k.pid) != drop.end()) victims.push_back(k);
  for (auto& k : victims) bpf_map_delete_elem(fd, &k);
  size_t n = victims.size();
  std::lock_guard<std::mutex> lock(counts_mu_);
  for (auto it = user_counts_.begin(); it != user_counts_.end();) {
    if (std::find(drop.begin(), drop.end(), std::get<0>(it->first)) != drop.end()) {
      it = user_counts_.erase(it);
      n++;
    } else {
      ++it;
    }
  }
  return Napi::Number::New(env, n);
}

}  // namespace netladder
