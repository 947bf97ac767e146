// DnsSweep: queries the kernel saw sent and no answer for, older than the
// timeout, become dns_error DNS_TIMEOUT records, and are counted here (the
// kernel never sees the timeout, so these counts are user space's own).
//
// Threads: Tick runs on the poll thread; the constructor, AppendCounts and
// Forget on the JS thread. The counts are shared under a mutex.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <tuple>
#include <vector>

namespace netladder {

class DnsSweep {
 public:
  // (data, size) of one record for the batch.
  using Emit = std::function<void(const void*, size_t)>;

  DnsSweep(int pending_fd, uint32_t timeout_ms);
  // Sweeps when one is due: often enough to report a timeout soon after it
  // expires, rarely enough to leave the map alone most of the time.
  void Tick(uint64_t now_ns, const Emit& emit);
  // Appends [pid, kind, err, count] per key.
  void AppendCounts(std::vector<double>& out);
  // Drops the counts of these processes; how many keys went.
  size_t Forget(const std::vector<uint32_t>& pids);

 private:
  void Sweep(uint64_t now_ns, const Emit& emit);

  int fd_;
  uint64_t limit_ns_;
  uint64_t period_ns_;
  uint64_t next_ns_ = 0;
  std::mutex mu_;
  // Key: (pid, kind, err).
  std::map<std::tuple<uint32_t, uint32_t, int32_t>, uint64_t> counts_;
};

}  // namespace netladder
