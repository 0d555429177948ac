#include "tools/cli/jnd_prior_judgments.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "augment/audio_io.h"
#include "augment/counter_rng.h"
#include "pipeline/base/error.h"
#include "pipeline/base/text_files.h"
#include "augment/jnd_prior.h"
#include "augment/segment.h"
#include "pipeline/base/csv.h"
#include "pipeline/corpus/audio_folder_layout.h"

namespace jsqa {
namespace fs = std::filesystem;
namespace {

// FindAudioFiles as paths.
std::vector<fs::path> ExpandInputs(const std::vector<std::string>& inputs, const std::string& option) {
  const std::vector<std::string> files = FindAudioFiles(inputs, option);
  return {files.begin(), files.end()};
}

struct Recording {
  std::string csv_path;  // as written in the CSV
  int64_t frames = 0;
  int sample_rate = 0;
};

std::string PathForCsv(const fs::path& file, const fs::path& csv_dir) {
  const fs::path absolute = fs::absolute(file).lexically_normal();
  const fs::path relative = absolute.lexically_relative(csv_dir);
  if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
  return absolute.string();
}

std::vector<Recording> Probe(const std::vector<fs::path>& files, const fs::path& csv_dir) {
  std::vector<Recording> recordings;
  for (const fs::path& file : files) {
    const AudioInfo info = ProbeAudio(file.string());
    recordings.push_back({PathForCsv(file, csv_dir), info.frames, info.sample_rate});
  }
  return recordings;
}

double RoundToHundredth(double value) { return std::round(value * 100.0) / 100.0; }

void CheckArgs(const PriorJudgmentArgs& args) {
  if (args.count <= 0) throw UsageError("--count must be > 0, got " + std::to_string(args.count));
  if (!(args.snr_min_db <= args.snr_max_db))
    throw UsageError("--snr-min must be <= --snr-max, got " + FormatFixed(args.snr_min_db, 2) + " and " +
                     FormatFixed(args.snr_max_db, 2));
  if (!(args.delta_max_db > 0.0))
    throw UsageError("--delta-max must be > 0, got " + FormatFixed(args.delta_max_db, 2));
  if (!(args.segment_seconds > 0.0))
    throw UsageError("--segment-seconds must be > 0, got " + FormatFixed(args.segment_seconds, 2));
}

}  // namespace

PriorJudgmentSummary WritePriorJudgments(const std::string& csv_path, const PriorJudgmentArgs& args) {
  CheckArgs(args);
  const fs::path csv_dir = fs::absolute(csv_path).lexically_normal().parent_path();
  const std::vector<Recording> speech = Probe(ExpandInputs(args.speech, "--speech"), csv_dir);
  const std::vector<Recording> noise = Probe(ExpandInputs(args.noise, "--noise"), csv_dir);

  std::vector<std::vector<std::string>> rows = {
      {"clean_path", "noise_path", "clean_offset_s", "noise_offset_s", "snr_db", "delta_db", "label"}};
  PriorJudgmentSummary summary;
  summary.speech_files = static_cast<int>(speech.size());
  summary.noise_files = static_cast<int>(noise.size());
  for (int i = 0; i < args.count; ++i) {
    CounterRng rng(args.seed, static_cast<uint64_t>(i));
    const Recording& clean = speech[rng.UniformInt(speech.size())];
    const Recording& masker = noise[rng.UniformInt(noise.size())];
    // Offsets in each file's own samples: a whole segment of speech where
    // the clip is long enough, else its start (it will be padded); noise
    // anywhere (it will be looped if short).
    const int64_t clean_segment = std::llround(args.segment_seconds * clean.sample_rate);
    const int64_t clean_offset =
        clean.frames > clean_segment ? PickOffset(rng, clean.frames, clean_segment) : 0;
    const int64_t noise_offset =
        PickOffset(rng, masker.frames, std::llround(args.segment_seconds * masker.sample_rate));
    const double snr_db = RoundToHundredth(rng.Uniform(args.snr_min_db, args.snr_max_db));
    const double delta_db = RoundToHundredth(rng.Uniform(0.0, args.delta_max_db));
    const bool same = rng.NextUnit() < JndSameProbability(snr_db, delta_db);
    summary.same += same;
    // 7 decimals hold any offset at 16 kHz exactly (1 / 16000 s = 62.5 µs)
    // and any other rate to well under half a sample.
    rows.push_back({clean.csv_path, masker.csv_path,
                    FormatFixed(static_cast<double>(clean_offset) / clean.sample_rate, 7),
                    FormatFixed(static_cast<double>(noise_offset) / masker.sample_rate, 7), FormatFixed(snr_db, 2),
                    FormatFixed(delta_db, 2), same ? "1" : "0"});
  }
  WriteCsvFile(csv_path, rows);
  summary.rows = args.count;
  return summary;
}

}  // namespace jsqa
