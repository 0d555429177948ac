#include "pipeline/run/stage_graph.h"

#include <algorithm>
#include <map>
#include <set>

#include "pipeline/base/error.h"

namespace jsqa {

StageGraph::StageGraph(const std::vector<std::pair<std::string, std::string>>& entries,
                       const StageRegistry& registry) {
  if (entries.empty()) throw UsageError("[graph] names no stages; add lines like 'prepare ='");
  std::vector<GraphNode> nodes;
  std::set<std::string> names;
  for (const auto& [stage, inputs_text] : entries) {
    if (!registry.Has(stage))
      throw UsageError("[graph] unknown stage '" + stage +
                       "'; known stages: " + JoinList(registry.Names(), ", "));
    JSQA_CHECK(names.insert(stage).second, "[graph] stage '", stage, "' listed twice");
    nodes.push_back({stage, SplitList(inputs_text)});
  }
  for (const GraphNode& node : nodes) {
    for (const std::string& input : node.inputs) {
      if (!names.count(input))
        throw UsageError("[graph] stage '" + node.stage + "' takes input '" + input +
                         "', which is not a stage of the graph");
      if (input == node.stage)
        throw UsageError("[graph] stage '" + node.stage + "' takes itself as input");
    }
    for (const std::string& required : registry.Get(node.stage).RequiredInputs())
      if (std::find(node.inputs.begin(), node.inputs.end(), required) == node.inputs.end())
        throw UsageError("[graph] stage '" + node.stage + "' needs input '" + required +
                         "': write '" + node.stage + " = " + required + "'");
  }

  // Kahn's algorithm, always taking the earliest ready node in config order
  // so the order is stable.
  std::set<std::string> placed;
  while (ordered_.size() < nodes.size()) {
    auto ready = std::find_if(nodes.begin(), nodes.end(), [&](const GraphNode& node) {
      return !placed.count(node.stage) &&
             std::all_of(node.inputs.begin(), node.inputs.end(),
                         [&](const std::string& input) { return placed.count(input) > 0; });
    });
    if (ready == nodes.end()) {
      std::vector<std::string> stuck;
      for (const GraphNode& node : nodes)
        if (!placed.count(node.stage)) stuck.push_back(node.stage);
      throw UsageError("[graph] has a cycle among stages: " + JoinList(stuck, ", "));
    }
    placed.insert(ready->stage);
    ordered_.push_back(*ready);
  }
}

}  // namespace jsqa
