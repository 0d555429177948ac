#include "pipeline/synthesis/noise_bank.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <optional>

#include "pipeline/base/error.h"
#include "augment/sample_defects.h"
#include "augment/mix.h"
#include "pipeline/base/logging.h"

namespace jsqa {

std::string NoiseEnvironment(const ManifestItem& item) {
  const std::string* environment = item.item.Tag("env");
  return environment ? *environment : "other";
}

NoiseBank::NoiseBank(const std::vector<ManifestItem>& noise, const NoiseBankArgs& args) : args_(args) {
  int64_t total_bytes = 0;
  std::vector<Entry> candidates;
  for (const ManifestItem& item : noise) {
    Entry entry{item.item.id, item.item.path, NoiseEnvironment(item), item.sample_rate,
                ResampledLength(item.frames, item.sample_rate, args.sample_rate), {}};
    total_bytes += entry.length * int64_t{sizeof(float)};
    candidates.push_back(std::move(entry));
  }
  cached_ = total_bytes <= args.cache_bytes;

  // Decode every file once, in parallel: this both fills the cache and
  // rejects unusable recordings before any pair depends on them.
  std::vector<std::optional<SkippedEntry>> errors(candidates.size());
  tbb::task_arena arena(args.threads);
  arena.execute([&] {
    tbb::parallel_for(size_t{0}, candidates.size(), [&](size_t i) {
      try {
        std::vector<float> samples = Load(candidates[i]);
        if (!(Peak(samples) > 0)) throw SkipError(SkipReason::kSilent, candidates[i].path + ": silent noise recording");
        const double dropouts = DropoutFraction(samples, args.dropout_samples);
        if (dropouts > args.max_dropout_fraction)
          throw SkipError(SkipReason::kDropouts,
                          detail::Concat(candidates[i].path, ": ", static_cast<int>(dropouts * 100 + 0.5),
                                         " % of the recording is digital dropouts (runs of exact zeros of ",
                                         args.dropout_samples, " samples or more)"));
        candidates[i].length = static_cast<int64_t>(samples.size());
        if (cached_) candidates[i].samples = std::move(samples);
      } catch (const Error& e) {
        errors[i] = SkippedEntry{candidates[i].path, SkipReasonOf(e), e.what()};
      }
    });
  });
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (!errors[i]) {
      entries_.push_back(std::move(candidates[i]));
    } else {
      JSQA_LOG(kWarn) << "noise skipped: " << errors[i]->reason;
      skipped_.push_back(std::move(*errors[i]));
    }
  }
  JSQA_CHECK(!entries_.empty(), "no usable noise recording among ", noise.size(), " listed");
  JSQA_LOG(kInfo) << "noise: " << entries_.size() << " recordings, "
                  << (cached_ ? "cached in memory (" + std::to_string(CachedBytes() >> 20) + " MiB)"
                              : "read from disk per pair (" + std::to_string(total_bytes >> 20) +
                                    " MiB exceeds synth.noise_cache_mb)");
}

std::vector<float> NoiseBank::Load(const Entry& entry) const {
  Audio audio = ReadAudio(entry.path, args_.read);
  if (audio.sample_rate == args_.sample_rate) return std::move(audio.samples);
  return Resample(audio.samples, audio.sample_rate, args_.sample_rate, args_.resample);
}

int64_t NoiseBank::CachedBytes() const {
  int64_t bytes = 0;
  for (const Entry& entry : entries_) bytes += static_cast<int64_t>(entry.samples.size() * sizeof(float));
  return bytes;
}

std::vector<float> NoiseBank::Segment(size_t index, int64_t offset, int64_t length) const {
  const Entry& entry = entries_.at(index);
  // Resampling a range would differ at its edges from resampling the whole
  // file: such files are decoded whole, so the output never depends on the budget.
  const bool whole_file = !cached_ && entry.source_rate != args_.sample_rate;
  const std::vector<float> whole = whole_file ? Load(entry) : std::vector<float>();
  const std::vector<float>& samples = cached_ ? entry.samples : whole;

  std::vector<float> out(static_cast<size_t>(length));
  // Copy contiguous runs, wrapping around the end of the recording.
  for (int64_t filled = 0; filled < length;) {
    const int64_t start = (offset + filled) % entry.length;
    const int64_t count = std::min(length - filled, entry.length - start);
    if (cached_ || whole_file) {
      std::copy_n(samples.begin() + start, count, out.begin() + filled);
    } else {
      const Audio part = ReadAudioRange(entry.path, start, count, args_.read);
      JSQA_CHECK(static_cast<int64_t>(part.samples.size()) == count, entry.path, ": short read at frame ", start);
      std::copy(part.samples.begin(), part.samples.end(), out.begin() + filled);
    }
    filled += count;
  }
  return out;
}

}  // namespace jsqa
