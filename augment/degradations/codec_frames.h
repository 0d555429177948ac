// What the speech codecs share: 16-bit PCM conversion, running a codec
// frame by frame over a signal, removing its delay so that the output is
// time-aligned with the input and exactly as long, the trip to and from
// 8 kHz for the narrowband ones, and spandsp's concealment for codecs that
// have none of their own.
//
// A codec's frames are 20 ms, the frames of DegradeArgs::lost_frames. The
// input is led in with silence so that, after the codec's delay, the
// decoder's output for one packet is exactly frame i of the input: losing
// input frame i drops that packet, and the output first departs from the
// loss-free one at the start of frame i (a few ms earlier, below -80 dBFS,
// for an 8 kHz codec, whose linear-phase trip back to 16 kHz spreads the
// change both ways).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "augment/degradations/degradation.h"

namespace jsqa {

// The rate of the narrowband codecs (AMR-NB, G.711, G.726, GSM), Hz.
inline constexpr int kNarrowbandCodecRate = 8000;

// Samples in one 20 ms codec frame at `rate` Hz.
constexpr int CodecFrameSamples(int rate) { return rate / 50; }

// Rounds to the nearest 16-bit code, saturating at full scale (±1.0).
int16_t ToPcm16(float sample);
float FromPcm16(int16_t sample);

// Owns a C library's handle and frees it with that library's function.
template <auto kFree>
struct FreeWith {
  template <typename T>
  void operator()(T* handle) const {
    if (handle != nullptr) kFree(handle);
  }
};
template <typename T, auto kFree>
using LibraryHandle = std::unique_ptr<T, FreeWith<kFree>>;

// One call's encoder and decoder, fed whole frames in order.
class FrameCodec {
 public:
  virtual ~FrameCodec() = default;
  // Encodes CodecFrameSamples(rate) samples; returns the frame's bytes.
  virtual std::vector<uint8_t> Encode(const int16_t* frame) = 0;
  // Decodes a received frame into CodecFrameSamples(rate) samples.
  virtual void Decode(const std::vector<uint8_t>& bytes, int16_t* frame) = 0;
  // Fills CodecFrameSamples(rate) samples for a frame that never arrived.
  virtual void Conceal(int16_t* frame) = 0;
};

struct CodecTiming {
  int rate = kDegradationRate;  // Hz the codec runs at: 8000 or 16000
  // Samples (at rate) from a sample entering the encoder to its copy
  // leaving the decoder.
  int delay_samples = 0;
};

// Runs `codec` over input (at kDegradationRate), resampling to and from
// timing.rate, and returns [input.size()] samples time-aligned with it.
// lost_frames: empty, or one flag per 20 ms input frame (LossFrameCount).
// Realised: bitrate_kbps (all bytes the encoder produced, over the frames'
// duration), frame_bytes_min and frame_bytes_max, delay_samples (removed,
// at kDegradationRate) and, with lost_frames, lost_frames (the fraction of
// input frames concealed). Throws jsqa::Error naming codec_name.
DegradedAudio RunFrameCodec(const std::string& codec_name, const std::vector<float>& input,
                            const std::vector<uint8_t>& lost_frames, const CodecTiming& timing,
                            FrameCodec& codec);

// spandsp's packet-loss concealment (G.711 Appendix I style): replays the
// last pitch period, fading to silence over 50 ms of loss, and blends back
// into the next received frame. Made for 8 kHz, where its pitch search spans
// 66 to 200 Hz.
class SpandspConcealment {
 public:
  explicit SpandspConcealment(const std::string& codec_name);
  ~SpandspConcealment();
  // Records a decoded frame (and blends it after a loss, in place).
  void Received(int16_t* frame, int samples);
  void FillIn(int16_t* frame, int samples);

 private:
  struct State;  // spandsp's, kept out of this header
  std::unique_ptr<State> state_;
};

}  // namespace jsqa
