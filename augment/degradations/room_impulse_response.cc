#include "augment/degradations/room_impulse_response.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <limits>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Sabine's constant 24 ln(10) / c (s/m): T60 = k V / A.
constexpr double kSabineConstant = 24.0 * 2.302585092994046 / kSpeedOfSound;

// The fractional-delay kernel, tabulated at kKernelFractions + 1 fractions
// of a sample and interpolated linearly between them: 1/256 sample of delay
// resolution (0.24 µs at 16 kHz) before interpolation, far below anything
// a 16 kHz signal resolves.
constexpr int kKernelFractions = 256;
constexpr int kKernelTaps = 2 * ImageSourceModel::kKernelHalfWidth;

struct KernelTable {
  // Row f: the taps at offsets k - f / kKernelFractions for k = -W + 1 .. W
  // from the arrival, W the half-width.
  float taps[kKernelFractions + 1][kKernelTaps];
};

const KernelTable& FractionalDelayKernel() {
  static const KernelTable table = [] {
    KernelTable built{};
    const int half_width = ImageSourceModel::kKernelHalfWidth;
    for (int f = 0; f <= kKernelFractions; ++f) {
      const double fraction = static_cast<double>(f) / kKernelFractions;
      for (int j = 0; j < kKernelTaps; ++j) {
        const int whole = j - half_width + 1;
        const double x = whole - fraction;  // samples from the arrival
        // sin(pi (m - f)) = -(-1)^m sin(pi f): exactly 0 at whole samples,
        // so an arrival on a sample is a unit impulse.
        const double sine = (whole % 2 == 0 ? -1.0 : 1.0) * std::sin(kPi * fraction);
        const double sinc = x == 0.0 ? 1.0 : sine / (kPi * x);
        const double hann = std::abs(x) < half_width ? 0.5 + 0.5 * std::cos(kPi * x / half_width) : 0.0;
        built.taps[f][j] = static_cast<float>(sinc * hann);
      }
    }
    return built;
  }();
  return table;
}

// The images of the source along one axis, as offsets from the receiver's
// coordinate (m) with their number of reflections. Allen & Berkley's
// indices: image coordinate (1 - 2q) s + 2 n L, reflections |n - q| + |n|.
struct AxisImage {
  double offset_m;
  int reflections;
};

std::vector<AxisImage> AxisImages(double length, double source, double receiver, double max_distance) {
  std::vector<AxisImage> images;
  const int n_max = static_cast<int>(std::ceil(max_distance / (2.0 * length))) + 1;
  for (int n = -n_max; n <= n_max; ++n)
    for (int q = 0; q <= 1; ++q) {
      const double offset = (1 - 2 * q) * source + 2.0 * n * length - receiver;
      if (std::abs(offset) <= max_distance) images.push_back({offset, std::abs(n - q) + std::abs(n)});
    }
  // Nearest first, so that the innermost loop can stop at the first image
  // out of range.
  std::sort(images.begin(), images.end(),
            [](const AxisImage& a, const AxisImage& b) { return std::abs(a.offset_m) < std::abs(b.offset_m); });
  return images;
}

// Σ h² from each sample to the end, in double: the Schroeder integral.
std::vector<double> BackwardEnergy(const std::vector<float>& h) {
  std::vector<double> energy(h.size() + 1, 0.0);
  for (size_t i = h.size(); i-- > 0;) energy[i] = energy[i + 1] + static_cast<double>(h[i]) * h[i];
  return energy;
}

double EnergyBetween(const std::vector<float>& h, size_t begin, size_t end) {
  double energy = 0.0;
  for (size_t i = begin; i < std::min(end, h.size()); ++i) energy += static_cast<double>(h[i]) * h[i];
  return energy;
}

double RatioDb(double numerator, double denominator) {
  if (denominator <= 0.0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(numerator / denominator);
}

// Second-order Butterworth high-pass by the bilinear transform, in place.
void HighPass(std::vector<float>& signal, double cutoff_hz, int sample_rate) {
  const double k = std::tan(kPi * cutoff_hz / sample_rate);
  const double norm = 1.0 / (1.0 + std::sqrt(2.0) * k + k * k);
  const double b0 = norm, b1 = -2.0 * norm, b2 = norm;
  const double a1 = 2.0 * (k * k - 1.0) * norm;
  const double a2 = (1.0 - std::sqrt(2.0) * k + k * k) * norm;
  double s1 = 0.0, s2 = 0.0;  // transposed direct form II state
  for (float& sample : signal) {
    const double x = sample;
    const double y = b0 * x + s1;
    s1 = b1 * x - a1 * y + s2;
    s2 = b2 * x - a2 * y;
    sample = static_cast<float>(y);
  }
}

}  // namespace

double ShoeboxRoom::Volume() const { return size_m[0] * size_m[1] * size_m[2]; }

double ShoeboxRoom::SurfaceArea() const {
  return 2.0 * (size_m[0] * size_m[1] + size_m[1] * size_m[2] + size_m[0] * size_m[2]);
}

