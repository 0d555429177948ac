// time_clipping: whole 20 ms frames zeroed at random, the "frame erasures
// without concealment" of NISQA's generator (rates 0.01 to 0.5). One uniform
// draw per frame: a frame is zeroed when its draw is below the rate, so a
// pair's two signals (same draws) differ only in the frames between their
// two rates.
#include <algorithm>

#include "augment/degradations/builtin_degradations.h"
#include "augment/degradations/packet_loss.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

class TimeClipping : public Degradation {
 public:
  std::string name() const override { return "time_clipping"; }
  StrengthParameter strength() const override { return {"frame_error_rate", "fraction", 0.0, 0.9, {}}; }

  DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args, CounterRng& rng) const override {
    CheckStrength(*this, args.strength);
    const std::vector<uint8_t> zeroed =
        DrawLostFrames(LossFrameCount(input.size()), args.strength, LossModel::kRandom, rng);
    DegradedAudio out;
    out.samples = input;
    size_t zeroed_frames = 0;
    for (size_t frame = 0; frame < zeroed.size(); ++frame) {
      if (!zeroed[frame]) continue;
      ++zeroed_frames;
      const size_t begin = frame * kLossFrameSamples;
      const size_t end = std::min(begin + kLossFrameSamples, input.size());
      std::fill(out.samples.begin() + begin, out.samples.begin() + end, 0.0f);
    }
    out.realised.push_back({"frame_error_rate", static_cast<double>(zeroed_frames) / zeroed.size()});
    return out;
  }
};

}  // namespace

std::unique_ptr<Degradation> MakeTimeClipping() { return std::make_unique<TimeClipping>(); }

}  // namespace jsqa
