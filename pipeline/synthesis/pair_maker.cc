#include "pipeline/synthesis/pair_maker.h"

#include "augment/audio_io.h"
#include "augment/counter_rng.h"
#include "augment/sample_defects.h"
#include "pipeline/base/error.h"
#include "augment/degradations/jnd_dimension.h"
#include "augment/jnd_features.h"
#include "augment/jnd_prior.h"
#include "augment/mix.h"
#include "augment/resampler.h"
#include "augment/segment.h"
#include "pipeline/base/logging.h"
#include "pipeline/base/skip_reason.h"

#include <nlohmann/json.hpp>

namespace jsqa {

PairMaker::PairMaker(const std::vector<ManifestItem>& speech, const NoiseBank& noise, const JndSvm* svm,
                     const std::map<std::string, JndSvm>& dimension_svms, const JndConfig& jnd, const DegradationRangesConfig& ranges, const SynthConfig& synth,
                     const AudioConfig& audio)
    : speech_(speech),
      noise_(noise),
      svm_(svm),
      dimension_svms_(dimension_svms),
      jnd_(jnd),
      synth_(synth),
      audio_(audio),
      segment_samples_(synth.SegmentSamples(audio.sample_rate)),
      mix_args_(jnd.Mixing(audio.sample_rate)),
      dropout_samples_(jnd.DropoutSamples(audio.sample_rate)),
      chains_(jnd.ParsedChains(), jnd.ParsedDimensions(), ranges) {
  JSQA_CHECK(chains_.noise_only() || audio.sample_rate == kDegradationRate, "degradation chains work at ",
             kDegradationRate, " Hz; audio.sample_rate is ", audio.sample_rate);
}

UnitResult PairMaker::Make(const SynthUnit& unit) const {
  UnitResult result;
  result.seq = unit.seq;
  result.shard = unit.shard;
  const ManifestItem& utterance = speech_.at(unit.speech_index);
  const int32_t segments = unit.segment_end - unit.segment_begin;
  result.counts.segments = segments;

  std::vector<float> speech;
  try {
    speech = audio_.LoadMono(utterance.item.path);
    const int64_t expected = ResampledLength(utterance.frames, utterance.sample_rate, audio_.sample_rate);
    if (static_cast<int64_t>(speech.size()) != expected)
      throw SkipError(SkipReason::kChanged,
                      detail::Concat(utterance.item.path, ": length differs from the prepare manifest (", speech.size(),
                                     " vs ", expected, " samples): the file changed since prepare ran"));
  } catch (const Error& e) {
    JSQA_LOG(kWarn) << "synth: skipped " << utterance.item.path << ": " << e.what();
    result.counts.skipped_by_reason[SkipReasonCode(SkipReasonOf(e))] += segments;
    return result;
  }

  // Counted once per file (a long file's later units load it too), so a
  // later unit scans for clipping only when it would skip the file.
  if ((unit.segment_begin == 0 || jnd_.skip_clipped_speech) && ClippedRuns(speech) > 0) {
    if (unit.segment_begin == 0) ++result.counts.clipped_speech_files;
    if (jnd_.skip_clipped_speech) {
      JSQA_LOG(kWarn) << "synth: skipped " << utterance.item.path << ": clipped at the source (full-scale runs)";
      result.counts.skipped_by_reason[SkipReasonCode(SkipReason::kClipped)] += segments;
      return result;
    }
  }

  for (int32_t k = unit.segment_begin; k < unit.segment_end; ++k) {
    const int64_t offset = int64_t{k} * segment_samples_;
    const std::vector<float> clean = PadToLength(
        Crop(speech, offset, std::min<int64_t>(segment_samples_, static_cast<int64_t>(speech.size()) - offset)),
        segment_samples_);
    if (Peak(clean) == 0.0) {
      JSQA_LOG(kWarn) << "synth: skipped " << utterance.item.path << " segment " << k << ": silent speech";
      ++result.counts.skipped_by_reason[SkipReasonCode(SkipReason::kSilent)];
      continue;
    }
    std::string why;
    if (const std::optional<SkipReason> problem = jnd_.SpeechSegmentProblem(clean, audio_.sample_rate, &why)) {
      JSQA_LOG(kWarn) << "synth: skipped " << utterance.item.path << " segment " << k << ": " << why;
      ++result.counts.skipped_by_reason[SkipReasonCode(*problem)];
      continue;
    }
    JndPair pair;
    if (!MakePair(clean, utterance.item.id, k, pair, result.counts)) {
      ++result.counts.dropped;
      continue;
    }
    pair.item_index = unit.item_begin + (k - unit.segment_begin);
    if (!synth_.store_components) {
      // Free the components now rather than carry them to the writer.
      std::vector<float>().swap(pair.clean);
      std::vector<float>().swap(pair.noise_a);
      std::vector<float>().swap(pair.noise_b);
    }
    result.pairs.push_back(std::move(pair));
    ++result.counts.pairs;
  }
  return result;
}

bool PairMaker::MakePair(const std::vector<float>& clean, const std::string& utterance_id, int32_t segment,
                         JndPair& pair, SynthCounts& counts) const {
  CounterRng rng(synth_.seed, MixKeys(StableHash64(utterance_id), static_cast<uint64_t>(segment)));
  for (int draw = 1; draw <= jnd_.max_draws; ++draw) {
    // Noise-only pairs draw nothing for a chain, so their draws and samples
    // are those of the pairs made before chains existed.
    const ChainDraw chain = chains_.noise_only() ? ChainDraw{} : chains_.Draw(rng);
    if (!chain.failure.empty()) {
      JSQA_LOG(kWarn) << "synth: " << utterance_id << " segment " << segment << " draw " << draw << ": "
                      << chain.chain << ": " << chain.failure;
      ++counts.draws_by_dimension[chain.dimension];
      ++counts.failed_by_dimension[chain.dimension];
      continue;
    }
    const size_t noise_index = static_cast<size_t>(rng.UniformInt(noise_.size()));
    const int64_t noise_offset = PickOffset(rng, noise_.Length(noise_index), segment_samples_);
    auto [snr_a, snr_b] = jnd_.DrawSnrs(rng);
    if (chain.dimension != kSnrDimension) snr_b = snr_a;
    const std::vector<float> noise = noise_.Segment(noise_index, noise_offset, segment_samples_);
    const std::string& environment = noise_.Environment(noise_index);
    ++counts.draws_by_environment[environment];
    ++counts.draws_by_dimension[chain.dimension];
    if (LongestZeroRun(noise) > dropout_samples_) {
      // A dropout in this stretch of noise: the pair would mix speech with
      // digital silence. Another draw picks another stretch.
      JSQA_LOG(kDebug) << "synth: " << utterance_id << " segment " << segment << " draw " << draw << ": "
                       << noise_.Id(noise_index) << " @" << noise_offset << " holds a dropout";
      continue;
    }
    try {
      MixJndPair(clean, noise, snr_a, snr_b, mix_args_, pair);
    } catch (const Error& e) {
      // e.g. a silent stretch of noise: this draw is unusable, draw again.
      JSQA_LOG(kDebug) << "synth: " << utterance_id << " segment " << segment << " draw " << draw << ": "
                       << e.what();
      continue;
    }
    // Only the features the model uses: the shipped one needs no spectrum.
    // SNR pairs are judged here, before any later step; the other
    // dimensions differ only after the chain, and are judged then.
    const bool snr_pair = chain.dimension == kSnrDimension;
    std::optional<double> same;  // P(heard as the same), when someone judges the pair
    if (svm_ && snr_pair)
      same = svm_->Probability(ComputeJndFeatures(pair.a, pair.b, noise, pair.snr_a_db, pair.snr_b_db,
                                                  audio_.sample_rate, svm_->features()));
    if (same && *same < jnd_.svm_threshold) continue;
    if (!chain.steps_a.empty()) {
      try {
        DegradeAfterNoise(chain, pair);
      } catch (const Error& e) {
        // A codec that fails: counted, and another draw.
        JSQA_LOG(kWarn) << "synth: " << utterance_id << " segment " << segment << " draw " << draw << ": "
                        << e.what();
        ++counts.failed_by_dimension[chain.dimension];
        continue;
      }
    }
    if (!snr_pair) {
      same = JudgeChainPair(chain, pair, noise);
      if (same && *same < jnd_.svm_threshold) continue;
    }
    ++counts.accepted_by_environment[environment];
    ++counts.accepted_by_dimension[chain.dimension];
    if (!same) ++counts.unjudged_by_dimension[chain.dimension];
    pair.dimension = chain.dimension;
    pair.chain = chain.chain;
    pair.utterance_id = utterance_id;
    pair.segment = segment;
    pair.noise_id = noise_.Id(noise_index);
    pair.noise_offset = noise_offset;
    pair.jnd_probability = same.value_or(1.0);
    pair.draws = draw;
    return true;
  }
  return false;
}

namespace {

// [{"degradation", "strength", "realised": {...}}] of the steps as applied.
std::string StepsJson(const std::vector<ChainStep>& steps, const ChainOutput& output) {
  nlohmann::json json = nlohmann::json::array();
  for (size_t i = 0; i < steps.size(); ++i) {
    nlohmann::json realised = nlohmann::json::object();
    for (const Realised& value : output.realised[i]) realised[value.name] = value.value;
    json.push_back({{"degradation", steps[i].degradation}, {"strength", steps[i].strength}, {"realised", realised}});
  }
  return json.dump();
}

}  // namespace

std::optional<double> PairMaker::JudgeChainPair(const ChainDraw& chain, const JndPair& pair,
                                                const std::vector<float>& noise) const {
  const auto svm = dimension_svms_.find(chain.dimension);
  if (svm != dimension_svms_.end()) {
    // The noise step's SNR (the same for A and B) in the snr_db slot, Δ in
    // the dimension's unit in the delta_db slot (JndModelDimension).
    JndFeatures features = ComputeJndFeatures(pair.a, pair.b, noise, pair.snr_a_db, pair.snr_b_db,
                                              audio_.sample_rate, svm->second.features());
    features[kDelta] = chain.delta;
    return svm->second.Probability(features);
  }
  const JndDimension& dimension = FindJndDimension(chain.dimension);
  if (dimension.validated) return PublishedJndSameProbability(dimension.default_delta, chain.delta);
  return std::nullopt;
}

void PairMaker::DegradeAfterNoise(const ChainDraw& chain, JndPair& pair) const {
  ChainOutput a = ApplyChain(pair.a, chain.steps_a, synth_.seed, chain.key);
  ChainOutput b = ApplyChain(pair.b, chain.steps_b, synth_.seed, chain.key);
  pair.a = std::move(a.samples);
  pair.b = std::move(b.samples);
  LevelJndPair(mix_args_, pair);
  pair.steps_a = StepsJson(chain.steps_a, a);
  pair.steps_b = StepsJson(chain.steps_b, b);
}

}  // namespace jsqa
