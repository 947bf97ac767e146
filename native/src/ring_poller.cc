#include "ring_poller.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <chrono>

#include "failure.h"

namespace netladder {

namespace {
uint64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);  // the clock of bpf_ktime_get_ns()
  return uint64_t(ts.tv_sec) * 1000000000ULL + uint64_t(ts.tv_nsec);
}
}  // namespace

RingPoller::RingPoller(int ring_fd, int drain_ms, uint32_t max_batch)
    : drain_ms_(drain_ms), max_batch_(max_batch), batch_(new Batch()) {
  ring_ = ring_buffer__new(ring_fd, &RingPoller::OnRecord, this, nullptr);
  if (!ring_) throw KernelRefused(errno);
  stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (stop_fd_ < 0 || epoll_fd_ < 0) {
    Failure f("EIO", strerror(errno));
    Free();
    throw f;
  }
  epoll_event ev = {};
  ev.events = EPOLLIN;
  ev.data.fd = ring_buffer__epoll_fd(ring_);
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, ev.data.fd, &ev);
  ev.data.fd = stop_fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, stop_fd_, &ev);
}

RingPoller::~RingPoller() {
  Stop(true);
  Free();
}

void RingPoller::Free() {
  if (ring_) ring_buffer__free(ring_);
  ring_ = nullptr;
  if (stop_fd_ >= 0) close(stop_fd_);
  if (epoll_fd_ >= 0) close(epoll_fd_);
  stop_fd_ = epoll_fd_ = -1;
}

void RingPoller::Start(Deliver deliver, Tick tick, Finished finished) {
  deliver_ = std::move(deliver);
  tick_ = std::move(tick);
  finished_ = std::move(finished);
  thread_ = std::thread([this] { PollLoop(); });
}

void RingPoller::Wake() {
  uint64_t one = 1;
  if (stop_fd_ >= 0 && write(stop_fd_, &one, sizeof(one)) < 0) { /* the thread also polls stopping_ */ }
}

void RingPoller::Drain() {
  stopping_ = true;
  Wake();
}

void RingPoller::Stop(bool now) {
  if (now) killed_ = true;
  stopping_ = true;
  if (!thread_.joinable()) return;
  Wake();
  thread_.join();
}

// Poll thread.
void RingPoller::PollLoop() {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);  // signals belong to the JS thread
  epoll_event events[2];
  int error = 0;
  while (!stopping_ && !error) {
    // Wakes when the kernel crossed the byte threshold, or after drain_ms_:
    // the timer drains the records submitted without a wakeup.
    if (epoll_wait(epoll_fd_, events, 2, drain_ms_) < 0 && errno != EINTR) error = errno;
    if (killed_) break;
    if (!error) error = Consume();
    if (!error) tick_(MonotonicNs());
    Flush();
  }
  if (!killed_ && !error) {
    error = Consume();
    Flush();
  }
  if (error && !killed_) {
    std::unique_ptr<Batch> failed(new Batch());
    failed->error = error;
    Hand(std::move(failed));
    WaitForStop();
  }
  finished_();
}

// Poll thread. -> 0, or the errno of a failed read.
int RingPoller::Consume() {
  int n = ring_buffer__consume(ring_);
  return n < 0 && n != -EINTR ? -n : 0;
}

// Poll thread: after a failure the ring is left alone until close.
void RingPoller::WaitForStop() {
  pollfd p = {stop_fd_, POLLIN, 0};
  while (!stopping_) poll(&p, 1, -1);
}

// Poll thread. Every record goes on, whatever its size: JS checks the
// length against the kind, so a mismatch is reported rather than dropped.
int RingPoller::OnRecord(void* ctx, void* data, size_t size) {
  static_cast<RingPoller*>(ctx)->Add(data, size);
  return 0;
}

void RingPoller::Add(const void* data, size_t size) {
  uint32_t length = static_cast<uint32_t>(size);
  const uint8_t* l = reinterpret_cast<const uint8_t*>(&length);
  const uint8_t* p = static_cast<const uint8_t*>(data);
  batch_->bytes.insert(batch_->bytes.end(), l, l + sizeof(length));
  batch_->bytes.insert(batch_->bytes.end(), p, p + size);
  if (++batch_->records >= max_batch_) Flush();
}

// Poll thread. Hand the current batch on; waits while JS's queue is full.
void RingPoller::Flush() {
  if (batch_->records == 0) return;
  std::unique_ptr<Batch> b = std::move(batch_);
  batch_.reset(new Batch());
  batch_->bytes.reserve(b->bytes.size());
  Hand(std::move(b));
}

void RingPoller::Hand(std::unique_ptr<Batch> b) {
  for (;;) {
    Handoff h = deliver_(b.get());
    if (h == Handoff::kTaken) {
      b.release();
      return;
    }
    if (h != Handoff::kBusy || killed_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace netladder
