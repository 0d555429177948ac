#include "pipeline/base/config.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <thread>
#include <typeinfo>

#include "pipeline/base/error.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

constexpr char kGraphPrefix[] = "graph.";
constexpr char kSweepPrefix[] = "sweep.";

// Replaces ${NAME} with the environment variable's value, so that paths to
// the corpora can be given once for every config; an unset variable is an
// error naming the key.
std::string ExpandVariables(const std::string& value, const std::string& key, const std::string& origin) {
  std::string out;
  size_t at = 0;
  while (true) {
    const size_t start = value.find("${", at);
    if (start == std::string::npos) break;
    const size_t end = value.find('}', start);
    if (end == std::string::npos) break;
    const std::string name = value.substr(start + 2, end - start - 2);
    const char* variable = std::getenv(name.c_str());
    if (!variable || !*variable)
      throw UsageError(origin + ": " + key + " = '" + value + "': environment variable " + name + " is " +
                       (variable ? "empty" : "not set"));
    out += value.substr(at, start - at) + variable;
    at = end + 1;
  }
  return out + value.substr(at);
}

std::string Trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Human name of an option's value type, for "expected ..." messages.
std::string TypeName(const po::option_description& option) {
  const auto* typed = dynamic_cast<const po::typed_value_base*>(option.semantic().get());
  if (!typed) return "a value";
  const std::type_info& type = typed->value_type();
  if (type == typeid(bool)) return "true or false";
  if (type == typeid(int) || type == typeid(int64_t)) return "an integer";
  if (type == typeid(unsigned) || type == typeid(uint64_t)) return "a non-negative integer";
  if (type == typeid(double) || type == typeid(float)) return "a number";
  return "text";
}

// Where key is named in message as a whole key (followed by a space, ':'
// or the end), or npos.
size_t FindKey(const std::string& message, const std::string& key) {
  for (size_t at = message.find(key); at != std::string::npos; at = message.find(key, at + 1)) {
    const size_t end = at + key.size();
    const bool starts = at == 0 || message[at - 1] == ' ' || message[at - 1] == ',';
    if (starts && (end == message.size() || message[end] == ' ' || message[end] == ':')) return at;
  }
  return std::string::npos;
}

// The option's name without the "--" boost adds for command-line options.
std::string OptionName(const po::error_with_option_name& error) {
  std::string name = error.get_option_name();
  return name.rfind("--", 0) == 0 ? name.substr(2) : name;
}

}  // namespace

void ConfigSection::Register(po::options_description& options, const std::string& prefix) {
  const KeyDeclarations declarations = Declarations();  // outlives the loop
  for (const KeyDeclaration& key : declarations.keys()) key.Register(options, prefix + "." + key.name());
}

void ConfigSection::Validate(const std::string& prefix) const {
  const KeyDeclarations declarations = Declarations();  // outlives the loop
  for (const KeyDeclaration& key : declarations.keys()) key.Validate(prefix + "." + key.name());
  ValidateTogether(prefix);
}

std::string ConfigSection::ToString() const {
  std::string text;
  const KeyDeclarations declarations = Declarations();  // outlives the loop
  for (const KeyDeclaration& key : declarations.keys()) text += key.name() + " = " + key.Text() + "\n";
  return text;
}

std::vector<std::string> ConfigSection::ExecutionKeys() const {
  std::vector<std::string> names;
  const KeyDeclarations declarations = Declarations();  // outlives the loop
  for (const KeyDeclaration& key : declarations.keys())
    if (key.execution()) names.push_back(key.name());
  return names;
}

std::string ConfigSection::Text(const std::string& name) const {
  const KeyDeclarations declarations = Declarations();  // outlives the loop
  for (const KeyDeclaration& key : declarations.keys())
    if (key.name() == name) return key.Text();
  throw Error("config: no key '" + name + "' in this section");
}

std::string ConfigSection::Help(const std::string& prefix) const {
  std::string text;
  const KeyDeclarations declarations = Declarations();
  for (const KeyDeclaration& key : declarations.keys())
    text += "  --set " + prefix + "." + key.name() + "=" + key.Text() + "\n      " + key.Help() + "\n";
  return text;
}

KeyDeclarations ConfigSection::Declarations() const {
  KeyDeclarations keys;
  const_cast<ConfigSection*>(this)->Declare(keys);
  return keys;
}

std::string FormatDouble(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // Shortest text that parses back to the same double, in plain notation
  // where that is as short ("-60", not the "-6e+01" of %g at precision 1).
  char text[64];
  const auto result = std::to_chars(text, text + sizeof(text), value);
  return std::string(text, result.ptr);
}

