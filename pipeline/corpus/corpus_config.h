// [corpus]: where the corpora are. An empty root means "not used".
#pragma once

#include <string>
#include <vector>

#include "pipeline/corpus/chime3_layout.h"
#include "pipeline/base/config.h"
#include "pipeline/corpus/nisqa_layout.h"

namespace jsqa {

struct CorpusConfig : ConfigSection {
  std::string librispeech_root;  // the "LibriSpeech" folder
  std::string librispeech_subsets = "train-clean-100";
  std::string chime3_backgrounds;  // the ".../16kHz/backgrounds" folder
  std::string chime3_environments = "CAF,PED,STR,BUS";
  std::string chime3_channels = "1";
  std::string chime3_split = "all";
  std::string nisqa_root;  // the "NISQA_Corpus" folder
  std::string nisqa_dbs =
      "NISQA_TRAIN_SIM,NISQA_TRAIN_LIVE,NISQA_VAL_SIM,NISQA_VAL_LIVE,NISQA_TEST_FOR,NISQA_TEST_P501,"
      "NISQA_TEST_LIVETALK";
  bool nisqa_allow_outside_root = false;
  std::string speech_folder;  // other speech: a folder searched recursively
  std::string speech_list;    // other speech: a file listing audio paths
  std::string noise_folder;   // other noise: a folder (first level = environment)
  std::string noise_list;     // other noise: a file listing audio paths

  void Declare(KeyDeclarations& keys) override;
  void ValidateTogether(const std::string& prefix) const override;

  std::vector<std::string> LibriSpeechSubsets() const { return SplitList(librispeech_subsets); }
  Chime3Selection Chime3() const;
  std::vector<std::string> NisqaDbs() const { return SplitList(nisqa_dbs); }
  NisqaReadArgs Nisqa() const;
  // Throws UsageError naming the key when a configured folder or list does
  // not exist; a relative one is said to be relative to the working
  // directory, which is named.
  void RequirePathsExist(const std::string& prefix) const;
};

}  // namespace jsqa
