// g722: ITU-T G.722 sub-band ADPCM at 16 kHz (spandsp), 48, 56 or 64
// kbit/s: 6, 7 or 8 bits per pair of samples, packed here into whole bytes
// (spandsp's own packed decoder holds the last code of each call back for
// the next, which would break 20 ms frames). The codec has no concealment
// of its own: a lost frame's codes never reach the decoder (whose ADPCM
// state then departs from the encoder's until it re-adapts), and spandsp's
// PLC fills the frame at 16 kHz. That PLC was made for 8 kHz, so here its
// pitch search spans 133 to 400 Hz and its fade to silence takes 25 ms:
// rougher than G.722 Appendix III, but a concealment all the same.
#include <spandsp.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "augment/degradations/builtin_degradations.h"
#include "augment/degradations/codec_frames.h"
#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr int kFrame = CodecFrameSamples(kDegradationRate);
// One code per pair of samples, the low band's (0 to 4 kHz) bits and the
// high band's (4 to 8 kHz) together.
constexpr int kCodes = kFrame / 2;

// Samples at 16 kHz from encoder input to decoder output (1.375 ms): the
// delay of the QMF filters that split and rejoin the two bands, measured
// once as the peak of the cross-correlation of output and input on speech.
constexpr int kDelaySamples = 22;

class G722Frames : public FrameCodec {
 public:
  explicit G722Frames(int bitrate_bps)
      : code_bits_(bitrate_bps / 8000),
        encoder_(g722_encode_init(nullptr, bitrate_bps, 0)),
        decoder_(g722_decode_init(nullptr, bitrate_bps, 0)),
        plc_("g722") {
    JSQA_CHECK(encoder_ != nullptr && decoder_ != nullptr, "g722: spandsp could not start the codec at ",
               bitrate_bps, " bit/s");
  }

  std::vector<uint8_t> Encode(const int16_t* frame) override {
    uint8_t codes[kCodes];
    const int coded = g722_encode(encoder_.get(), codes, frame, kFrame);
    JSQA_CHECK(coded == kCodes, "g722: encoded ", coded, " codes from a frame instead of ", kCodes);
    return PackCodes(codes);
  }

  void Decode(const std::vector<uint8_t>& bytes, int16_t* frame) override {
    uint8_t codes[kCodes];
    UnpackCodes(bytes, codes);
    const int samples = g722_decode(decoder_.get(), frame, codes, kCodes);
    JSQA_CHECK(samples == kFrame, "g722: decoded ", samples, " samples from a frame instead of ", kFrame);
    plc_.Received(frame, kFrame);
  }

  void Conceal(int16_t* frame) override { plc_.FillIn(frame, kFrame); }

 private:
  // Codes of code_bits_ each, first code in the lowest bits, into whole
  // bytes (a frame's 160 codes of 6, 7 or 8 bits always fill them).
  std::vector<uint8_t> PackCodes(const uint8_t* codes) const {
    std::vector<uint8_t> bytes;
    bytes.reserve(kCodes * code_bits_ / 8);
    uint32_t pending = 0;
    int pending_bits = 0;
    for (int i = 0; i < kCodes; ++i) {
      pending |= uint32_t{codes[i]} << pending_bits;
      for (pending_bits += code_bits_; pending_bits >= 8; pending_bits -= 8, pending >>= 8)
        bytes.push_back(static_cast<uint8_t>(pending & 0xFF));
    }
    return bytes;
  }

  void UnpackCodes(const std::vector<uint8_t>& bytes, uint8_t* codes) const {
    JSQA_CHECK(bytes.size() * 8 == static_cast<size_t>(kCodes * code_bits_), "g722: a frame of ", bytes.size(),
               " bytes does not hold ", kCodes, " codes of ", code_bits_, " bits");
    uint32_t pending = 0;
    int pending_bits = 0;
    size_t next_byte = 0;
    for (int i = 0; i < kCodes; ++i) {
      for (; pending_bits < code_bits_; pending_bits += 8) pending |= uint32_t{bytes[next_byte++]} << pending_bits;
      codes[i] = static_cast<uint8_t>(pending & ((1u << code_bits_) - 1));
      pending >>= code_bits_;
      pending_bits -= code_bits_;
    }
  }

  int code_bits_;
  LibraryHandle<g722_encode_state_t, g722_encode_free> encoder_;
  LibraryHandle<g722_decode_state_t, g722_decode_free> decoder_;
  SpandspConcealment plc_;
};

class G722Codec : public Degradation {
 public:
  std::string name() const override { return "g722"; }
  StrengthParameter strength() const override { return {"bitrate_kbps", "kbit/s", 48.0, 64.0, {48.0, 56.0, 64.0}}; }
  bool conceals_loss() const override { return true; }

  DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args, CounterRng&) const override {
    CheckStrength(*this, args.strength);
    G722Frames codec(static_cast<int>(std::lround(args.strength * 1000.0)));
    return RunFrameCodec(name(), input, args.lost_frames, {kDegradationRate, kDelaySamples}, codec);
  }
};

}  // namespace

std::unique_ptr<Degradation> MakeG722() { return std::make_unique<G722Codec>(); }

}  // namespace jsqa
