// g726: ITU-T G.726 ADPCM at 8 kHz (spandsp), 16, 24, 32 or 40 kbit/s (2
// to 5 bits a sample), packed as RTP carries it (RFC 3551). The codec has
// no concealment of its own: a lost frame's codes never reach the decoder
// (whose ADPCM state then departs from the encoder's until it re-adapts),
// and spandsp's G.711 Appendix I-style PLC fills the frame.
#include <spandsp.h>

#include <cmath>

#include "augment/degradations/builtin_degradations.h"
#include "augment/degradations/codec_frames.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr int kFrame = CodecFrameSamples(kNarrowbandCodecRate);

// ADPCM codes each sample as it comes: no delay.
constexpr int kDelaySamples = 0;

class G726Frames : public FrameCodec {
 public:
  explicit G726Frames(int bitrate_bps)
      : encoder_(g726_init(nullptr, bitrate_bps, G726_ENCODING_LINEAR, G726_PACKING_RIGHT)),
        decoder_(g726_init(nullptr, bitrate_bps, G726_ENCODING_LINEAR, G726_PACKING_RIGHT)),
        plc_("g726") {
    JSQA_CHECK(encoder_ != nullptr && decoder_ != nullptr, "g726: spandsp could not start the codec at ",
               bitrate_bps, " bit/s");
  }

  std::vector<uint8_t> Encode(const int16_t* frame) override {
    std::vector<uint8_t> bytes(kFrame);  // at most 8 bits a sample
    bytes.resize(g726_encode(encoder_.get(), bytes.data(), frame, kFrame));
    return bytes;
  }

  void Decode(const std::vector<uint8_t>& bytes, int16_t* frame) override {
    const int samples = g726_decode(decoder_.get(), frame, bytes.data(), static_cast<int>(bytes.size()));
    JSQA_CHECK(samples == kFrame, "g726: decoded ", samples, " samples from a frame instead of ", kFrame);
    plc_.Received(frame, kFrame);
  }

  void Conceal(int16_t* frame) override { plc_.FillIn(frame, kFrame); }

 private:
  LibraryHandle<g726_state_t, g726_free> encoder_;
  LibraryHandle<g726_state_t, g726_free> decoder_;
  SpandspConcealment plc_;
};

class G726Codec : public Degradation {
 public:
  std::string name() const override { return "g726"; }
  StrengthParameter strength() const override {
    return {"bitrate_kbps", "kbit/s", 16.0, 40.0, {16.0, 24.0, 32.0, 40.0}};
  }
  bool conceals_loss() const override { return true; }

  DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args, CounterRng&) const override {
    CheckStrength(*this, args.strength);
    G726Frames codec(static_cast<int>(std::lround(args.strength * 1000.0)));
    return RunFrameCodec(name(), input, args.lost_frames, {kNarrowbandCodecRate, kDelaySamples}, codec);
  }
};

}  // namespace

std::unique_ptr<Degradation> MakeG726() { return std::make_unique<G726Codec>(); }

}  // namespace jsqa
