// Configuration: INI files parsed with Boost.Program_options.
//
// Option "section.key" lives under "[section]" in the INI file. Every config
// struct is a ConfigSection that declares its keys once; a Config
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

#include "pipeline/base/config_keys.h"

namespace jsqa {

namespace po = boost::program_options;

class ConfigSection {
 public:
  virtual ~ConfigSection() = default;
  // Every key of the section, once (pipeline/base/config_keys.h).
  virtual void Declare(KeyDeclarations& keys) = 0;
  // Rules that span keys (snr_min_db <= snr_max_db), checked after each
  // key's own; throw UsageError("<prefix>.<key> ...: <reason>").
  virtual void ValidateTogether(const std::string& prefix) const { (void)prefix; }

  // Adds this section's options as "<prefix>.<key>", bound to the fields.
  void Register(po::options_description& options, const std::string& prefix);
  // Throws UsageError("<prefix>.<key> = <value>: <reason>; allowed: ...").
  void Validate(const std::string& prefix) const;
  // "key = value" lines, one per key, in declaration order; what is written
  // to the INI section. Round-trips through Load.
  std::string ToString() const;
  // Keys that change how a stage runs but never what it produces (thread
  // counts): left out of cache keys.
  std::vector<std::string> ExecutionKeys() const;
  // One key's value as the INI file writes it (a choice's name, not its
  // enum); throws Error for a key the section does not declare.
  std::string Text(const std::string& key) const;
  // "  --set <prefix>.<key>=<default>" and its help line, for every key.
  std::string Help(const std::string& prefix) const;

 private:
  // Declare() only takes the members' addresses, so a const section can
  // list its keys to read them.
  KeyDeclarations Declarations() const;
};

// Splits "a, b ,c" into {"a", "b", "c"}; empty text gives {}.
std::vector<std::string> SplitList(const std::string& text, char separator = ',');
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
  // Every key of every section as `--set section.key=default` with its help.
  std::string KeysHelp() const;
  // INI text of the named sections only.
  std::string SectionsText(const std::vector<std::string>& prefixes) const;
  // The same without execution keys: what a cache key is made of.
  std::string CacheKeyText(const std::vector<std::string>& prefixes) const;
  // All registered "section.key" names.
  std::vector<std::string> Keys() const;
  bool HasKey(const std::string& key) const;
  // " (did you mean 'jnd.snr_min_db'?)" for a near miss of a known key, else "".
  std::string Suggestion(const std::string& key) const;
  std::vector<std::string> Prefixes() const;
  // [graph] entries in file order: (stage, inputs text).
  const std::vector<std::pair<std::string, std::string>>& GraphEntries() const { return graph_; }
  // [sweep] entries in file order: (keys, settings), e.g.
  // ("jnd.delta_min_db:jnd.delta_max_db", "0:1, 0:3"); see pipeline/run/sweep_grid.h.
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
