// [run]: how a run executes, not what it computes. These keys never enter a
// stage's cache key: outputs are identical for any thread count.
#pragma once

#include <string>

#include "pipeline/config.h"

namespace jsqa {

struct RunConfig : ConfigSection {
  std::string threads = "auto";  // worker threads: "auto" (all cores) or a count >= 1

  void Register(po::options_description& options, const std::string& prefix) override;
  void Validate(const std::string& prefix) const override;
  std::string ToString() const override;

  // Resolved thread count (>= 1).
  int Threads() const;
};

}  // namespace jsqa
