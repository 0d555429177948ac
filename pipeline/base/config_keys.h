// Config keys declared once. A section lists each of its keys in Declare():
// name, the member it fills (whose initial value is the default), one line
// of help, and its range or choices. Registering with Boost, validating,
// writing the INI text, the cache key's execution keys and `--help` all
// come from that one list, so none of them can drift from the others.
//
//   void Declare(KeyDeclarations& keys) override {
//     keys.Key("target_dbfs", target_dbfs, "RMS level of both mixtures, dBFS").Between(-60, -3);
//     keys.Choice("snr_mode", snr_mode, "SNR over the segment or over active speech",
//                 {{"segment", SnrMode::kWholeSegment}, {"active", SnrMode::kActiveSpeech}});
//   }
//
// Keys with choices are enums in the section: the text is turned into the
// enum when the config is loaded, so code switches over enums (the compiler
// checks every choice is handled) and never compares option strings.
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace jsqa {

namespace po = boost::program_options;

// Shortest text that reads back to the same double ("0.1", not "0.100000").
std::string FormatDouble(double value);
std::string JoinList(const std::vector<std::string>& items, const std::string& separator = ",");

// A value as the INI file writes it.
inline std::string ValueText(const std::string& value) { return value; }
inline std::string ValueText(bool value) { return value ? "true" : "false"; }
inline std::string ValueText(double value) { return FormatDouble(value); }
inline std::string ValueText(int value) { return std::to_string(value); }
inline std::string ValueText(int64_t value) { return std::to_string(value); }
inline std::string ValueText(uint64_t value) { return std::to_string(value); }

// The name of value among choices ("" if it is none of them).
template <typename Enum>
std::string ChoiceName(Enum value, const std::vector<std::pair<std::string, Enum>>& choices) {
  for (const auto& [name, choice] : choices)
    if (choice == value) return name;
  return "";
}

// One key of a section. The range methods add their rule to the key's help
// and to its validation; an error reads "<section>.<key> = <value>:
// allowed: <rule>".
class KeyDeclaration {
 public:
  KeyDeclaration& AtLeast(double minimum);        // allowed: >= minimum
  KeyDeclaration& Above(double minimum);          // allowed: > minimum
  KeyDeclaration& Between(double low, double high);  // allowed: low..high
  // A rule of its own: check(full key name) throws UsageError naming it.
  KeyDeclaration& Check(std::function<void(const std::string& key)> check);
  // Changes how a stage runs but never what it produces (thread counts,
  // memory budgets, devices): left out of cache keys.
  KeyDeclaration& Execution();

  const std::string& name() const { return name_; }
  bool execution() const { return execution_; }
  // The help line as `--help` shows it: the text, then the rule.
  std::string Help() const;
  std::string Text() const { return text_(); }
  // Throws UsageError when the value breaks a rule; key is "section.key".
  void Validate(const std::string& key) const;
  void Register(po::options_description& options, const std::string& key) const { add_(options, key, Help()); }

 private:
  friend class KeyDeclarations;
  KeyDeclaration& Rule(const std::string& text, std::function<bool(double)> holds);

  std::string name_, help_;
  std::vector<std::string> rules_;  // "allowed" texts, for the help line
  bool execution_ = false;
  std::function<void(po::options_description&, const std::string& key, const std::string& help)> add_;
  std::function<std::string()> text_;
  std::function<double()> number_;  // numbers only: the value, for range rules
  std::vector<std::function<void(const std::string& key)>> checks_;
};

// The keys of one section, in declaration order (the order of the INI text
// and of `--help`).
class KeyDeclarations {
 public:
  // A number, flag or text key bound to member.
  template <typename T>
  KeyDeclaration& Key(const std::string& name, T& member, const std::string& help) {
    static_assert(std::is_same_v<T, std::string> || std::is_same_v<T, bool> || std::is_same_v<T, double> ||
                      std::is_same_v<T, int> || std::is_same_v<T, int64_t> || std::is_same_v<T, uint64_t>,
                  "config keys are text, bool, double or integers; choices are enums (Choice)");
    KeyDeclaration& key = Add(name, help);
    key.add_ = [&member](po::options_description& options, const std::string& full, const std::string& text) {
      options.add_options()(full.c_str(), po::value(&member)->default_value(member, ValueText(member)),
                            text.c_str());
    };
    key.text_ = [&member] { return ValueText(member); };
    if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>)
      key.number_ = [&member] { return static_cast<double>(member); };
    return key;
  }

  // A key whose text is one of choices, stored as the enum.
  template <typename Enum>
  KeyDeclaration& Choice(const std::string& name, Enum& member, const std::string& help,
                         std::vector<std::pair<std::string, Enum>> choices) {
    std::vector<std::string> names;
    for (const auto& choice : choices) names.push_back(choice.first);
    KeyDeclaration& key = Add(name, help);
    key.rules_.push_back("one of " + JoinList(names, ", "));
    key.add_ = [&member, choices, names](po::options_description& options, const std::string& full,
                                         const std::string& text) {
      options.add_options()(
          full.c_str(),
          po::value<std::string>()
              ->default_value(ChoiceName(member, choices))
              ->notifier([&member, choices, names, full](const std::string& value) {
                for (const auto& [choice_name, choice] : choices)
                  if (choice_name == value) {
                    member = choice;
                    return;
                  }
                ThrowNotAChoice(full, value, names);
              }),
          text.c_str());
    };
    key.text_ = [&member, choices] { return ChoiceName(member, choices); };
    return key;
  }

  // "auto" (every core) or a count >= 1; an execution key.
  KeyDeclaration& Threads(const std::string& name, std::string& member, const std::string& help);

  const std::deque<KeyDeclaration>& keys() const { return keys_; }

 private:
  KeyDeclaration& Add(const std::string& name, const std::string& help);
  [[noreturn]] static void ThrowNotAChoice(const std::string& key, const std::string& value,
                                           const std::vector<std::string>& allowed);

  std::deque<KeyDeclaration> keys_;  // a deque: Key() returns references that must stay valid
};

}  // namespace jsqa
