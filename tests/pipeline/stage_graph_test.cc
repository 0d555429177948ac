#include "pipeline/run/stage_graph.h"

#include <gtest/gtest.h>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

class NamedStage : public Stage {
 public:
  NamedStage(std::string name, std::vector<std::string> required)
      : name_(std::move(name)), required_(std::move(required)) {}
  std::string Name() const override { return name_; }
  std::string Description() const override { return "test stage"; }
  std::vector<std::string> ConfigSections() const override { return {}; }
  std::vector<std::string> RequiredInputs() const override { return required_; }
  void Run(StageContext&) const override {}

 private:
  std::string name_;
  std::vector<std::string> required_;
};

StageRegistry MakeRegistry() {
  StageRegistry registry;
  registry.Register(std::make_unique<NamedStage>("prepare", std::vector<std::string>{}));
  registry.Register(std::make_unique<NamedStage>("synth", std::vector<std::string>{"prepare"}));
  registry.Register(std::make_unique<NamedStage>("train", std::vector<std::string>{}));
  registry.Register(std::make_unique<NamedStage>("report", std::vector<std::string>{}));
  return registry;
}

std::string GraphError(const std::vector<std::pair<std::string, std::string>>& entries) {
  const StageRegistry registry = MakeRegistry();
  try {
    StageGraph graph(entries, registry);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(StageRegistry, RejectsDuplicatesAndUnknownNames) {
  StageRegistry registry = MakeRegistry();
  EXPECT_THROW(registry.Register(std::make_unique<NamedStage>("synth", std::vector<std::string>{})), Error);
  try {
    registry.Get("synthesize");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown stage 'synthesize'; known stages: prepare, synth"),
              std::string::npos);
  }
}

TEST(StageGraph, OrdersInputsFirstAndKeepsConfigOrderOtherwise) {
  const StageRegistry registry = MakeRegistry();
  const StageGraph graph({{"report", "train, synth"}, {"train", "synth"}, {"synth", "prepare"}, {"prepare", ""}},
                         registry);
  std::vector<std::string> order;
  for (const GraphNode& node : graph.Ordered()) order.push_back(node.stage);
  EXPECT_EQ(order, (std::vector<std::string>{"prepare", "synth", "train", "report"}));
}

TEST(StageGraph, ValidationErrorsNameTheStages) {
  EXPECT_NE(GraphError({}).find("names no stages"), std::string::npos);
  EXPECT_NE(GraphError({{"prepare", ""}, {"sinth", "prepare"}}).find("unknown stage 'sinth'"), std::string::npos);
  EXPECT_NE(GraphError({{"train", "prepare"}}).find("takes input 'prepare', which is not a stage"),
            std::string::npos);
  EXPECT_NE(GraphError({{"prepare", ""}, {"synth", ""}}).find("'synth' needs input 'prepare'"), std::string::npos);
  EXPECT_NE(GraphError({{"train", "report"}, {"report", "train"}}).find("cycle among stages: train, report"),
            std::string::npos);
  EXPECT_NE(GraphError({{"train", "train"}}).find("takes itself"), std::string::npos);
}

}  // namespace
}  // namespace jsqa
