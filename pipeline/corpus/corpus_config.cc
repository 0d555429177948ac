#include "pipeline/corpus/corpus_config.h"

#include <filesystem>

#include "pipeline/base/error.h"

namespace jsqa {

void CorpusConfig::Declare(KeyDeclarations& keys) {
  keys.Key("librispeech_root", librispeech_root,
           "LibriSpeech folder (holding SPEAKERS.TXT and the subset folders); empty: no speech corpus");
  keys.Key("librispeech_subsets", librispeech_subsets,
           "comma-separated LibriSpeech subsets, e.g. train-clean-100,train-clean-360");
  keys.Key("chime3_backgrounds", chime3_backgrounds,
           "CHiME-3 folder data/audio/16kHz/backgrounds; empty: no noise corpus");
  keys.Key("chime3_environments", chime3_environments, "comma-separated CHiME-3 environments: CAF, PED, STR, BUS")
      .Check([this](const std::string& key) {
        for (const std::string& environment : SplitList(chime3_environments))
          RequireOneOf(key, environment, {"CAF", "PED", "STR", "BUS"});
      });
  keys.Key("chime3_channels", chime3_channels, "comma-separated tablet microphone channels, 1..6")
      .Check([this](const std::string& key) {
        for (const std::string& channel : SplitList(chime3_channels))
          RequireOneOf(key, channel, {"1", "2", "3", "4", "5", "6"});
      });
  // Passed to the CHiME-3 layout as the split to match, not branched on.
  keys.Key("chime3_split", chime3_split, "CHiME-3 background recordings to use: all, train, dev or eval")
      .Check([this](const std::string& key) { RequireOneOf(key, chime3_split, {"all", "train", "dev", "eval"}); });
  keys.Key("nisqa_root", nisqa_root, "NISQA_Corpus folder; empty: no MOS corpus");
  keys.Key("nisqa_dbs", nisqa_dbs, "comma-separated NISQA datasets to index");
  keys.Key("nisqa_allow_outside_root", nisqa_allow_outside_root,
           "accept NISQA CSV paths that are absolute or leave nisqa_root via '..'");
  keys.Key("speech_folder", speech_folder,
           "more speech: a folder searched recursively for .wav/.flac/.ogg; empty: none");
  keys.Key("speech_list", speech_list, "more speech: a file with one audio path per line; empty: none");
  keys.Key("noise_folder", noise_folder,
           "more noise: a folder searched recursively (its first level names the environment); empty: none");
  keys.Key("noise_list", noise_list, "more noise: a file with one audio path per line; empty: none");
}

Chime3Selection CorpusConfig::Chime3() const {
  Chime3Selection selection;
  selection.environments = SplitList(chime3_environments);
  selection.channels.clear();
  for (const std::string& channel : SplitList(chime3_channels)) selection.channels.push_back(std::stoi(channel));
  selection.split = chime3_split;
  return selection;
}

void CorpusConfig::RequirePathsExist(const std::string& prefix) const {
  const std::pair<const char*, const std::string*> paths[] = {
      {"librispeech_root", &librispeech_root}, {"chime3_backgrounds", &chime3_backgrounds},
      {"nisqa_root", &nisqa_root},             {"speech_folder", &speech_folder},
      {"speech_list", &speech_list},           {"noise_folder", &noise_folder},
      {"noise_list", &noise_list}};
  for (const auto& [key, path] : paths) {
    if (path->empty() || std::filesystem::exists(*path)) continue;
    const bool relative = std::filesystem::path(*path).is_relative();
    throw UsageError(prefix + "." + key + " = '" + *path + "': no such " +
                     (std::string(key).find("list") != std::string::npos ? "file" : "folder") +
                     (relative ? " (a relative path is relative to the working directory, " +
                                     std::filesystem::current_path().string() + ")"
                               : ""));
  }
}

NisqaReadArgs CorpusConfig::Nisqa() const {
  NisqaReadArgs args;
  args.allow_outside_root = nisqa_allow_outside_root;
  return args;
}

void CorpusConfig::ValidateTogether(const std::string& prefix) const {
  const std::string p = prefix + ".";
  if (!librispeech_root.empty() && LibriSpeechSubsets().empty())
    throw UsageError(p + "librispeech_subsets: empty list; name at least one subset, e.g. train-clean-100");
  if (!chime3_backgrounds.empty() && SplitList(chime3_environments).empty())
    throw UsageError(p + "chime3_environments: empty list; allowed: CAF, PED, STR, BUS");
  if (!chime3_backgrounds.empty() && SplitList(chime3_channels).empty())
    throw UsageError(p + "chime3_channels: empty list; allowed: 1..6");
  if (!nisqa_root.empty() && NisqaDbs().empty())
    throw UsageError(p + "nisqa_dbs: empty list; name at least one dataset, e.g. NISQA_TEST_FOR");
}

}  // namespace jsqa
