// Leveled logging to stderr and, while a stage runs, to that stage's log file.
// Thread-safe: lines from parallel workers never interleave mid-line.
#pragma once

#include <memory>
#include <sstream>
#include <string>

namespace jsqa {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// "debug" | "info" | "warn" | "error"; throws UsageError otherwise.
LogLevel ParseLogLevel(const std::string& name);

void SetLogLevel(LogLevel level);
LogLevel CurrentLogLevel();
// Also write every line (all levels) to path, appending; "" stops.
void SetLogFile(const std::string& path);
void LogLine(LogLevel level, const std::string& message);

namespace detail {
class LogStream {
 public:
  explicit LogStream(LogLevel level) : level_(level) {}
  ~LogStream() { LogLine(level_, out_.str()); }
  template <typename T>
  LogStream& operator<<(const T& value) {
    out_ << value;
    return *this;
  }

 private:
  LogLevel level_;
  std::ostringstream out_;
};
}  // namespace detail

}  // namespace jsqa

// JSQA_LOG(kInfo) << "wrote " << n << " pairs";
#define JSQA_LOG(level) ::jsqa::detail::LogStream(::jsqa::LogLevel::level)
