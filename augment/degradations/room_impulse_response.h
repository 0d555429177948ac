// Simulated rooms for the reverberation degradation: a shoebox room's
// impulse response by the image-source method (Allen & Berkley 1979), the
// reverberation time its geometry predicts, and the ISO 3382-1 measures
// taken from an impulse response itself.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace jsqa {

// Speed of sound in air at about 20 °C (m/s).
inline constexpr double kSpeedOfSound = 343.0;

// A rectangular room with a point source and a point receiver inside it.
// Coordinates are metres from one corner, along the room's length, width
// and height.
struct ShoeboxRoom {
  std::array<double, 3> size_m{};
  std::array<double, 3> source_m{};
  std::array<double, 3> receiver_m{};

  double Volume() const;                  // m³
  double SurfaceArea() const;             // m², all six walls
  double SourceReceiverDistance() const;  // m
};

// Reverberation times (s) predicted from the geometry for an energy
// absorption coefficient alpha in (0, 1] shared by all six walls.
// Sabine: 0.161 V / (S alpha). Eyring: 0.161 V / (-S ln(1 - alpha)), which
// counts each reflection as keeping 1 - alpha of the energy, at the mean
// rate of c S / 4V reflections per second: the image-source model's own
// assumptions. Its decay still runs somewhat slower (directions meeting
// fewer walls lose less, and a specular box never mixes them): T20 comes
// out typically 3-10 % above Eyring in near-cubic rooms and 20-35 % above
// in flat or long ones such as 10 x 10 x 4 m.
double SabineT60(const ShoeboxRoom& room, double absorption);
double EyringT60(const ShoeboxRoom& room, double absorption);

struct RoomImpulseResponse {
  // [samples] at the model's sample rate. The direct sound is a unit impulse
  // at direct_index (before the high-pass below); the samples before it hold
  // the leading half of the fractional-delay kernels of reflections that
  // arrive within a millisecond of it.
  std::vector<float> samples;
  int direct_index = 0;
};

// The image sources of one room and source/receiver pair up to a maximum
// delay, held so that the impulse response for any wall absorption costs one
// weighted sum of per-reflection-order responses: an image of order n has
// amplitude beta^n, beta = sqrt(1 - alpha) the walls' pressure reflection
// coefficient, and nothing else about it depends on the absorption.
//
// Time is relative to the direct sound, and amplitude too: the direct sound
// has amplitude 1 and an image at distance r has r0 / r, r0 being the
// source-receiver distance. Propagation delay and spreading loss of the
// direct path are thus removed, and what remains is the room.
//
// Arrivals within kExactArrivalSpan of the direct sound are placed with a
// Hann-windowed sinc (a fractional delay): they are sparse, and their exact
// spacing is what colours the sound (comb filtering) and sets the direct-to-
// reverberant ratio. Up to 6.5 kHz the kernel is that delay to 1/100
// sample and that gain to 1 %; above, it rolls off, as any fractional delay
// must towards 8 kHz. Later arrivals are rounded to the nearest sample, one
// add per image instead of one per kernel tap: by then they come several
// per millisecond and overlap into a diffuse tail whose sub-sample timing
// carries nothing audible or measurable, and a rounded image keeps its
// energy exactly.
class ImageSourceModel {
 public:
  // Arrivals later than this after the direct sound are rounded (s).
  static constexpr double kExactArrivalSpan = 0.1;
  // Half-width of the fractional-delay kernel (samples): 1 ms at 16 kHz.
  static constexpr int kKernelHalfWidth = 16;
  // Cut-off of the high-pass every response goes through (Hz), see Render.
  static constexpr double kHighPassHz = 50.0;

  // Every image whose sound arrives at most max_length_s after the direct
  // sound. Throws jsqa::Error if the source or receiver is not strictly
  // inside the room or they coincide.
  ImageSourceModel(const ShoeboxRoom& room, double max_length_s, int sample_rate);

  const ShoeboxRoom& room() const { return room_; }
  int sample_rate() const { return sample_rate_; }
  int direct_index() const { return kKernelHalfWidth; }

  // The impulse response for wall absorption alpha in [0, 1], high-passed
  // at kHighPassHz and cut where its energy decay curve has fallen by 60 dB
  // (or at the maximum length). The high-pass removes the slowly varying
  // mean that all-positive reflections build up (Allen & Berkley's own
  // remedy); it would otherwise dominate the tail's energy and lengthen its
  // measured decay, while speech, with next to nothing below it, hardly
  // excites it.
  RoomImpulseResponse Render(double absorption) const;

 private:
  ShoeboxRoom room_;
  int sample_rate_;
  int length_;  // samples, before the cut at 60 dB
  // The response of all images of reflection order n at unit amplitude
  // factor: row n holds samples [row_first_sample_[n], + row_length_[n])
  // from coefficients_[row_offset_[n]]. An order reaches only the delays
  // its images' distances allow, so the rows are short.
  std::vector<int> row_first_sample_;
  std::vector<int> row_length_;
  std::vector<size_t> row_offset_;
  std::vector<float> coefficients_;
};

// The ISO 3382-1 measures of an impulse response, the direct sound at
// direct_index. Energies are sums of squared samples.

// Reverberation time (s) by Schroeder backward integration: the energy decay
// curve 10 log10(Σ_{k >= t} h²[k] / Σ h²) is fitted by least squares
// between -5 and -25 dB (T20) and extrapolated to 60 dB. 0 when the curve
// drops through that range within one sample (no reverberation at all).
double MeasureT60(const std::vector<float>& impulse_response, int sample_rate);

// Clarity C50 (dB): energy up to 50 ms after the direct sound over the
// energy after it.
double MeasureC50Db(const std::vector<float>& impulse_response, int direct_index, int sample_rate);

// Direct-to-reverberant ratio (dB): energy within ±2.5 ms of the direct
// sound over all the rest.
double MeasureDrrDb(const std::vector<float>& impulse_response, int direct_index, int sample_rate);

}  // namespace jsqa
