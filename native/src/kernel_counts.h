// The kernel's exact counts: nl_counts per (pid, kind, err) and nl_losses,
// both per-CPU and summed here.
//
// Threads: JS thread (any thread would do: they only read and delete map
// entries through file descriptors).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace netladder {

// Appends [pid, kind, err, count] per key.
void AppendKernelCounts(int counts_fd, std::vector<double>& out);
// Deletes the keys of these processes; how many went.
size_t ForgetKernelCounts(int counts_fd, const std::vector<uint32_t>& pids);
// Indexed by enum nl_loss.
std::vector<uint64_t> ReadKernelLosses(int losses_fd);

}  // namespace netladder
