// Runs produce() on a background thread, keeping up to depth results ready
// ahead of the consumer, so that preparing a training step's data overlaps
// the device's compute of the one before (model/pretrain.cc), and reading
// the next batch of shards overlaps handing over this one (pair_batches.cc). An exception thrown by produce()
// is rethrown by Next() once the results made before it are taken.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

namespace jsqa {

template <typename T>
class Prefetcher {
 public:
  Prefetcher(std::function<T()> produce, size_t depth)
      : produce_(std::move(produce)), depth_(depth), thread_([this] { Run(); }) {}

  ~Prefetcher() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  T Next() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return !ready_.empty() || error_; });
    if (ready_.empty()) std::rethrow_exception(error_);
    T item = std::move(ready_.front());
    ready_.pop_front();
    changed_.notify_all();
    return item;
  }

 private:
  void Run() {
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return stop_ || ready_.size() < depth_; });
        if (stop_) return;
      }
      try {
        T item = produce_();
        std::lock_guard<std::mutex> lock(mutex_);
        ready_.push_back(std::move(item));
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        error_ = std::current_exception();
        changed_.notify_all();
        return;
      }
      changed_.notify_all();
    }
  }

  std::function<T()> produce_;
  const size_t depth_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<T> ready_;
  std::exception_ptr error_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace jsqa
