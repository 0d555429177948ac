#include "pipeline/corpus/corpus_config.h"

#include "pipeline/base/error.h"

namespace jsqa {

void CorpusConfig::Register(po::options_description& options, const std::string& prefix) {
  const std::string p = prefix + ".";
  options.add_options()
      ((p + "librispeech_root").c_str(), po::value(&librispeech_root)->default_value(librispeech_root),
       "LibriSpeech folder (holding SPEAKERS.TXT and the subset folders); empty: no speech corpus")
      ((p + "librispeech_subsets").c_str(),
       po::value(&librispeech_subsets)->default_value(librispeech_subsets),
       "comma-separated LibriSpeech subsets, e.g. train-clean-100,train-clean-360")
      ((p + "chime3_backgrounds").c_str(),
       po::value(&chime3_backgrounds)->default_value(chime3_backgrounds),
       "CHiME-3 folder data/audio/16kHz/backgrounds; empty: no noise corpus")
      ((p + "chime3_environments").c_str(),
       po::value(&chime3_environments)->default_value(chime3_environments),
       "comma-separated CHiME-3 environments: CAF, PED, STR, BUS")
      ((p + "chime3_channels").c_str(), po::value(&chime3_channels)->default_value(chime3_channels),
       "comma-separated tablet microphone channels, 1..6")
      ((p + "chime3_split").c_str(), po::value(&chime3_split)->default_value(chime3_split),
       "CHiME-3 background recordings to use: all, train, dev or eval")
      ((p + "nisqa_root").c_str(), po::value(&nisqa_root)->default_value(nisqa_root),
       "NISQA_Corpus folder; empty: no MOS corpus")
      ((p + "nisqa_dbs").c_str(), po::value(&nisqa_dbs)->default_value(nisqa_dbs),
       "comma-separated NISQA datasets to index")
      ((p + "nisqa_allow_outside_root").c_str(),
       po::value(&nisqa_allow_outside_root)->default_value(nisqa_allow_outside_root),
       "accept NISQA CSV paths that are absolute or leave nisqa_root via '..'")
      ((p + "speech_folder").c_str(), po::value(&speech_folder)->default_value(speech_folder),
       "more speech: a folder searched recursively for .wav/.flac/.ogg; empty: none")
      ((p + "speech_list").c_str(), po::value(&speech_list)->default_value(speech_list),
       "more speech: a file with one audio path per line; empty: none")
      ((p + "noise_folder").c_str(), po::value(&noise_folder)->default_value(noise_folder),
       "more noise: a folder searched recursively (its first level names the environment); empty: none")
      ((p + "noise_list").c_str(), po::value(&noise_list)->default_value(noise_list),
       "more noise: a file with one audio path per line; empty: none");
}

Chime3Selection CorpusConfig::Chime3() const {
  Chime3Selection selection;
  selection.environments = SplitList(chime3_environments);
  selection.channels.clear();
  for (const std::string& channel : SplitList(chime3_channels)) selection.channels.push_back(std::stoi(channel));
  selection.split = chime3_split;
  return selection;
}

NisqaReadArgs CorpusConfig::Nisqa() const {
  NisqaReadArgs args;
  args.allow_outside_root = nisqa_allow_outside_root;
  return args;
}

void CorpusConfig::Validate(const std::string& prefix) const {
  const std::string p = prefix + ".";
  if (!librispeech_root.empty() && LibriSpeechSubsets().empty())
    throw UsageError(p + "librispeech_subsets: empty list; name at least one subset, e.g. train-clean-100");
  const auto environments = SplitList(chime3_environments);
  if (!chime3_backgrounds.empty() && environments.empty())
    throw UsageError(p + "chime3_environments: empty list; allowed: CAF, PED, STR, BUS");
  for (const std::string& environment : environments)
    RequireOneOf(p + "chime3_environments", environment, {"CAF", "PED", "STR", "BUS"});
  const auto channels = SplitList(chime3_channels);
  if (!chime3_backgrounds.empty() && channels.empty())
    throw UsageError(p + "chime3_channels: empty list; allowed: 1..6");
  for (const std::string& channel : channels)
    RequireOneOf(p + "chime3_channels", channel, {"1", "2", "3", "4", "5", "6"});
  RequireOneOf(p + "chime3_split", chime3_split, {"all", "train", "dev", "eval"});
  if (!nisqa_root.empty() && NisqaDbs().empty())
    throw UsageError(p + "nisqa_dbs: empty list; name at least one dataset, e.g. NISQA_TEST_FOR");
}

std::string CorpusConfig::ToString() const {
  return KeyValueText()
      .Add("librispeech_root", librispeech_root)
      .Add("librispeech_subsets", librispeech_subsets)
      .Add("chime3_backgrounds", chime3_backgrounds)
      .Add("chime3_environments", chime3_environments)
      .Add("chime3_channels", chime3_channels)
      .Add("chime3_split", chime3_split)
      .Add("nisqa_root", nisqa_root)
      .Add("nisqa_dbs", nisqa_dbs)
      .Add("nisqa_allow_outside_root", nisqa_allow_outside_root)
      .Add("speech_folder", speech_folder)
      .Add("speech_list", speech_list)
      .Add("noise_folder", noise_folder)
      .Add("noise_list", noise_list)
      .str();
}

}  // namespace jsqa