double ShoeboxRoom::SourceReceiverDistance() const {
  double sum = 0.0;
  for (int axis = 0; axis < 3; ++axis) sum += (source_m[axis] - receiver_m[axis]) * (source_m[axis] - receiver_m[axis]);
  return std::sqrt(sum);
}

double SabineT60(const ShoeboxRoom& room, double absorption) {
  JSQA_CHECK(absorption > 0.0 && absorption <= 1.0, "wall absorption must be in (0, 1], got ", absorption);
  return kSabineConstant * room.Volume() / (room.SurfaceArea() * absorption);
}

double EyringT60(const ShoeboxRoom& room, double absorption) {
  JSQA_CHECK(absorption > 0.0 && absorption <= 1.0, "wall absorption must be in (0, 1], got ", absorption);
  if (absorption == 1.0) return 0.0;  // nothing reflected
  return kSabineConstant * room.Volume() / (-room.SurfaceArea() * std::log1p(-absorption));
}

ImageSourceModel::ImageSourceModel(const ShoeboxRoom& room, double max_length_s, int sample_rate)
    : room_(room), sample_rate_(sample_rate) {
  for (int axis = 0; axis < 3; ++axis) {
    JSQA_CHECK(room.size_m[axis] > 0.0, "room dimension ", axis, " must be positive, got ", room.size_m[axis], " m");
    for (const double coordinate : {room.source_m[axis], room.receiver_m[axis]})
      JSQA_CHECK(coordinate > 0.0 && coordinate < room.size_m[axis],
                 "source and receiver must be inside the room: ", coordinate, " m is outside [0, ", room.size_m[axis],
                 "] m");
  }
  const double direct_distance = room.SourceReceiverDistance();
  JSQA_CHECK(direct_distance > 0.0, "source and receiver coincide");
  JSQA_CHECK(max_length_s > 0.0 && sample_rate > 0, "impulse response length and rate must be positive");

  const int half_width = kKernelHalfWidth;
  const double samples_per_metre = sample_rate / kSpeedOfSound;
  const double max_delay = max_length_s * sample_rate;  // samples after the direct sound
  const double exact_span = kExactArrivalSpan * sample_rate;
  const double max_distance = direct_distance + max_length_s * kSpeedOfSound;
  // Room for the direct kernel's leading half, the arrivals and the last
  // arrivals' trailing half.
  length_ = half_width + static_cast<int>(std::ceil(max_delay)) + half_width + 1;

  // Which samples an order can reach. Along an axis of length L an image at
  // offset d has between |d| / L - 1 and |d| / L + 1 reflections, so an
  // image of order n has Σ|d_i| / L_i within n ± 3; Cauchy-Schwarz bounds
  // that sum by r · sqrt(Σ 1 / L_i²) above and r / max L_i below. Hence
  // (n - 3) / sqrt(Σ 1 / L_i²) <= r <= (n + 3) max L_i.
  double inverse_lengths = 0.0;
  double longest = 0.0;
  for (const double length : room.size_m) {
    inverse_lengths += 1.0 / (length * length);
    longest = std::max(longest, length);
  }
  inverse_lengths = std::sqrt(inverse_lengths);
  const int max_order = static_cast<int>(std::ceil(max_distance * inverse_lengths)) + 3;
  const auto sample_at = [&](double distance) { return half_width + (distance - direct_distance) * samples_per_metre; };
  row_first_sample_.resize(max_order + 1);
  row_length_.resize(max_order + 1);
  row_offset_.resize(max_order + 2);
  row_offset_[0] = 0;
  for (int order = 0; order <= max_order; ++order) {
    const double nearest = std::max(0.0, (order - 3) / inverse_lengths);
    const double farthest = (order + 3) * longest;
    const int first = std::clamp(static_cast<int>(std::floor(sample_at(nearest))) - half_width - 1, 0, length_);
    const int last = std::clamp(static_cast<int>(std::ceil(sample_at(farthest))) + half_width + 2, 0, length_);
    row_first_sample_[order] = first;
    row_length_[order] = std::max(0, last - first);
    row_offset_[order + 1] = row_offset_[order] + row_length_[order];
  }
  coefficients_.assign(row_offset_[max_order + 1], 0.0f);

  const KernelTable& kernel = FractionalDelayKernel();
  const std::vector<AxisImage> xs = AxisImages(room.size_m[0], room.source_m[0], room.receiver_m[0], max_distance);
  const std::vector<AxisImage> ys = AxisImages(room.size_m[1], room.source_m[1], room.receiver_m[1], max_distance);
  const std::vector<AxisImage> zs = AxisImages(room.size_m[2], room.source_m[2], room.receiver_m[2], max_distance);
  const double max_distance_squared = max_distance * max_distance;
  for (const AxisImage& x : xs) {
    const double xx = x.offset_m * x.offset_m;
    for (const AxisImage& y : ys) {
      const double xy = xx + y.offset_m * y.offset_m;
      if (xy > max_distance_squared) break;
      for (const AxisImage& z : zs) {
        const double distance_squared = xy + z.offset_m * z.offset_m;
        if (distance_squared > max_distance_squared) break;
        const double distance = std::sqrt(distance_squared);
        const double delay = (distance - direct_distance) * samples_per_metre;
        if (delay > max_delay) continue;
        const int order = x.reflections + y.reflections + z.reflections;
        const float amplitude = static_cast<float>(direct_distance / distance);
        // Sample t of this order's row is coefficients_[row_start + t].
        const ptrdiff_t row_start = static_cast<ptrdiff_t>(row_offset_[order]) - row_first_sample_[order];
        const double arrival = half_width + delay;
        if (delay <= exact_span) {
          const double whole = std::floor(arrival);
          const double position = (arrival - whole) * kKernelFractions;
          const int f = std::min(static_cast<int>(position), kKernelFractions - 1);
          const float weight = static_cast<float>(position - f);
          const int first_tap = static_cast<int>(whole) - half_width + 1;
          for (int j = 0; j < kKernelTaps; ++j) {
            const float tap = kernel.taps[f][j] + weight * (kernel.taps[f + 1][j] - kernel.taps[f][j]);
            coefficients_[row_start + first_tap + j] += amplitude * tap;
          }
        } else {
          coefficients_[row_start + std::lround(arrival)] += amplitude;
        }
      }
    }
  }
}

