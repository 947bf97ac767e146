#include "privileges.h"

#include <dirent.h>
#include <errno.h>
#include <linux/capability.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <set>
#include <vector>

#include "errors.h"

namespace netladder {

namespace {

// The signal glibc reserves for pthread_cancel (SIGRTMIN - 2). Node never
// cancels a thread, so no handler is installed, and glibc's sigprocmask and
// pthread_sigmask never block it: it is the one signal that reaches the
// inspector's thread too, which blocks every other. glibc's sigaction
// refuses it, so the handler is installed with the raw system call, and the
// previous action is put back before returning.
constexpr int kSignal = 32;
constexpr int kMaxThreads = 1024;

struct KernelSigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)();
  uint64_t mask;
};

#if defined(__x86_64__)
// x86-64 signal frames return through a restorer the caller provides.
extern "C" void netladder_sigreturn();
asm(".pushsection .text\n"
    ".globl netladder_sigreturn\n"
    ".type netladder_sigreturn,@function\n"
    "netladder_sigreturn:\n"
    "  mov $15, %rax\n"  // __NR_rt_sigreturn
    "  syscall\n"
    ".popsection\n");
constexpr unsigned long kSaRestorer = 0x04000000;
#endif

struct Plan {
  uint64_t keep = 0;
  std::atomic<int> handled{0};
  pid_t tids[kMaxThreads];
  int errors[kMaxThreads];
};

Plan* g_plan = nullptr;

bool Has(uint64_t set, int cap) { return (set >> cap) & 1; }

// Async-signal-safe: system calls only. Returns 0 or an errno.
int DropHere(uint64_t keep) {
  __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capget, &hdr, data) != 0) return errno;
  uint64_t permitted = data[0].permitted | (uint64_t(data[1].permitted) << 32);
  uint64_t effective = data[0].effective | (uint64_t(data[1].effective) << 32);
  // The bounding set first, while CAP_SETPCAP may still be effective;
  // without it the bounding set stays, and no_new_privs is what stops an
  // exec from regaining anything.
  if (Has(effective, CAP_SETPCAP))
    for (int cap = 0; cap <= CAP_LAST_CAP; cap++)
      if (!Has(keep, cap) && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1 && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
        return errno;
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
  uint64_t kept = keep & permitted;
  data[0].effective = data[0].permitted = uint32_t(kept);
  data[1].effective = data[1].permitted = uint32_t(kept >> 32);
  // Empty inheritable: the ambient set, a subset of it, goes too.
  data[0].inheritable = data[1].inheritable = 0;
  if (syscall(SYS_capset, &hdr, data) != 0) return errno;
  return 0;
}

void OnSignal(int) {
  int saved = errno;
  Plan* plan = g_plan;
  if (plan) {
    int err = DropHere(plan->keep);
    // Claim a slot only after dropping: the JS thread reads it as done.
    int i = plan->handled.fetch_add(1);
    if (i < kMaxThreads) {
      plan->errors[i] = err;
      __atomic_store_n(&plan->tids[i], static_cast<pid_t>(syscall(SYS_gettid)), __ATOMIC_RELEASE);
    }
  }
  errno = saved;
}

int InstallHandler(KernelSigaction* old) {
  KernelSigaction sa = {};
  sa.handler = OnSignal;
  sa.flags = SA_RESTART;
#if defined(__x86_64__)
  sa.flags |= kSaRestorer;
  sa.restorer = netladder_sigreturn;
#endif
  return syscall(SYS_rt_sigaction, kSignal, &sa, old, sizeof(sa.mask)) == 0 ? 0 : errno;
}

std::vector<pid_t> Threads() {
  std::vector<pid_t> out;
  DIR* d = opendir("/proc/self/task");
  if (!d) return out;
  while (dirent* e = readdir(d))
    if (e->d_name[0] != '.') out.push_back(static_cast<pid_t>(atoi(e->d_name)));
  closedir(d);
  return out;
}

bool Handled(const Plan& plan, pid_t tid) {
  int n = std::min(plan.handled.load(), kMaxThreads);
  for (int i = 0; i < n; i++)
    if (__atomic_load_n(&plan.tids[i], __ATOMIC_ACQUIRE) == tid) return true;
  return false;
}

}  // namespace

DropResult DropPrivileges(uint64_t keep) {
  DropResult r;
  static Plan plan;
  plan.keep = keep;
  plan.handled = 0;
  memset(plan.tids, 0, sizeof(plan.tids));
  g_plan = &plan;
  KernelSigaction old = {};
  if (int err = InstallHandler(&old)) {
    r.error = err;
    r.failed = "installing the signal handler";
    return r;
  }
  pid_t self = static_cast<pid_t>(syscall(SYS_gettid));
  pid_t pid = getpid();
  std::set<pid_t> gone;  // exited before the signal reached them
  std::set<pid_t> signalled;
  // Until a listing shows no thread that has not dropped: a thread created
  // meanwhile by one that had not dropped yet is caught by the next pass.
  for (int pass = 0; pass < 100; pass++) {
    bool fresh = false;
    for (pid_t tid : Threads()) {
      if (tid == self || gone.count(tid) || signalled.count(tid)) continue;
      fresh = true;
      signalled.insert(tid);
      if (syscall(SYS_tgkill, pid, tid, kSignal) != 0) gone.insert(tid);
    }
    // Wait for every signalled thread (a few ms; two seconds at most).
    for (int waited = 0; waited < 2000; waited++) {
      bool all = true;
      for (pid_t tid : signalled)
        if (!gone.count(tid) && !Handled(plan, tid) && syscall(SYS_tgkill, pid, tid, 0) == 0) all = false;
      if (all) break;
      timespec ms = {0, 1000000};
      nanosleep(&ms, nullptr);
    }
    if (!fresh) break;
  }
  for (pid_t tid : signalled)
    if (!Handled(plan, tid) && syscall(SYS_tgkill, pid, tid, 0) == 0 && !r.error) {
      r.error = ETIMEDOUT;
      r.failed = "thread " + std::to_string(tid) + " did not drop its capabilities";
    }
  syscall(SYS_rt_sigaction, kSignal, &old, nullptr, sizeof(old.mask));
  g_plan = nullptr;
  int n = std::min(plan.handled.load(), kMaxThreads);
  for (int i = 0; i < n && !r.error; i++)
    if (plan.errors[i]) {
      r.error = plan.errors[i];
      r.failed = "thread " + std::to_string(plan.tids[i]);
    }
  // This thread last: it must keep CAP_SETPCAP until it is done listing.
  if (int err = DropHere(keep); err && !r.error) {
    r.error = err;
    r.failed = "the calling thread";
  }
  r.threads = n + 1;
  return r;
}

Napi::Value DropPrivilegesJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray())
    throw Napi::TypeError::New(env, "dropPrivileges(keep): keep must be an array of capability numbers");
  Napi::Array a = info[0].As<Napi::Array>();
  uint64_t keep = 0;
  for (uint32_t i = 0; i < a.Length(); i++) {
    uint32_t cap = a.Get(i).As<Napi::Number>().Uint32Value();
    if (cap > CAP_LAST_CAP) throw Napi::RangeError::New(env, "dropPrivileges(keep): no such capability");
    keep |= uint64_t(1) << cap;
  }
  DropResult r = DropPrivileges(keep);
  if (r.error)
    throw CodedError(env, "EPRIVDROP",
                     "could not drop capabilities: " + r.failed + ": " + strerror(r.error));
  Napi::Object out = Napi::Object::New(env);
  out.Set("threads", r.threads);
  return out;
}

}  // namespace netladder
