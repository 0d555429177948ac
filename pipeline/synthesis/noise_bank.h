// The noise recordings of a synthesis run, at the output sample rate.
//
// Decoded once and kept in memory (float32) when they fit the budget —
// CHiME-3's 17 channel-1 backgrounds come to about 2 GB this way — or read
// from disk by offset for every pair otherwise. Either way a segment is the
// same samples: an item's output never depends on the budget.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "augment/audio_io.h"
#include "augment/resampler.h"
#include "pipeline/corpus/item_manifest.h"

namespace jsqa {

struct NoiseBankArgs {
  int sample_rate = 16000;
  ReadArgs read;
  ResampleArgs resample;
  int64_t cache_bytes = int64_t{4096} << 20;
  int threads = 1;  // for the initial decode
  // Digital dropouts (augment/sample_defects.h): runs of exact zeros of at least
  // dropout_samples; a recording with more than max_dropout_fraction of its
  // samples in them is left out (code "dropouts").
  int64_t dropout_samples = 800;  // 50 ms at 16 kHz
  double max_dropout_fraction = 0.5;
};

// The environment a noise recording's pairs are counted under: its "env"
// tag (the CHiME-3 environment, or a noise folder's first level), else
// "other".
std::string NoiseEnvironment(const ManifestItem& item);

class NoiseBank {
 public:
  // Throws jsqa::Error if no noise file is usable. Unusable files (unreadable,
  // silent, non-finite, mostly dropouts) are left out and listed in skipped().
  NoiseBank(const std::vector<ManifestItem>& noise, const NoiseBankArgs& args);

  size_t size() const { return entries_.size(); }
  const std::string& Id(size_t index) const { return entries_[index].id; }
  // The CHiME-3 environment (the "env" tag), or "other".
  const std::string& Environment(size_t index) const { return entries_[index].environment; }
  // Length at the output rate, samples.
  int64_t Length(size_t index) const { return entries_[index].length; }
  // length samples from offset, wrapping around the end (noise shorter than
  // a segment is looped).
  std::vector<float> Segment(size_t index, int64_t offset, int64_t length) const;
  int64_t CachedBytes() const;
  const std::vector<SkippedEntry>& skipped() const { return skipped_; }

 private:
  struct Entry {
    std::string id, path, environment;
    int source_rate = 0;
    int64_t length = 0;
    std::vector<float> samples;  // empty when streaming
  };
  std::vector<float> Load(const Entry& entry) const;

  NoiseBankArgs args_;
  bool cached_ = false;
  std::vector<Entry> entries_;
  std::vector<SkippedEntry> skipped_;
};

}  // namespace jsqa
