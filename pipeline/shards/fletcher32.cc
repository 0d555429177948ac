#include "pipeline/shards/fletcher32.h"

namespace jsqa {
namespace {

// HDF5 folds the sums to 16 bits after every 360 words.
constexpr size_t kBlockWords = 360;
// Words summed side by side (one 256-bit vector of uint32).
constexpr size_t kLanes = 8;

uint32_t BigEndianWord(const uint8_t* bytes) { return (uint32_t{bytes[0]} << 8) | bytes[1]; }

// One block of n words folded into the running sums. HDF5 adds word by word
// (sum1 += w_i; sum2 += sum1); over a block that is
//   sum1 += Σ w_i,  sum2 += n·sum1 + Σ (n - i)·w_i   (mod 2^32).
// The weighted sum comes from kLanes running sums and sums of sums (only
// additions, which vectorise): for i = kLanes·m + j below n = kLanes·G + r,
// n - i = kLanes·(G - m) - j + r. Unsigned arithmetic wraps alike in any
// order, so the result is HDF5's bit for bit.
void AddBlock(const uint8_t* data, size_t n, uint32_t& sum1, uint32_t& sum2) {
  uint32_t lane_sum[kLanes] = {}, lane_sum_of_sums[kLanes] = {};
  const size_t groups = n / kLanes;
  for (size_t m = 0; m < groups; ++m) {
    for (size_t j = 0; j < kLanes; ++j) {
      lane_sum[j] += BigEndianWord(data + 2 * (kLanes * m + j));
      lane_sum_of_sums[j] += lane_sum[j];
    }
  }
  const uint32_t rest = static_cast<uint32_t>(n - kLanes * groups);
  uint32_t plain = 0, weighted = 0;
  for (size_t j = 0; j < kLanes; ++j) {
    plain += lane_sum[j];
    weighted += uint32_t{kLanes} * lane_sum_of_sums[j] - static_cast<uint32_t>(j) * lane_sum[j];
  }
  weighted += rest * plain;
  for (uint32_t k = 0; k < rest; ++k) {
    const uint32_t word = BigEndianWord(data + 2 * (kLanes * groups + k));
    plain += word;
    weighted += (rest - k) * word;
  }
  sum2 += static_cast<uint32_t>(n) * sum1 + weighted;
  sum1 += plain;
  sum1 = (sum1 & 0xffff) + (sum1 >> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >> 16);
}

}  // namespace

uint32_t HdfFletcher32(const void* data, size_t size) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  uint32_t sum1 = 0, sum2 = 0;
  size_t words = size / 2;
  while (words > 0) {
    const size_t n = words < kBlockWords ? words : kBlockWords;
    AddBlock(bytes, n, sum1, sum2);
    bytes += 2 * n;
    words -= n;
  }
  if (size % 2) {  // an odd last byte counts as the high byte of a word
    sum1 += uint32_t{*bytes} << 8;
    sum2 += sum1;
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  return (sum2 << 16) | sum1;
}

}  // namespace jsqa
