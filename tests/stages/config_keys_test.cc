// Every registered config key must reach some code: each key belongs to a
// section that a registered stage declares as its settings (so the key is
// read by that stage and, unless it is an execution key such as a thread
// count, enters its cache key). And every key appears in its section's
// ToString(), so the saved config and the cache key see it.
#include <gtest/gtest.h>

#include <set>

#include "stages/builtin_stages.h"

namespace jsqa {
namespace {

TEST(ConfigKeys, EveryRegisteredKeyIsConsumedAndSaved) {
  Config config;
  AddConfigSections(config);
  config.Load("");
  StageRegistry registry;
  RegisterBuiltinStages(registry);

  std::set<std::string> consumed;
  for (const std::string& name : registry.Names())
    for (const std::string& section : registry.Get(name).ConfigSections()) consumed.insert(section);

  const std::string resolved = config.ToIni();
  for (const std::string& key : config.Keys()) {
    const std::string section = key.substr(0, key.find('.'));
    const std::string name = key.substr(key.find('.') + 1);
    EXPECT_TRUE(consumed.count(section)) << key << ": no stage declares section [" << section << "]";
    EXPECT_NE(config.SectionsText({section}).find("\n" + name + " = "), std::string::npos)
        << key << " is missing from its section's ToString()";
  }
  for (const std::string& section : consumed)
    EXPECT_NO_THROW(config.Section(section)) << "a stage declares unknown section [" << section << "]";
}

}  // namespace
}  // namespace jsqa
