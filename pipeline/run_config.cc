#include "pipeline/run_config.h"

#include <thread>

#include "augment/error.h"

namespace jsqa {

void RunConfig::Register(po::options_description& options, const std::string& prefix) {
  options.add_options()((prefix + ".threads").c_str(), po::value(&threads)->default_value(threads),
                        "worker threads: auto (all cores) or a count >= 1; never changes results");
}

void RunConfig::Validate(const std::string& prefix) const {
  if (threads == "auto") return;
  size_t used = 0;
  int count = 0;
  try {
    count = std::stoi(threads, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != threads.size() || count < 1)
    throw UsageError(prefix + ".threads = '" + threads + "': allowed: auto or an integer >= 1");
}

std::string RunConfig::ToString() const { return KeyValueText().Add("threads", threads).str(); }

int RunConfig::Threads() const {
  if (threads != "auto") return std::stoi(threads);
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace jsqa
