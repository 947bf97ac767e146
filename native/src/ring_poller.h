// RingPoller: a dedicated thread that drains the ring buffer in batches and
// hands each batch to a Deliver function (the N-API class queues it for JS).
//
// The transport contract: a batch is records back to back, each a u32
// length in host byte order followed by that many bytes; JS walks by the
// length and checks it against the record's kind. A poll that fails (other
// than by EINTR) is delivered as a batch that carries only the errno, after
// what was read before it; the thread then leaves the ring alone and waits
// to be stopped, so close() works as ever.
//
// Threads: the constructor, Start, Drain, Stop and the destructor run on the
// JS thread; everything else on the poll thread, which never touches N-API.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

struct ring_buffer;

namespace netladder {

struct Batch {
  std::vector<uint8_t> bytes;
  uint32_t records = 0;
  int error = 0;  // a failed poll: its errno, and no records
};

class RingPoller {
 public:
  enum class Handoff { kTaken, kBusy, kClosed };
  // Poll thread. kTaken: the batch is the callee's now.
  using Deliver = std::function<Handoff(Batch*)>;
  // Poll thread, after each drain, with CLOCK_MONOTONIC ns.
  using Tick = std::function<void(uint64_t now_ns)>;
  // Poll thread, last thing before it ends.
  using Finished = std::function<void()>;

  // Throws Failure.
  RingPoller(int ring_fd, int drain_ms, uint32_t max_batch);
  ~RingPoller();  // stops at once, joins, frees the ring
  RingPoller(const RingPoller&) = delete;
  RingPoller& operator=(const RingPoller&) = delete;

  void Start(Deliver deliver, Tick tick, Finished finished);
  // Deliver what the ring still holds, then end the thread.
  void Drain();
  // End the thread now and wait for it; with `now`, deliver nothing more
  // (the environment is going away).
  void Stop(bool now);
  bool running() const { return thread_.joinable(); }

  // Poll thread: a record made in user space joins the current batch.
  void Add(const void* data, size_t size);

 private:
  void PollLoop();
  int Consume();
  void WaitForStop();
  static int OnRecord(void* ctx, void* data, size_t size);
  void Flush();
  void Hand(std::unique_ptr<Batch> b);
  void Wake();
  void Free();

  int drain_ms_;
  uint32_t max_batch_;
  ring_buffer* ring_ = nullptr;
  int stop_fd_ = -1;
  int epoll_fd_ = -1;
  Deliver deliver_;
  Tick tick_;
  Finished finished_;
  std::unique_ptr<Batch> batch_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};  // drain what is left, then stop
  std::atomic<bool> killed_{false};    // stop now: the environment is going away
};

}  // namespace netladder
