// Writes small real shards with the project's own ShardWriter, as seeds for
// fuzz_shard_reader: `fuzz_shard_seeds DIR`. The checked-in seeds
// (tests/fuzz/corpus/fuzz_shard_reader/) were made by it; `make fuzz` runs it
// again so that the fuzzer also starts from what the current writer writes.
// Segments are 48 samples and the pairs few, to keep each file small.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include "pipeline/base/error.h"
#include "pipeline/shards/shard_io.h"

namespace {

constexpr int kSegment = 48;

jsqa::JndPair MakePair(int i, bool components) {
  jsqa::JndPair pair;
  pair.utterance_id = "121-121726-00" + std::to_string(10 + i);
  pair.segment = i % 2;
  pair.item_index = 40 + i;
  pair.noise_id = "BGD_150203_010_CAF.CH1";
  pair.noise_offset = 16000 * i + 3;
  pair.snr_a_db = 4.5 + i;
  pair.snr_b_db = pair.snr_a_db - 2.25;
  pair.jnd_probability = 0.75;
  pair.draws = 1 + i;
  pair.gain_a = 0.5;
  pair.gain_b = 0.625;
  for (int n = 0; n < kSegment; ++n) {
    const float clean = 0.4f * std::sin(0.3f * n + i);
    const float noise = 0.1f * std::cos(1.7f * n);
    pair.a.push_back(static_cast<float>(pair.gain_a) * (clean + noise));
    pair.b.push_back(static_cast<float>(pair.gain_b) * (clean + 1.3f * noise));
    if (components) {
      pair.clean.push_back(clean);
      pair.noise_a.push_back(noise);
      pair.noise_b.push_back(1.3f * noise);
    }
  }
  return pair;
}

void Write(const std::filesystem::path& path, jsqa::ShardSampleFormat format, bool components, int pairs) {
  jsqa::ShardInfo info;
  info.shard_index = 0;
  info.shard_count = 1;
  info.item_begin = 40;
  info.item_end = 40 + pairs;
  info.sample_rate = 16000;
  info.segment_samples = kSegment;
  info.sample_format = format;
  info.store_components = components;
  info.seed = 7;
  info.config_text = "[synth]\nsegment_seconds = 0.003\n";
  jsqa::ShardWriter writer(path.string(), info);
  for (int i = 0; i < pairs; ++i) writer.Append(MakePair(i, components));
  writer.Close();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  try {
    std::filesystem::create_directories(dir);
    // "valid-": the replay requires the reader to read their pairs.
    Write(dir / "valid-int16-2-pairs.h5", jsqa::ShardSampleFormat::kInt16, false, 2);
    Write(dir / "valid-float32-components-1-pair.h5", jsqa::ShardSampleFormat::kFloat32, true, 1);
    Write(dir / "int16-empty.h5", jsqa::ShardSampleFormat::kInt16, false, 0);
  } catch (const jsqa::Error& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
  return 0;
}
