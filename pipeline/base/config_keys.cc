#include "pipeline/base/config_keys.h"

#include <cmath>

#include "pipeline/base/config.h"
#include "pipeline/base/error.h"

namespace jsqa {

KeyDeclaration& KeyDeclaration::Rule(const std::string& text, std::function<bool(double)> holds) {
  JSQA_CHECK(number_, "config key '", name_, "': a range needs a number key");
  rules_.push_back(text);
  checks_.push_back([number = number_, value_text = text_, text, holds](const std::string& key) {
    if (!holds(number())) throw UsageError(key + " = " + value_text() + ": allowed: " + text);
  });
  return *this;
}

KeyDeclaration& KeyDeclaration::AtLeast(double minimum) {
  return Rule(">= " + FormatDouble(minimum), [minimum](double value) { return value >= minimum; });
}

KeyDeclaration& KeyDeclaration::Above(double minimum) {
  return Rule("> " + FormatDouble(minimum), [minimum](double value) { return value > minimum; });
}

KeyDeclaration& KeyDeclaration::Between(double low, double high) {
  return Rule(FormatDouble(low) + ".." + FormatDouble(high),
              [low, high](double value) { return value >= low && value <= high; });
}

KeyDeclaration& KeyDeclaration::Check(std::function<void(const std::string& key)> check) {
  checks_.push_back(std::move(check));
  return *this;
}

KeyDeclaration& KeyDeclaration::Execution() {
  if (!execution_) rules_.push_back("never changes results: not in cache keys");
  execution_ = true;
  return *this;
}

std::string KeyDeclaration::Help() const {
  if (rules_.empty()) return help_;
  return help_ + " (" + JoinList(rules_, "; ") + ")";
}

void KeyDeclaration::Validate(const std::string& key) const {
  for (const auto& check : checks_) check(key);
}

KeyDeclaration& KeyDeclarations::Add(const std::string& name, const std::string& help) {
  for (const KeyDeclaration& key : keys_) JSQA_CHECK(key.name_ != name, "config key '", name, "' declared twice");
  KeyDeclaration& key = keys_.emplace_back();
  key.name_ = name;
  key.help_ = help;
  return key;
}

KeyDeclaration& KeyDeclarations::Threads(const std::string& name, std::string& member, const std::string& help) {
  KeyDeclaration& key = Key(name, member, help);
  key.rules_.push_back("auto or a count >= 1");
  return key.Execution().Check([&member](const std::string& full) { ParseThreadCount(full, member); });
}

void KeyDeclarations::ThrowNotAChoice(const std::string& key, const std::string& value,
                                      const std::vector<std::string>& allowed) {
  throw UsageError(key + " = '" + value + "': not allowed; allowed: " + JoinList(allowed, ", "));
}

}  // namespace jsqa
