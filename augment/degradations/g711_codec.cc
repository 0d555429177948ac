// g711: ITU-T G.711 at 8 kHz (spandsp), µ-law or A-law, 64 kbit/s. Lost
// frames are concealed by spandsp's G.711 Appendix I-style PLC.
#include <spandsp.h>

#include "augment/degradations/builtin_degradations.h"
#include "augment/degradations/codec_frames.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr int kFrame = CodecFrameSamples(kNarrowbandCodecRate);

// Companding acts sample by sample: no delay.
constexpr int kDelaySamples = 0;

class G711Frames : public FrameCodec {
 public:
  explicit G711Frames(int law) : encoder_(g711_init(nullptr, law)), decoder_(g711_init(nullptr, law)), plc_("g711") {
    JSQA_CHECK(encoder_ != nullptr && decoder_ != nullptr, "g711: spandsp could not start the codec");
  }

  std::vector<uint8_t> Encode(const int16_t* frame) override {
    std::vector<uint8_t> bytes(kFrame);
    bytes.resize(g711_encode(encoder_.get(), bytes.data(), frame, kFrame));
    return bytes;
  }

  void Decode(const std::vector<uint8_t>& bytes, int16_t* frame) override {
    const int samples = g711_decode(decoder_.get(), frame, bytes.data(), static_cast<int>(bytes.size()));
    JSQA_CHECK(samples == kFrame, "g711: decoded ", samples, " samples from a frame instead of ", kFrame);
    plc_.Received(frame, kFrame);
  }

  void Conceal(int16_t* frame) override { plc_.FillIn(frame, kFrame); }

 private:
  LibraryHandle<g711_state_t, g711_free> encoder_;
  LibraryHandle<g711_state_t, g711_free> decoder_;
  SpandspConcealment plc_;
};

class G711Codec : public Degradation {
 public:
  std::string name() const override { return "g711"; }
  StrengthParameter strength() const override { return {"mode", "law (0 µ, 1 A)", 0.0, 1.0, {0.0, 1.0}}; }
  bool conceals_loss() const override { return true; }

  DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args, CounterRng&) const override {
    CheckStrength(*this, args.strength);
    G711Frames codec(args.strength == 0.0 ? G711_ULAW : G711_ALAW);
    return RunFrameCodec(name(), input, args.lost_frames, {kNarrowbandCodecRate, kDelaySamples}, codec);
  }
};

}  // namespace

std::unique_ptr<Degradation> MakeG711() { return std::make_unique<G711Codec>(); }

}  // namespace jsqa
