// Configuration: INI files parsed with Boost.Program_options.
//
// Option "section.key" lives under "[section]" in the INI file. Every config
// struct implements ConfigSection (Register / Validate / ToString); a Config
// owns the sections, loads a file plus "--set section.key=value" overrides
// (overrides win), and reports mistakes as UsageError naming the key, the
// file and the allowed values.
//
// The "[graph]" section is free-form (each key is a stage of the run, its
// value the stage's inputs) and is kept apart as GraphEntries(); so is
// "[sweep]" (SweepEntries()). Values may name environment variables as
// ${NAME}; an unset one is an error naming the key. A file may start with
// "include = BASE.ini" (relative to the file): the base's keys apply where
// the file says nothing.
#pragma once

#include <boost/program_options.hpp>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace jsqa {

namespace po = boost::program_options;

class ConfigSection {
 public:
  virtual ~ConfigSection() = default;
  // Adds this section's options as "<prefix>.<key>", bound to the fields.
  virtual void Register(po::options_description& options, const std::string& prefix) = 0;
  // Throws UsageError("<prefix>.<key> = <value>: <reason>; allowed: ...").
  virtual void Validate(const std::string& prefix) const = 0;
  // "key = value" lines, one per registered key, in registration order; what
  // is written to the INI section. Must round-trip through Load.
  virtual std::string ToString() const = 0;
  // Keys that change how a stage runs but never what it produces (thread
  // counts): left out of cache keys.
  virtual std::vector<std::string> ExecutionKeys() const { return {}; }
};

// Builds ToString() text: Add("snr_min_db", 0.0) → "snr_min_db = 0\n".
class KeyValueText {
 public:
  KeyValueText& Add(const std::string& key, const std::string& value);
  KeyValueText& Add(const std::string& key, const char* value);
  KeyValueText& Add(const std::string& key, bool value);
  KeyValueText& Add(const std::string& key, double value);
  KeyValueText& Add(const std::string& key, int value);
  KeyValueText& Add(const std::string& key, int64_t value);
  KeyValueText& Add(const std::string& key, uint64_t value);
  const std::string& str() const { return text_; }

 private:
  std::string text_;
};

// Shortest text that reads back to the same double ("0.1", not "0.100000").
std::string FormatDouble(double value);
// Splits "a, b ,c" into {"a", "b", "c"}; empty text gives {}.
std::vector<std::string> SplitList(const std::string& text, char separator = ',');
std::string JoinList(const std::vector<std::string>& items, const std::string& separator = ",");
// "auto" → all cores, else a count >= 1; throws UsageError naming key.
int ParseThreadCount(const std::string& key, const std::string& value);
// Throws UsageError naming key unless value is one of allowed.
void RequireOneOf(const std::string& key, const std::string& value,
                  const std::vector<std::string>& allowed);

class Config {
 public:
  Config();

  // Registers a section under prefix (e.g. "corpus"); the Config owns it.
  template <typename Section>
  Section& AddSection(const std::string& prefix) {
    auto section = std::make_unique<Section>();
    Section& ref = *section;
    AddSectionImpl(prefix, std::move(section));
    return ref;
  }
  ConfigSection& Section(const std::string& prefix) const;
  template <typename T>
  const T& Get(const std::string& prefix) const {
    return dynamic_cast<const T&>(Section(prefix));
  }

  // Reads path (may be empty: defaults only) then applies overrides of the
  // form "section.key=value". Throws UsageError for unreadable files,
  // unknown keys (with the closest known key), ill-typed values and failed
  // validation, each naming the key and where it came from.
  void Load(const std::string& path, const std::vector<std::string>& overrides = {});

  // The resolved config as INI text: every section, then [graph].
  std::string ToIni() const;
  // INI text of the named sections only.
  std::string SectionsText(const std::vector<std::string>& prefixes) const;
  // The same without execution keys: what a cache key is made of.
  std::string CacheKeyText(const std::vector<std::string>& prefixes) const;
  // All registered "section.key" names.
  std::vector<std::string> Keys() const;
  std::vector<std::string> Prefixes() const;
  // [graph] entries in file order: (stage, inputs text).
  const std::vector<std::pair<std::string, std::string>>& GraphEntries() const { return graph_; }
  // [sweep] entries in file order: (keys, settings), e.g.
  // ("jnd.delta_min_db:jnd.delta_max_db", "0:1, 0:3"); see pipeline/sweep_grid.h.
  const std::vector<std::pair<std::string, std::string>>& SweepEntries() const { return sweep_; }
  const po::options_description& Options() const { return options_; }

 private:
  void AddSectionImpl(const std::string& prefix, std::unique_ptr<ConfigSection> section);
  void LoadFile(const std::string& path, po::variables_map& values, std::map<std::string, std::string>& origins,
                std::vector<std::string>& chain);
  void Store(const po::parsed_options& parsed, const std::string& origin,
             po::variables_map& values, std::map<std::string, std::string>& origins);

  po::options_description options_{"config"};
  std::vector<std::pair<std::string, std::unique_ptr<ConfigSection>>> sections_;
  std::vector<std::pair<std::string, std::string>> graph_;
  std::vector<std::pair<std::string, std::string>> sweep_;
};

}  // namespace jsqa
