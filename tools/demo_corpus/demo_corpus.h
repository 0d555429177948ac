// The demo corpus: real speech and noise recordings shipped by Debian
// packages, laid out exactly like the real corpora so that the same readers
// and configs work on both.
//
//   OUT/LibriSpeech/{SPEAKERS.TXT,CHAPTERS.TXT}
//   OUT/LibriSpeech/<subset>/<reader>/<chapter>/...flac, ...trans.txt
//   OUT/CHiME3/data/audio/16kHz/backgrounds/BGD_<date>_<nnn>_<ENV>.CH1.wav
//   OUT/NISQA_Corpus/NISQA_<DB>/{deg/*.wav, NISQA_<DB>_file.csv}
//   OUT/NISQA_Corpus/NISQA_corpus_file.csv
//
// Sources: pocketsphinx-testdata (LibriVox clips, TIDIGITS, other 16 kHz
// speech) and alsa-utils (/usr/share/sounds/alsa: human voice at 48 kHz, kept
// at 48 kHz so resampling is exercised, and Noise.wav).
#pragma once

#include <cstdint>
#include <string>

namespace jsqa {

struct DemoCorpusArgs {
  std::string pocketsphinx_dir = "/usr/share/pocketsphinx/test/data";
  std::string alsa_dir = "/usr/share/sounds/alsa";
  uint64_t seed = 1234;
};

struct DemoCorpusSummary {
  int speech_files = 0;
  int noise_files = 0;
  int nisqa_files = 0;
  double speech_seconds = 0.0;
};

// Builds the corpus under out_dir (created; an existing complete corpus is
// replaced atomically: built in a temporary sibling, then renamed). Throws
// jsqa::Error naming a missing source package directory.
DemoCorpusSummary BuildDemoCorpus(const std::string& out_dir, const DemoCorpusArgs& args = {});

}  // namespace jsqa
