// Loader: open -> configure -> load -> attach netladder's BPF object, and
// own what that made: the skeleton and every link, in one list, until it is
// destroyed. Knows nothing of N-API; failures are thrown as Failure.
//
// Threads: JS thread only. The poll thread reads the maps through their
// file descriptors, which stay valid as long as the Loader lives.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct netladder_bpf;
struct bpf_program;
struct bpf_link;

namespace netladder {

struct UprobeSpec;

// Files for the uprobes: "libc.so.6" -> paths (the host's, and containers').
using Libraries = std::map<std::string, std::vector<std::string>>;

struct LoadOptions {
  uint32_t rate_limit = 0;
  uint32_t wake_bytes = 256 * 1024;
  uint32_t ring_bytes = 8 << 20;
  std::vector<std::string> disabled;
  Libraries libraries;
};

// One row of the attach report: a program, or a uprobe on one file.
struct ProgramStatus {
  std::string name;
  std::string hook;
  bool attached = false;
  bool optional = false;  // uprobes: skipping one is not a failure
  std::string error;
};

class Loader {
 public:
  // Throws Failure; whatever was opened or attached by then is freed.
  static std::unique_ptr<Loader> Load(const LoadOptions& options);
  ~Loader();  // every link, then the object and its maps
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  // One row per program (per file for uprobes) as Load attached them.
  const std::vector<ProgramStatus>& report() const { return report_; }
  // More files for the uprobes (a container's own libc, found after start):
  // the rows of the new attachments. Files already probed are the caller's
  // to leave out.
  std::vector<ProgramStatus> AttachLibraries(const Libraries& libs);

  int ring_fd() const;
  int counts_fd() const;
  int losses_fd() const;
  int dns_pending_fd() const;

 private:
  Loader() = default;
  void Open(const LoadOptions& options);
  void Attach(const Libraries& libs);
  void AttachUprobe(bpf_program* prog, const UprobeSpec& u, const Libraries& libs, bool say_missing,
                    std::vector<ProgramStatus>& rows);

  netladder_bpf* skel_ = nullptr;
  std::vector<bpf_link*> links_;
  std::vector<ProgramStatus> report_;
};

}  // namespace netladder
