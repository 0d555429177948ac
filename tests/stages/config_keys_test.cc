// Every registered config key reaches some code, key by key: changing it
// (to another value its declaration accepts) changes the cache key text of
// a stage that reads it, unless it is an execution key, which changes none;
// and every key is in the saved config.
#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>
#include <set>

#include "pipeline/base/error.h"
#include "stages/builtin_stages.h"

namespace jsqa {
namespace {

// The stage key texts of the full graph (prepare → synth → pretrain →
// finetune → evaluate) for config: what the cache hashes besides content.
std::string StageKeyTexts(const Config& config, const StageRegistry& registry) {
  const std::map<std::string, std::set<std::string>> inputs = {{"prepare", {}},
                                                               {"synth", {"prepare"}},
                                                               {"pretrain", {"synth", "prepare"}},
                                                               {"finetune", {"prepare", "pretrain"}},
                                                               {"evaluate", {"prepare", "finetune"}}};
  std::string text;
  for (const std::string& name : registry.Names()) {
    const auto found = inputs.find(name);
    const Stage& stage = registry.Get(name);
    text += name + ":\n" + config.CacheKeyText(stage.KeySections(config, found == inputs.end() ? std::set<std::string>{}
                                                                                                  : found->second));
  }
  return text;
}

// Values to try for key, the choices its help names first: the first that
// loads and changes the key's text is "another accepted value".
std::vector<std::string> Candidates(const Config& config, const std::string& key, const std::string& current) {
  std::vector<std::string> candidates;
  const std::string help = config.Options().find(key, false).description();
  std::smatch choices;
  if (std::regex_search(help, choices, std::regex("one of ([^;)]*)")))
    for (const std::string& choice : SplitList(choices[1], ',')) candidates.push_back(choice);
  for (const char* value : {"true", "false", "2", "3", "1", "0.5", "0.25", "-4", "17", "9000", "cuda:1", "CAF", "2,2", "train", "high",
                            "x", "noise:2", "snr:2", "cutoff:0.5"})
    candidates.push_back(value);
  candidates.push_back(current + "1");
  // A number just inside a range's bounds ([degrade] ranges sit on them).
  char* end = nullptr;
  const double number = std::strtod(current.c_str(), &end);
  if (!current.empty() && *end == '\0')
    for (const double factor : {0.99, 1.01}) candidates.push_back(FormatDouble(number * factor));
  return candidates;
}

TEST(ConfigKeys, EachKeyChangesAStagesKeyOrIsAnExecutionKey) {
  StageRegistry registry;
  RegisterBuiltinStages(registry);
  Config base;
  AddConfigSections(base);
  // On the fly, pretrain reads [jnd], [synth], [audio] too (builds with torch).
  const std::vector<std::string> on_the_fly =
      base.HasKey("pretrain.source") ? std::vector<std::string>{"pretrain.source=on-the-fly"} : std::vector<std::string>{};
  base.Load("", on_the_fly);
  const std::string base_texts = StageKeyTexts(base, registry);
  const std::string resolved = base.ToIni();

  for (const std::string& key : base.Keys()) {
    const std::string section = key.substr(0, key.find('.'));
    const std::string name = key.substr(key.find('.') + 1);
    EXPECT_NE(base.SectionsText({section}).find("\n" + name + " = "), std::string::npos)
        << key << " is missing from the saved config";
    const std::string current = base.Section(section).Text(name);
    bool changed_value = false;
    for (const std::string& value : Candidates(base, key, current)) {
      if (value == current) continue;
      Config changed;
      AddConfigSections(changed);
      try {
        std::vector<std::string> overrides = on_the_fly;
        overrides.push_back(key + "=" + value);
        changed.Load("", overrides);
      } catch (const UsageError&) {
        continue;  // not a value this key accepts
      }
      if (changed.Section(section).Text(name) == current) continue;
      changed_value = true;
      const auto execution = changed.Section(section).ExecutionKeys();
      const bool is_execution = std::find(execution.begin(), execution.end(), name) != execution.end();
      if (is_execution)
        EXPECT_EQ(StageKeyTexts(changed, registry), base_texts) << key << " is an execution key yet changes a key";
      else
        EXPECT_NE(StageKeyTexts(changed, registry), base_texts)
            << key << " = " << value << " changes no stage's cache key: no stage reads it";
      break;
    }
    EXPECT_TRUE(changed_value) << key << ": no other accepted value found to try";
  }
}

}  // namespace
}  // namespace jsqa
