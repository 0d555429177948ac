#include "augment/degradations/codec_frames.h"

#include <spandsp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "augment/degradations/packet_loss.h"
#include "augment/resampler.h"
#include "pipeline/base/error.h"

namespace jsqa {

// nearbyint, not lrint: in C++, spandsp.h defines lrint as a truncating cast.
int16_t ToPcm16(float sample) {
  return static_cast<int16_t>(std::nearbyint(std::clamp(sample * 32768.0f, -32768.0f, 32767.0f)));
}

float FromPcm16(int16_t sample) { return sample / 32768.0f; }

DegradedAudio RunFrameCodec(const std::string& codec_name, const std::vector<float>& input,
                            const std::vector<uint8_t>& lost_frames, const CodecTiming& timing,
                            FrameCodec& codec) {
  JSQA_CHECK(!input.empty(), codec_name, ": the input is empty");
  const size_t input_frames = LossFrameCount(input.size());
  JSQA_CHECK(lost_frames.empty() || lost_frames.size() == input_frames, codec_name, ": lost_frames has ",
             lost_frames.size(), " flags but the input has ", input_frames, " frames of 20 ms");
  const size_t frame = CodecFrameSamples(timing.rate);
  const size_t delay = timing.delay_samples;
  const std::vector<float> at_rate = Resample(input, kDegradationRate, timing.rate);

  // Silence before the input makes lead + delay a whole number of frames,
  // so that the decoder's output for packet k is exactly input frame
  // k - lead_frames.
  const size_t lead = (frame - delay % frame) % frame;
  const size_t lead_frames = (lead + delay) / frame;
  // Enough frames that the decoder's output reaches the input's last sample.
  const size_t frames = (lead + delay + at_rate.size() + frame - 1) / frame;
  std::vector<int16_t> pcm(frames * frame, 0);
  for (size_t i = 0; i < at_rate.size(); ++i) pcm[lead + i] = ToPcm16(at_rate[i]);

  std::vector<std::vector<uint8_t>> packets(frames);
  size_t total_bytes = 0;
  size_t min_bytes = SIZE_MAX;
  size_t max_bytes = 0;
  for (size_t k = 0; k < frames; ++k) {
    packets[k] = codec.Encode(pcm.data() + k * frame);
    JSQA_CHECK(!packets[k].empty(), codec_name, ": the encoder produced no bytes for frame ", k);
    total_bytes += packets[k].size();
    min_bytes = std::min(min_bytes, packets[k].size());
    max_bytes = std::max(max_bytes, packets[k].size());
  }

  std::vector<int16_t> decoded(frames * frame);
  size_t concealed = 0;
  for (size_t k = 0; k < frames; ++k) {
    const bool lost = k >= lead_frames && k - lead_frames < lost_frames.size() && lost_frames[k - lead_frames];
    if (lost) {
      codec.Conceal(decoded.data() + k * frame);
      ++concealed;
    } else {
      codec.Decode(packets[k], decoded.data() + k * frame);
    }
  }

  std::vector<float> aligned(at_rate.size());
  for (size_t i = 0; i < aligned.size(); ++i) aligned[i] = FromPcm16(decoded[lead + delay + i]);
  DegradedAudio out;
  out.samples = Resample(aligned, timing.rate, kDegradationRate);
  // An odd length comes back from 8 kHz one sample short.
  out.samples.resize(input.size(), 0.0f);

  // Bits over the frames' duration: 8 bits per byte, 20 ms per frame, so
  // bits per ms, which is kbit/s.
  out.realised.push_back({"bitrate_kbps", 8.0 * total_bytes / (20.0 * frames)});
  out.realised.push_back({"frame_bytes_min", static_cast<double>(min_bytes)});
  out.realised.push_back({"frame_bytes_max", static_cast<double>(max_bytes)});
  out.realised.push_back({"delay_samples", static_cast<double>(delay) * kDegradationRate / timing.rate});
  if (!lost_frames.empty())
    out.realised.push_back({"lost_frames", static_cast<double>(concealed) / lost_frames.size()});
  return out;
}

struct SpandspConcealment::State {
  LibraryHandle<plc_state_t, plc_free> plc;
};

SpandspConcealment::SpandspConcealment(const std::string& codec_name) : state_(std::make_unique<State>()) {
  state_->plc.reset(plc_init(nullptr));
  JSQA_CHECK(state_->plc != nullptr, codec_name, ": spandsp could not start its loss concealment");
}

SpandspConcealment::~SpandspConcealment() = default;

void SpandspConcealment::Received(int16_t* frame, int samples) { plc_rx(state_->plc.get(), frame, samples); }

void SpandspConcealment::FillIn(int16_t* frame, int samples) { plc_fillin(state_->plc.get(), frame, samples); }

}  // namespace jsqa