std::vector<std::string> SplitList(const std::string& text, char separator) {
  std::vector<std::string> items;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, separator)) {
    item = Trim(item);
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

std::string JoinList(const std::vector<std::string>& items, const std::string& separator) {
  std::string text;
  for (size_t i = 0; i < items.size(); ++i) text += (i ? separator : "") + items[i];
  return text;
}

int ParseThreadCount(const std::string& key, const std::string& value) {
  if (value == "auto") return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  size_t used = 0;
  int count = 0;
  try {
    count = std::stoi(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != value.size() || count < 1)
    throw UsageError(key + " = '" + value + "': allowed: auto or an integer >= 1");
  return count;
}

void RequireOneOf(const std::string& key, const std::string& value,
                  const std::vector<std::string>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), value) == allowed.end())
    throw UsageError(key + " = '" + value + "': not allowed; allowed: " + JoinList(allowed, ", "));
}

Config::Config() = default;

void Config::AddSectionImpl(const std::string& prefix, std::unique_ptr<ConfigSection> section) {
  for (const auto& [existing, unused] : sections_)
    JSQA_CHECK(existing != prefix, "config section '", prefix, "' registered twice");
  section->Register(options_, prefix);
  sections_.emplace_back(prefix, std::move(section));
}

ConfigSection& Config::Section(const std::string& prefix) const {
  for (const auto& [name, section] : sections_)
    if (name == prefix) return *section;
  throw Error("no config section '" + prefix + "'");
}

std::vector<std::string> Config::Keys() const {
  std::vector<std::string> keys;
  for (const auto& option : options_.options()) keys.push_back(option->long_name());
  return keys;
}

bool Config::HasKey(const std::string& key) const { return options_.find_nothrow(key, false) != nullptr; }

std::string Config::Suggestion(const std::string& key) const {
  std::string best;
  size_t best_distance = std::numeric_limits<size_t>::max();
  for (const std::string& candidate : Keys()) {
    const size_t distance = EditDistance(key, candidate);
    if (distance < best_distance) best_distance = distance, best = candidate;
  }
  return best_distance <= std::max<size_t>(3, key.size() / 3) ? " (did you mean '" + best + "'?)" : "";
}

std::vector<std::string> Config::Prefixes() const {
  std::vector<std::string> prefixes;
  for (const auto& [name, section] : sections_) prefixes.push_back(name);
  return prefixes;
}

void Config::Store(const po::parsed_options& parsed, const std::string& origin,
                   po::variables_map& values, std::map<std::string, std::string>& origins) {
  po::parsed_options known(&options_);
  for (auto option : parsed.options) {
    const std::string& key = option.string_key;
    // A key given earlier (--set before the file, a file before its base)
    // wins: its later values are never used, so their variables need not
    // be set (--set corpus.librispeech_root=... with paper.ini's ${JSQA_DATA}).
    if (const auto earlier = origins.find(key); !option.unregistered && earlier != origins.end() &&
                                                 earlier->second != origin)
      continue;
    for (std::string& value : option.value) value = ExpandVariables(value, key, origin);
    if (!option.unregistered) {
      // Boost's lexical_cast turns "-1" into 2^64 - 1 for an unsigned key
      // (synth.seed): a negative value there is the wrong type, not a seed.
      const auto* description = options_.find_nothrow(key, false);
      if (description && TypeName(*description) == "a non-negative integer" && !option.value.empty() &&
          Trim(option.value.front()).rfind('-', 0) == 0)
        throw UsageError(origin + ": " + key + " = '" + option.value.front() + "': expected a non-negative integer");
      known.options.push_back(option);
      origins.emplace(key, origin);
      continue;
    }
    if (key.rfind(kSweepPrefix, 0) == 0) {
      const std::string axis = key.substr(sizeof(kSweepPrefix) - 1);
      const std::string settings = option.value.empty() ? "" : Trim(option.value.front());
      auto same = std::find_if(sweep_.begin(), sweep_.end(), [&](const auto& entry) { return entry.first == axis; });
      if (same == sweep_.end()) sweep_.emplace_back(axis, settings);
      continue;
    }
    if (key.rfind(kGraphPrefix, 0) == 0) {
      const std::string stage = key.substr(sizeof(kGraphPrefix) - 1);
      const std::string inputs = option.value.empty() ? "" : Trim(option.value.front());
      auto same = std::find_if(graph_.begin(), graph_.end(),
                               [&](const auto& entry) { return entry.first == stage; });
      // Overrides are stored first and win over the file.
      if (same == graph_.end()) graph_.emplace_back(stage, inputs);
      continue;
    }
    throw UsageError(origin + ": unknown key '" + key + "'" + Suggestion(key));
  }
  try {
    po::store(known, values);
  } catch (const po::multiple_occurrences& e) {
    throw UsageError(origin + ": key '" + OptionName(e) + "' given more than once");
  } catch (const po::validation_error& e) {
    const std::string key = OptionName(e);
    std::string value;
    for (const auto& option : known.options)
      if (option.string_key == key && !option.value.empty()) value = option.value.front();
    const auto* description = options_.find_nothrow(key, false);
    throw UsageError(origin + ": " + key + " = '" + value + "': expected " +
                     (description ? TypeName(*description) : "a valid value"));
  }
}

