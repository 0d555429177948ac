// Progress of long work on stderr: done/total, rate and ETA.
//
// On a terminal the line is redrawn in place (at most 10 times a second);
// otherwise (logs, SLURM) a plain line is printed every interval_seconds and
// at the end. Advance() is thread-safe and cheap (one atomic add, a clock
// read only every so often).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace jsqa {

// A duration as progress lines, logs and inspect print it: "7.2s", "2m55s",
// "1h05m" (one format for every duration the tool prints).
std::string FormatSeconds(double seconds);

class Progress {
 public:
  // total <= 0: unknown (no ETA). unit names what is counted ("files").
  Progress(std::string label, int64_t total, std::string unit, double interval_seconds = 10.0);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void Advance(int64_t count = 1);
  // Prints the final line (also done by the destructor).
  void Finish();

 private:
  void Report(bool final);

  const std::string label_;
  const int64_t total_;
  const std::string unit_;
  const double interval_seconds_;
  const bool terminal_;
  const std::chrono::steady_clock::time_point start_;
  std::atomic<int64_t> done_{0};
  std::atomic<int64_t> next_check_{1};
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_report_;
  bool finished_ = false;
};

// Erases an in-place progress line before other output (called by logging).
void ClearProgressLine();

}  // namespace jsqa
