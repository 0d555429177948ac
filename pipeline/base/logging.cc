#include "pipeline/base/logging.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <mutex>

#include "pipeline/base/error.h"
#include "pipeline/base/progress.h"

namespace jsqa {
namespace {

struct LogState {
  std::mutex mutex;
  LogLevel level = LogLevel::kInfo;
  std::ofstream file;
};

LogState& State() {
  static LogState state;
  return state;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "?";
}

std::string Timestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &local);
  return text;
}

}  // namespace

LogLevel ParseLogLevel(const std::string& name) {
  for (LogLevel level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError})
    if (name == LevelName(level)) return level;
  throw UsageError("--log-level '" + name + "': allowed: debug, info, warn, error");
}

void SetLogLevel(LogLevel level) {
  std::lock_guard<std::mutex> lock(State().mutex);
  State().level = level;
}

LogLevel CurrentLogLevel() {
  std::lock_guard<std::mutex> lock(State().mutex);
  return State().level;
}

void SetLogFile(const std::string& path) {
  LogState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (state.file.is_open()) state.file.close();
  if (!path.empty()) {
    state.file.open(path, std::ios::app);
    JSQA_CHECK(state.file.is_open(), path, ": cannot open log file");
  }
}

void LogLine(LogLevel level, const std::string& message) {
  LogState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  const std::string line = Timestamp() + " " + LevelName(level) + " " + message + "\n";
  if (state.file.is_open()) state.file << line << std::flush;
  if (level < state.level) return;
  // A progress bar redrawn in place owns the current terminal line.
  ClearProgressLine();
  std::fputs(line.c_str(), stderr);
}

}  // namespace jsqa