void Config::LoadFile(const std::string& path, po::variables_map& values, std::map<std::string, std::string>& origins,
                      std::vector<std::string>& chain) {
  if (std::find(chain.begin(), chain.end(), path) != chain.end())
    throw UsageError(path + ": includes itself (through " + JoinList(chain, " -> ") + ")");
  std::ifstream in(path);
  if (!in) throw UsageError((chain.empty() ? "" : chain.back() + ": include = ") + path + ": cannot read config file");
  po::parsed_options parsed(&options_);
  try {
    parsed = po::parse_config_file(in, options_, true);
  } catch (const po::error& e) {
    throw UsageError(path + ": " + e.what());
  }
  // "include = BASE.ini" lines (before any section): BASE's keys apply
  // where this file and --set say nothing. A file with its own [graph] or
  // [sweep] replaces the base's.
  std::vector<std::string> includes;
  for (auto it = parsed.options.begin(); it != parsed.options.end();) {
    if (it->string_key == "include") {
      for (const std::string& value : it->value)
        includes.push_back((fs::path(path).parent_path() / Trim(value)).lexically_normal().string());
      it = parsed.options.erase(it);
    } else {
      ++it;
    }
  }
  Store(parsed, path, values, origins);
  chain.push_back(path);
  for (const std::string& base : includes) {
    const auto graph = graph_;
    const auto sweep = sweep_;
    LoadFile(base, values, origins, chain);
    if (!graph.empty()) graph_ = graph;
    if (!sweep.empty()) sweep_ = sweep;
  }
  chain.pop_back();
}

void Config::Load(const std::string& path, const std::vector<std::string>& overrides) {
  graph_.clear();
  sweep_.clear();
  po::variables_map values;
  std::map<std::string, std::string> origins;

  // "--set k=v" first: po::store keeps the first value it sees for a key.
  // Among overrides of one key the last wins, as on any command line.
  std::vector<std::pair<std::string, std::string>> latest;
  for (const std::string& entry : overrides) {
    const auto equals = entry.find('=');
    const std::string key = Trim(entry.substr(0, equals));
    if (equals == std::string::npos || key.empty() || key.find('.') == std::string::npos)
      throw UsageError("--set '" + entry + "': expected section.key=value");
    auto same = std::find_if(latest.begin(), latest.end(), [&](const auto& kv) { return kv.first == key; });
    if (same != latest.end()) latest.erase(same);
    latest.emplace_back(key, entry.substr(equals + 1));
  }
  std::string override_text;
  for (const auto& [key, value] : latest) override_text += key + "=" + value + "\n";
  try {
    std::istringstream in(override_text);
    Store(po::parse_config_file(in, options_, true), "--set", values, origins);
  } catch (const po::error& e) {
    throw UsageError(std::string("--set: ") + e.what());
  }

  if (!path.empty()) {
    std::vector<std::string> chain;
    LoadFile(path, values, origins, chain);
  } else {
    std::istringstream empty;
    Store(po::parse_config_file(empty, options_, true), "defaults", values, origins);
  }
  // A choice's text becomes its enum in notify, then each section checks
  // its rules; either error names where the offending key came from: the
  // file, or --set.
  const auto with_origin = [&](const auto& check) {
    try {
      check();
    } catch (const UsageError& e) {
      // A rule over two keys names both: blame --set when it gave either,
      // else the file that gave the first key named.
      const std::string message = e.what();
      std::string origin = path.empty() ? "defaults" : path;
      size_t first_at = std::string::npos;
      for (const auto& [key, from] : origins) {
        const size_t at = FindKey(message, key);
        if (at == std::string::npos) continue;
        if (from == "--set") {
          origin = from;
          break;
        }
        if (at < first_at) first_at = at, origin = from;
      }
      throw UsageError(origin + ": " + message);
    }
  };
  with_origin([&] { po::notify(values); });
  for (const auto& entry : sections_) with_origin([&] { entry.second->Validate(entry.first); });
}

std::string Config::KeysHelp() const {
  std::string text;
  for (const auto& [prefix, section] : sections_) text += "[" + prefix + "]\n" + section->Help(prefix);
  return text;
}

std::string Config::SectionsText(const std::vector<std::string>& prefixes) const {
  std::string text;
  for (const std::string& prefix : prefixes) text += "[" + prefix + "]\n" + Section(prefix).ToString();
  return text;
}

std::string Config::CacheKeyText(const std::vector<std::string>& prefixes) const {
  std::string text;
  for (const std::string& prefix : prefixes) {
    const ConfigSection& section = Section(prefix);
    const std::vector<std::string> excluded = section.ExecutionKeys();
    text += "[" + prefix + "]\n";
    std::istringstream lines(section.ToString());
    for (std::string line; std::getline(lines, line);) {
      const std::string key = Trim(line.substr(0, line.find('=')));
      if (std::find(excluded.begin(), excluded.end(), key) == excluded.end()) text += line + "\n";
    }
  }
  return text;
}

std::string Config::ToIni() const {
  std::string text = SectionsText(Prefixes());
  text += "[graph]\n";
  for (const auto& [stage, inputs] : graph_) text += stage + " = " + inputs + "\n";
  return text;
}

}  // namespace jsqa
