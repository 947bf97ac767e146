#include "kernel_counts.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <algorithm>

#include "map_keys.h"
#include "netladder.h"

namespace netladder {

namespace {
std::vector<uint64_t> PerCpuValues() {
  return std::vector<uint64_t>(std::max(libbpf_num_possible_cpus(), 1));
}
}  // namespace

void AppendKernelCounts(int fd, std::vector<double>& out) {
  std::vector<uint64_t> values = PerCpuValues();
  for (const nl_count_key& k : MapKeys<nl_count_key>(fd)) {
    if (bpf_map_lookup_elem(fd, &k, values.data()) == 0) {
      uint64_t sum = 0;
      for (uint64_t v : values) sum += v;
      out.insert(out.end(), {double(k.pid), double(k.kind), double(k.err), double(sum)});
    }
  }
}

size_t ForgetKernelCounts(int fd, const std::vector<uint32_t>& pids) {
  std::vector<nl_count_key> victims;
  for (const nl_count_key& k : MapKeys<nl_count_key>(fd))
    if (std::find(pids.begin(), pids.end(), k.pid) != pids.end()) victims.push_back(k);
  for (auto& k : victims) bpf_map_delete_elem(fd, &k);
  return victims.size();
}

std::vector<uint64_t> ReadKernelLosses(int fd) {
  std::vector<uint64_t> out(NL_LOSS_MAX, 0);
  std::vector<uint64_t> values = PerCpuValues();
  for (uint32_t i = 0; i < NL_LOSS_MAX; i++)
    if (bpf_map_lookup_elem(fd, &i, values.data()) == 0)
      for (uint64_t v : values) out[i] += v;
  return out;
}

}  // namespace netladder
