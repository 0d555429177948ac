// The run graph from a config's [graph] section: each key a stage, its value
// the comma-separated stages it takes as inputs.
//
//   [graph]
//   prepare =
//   synth = prepare
//
// Validated before any work runs: unknown stages, inputs not in the graph,
// missing required inputs and cycles are UsageErrors naming the stages.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "pipeline/run/stage_registry.h"

namespace jsqa {

struct GraphNode {
  std::string stage;
  std::vector<std::string> inputs;
};

class StageGraph {
 public:
  // entries: (stage, inputs text) as in Config::GraphEntries().
  StageGraph(const std::vector<std::pair<std::string, std::string>>& entries,
             const StageRegistry& registry);

  // Nodes in dependency order: inputs before the stages that use them; among
  // independent stages, the order of the config.
  const std::vector<GraphNode>& Ordered() const { return ordered_; }

 private:
  std::vector<GraphNode> ordered_;
};

}  // namespace jsqa
