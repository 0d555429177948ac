#include "augment/degradations/packet_loss.h"

#include <algorithm>

#include "augment/degradations/builtin_degradations.h"
#include "augment/degradations/codec_frames.h"
#include "augment/resampler.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// Mean burst of the bursty model, in frames (60 ms).
constexpr double kBurstyMeanBurstFrames = 3.0;

constexpr int kNarrowbandFrame = CodecFrameSamples(kNarrowbandCodecRate);

// The 16 kHz PCM channel with G.711 Appendix I concealment: spandsp's PLC
// fills the lost frames at 8 kHz from the pitch period before them and
// cross-fades back into the next received frame. Frames received intact
// keep their full band; a lost frame and the one after it (where the
// cross-fade lies) take the concealed signal, brought back to 16 kHz, so
// the concealment itself has the 4 kHz band its algorithm was made for.
std::vector<float> ConcealOnPcm(const std::vector<float>& input, const std::vector<uint8_t>& lost) {
  const std::vector<float> narrowband = Resample(input, kDegradationRate, kNarrowbandCodecRate);
  std::vector<int16_t> pcm(lost.size() * kNarrowbandFrame, 0);
  for (size_t i = 0; i < narrowband.size() && i < pcm.size(); ++i) pcm[i] = ToPcm16(narrowband[i]);

  SpandspConcealment plc("packet_loss");
  for (size_t frame = 0; frame < lost.size(); ++frame) {
    int16_t* samples = pcm.data() + frame * kNarrowbandFrame;
    if (lost[frame])
      plc.FillIn(samples, kNarrowbandFrame);
    else
      plc.Received(samples, kNarrowbandFrame);
  }
  std::vector<float> concealed(pcm.size());
  for (size_t i = 0; i < pcm.size(); ++i) concealed[i] = FromPcm16(pcm[i]);
  const std::vector<float> wideband = Resample(concealed, kNarrowbandCodecRate, kDegradationRate);

  std::vector<float> output = input;
  for (size_t frame = 0; frame < lost.size(); ++frame) {
    if (!lost[frame] && !(frame > 0 && lost[frame - 1])) continue;
    const size_t begin = frame * kLossFrameSamples;
    const size_t end = std::min({begin + kLossFrameSamples, output.size(), wideband.size()});
    std::copy(wideband.begin() + begin, wideband.begin() + end, output.begin() + begin);
  }
  return output;
}

class PacketLoss : public Degradation {
 public:
  explicit PacketLoss(LossModel model) : model_(model) {}

  std::string name() const override { return model_ == LossModel::kRandom ? "packet_loss" : "packet_loss_bursty"; }
  StrengthParameter strength() const override { return {"loss_rate", "fraction", 0.0, 0.5, {}}; }

  DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args, CounterRng& rng) const override {
    CheckStrength(*this, args.strength);
    const std::vector<uint8_t> lost = DrawLostFrames(LossFrameCount(input.size()), args.strength, model_, rng);
    DegradedAudio out;
    out.samples = ConcealOnPcm(input, lost);
    out.realised.push_back({"loss_rate", LostFraction(lost)});
    return out;
  }

 private:
  LossModel model_;
};

}  // namespace

double LostFraction(const std::vector<uint8_t>& lost) {
  return lost.empty() ? 0.0 : static_cast<double>(std::count(lost.begin(), lost.end(), 1)) / lost.size();
}

size_t LossFrameCount(size_t samples) { return (samples + kLossFrameSamples - 1) / kLossFrameSamples; }

std::vector<uint8_t> DrawLostFrames(size_t frames, double rate, LossModel model, CounterRng& rng) {
  JSQA_CHECK(rate >= 0.0 && rate < 1.0, "a loss rate must be in [0, 1), got ", rate);
  // Staying in the bad state has probability 1 − r; entering it, p.
  const double stay_bad = model == LossModel::kRandom ? rate : 1.0 - 1.0 / kBurstyMeanBurstFrames;
  const double enter_bad = model == LossModel::kRandom ? rate : rate * (1.0 - stay_bad) / (1.0 - rate);
  std::vector<uint8_t> lost(frames);
  bool bad = false;
  for (size_t frame = 0; frame < frames; ++frame) {
    const double draw = rng.NextUnit();
    // The first frame starts from the stationary distribution.
    bad = frame == 0 ? draw < rate : (bad ? draw < stay_bad : draw < enter_bad);
    lost[frame] = bad;
  }
  return lost;
}

std::unique_ptr<Degradation> MakePacketLoss() { return std::make_unique<PacketLoss>(LossModel::kRandom); }
std::unique_ptr<Degradation> MakeBurstyPacketLoss() { return std::make_unique<PacketLoss>(LossModel::kBursty); }

}  // namespace jsqa
