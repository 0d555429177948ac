// A degradation of speech: a named, pure transform with one strength
// parameter in its natural unit (an SNR in dB, a bitrate in kbit/s, a
// cut-off in Hz), applied to speech at kDegradationRate. It records what it
// realised, measured where it can be. A JND dimension is a degradation's
// strength; a pair's two signals go through the same degradations with the
// same random draws and differ in one strength.
//
// Degradations hold no state between calls: a codec's or filter's handles
// are made per call, so one instance serves every flow-graph worker.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "augment/counter_rng.h"

namespace jsqa {

// Every degradation takes and returns audio at this rate (Hz). One that
// needs another (AMR-NB and G.711 at 8 kHz) resamples inside.
inline constexpr int kDegradationRate = 16000;

// Transmission frames for packet loss and frame erasures: 20 ms, the frame
// of AMR, Opus as configured here, GSM and of ITU-T's loss models.
inline constexpr int kLossFrameSamples = kDegradationRate / 50;

struct StrengthParameter {
  std::string name;  // as in configs and shards: "snr_db", "q_db", "bitrate_kbps", ...
  std::string unit;  // "dB", "Hz", "kbit/s", "fraction", "mode"
  double min = 0.0;  // domain, inclusive
  double max = 0.0;
  // A codec's modes, ascending (e.g. AMR-NB's bitrates in kbit/s); empty
  // for a continuous parameter.
  std::vector<double> levels;

  bool Contains(double value) const;
  // The levels in [low, high], ascending (empty for a continuous parameter).
  std::vector<double> LevelsBetween(double low, double high) const;
  // "[0, 40] dB" or "one of 4.75, 5.15, ... kbit/s", for messages.
  std::string DomainText() const;
};

// One quantity as realised: measured from the output where it can be
// (an SNR, a clipped fraction, a loss rate), else as applied.
struct Realised {
  std::string name;
  double value = 0.0;
};

struct DegradeArgs {
  double strength = 0.0;  // in strength().unit, inside its domain
  // Frames of kLossFrameSamples lost in transmission (1 = lost), for a
  // degradation whose conceals_loss() is true: a codec's decoder conceals
  // them as it would on a network. Empty: nothing lost.
  std::vector<uint8_t> lost_frames;
};

struct DegradedAudio {
  // [input samples] at kDegradationRate, time-aligned with the input (any
  // codec delay removed).
  std::vector<float> samples;
  std::vector<Realised> realised;
};

class Degradation {
 public:
  virtual ~Degradation() = default;

  virtual std::string name() const = 0;
  virtual StrengthParameter strength() const = 0;
  // True for codecs and the PCM channel: they take DegradeArgs::lost_frames
  // and conceal the losses themselves.
  virtual bool conceals_loss() const { return false; }

  // input: [samples] at kDegradationRate, finite, non-empty. rng: this
  // step's own stream; a pair's two signals get identical streams, so every
  // random draw is shared between them. Throws jsqa::Error for a strength
  // outside the domain or a library failure.
  virtual DegradedAudio Apply(const std::vector<float>& input, const DegradeArgs& args,
                              CounterRng& rng) const = 0;
};

// Throws jsqa::Error naming the degradation, its parameter and domain when
// value is outside it.
void CheckStrength(const Degradation& degradation, double value);

}  // namespace jsqa
