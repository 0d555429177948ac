// amr_wb: 3GPP AMR wideband (G.722.2) at 16 kHz, one of its nine modes,
// DTX off: VisualOn's encoder (vo-amrwbenc) and opencore's decoder, frames
// in the storage format of RFC 4867 (a one-byte header, then the mode's
// bits padded to whole bytes).
#include <opencore-amrwb/dec_if.h>
#include <vo-amrwbenc/enc_if.h>

#include <algorithm>

#include "augment/degradations/builtin_degradations.h"
#include "augment/degradations/codec_frames.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// Modes 0 (6.60 kbit/s) to 8 (23.85 kbit/s), in kbit/s.
const std::vector<double> kModeBitrates = {6.6, 8.85, 12.65, 14.25, 15.85, 18.25, 19.85, 23.05, 23.85};

// Samples at 16 kHz from encoder input to decoder output: 5 ms of LPC
// lookahead and 0.9375 ms of the filters that take 16 kHz to the core's
// 12.8 kHz and back. The cross-correlation of output and input on speech
// peaks at this lag (95 samples, 5.9375 ms) in every mode.
constexpr int kDelaySamples = 95;

// The biggest frame, 23.85 kbit/s: 477 bits in 60 bytes after the header.
constexpr int kMaxFrameBytes = 61;

// A lost frame reaches the decoder as a SPEECH_LOST frame (type 14, RFC
// 4867), which it conceals by extrapolating the frames before (3GPP TS
// 26.191). The type says it, not the bad-frame argument: opencore turns any
// non-zero one into NO_DATA, which it conceals the same way in speech.
constexpr uint8_t kSpeechLostHeader = (14 << 3) | 0x04;

class AmrWbFrames : public FrameCodec {
 public:
  explicit AmrWbFrames(int mode) : mode_(mode), encoder_(E_IF_init()), decoder_(D_IF_init()) {
    JSQA_CHECK(encoder_ != nullptr, "amr_wb: could not create an encoder");
    JSQA_CHECK(decoder_ != nullptr, "amr_wb: could not create a decoder");
  }

  std::vector<uint8_t> Encode(const int16_t* frame) override {
    std::vector<uint8_t> bytes(kMaxFrameBytes);
    const int size = E_IF_encode(encoder_.get(), mode_, frame, bytes.data(), /*dtx=*/0);
    JSQA_CHECK(size > 0 && size <= kMaxFrameBytes, "amr_wb: the encoder failed on a frame (returned ", size, ")");
    bytes.resize(size);
    return bytes;
  }

  void Decode(const std::vector<uint8_t>& bytes, int16_t* frame) override {
    D_IF_decode(decoder_.get(), bytes.data(), frame, _good_frame);
  }

  void Conceal(int16_t* frame) override {
    const uint8_t speech_lost[kMaxFrameBytes] = {kSpeechLostHeader};
    D_IF_decode(decoder_.get(), speech_lost, frame, _good_frame);
  }

 private:
  int mode_;
  LibraryHandle<void, E_IF_exit> encoder_;
  LibraryHandle<void, D_IF_exit> decoder_;
};

class AmrWbCodec : public Degradation {
 public:
  std::string name() const override { return "amr_wb"; }
  StrengthParameter strength() const override {
    return {"bitrate_kbps", "kbit/s", kModeBitrates.front(), kModeBitrates.back(), kModeBitrates};
  }
  bool conceals_loss() const override { return true; }

  DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args, CounterRng&) const override {
    CheckStrength(*this, args.strength);
    const auto level = std::find(kModeBitrates.begin(), kModeBitrates.end(), args.strength);
    AmrWbFrames codec(static_cast<int>(level - kModeBitrates.begin()));
    return RunFrameCodec(name(), input, args.lost_frames, {kDegradationRate, kDelaySamples}, codec);
  }
};

}  // namespace

std::unique_ptr<Degradation> MakeAmrWb() { return std::make_unique<AmrWbCodec>(); }

}  // namespace jsqa
