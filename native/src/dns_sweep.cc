#include "dns_sweep.h"

#include <bpf/bpf.h>

#include <algorithm>

#include "map_keys.h"
#include "netladder.h"

namespace netladder {

DnsSweep::DnsSweep(int pending_fd, uint32_t timeout_ms)
    : fd_(pending_fd),
      limit_ns_(uint64_t(timeout_ms) * 1000000ULL),
      period_ns_(std::min<uint64_t>(500, std::max<uint64_t>(timeout_ms / 4, 20)) * 1000000ULL) {}

void DnsSweep::Tick(uint64_t now, const Emit& emit) {
  if (now < next_ns_) return;
  Sweep(now, emit);
  next_ns_ = now + period_ns_;
}

// Deleting the entry is what claims it: an answer racing the sweep deletes
// it first, and then the query is not reported; so each query is counted at
// most once, here.
void DnsSweep::Sweep(uint64_t now, const Emit& emit) {
  std::vector<nl_dns_key> expired;
  nl_host_event q;
  for (const nl_dns_key& k : MapKeys<nl_dns_key>(fd_)) {
    // A query sent after `now` was read is young, not 2^64 ns old.
    if (bpf_map_lookup_elem(fd_, &k, &q) == 0 && q.ev.ts_ns < now && now - q.ev.ts_ns >= limit_ns_)
      expired.push_back(k);
  }
  for (nl_dns_key& k : expired) {
    if (bpf_map_lookup_and_delete_elem(fd_, &k, &q) != 0) continue;
    q.ev.ts_ns = now;
    {
      std::lock_guard<std::mutex> lock(mu_);
      counts_[{q.ev.pid, uint32_t(q.ev.kind), q.ev.err}] += 1;
    }
    emit(&q, sizeof(q));
  }
}

void DnsSweep::AppendCounts(std::vector<double>& out) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [k, n] : counts_)
    out.insert(out.end(), {double(std::get<0>(k)), double(std::get<1>(k)), double(std::get<2>(k)), double(n)});
}

size_t DnsSweep::Forget(const std::vector<uint32_t>& pids) {
  size_t n = 0;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = counts_.begin(); it != counts_.end();) {
    if (std::find(pids.begin(), pids.end(), std::get<0>(it->first)) != pids.end()) {
      it = counts_.erase(it);
      n++;
    } else {
      ++it;
    }
  }
  return n;
}

}  // namespace netladder
