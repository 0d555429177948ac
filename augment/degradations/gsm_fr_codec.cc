// gsm_fr: GSM 06.10 full rate (libgsm) at 8 kHz, 13 kbit/s, 160-sample
// frames of 33 bytes (260 bits and a 4-bit signature). A base condition:
// it has one rate. libgsm has no concealment: a lost frame never reaches
// the decoder, and spandsp's G.711 Appendix I-style PLC fills it from the
// decoded speech before it (rather than repeating the last frame's
// parameters, which needs the codec's internals).
#include <gsm.h>

#include <type_traits>

#include "augment/degradations/builtin_degradations.h"
#include "augment/degradations/codec_frames.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr int kFrame = CodecFrameSamples(kNarrowbandCodecRate);
constexpr int kFrameBytes = sizeof(gsm_frame);

// None: each frame is coded on its own, without lookahead; the
// cross-correlation of output and input on speech peaks at lag 0.
constexpr int kDelaySamples = 0;

class GsmFrFrames : public FrameCodec {
 public:
  GsmFrFrames() : encoder_(gsm_create()), decoder_(gsm_create()), plc_("gsm_fr") {
    JSQA_CHECK(encoder_ != nullptr && decoder_ != nullptr, "gsm_fr: libgsm could not start the codec");
  }

  std::vector<uint8_t> Encode(const int16_t* frame) override {
    std::vector<uint8_t> bytes(kFrameBytes);
    // libgsm reads the samples but does not declare them const.
    gsm_encode(encoder_.get(), const_cast<gsm_signal*>(frame), bytes.data());
    return bytes;
  }

  void Decode(const std::vector<uint8_t>& bytes, int16_t* frame) override {
    JSQA_CHECK(gsm_decode(decoder_.get(), const_cast<gsm_byte*>(bytes.data()), frame) == 0,
               "gsm_fr: libgsm rejected a frame as malformed");
    plc_.Received(frame, kFrame);
  }

  void Conceal(int16_t* frame) override { plc_.FillIn(frame, kFrame); }

 private:
  LibraryHandle<std::remove_pointer_t<gsm>, gsm_destroy> encoder_;
  LibraryHandle<std::remove_pointer_t<gsm>, gsm_destroy> decoder_;
  SpandspConcealment plc_;
};

class GsmFrCodec : public Degradation {
 public:
  std::string name() const override { return "gsm_fr"; }
  StrengthParameter strength() const override { return {"bitrate_kbps", "kbit/s", 13.0, 13.0, {13.0}}; }
  bool conceals_loss() const override { return true; }

  DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args, CounterRng&) const override {
    CheckStrength(*this, args.strength);
    GsmFrFrames codec;
    return RunFrameCodec(name(), input, args.lost_frames, {kNarrowbandCodecRate, kDelaySamples}, codec);
  }
};

}  // namespace

std::unique_ptr<Degradation> MakeGsmFr() { return std::make_unique<GsmFrCodec>(); }

}  // namespace jsqa
