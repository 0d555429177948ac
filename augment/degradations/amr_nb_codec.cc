// amr_nb: 3GPP AMR narrowband (opencore-amrnb) at 8 kHz, one of its eight
// modes, DTX off; frames in the storage format of RFC 4867 (a one-byte
// header, then the mode's bits padded to whole bytes).
#include <opencore-amrnb/interf_dec.h>
#include <opencore-amrnb/interf_enc.h>

#include <algorithm>

#include "augment/degradations/builtin_degradations.h"
#include "augment/degradations/codec_frames.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// Modes MR475 ... MR122, in enum Mode's order (kbit/s).
const std::vector<double> kModeBitrates = {4.75, 5.15, 5.9, 6.7, 7.4, 7.95, 10.2, 12.2};

// Samples at 8 kHz from encoder input to decoder output: the encoder's
// 5 ms of LPC lookahead (3GPP TS 26.090). The cross-correlation of output
// and input on speech peaks at 79 samples at 16 kHz in every mode, within a
// sample of it (the input high-pass and the postfilter shift the phase).
constexpr int kDelaySamples = 40;

// The biggest frame, 12.2 kbit/s: 244 bits in 31 bytes after the header.
constexpr int kMaxFrameBytes = 32;

// opencore's decoder reads the frame type from the header and ignores its
// bad-frame argument, so a lost frame is signalled as the storage format
// does: NO_DATA (type 15, RFC 4867), which in a speech period the decoder
// conceals as a bad frame, extrapolating the frames before (3GPP TS 26.091).
constexpr uint8_t kNoDataHeader = (15 << 3) | 0x04;

class AmrNbFrames : public FrameCodec {
 public:
  explicit AmrNbFrames(Mode mode)
      : mode_(mode), encoder_(Encoder_Interface_init(/*dtx=*/0)), decoder_(Decoder_Interface_init()) {
    JSQA_CHECK(encoder_ != nullptr, "amr_nb: could not create an encoder");
    JSQA_CHECK(decoder_ != nullptr, "amr_nb: could not create a decoder");
  }

  std::vector<uint8_t> Encode(const int16_t* frame) override {
    std::vector<uint8_t> bytes(kMaxFrameBytes);
    const int size = Encoder_Interface_Encode(encoder_.get(), mode_, frame, bytes.data(), /*forceSpeech=*/0);
    JSQA_CHECK(size > 0 && size <= kMaxFrameBytes, "amr_nb: the encoder failed on a frame (returned ", size, ")");
    bytes.resize(size);
    return bytes;
  }

  void Decode(const std::vector<uint8_t>& bytes, int16_t* frame) override {
    Decoder_Interface_Decode(decoder_.get(), bytes.data(), frame, /*bfi=*/0);
  }

  void Conceal(int16_t* frame) override {
    const uint8_t no_data[kMaxFrameBytes] = {kNoDataHeader};
    Decoder_Interface_Decode(decoder_.get(), no_data, frame, /*bfi=*/1);
  }

 private:
  Mode mode_;
  LibraryHandle<void, Encoder_Interface_exit> encoder_;
  LibraryHandle<void, Decoder_Interface_exit> decoder_;
};

class AmrNbCodec : public Degradation {
 public:
  std::string name() const override { return "amr_nb"; }
  StrengthParameter strength() const override {
    return {"bitrate_kbps", "kbit/s", kModeBitrates.front(), kModeBitrates.back(), kModeBitrates};
  }
  bool conceals_loss() const override { return true; }

  DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args, CounterRng&) const override {
    CheckStrength(*this, args.strength);
    const auto level = std::find(kModeBitrates.begin(), kModeBitrates.end(), args.strength);
    AmrNbFrames codec(static_cast<Mode>(MR475 + (level - kModeBitrates.begin())));
    return RunFrameCodec(name(), input, args.lost_frames, {kNarrowbandCodecRate, kDelaySamples}, codec);
  }
};

}  // namespace

std::unique_ptr<Degradation> MakeAmrNb() { return std::make_unique<AmrNbCodec>(); }

}  // namespace jsqa
