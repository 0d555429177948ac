#include "augment/counter_rng.h"

#include <cmath>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

// Round multipliers and key increments (Weyl sequence: golden ratio and
// sqrt(3) - 1 in 32-bit fixed point) from Salmon et al., SC'11, as in Random123.
constexpr uint32_t kMultiplier0 = 0xD2511F53;
constexpr uint32_t kMultiplier1 = 0xCD9E8D57;
constexpr uint32_t kWeyl0 = 0x9E3779B9;
constexpr uint32_t kWeyl1 = 0xBB67AE85;
constexpr int kRounds = 10;

uint32_t Low32(uint64_t value) { return static_cast<uint32_t>(value); }
uint32_t High32(uint64_t value) { return static_cast<uint32_t>(value >> 32); }

std::array<uint32_t, 4> PhiloxRound(const std::array<uint32_t, 4>& x,
                                    const std::array<uint32_t, 2>& key) {
  const uint64_t product0 = uint64_t{kMultiplier0} * x[0];
  const uint64_t product1 = uint64_t{kMultiplier1} * x[2];
  return {High32(product1) ^ x[1] ^ key[0], Low32(product1), High32(product0) ^ x[3] ^ key[1],
          Low32(product0)};
}

// splitmix64's finaliser (Steele, Lea & Flood 2014): every input bit
// affects every output bit.
uint64_t Fmix64(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

uint64_t StableHash64(std::string_view text) {
  uint64_t hash = 0xCBF29CE484222325ULL;  // FNV-1a 64 offset basis
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001B3ULL;  // FNV 64 prime
  }
  return hash;
}

std::array<uint32_t, 4> Philox4x32(std::array<uint32_t, 4> counter, std::array<uint32_t, 2> key) {
  for (int round = 0; round < kRounds; ++round) {
    if (round > 0) {
      key[0] += kWeyl0;
      key[1] += kWeyl1;
    }
    counter = PhiloxRound(counter, key);
  }
  return counter;
}

// The run seed is the Philox key; the item key fills the counter's high
// words, so each item owns a 2^64-block stretch of counters that no other
// item's stream can reach.
CounterRng::CounterRng(uint64_t seed, uint64_t key)
    : key_{Low32(seed), High32(seed)}, counter_{0, 0, Low32(key), High32(key)} {}

void CounterRng::Refill() {
  block_ = Philox4x32(counter_, key_);
  if (++counter_[0] == 0) ++counter_[1];
  used_ = 0;
}

uint32_t CounterRng::NextU32() {
  if (used_ == static_cast<int>(block_.size())) Refill();
  return block_[used_++];
}

uint64_t CounterRng::NextU64() {
  const uint64_t high = NextU32();
  const uint64_t low = NextU32();
  return (high << 32) | low;
}

double CounterRng::NextUnit() {
  // The top 53 bits fill a double's mantissa exactly: 2^-53 steps in [0, 1).
  return static_cast<double>(NextU64() >> 11) * 0x1.0p-53;
}

double CounterRng::Uniform(double lo, double hi) {
  JSQA_CHECK(std::isfinite(lo) && std::isfinite(hi) && lo <= hi,
             "Uniform needs finite lo <= hi, got [", lo, ", ", hi, ")");
  if (lo == hi) return lo;
  const double value = lo + (hi - lo) * NextUnit();
  // lo + (hi - lo) * u can round up to hi when u is within 2^-53 of 1.
  return value < hi ? value : std::nextafter(hi, lo);
}

uint64_t CounterRng::UniformInt(uint64_t n) {
  JSQA_CHECK(n > 0, "UniformInt needs n > 0");
  // Reject the 2^64 mod n lowest values so that every residue is hit by the
  // same number of 64-bit draws.
  const uint64_t threshold = (0 - n) % n;
  for (;;) {
    const uint64_t draw = NextU64();
    if (draw >= threshold) return draw % n;
  }
}

uint64_t MixKeys(uint64_t a, uint64_t b) {
  // b is mixed on its own first so small consecutive values (segment
  // indices) spread over all 64 bits before they meet a; the golden-ratio
  // offset keeps b = 0 from mapping to 0.
  return Fmix64(a ^ Fmix64(b + 0x9E3779B97F4A7C15ULL));
}

}  // namespace jsqa
