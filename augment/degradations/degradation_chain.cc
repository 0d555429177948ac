#include "augment/degradations/degradation_chain.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <regex>

#include "augment/degradations/jnd_dimension.h"
#include "augment/degradations/packet_loss.h"
#include "pipeline/base/config_keys.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

bool IsPacketLoss(const std::string& name) { return name == "packet_loss" || name == "packet_loss_bursty"; }

std::string StepName(const std::vector<ChainStep>& steps, size_t index) {
  return "step " + std::to_string(index + 1) + " (" + steps[index].degradation + ")";
}

}  // namespace

ChainOutput ApplyChain(const std::vector<float>& input, const std::vector<ChainStep>& steps, uint64_t seed,
                       uint64_t key, const DegradationRegistry& registry) {
  ChainOutput out;
  out.samples = input;
  out.realised.resize(steps.size());
  for (size_t i = 0; i < steps.size(); ++i) {
    try {
      const Degradation& degradation = registry.Get(steps[i].degradation);
      CounterRng rng(seed, MixKeys(key, i));
      DegradeArgs args{steps[i].strength, {}};
      const bool loss_follows = i + 1 < steps.size() && IsPacketLoss(steps[i + 1].degradation);
      if (loss_follows && degradation.conceals_loss()) {
        const Degradation& loss = registry.Get(steps[i + 1].degradation);
        CheckStrength(loss, steps[i + 1].strength);
        CounterRng loss_rng(seed, MixKeys(key, i + 1));
        const LossModel model = steps[i + 1].degradation == "packet_loss" ? LossModel::kRandom : LossModel::kBursty;
        args.lost_frames = DrawLostFrames(LossFrameCount(out.samples.size()), steps[i + 1].strength, model, loss_rng);
        out.realised[i + 1].push_back({"loss_rate", LostFraction(args.lost_frames)});
      }
      DegradedAudio degraded = degradation.Apply(out.samples, args, rng);
      out.samples = std::move(degraded.samples);
      out.realised[i] = std::move(degraded.realised);
      if (loss_follows && degradation.conceals_loss()) ++i;  // the loss is applied
    } catch (const Error& error) {
      throw Error(StepName(steps, i) + " of " + ChainText(steps) + ": " + error.what());
    }
  }
  return out;
}

ChainPair MakeChainPair(const std::vector<float>& input, const std::vector<ChainStep>& steps, size_t dimension_step,
                        double delta, bool upwards, uint64_t seed, uint64_t key, const DegradationRegistry& registry) {
  JSQA_CHECK(dimension_step < steps.size(), "the JND step ", dimension_step + 1, " is beyond the chain's ",
             steps.size(), " steps");
  ChainPair pair;
  pair.steps_a = steps;
  pair.steps_b = steps;
  pair.dimension_step = dimension_step;
  ChainStep& moved = pair.steps_b[dimension_step];
  moved.strength = ShiftStrength(registry.Get(moved.degradation), moved.strength, delta, upwards);
  pair.a = ApplyChain(input, pair.steps_a, seed, key, registry);
  pair.b = ApplyChain(input, pair.steps_b, seed, key, registry);
  return pair;
}

std::string ChainText(const std::vector<ChainStep>& steps) {
  std::string text;
  for (const ChainStep& step : steps)
    text += (text.empty() ? "" : ">") + step.degradation + "(" + FormatDouble(step.strength) + ")";
  return text;
}

std::vector<ChainStep> ParseChainText(const std::string& text, const DegradationRegistry& registry) {
  std::vector<ChainStep> steps;
  if (text.empty()) return steps;
  static const std::regex step_text(R"(([a-z0-9_]+)\(([-+0-9.eE]+)\))");
  size_t begin = 0;
  while (begin <= text.size()) {
    const size_t end = std::min(text.find('>', begin), text.size());
    const std::string part = text.substr(begin, end - begin);
    std::smatch match;
    JSQA_CHECK(std::regex_match(part, match, step_text), "'", part, "' is not name(strength), e.g. opus(16)");
    const std::string number = match[2];
    char* number_end = nullptr;
    const double strength = std::strtod(number.c_str(), &number_end);
    JSQA_CHECK(*number_end == '\0' && std::isfinite(strength), "'", part, "': the strength is not a number");
    CheckStrength(registry.Get(match[1]), strength);
    steps.push_back({match[1], strength});
    begin = end + 1;
  }
  return steps;
}

}  // namespace jsqa
