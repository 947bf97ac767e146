#include "loader.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <string.h>

#include <algorithm>

#include "failure.h"
#include "libbpf_log.h"
#include "netladder.skel.h"
#include "system.h"
#include "uprobes.h"

namespace netladder {

namespace {

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

}  // namespace

std::unique_ptr<Loader> Loader::Load(const LoadOptions& options) {
  // Not make_unique: the constructor is private.
  std::unique_ptr<Loader> l(new Loader());
  l->Open(options);
  int err = netladder_bpf__load(l->skel_);
  if (err) throw KernelRefused(-err);
  l->Attach(options.libraries);
  ReleaseKernelTypes();
  return l;
}

Loader::~Loader() {
  for (bpf_link* link : links_) bpf_link__destroy(link);
  if (skel_) netladder_bpf__destroy(skel_);
}

// Open and configure: constants, the ring's size, and which programs load.
void Loader::Open(const LoadOptions& options) {
  InstallLibbpfLog();
  skel_ = netladder_bpf__open();
  if (!skel_) throw KernelRefused(errno);
  skel_->rodata->rate_limit = options.rate_limit;
  skel_->rodata->wake_bytes = options.wake_bytes;
  if (bpf_map__set_max_entries(skel_->maps.nl_events, options.ring_bytes))
    throw Failure("EINVAL", "ringBytes must be a power of two and a multiple of the page size");

  bpf_program* prog;
  bpf_object__for_each_program(prog, skel_->obj) {
    ProgramStatus st;
    st.name = bpf_program__name(prog);
    st.hook = bpf_program__section_name(prog);
    bool off = std::find(options.disabled.begin(), options.disabled.end(), st.name) != options.disabled.end();
    // Optional hooks the kernel lacks are switched off, not failed on.
    if (off || !HookExists(st.hook)) {
      bpf_program__set_autoload(prog, false);
      st.error = off ? "disabled" : "hook not present in this kernel";
    }
    report_.push_back(st);
  }
}

// A program that fails to attach is reported, not thrown: the caller decides
// (capture refuses to run without it, doctor lists it).
void Loader::Attach(const Libraries& libs) {
  size_t i = 0;
  std::vector<ProgramStatus> uprobe_rows;
  bpf_program* prog;
  bpf_object__for_each_program(prog, skel_->obj) {
    ProgramStatus& st = report_[i++];
    if (!bpf_program__autoload(prog)) continue;
    if (const UprobeSpec* u = FindUprobe(st.name)) {
      AttachUprobe(prog, *u, libs, true, uprobe_rows);
      st.name.clear();  // replaced by one row per file
      continue;
    }
    bpf_link* link = bpf_program__attach(prog);
    if (!link) {
      st.error = std::string("attach failed: ") + strerror(errno);
      continue;
    }
    links_.push_back(link);
    st.attached = true;
  }
  report_.erase(std::remove_if(report_.begin(), report_.end(), [](const ProgramStatus& p) { return p.name.empty(); }),
                report_.end());
  report_.insert(report_.end(), uprobe_rows.begin(), uprobe_rows.end());
}

// One row per file: attached, skipped (no file, no symbol) or failed, with
// the reason. A uprobe that cannot attach is never fatal: the process it
// watches runs on.
void Loader::AttachUprobe(bpf_program* prog, const UprobeSpec& u, const Libraries& libs, bool say_missing,
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
        // A missing symbol is this file's nature; anything else (a refusal
        // for want of a capability) is a failure doctor reports.
        st.error = err == ENOENT ? std::string("skipped: no symbol ") + u.function + " in " + path
                                 : std::string("attach failed: ") + strerror(err);
      } else {
        links_.push_back(link);
        st.attached = true;
      }
      rows.push_back(st);
    }
  }
}

std::vector<ProgramStatus> Loader::AttachLibraries(const Libraries& libs) {
  std::vector<ProgramStatus> rows;
  for (const UprobeSpec& u : kUprobes) {
    bpf_program* prog = bpf_object__find_program_by_name(skel_->obj, u.program);
    if (prog && bpf_program__autoload(prog)) AttachUprobe(prog, u, libs, false, rows);
  }
  return rows;
}

int Loader::ring_fd() const { return bpf_map__fd(skel_->maps.nl_events); }
int Loader::counts_fd() const { return bpf_map__fd(skel_->maps.nl_counts); }
int Loader::losses_fd() const { return bpf_map__fd(skel_->maps.nl_losses); }
int Loader::dns_pending_fd() const { return bpf_map__fd(skel_->maps.nl_dns_pending); }

}  // namespace netladder
