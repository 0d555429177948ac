#include "pipeline/base/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "pipeline/base/logging.h"

namespace jsqa {

namespace {

// Whether an in-place line is currently drawn on the terminal.
std::atomic<bool> g_line_drawn{false};


}  // namespace

std::string FormatSeconds(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  char text[32];
  if (seconds < 59.95) {
    std::snprintf(text, sizeof text, "%.1fs", seconds);
    return text;
  }
  const int64_t total = static_cast<int64_t>(seconds + 0.5);
  if (total >= 3600)
    std::snprintf(text, sizeof text, "%lldh%02lldm", static_cast<long long>(total / 3600),
                  static_cast<long long>(total % 3600 / 60));
  else
    std::snprintf(text, sizeof text, "%lldm%02llds", static_cast<long long>(total / 60),
                  static_cast<long long>(total % 60));
  return text;
}

void ClearProgressLine() {
  if (g_line_drawn.exchange(false)) std::fputs("\r\033[K", stderr);
}

Progress::Progress(std::string label, int64_t total, std::string unit, double interval_seconds)
    : label_(std::move(label)),
      total_(total),
      unit_(std::move(unit)),
      interval_seconds_(interval_seconds),
      terminal_(::isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_report_(start_) {}

Progress::~Progress() { Finish(); }

void Progress::Advance(int64_t count) {
  const int64_t done = done_.fetch_add(count) + count;
  // Reading the clock on every item would cost more than small items do.
  if (done < next_check_.load(std::memory_order_relaxed)) return;
  next_check_.store(done + std::max<int64_t>(1, total_ / 1000), std::memory_order_relaxed);
  Report(false);
}

void Progress::Finish() { Report(true); }

void Progress::Report(bool final) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  const auto now = std::chrono::steady_clock::now();
  const double since_last = std::chrono::duration<double>(now - last_report_).count();
  if (!final && since_last < (terminal_ ? 0.1 : interval_seconds_)) return;
  if (CurrentLogLevel() > LogLevel::kInfo) return;  // --log-level warn or error: quiet
  last_report_ = now;
  finished_ = final;

  const int64_t done = done_.load();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? done / elapsed : 0.0;
  char line[256];
  if (total_ > 0) {
    const double eta = rate > 0 ? (total_ - done) / rate : NAN;
    std::snprintf(line, sizeof line, "%s: %lld/%lld %s (%.0f%%), %.1f %s/s, %s %s", label_.c_str(),
                  static_cast<long long>(done), static_cast<long long>(total_), unit_.c_str(),
                  100.0 * done / total_, rate, unit_.c_str(), final ? "took" : "ETA",
                  FormatSeconds(final ? elapsed : eta).c_str());
  } else {
    std::snprintf(line, sizeof line, "%s: %lld %s, %.1f %s/s, %s elapsed", label_.c_str(),
                  static_cast<long long>(done), unit_.c_str(), rate, unit_.c_str(),
                  FormatSeconds(elapsed).c_str());
  }
  if (terminal_) {
    std::fprintf(stderr, "\r\033[K%s%s", line, final ? "\n" : "");
    g_line_drawn.store(!final);
  } else {
    std::fprintf(stderr, "%s\n", line);
  }
}

}  // namespace jsqa
