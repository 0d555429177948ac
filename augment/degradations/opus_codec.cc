// opus: libopus at 16 kHz in 20 ms frames, tuned for speech (VOIP), at a
// hard constant bitrate so that every frame holds bitrate · 20 ms of bits,
// rounded to whole bytes. Lost frames are concealed by Opus's own PLC.
#include <opus/opus.h>

#include <cmath>

#include "augment/degradations/builtin_degradations.h"
#include "augment/degradations/codec_frames.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// The largest Opus frame (RFC 6716, 3.2.1), a bound for the encoder's output.
constexpr int kMaxOpusFrameBytes = 1275;

class OpusFrames : public FrameCodec {
 public:
  explicit OpusFrames(double bitrate_kbps) {
    int error = OPUS_OK;
    encoder_.reset(opus_encoder_create(kDegradationRate, 1, OPUS_APPLICATION_VOIP, &error));
    JSQA_CHECK(error == OPUS_OK && encoder_ != nullptr, "opus: could not create an encoder: ", opus_strerror(error));
    decoder_.reset(opus_decoder_create(kDegradationRate, 1, &error));
    JSQA_CHECK(error == OPUS_OK && decoder_ != nullptr, "opus: could not create a decoder: ", opus_strerror(error));
    const int bitrate_bps = static_cast<int>(std::lround(bitrate_kbps * 1000.0));
    Check(opus_encoder_ctl(encoder_.get(), OPUS_SET_BITRATE(bitrate_bps)), "set the bitrate");
    Check(opus_encoder_ctl(encoder_.get(), OPUS_SET_VBR(0)), "switch to a constant bitrate");
    Check(opus_encoder_ctl(encoder_.get(), OPUS_GET_LOOKAHEAD(&lookahead_)), "report its lookahead");
  }

  // The encoder's lookahead is the whole delay from its input to the
  // decoder's output: 104 samples (6.5 ms) at 16 kHz, 2.5 ms of CELT's
  // window overlap and 4 ms of compensation for SILK's lookahead and
  // resamplers.
  int lookahead() const { return lookahead_; }

  std::vector<uint8_t> Encode(const int16_t* frame) override {
    std::vector<uint8_t> bytes(kMaxOpusFrameBytes);
    const int size = opus_encode(encoder_.get(), frame, kFrame, bytes.data(), kMaxOpusFrameBytes);
    Check(size, "encode a frame");
    bytes.resize(size);
    return bytes;
  }

  void Decode(const std::vector<uint8_t>& bytes, int16_t* frame) override {
    const int samples = opus_decode(decoder_.get(), bytes.data(), static_cast<opus_int32>(bytes.size()), frame,
                                    kFrame, 0);
    CheckFrame(samples, "decode a frame");
  }

  void Conceal(int16_t* frame) override {
    // No data: the decoder extrapolates the frame (its PLC).
    CheckFrame(opus_decode(decoder_.get(), nullptr, 0, frame, kFrame, 0), "conceal a lost frame");
  }

 private:
  static constexpr int kFrame = CodecFrameSamples(kDegradationRate);

  static void Check(int result, const char* what) {
    JSQA_CHECK(result >= 0, "opus: could not ", what, ": ", opus_strerror(result));
  }
  static void CheckFrame(int samples, const char* what) {
    Check(samples, what);
    JSQA_CHECK(samples == kFrame, "opus: could not ", what, ": ", samples, " samples instead of ", kFrame);
  }

  LibraryHandle<OpusEncoder, opus_encoder_destroy> encoder_;
  LibraryHandle<OpusDecoder, opus_decoder_destroy> decoder_;
  int lookahead_ = 0;
};

class OpusCodec : public Degradation {
 public:
  std::string name() const override { return "opus"; }
  // From Opus's lowest bitrate (RFC 6716) to where 16 kHz speech is close
  // to transparent.
  StrengthParameter strength() const override { return {"bitrate_kbps", "kbit/s", 6.0, 48.0, {}}; }
  bool conceals_loss() const override { return true; }

  DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args, CounterRng&) const override {
    CheckStrength(*this, args.strength);
    OpusFrames codec(args.strength);
    return RunFrameCodec(name(), input, args.lost_frames, {kDegradationRate, codec.lookahead()}, codec);
  }
};

}  // namespace

std::unique_ptr<Degradation> MakeOpus() { return std::make_unique<OpusCodec>(); }

}  // namespace jsqa