RoomImpulseResponse ImageSourceModel::Render(double absorption) const {
  JSQA_CHECK(absorption >= 0.0 && absorption <= 1.0, "wall absorption must be in [0, 1], got ", absorption);
  const float reflection = static_cast<float>(std::sqrt(1.0 - absorption));
  RoomImpulseResponse response;
  response.direct_index = direct_index();
  std::vector<float>& h = response.samples;
  h.assign(length_, 0.0f);
  // An order whose weight is below 1e-9 (-180 dB) adds nothing a float
  // keeps next to the direct sound's 1.
  float weight = 1.0f;
  for (size_t order = 0; order < row_length_.size() && weight >= 1e-9f; ++order, weight *= reflection) {
    const float* row = coefficients_.data() + row_offset_[order];
    float* out = h.data() + row_first_sample_[order];
    for (int i = 0; i < row_length_[order]; ++i) out[i] += weight * row[i];
  }
  HighPass(h, kHighPassHz, sample_rate_);

  const std::vector<double> energy = BackwardEnergy(h);
  size_t end = h.size();
  for (size_t i = response.direct_index + 1; i < h.size(); ++i)
    if (energy[i] <= 1e-6 * energy[0]) {
      end = i;
      break;
    }
  h.resize(end);
  return response;
}

double MeasureT60(const std::vector<float>& impulse_response, int sample_rate) {
  const std::vector<double> energy = BackwardEnergy(impulse_response);
  JSQA_CHECK(energy[0] > 0.0, "impulse response is silent");
  // Least-squares line through (t, level) over the samples whose level is
  // in [-25, -5] dB: the curve is monotone, so they are one stretch.
  double n = 0.0, sum_t = 0.0, sum_level = 0.0, sum_tt = 0.0, sum_t_level = 0.0;
  for (size_t i = 0; i < impulse_response.size(); ++i) {
    if (energy[i] <= 0.0) break;
    const double level = 10.0 * std::log10(energy[i] / energy[0]);
    if (level > -5.0) continue;
    if (level < -25.0) break;
    const double t = static_cast<double>(i) / sample_rate;
    n += 1.0;
    sum_t += t;
    sum_level += level;
    sum_tt += t * t;
    sum_t_level += t * level;
  }
  if (n < 2.0) return 0.0;
  const double slope = (n * sum_t_level - sum_t * sum_level) / (n * sum_tt - sum_t * sum_t);  // dB/s
  return slope < 0.0 ? -60.0 / slope : std::numeric_limits<double>::infinity();
}

double MeasureC50Db(const std::vector<float>& impulse_response, int direct_index, int sample_rate) {
  const size_t boundary = direct_index + static_cast<size_t>(std::lround(0.050 * sample_rate));
  return RatioDb(EnergyBetween(impulse_response, 0, boundary),
                 EnergyBetween(impulse_response, boundary, impulse_response.size()));
}

double MeasureDrrDb(const std::vector<float>& impulse_response, int direct_index, int sample_rate) {
  const int half_window = static_cast<int>(std::lround(0.0025 * sample_rate));
  const size_t begin = static_cast<size_t>(std::max(0, direct_index - half_window));
  const size_t end = static_cast<size_t>(direct_index + half_window + 1);
  const double direct = EnergyBetween(impulse_response, begin, end);
  const double rest =
      EnergyBetween(impulse_response, 0, begin) + EnergyBetween(impulse_response, end, impulse_response.size());
  return RatioDb(direct, rest);
}

}  // namespace jsqa
