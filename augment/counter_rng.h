// A counter-based random generator (Philox4x32-10, Salmon et al. 2011).
//
// Every random choice for an item comes from CounterRng(run seed, stable item
// key): the stream depends only on those two numbers, never on which thread
// or shard handles the item, so output is byte-identical for any thread
// count or shard split. Distributions are computed here, not with <random>'s
// distributions, whose algorithms differ between standard libraries.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace jsqa {

// Stable 64-bit key for a string id (FNV-1a 64): the same on every machine.
uint64_t StableHash64(std::string_view text);

// One Philox4x32-10 block: the keyed bijection CounterRng draws from,
// exposed so known-answer tests can pin it to the published vectors.
std::array<uint32_t, 4> Philox4x32(std::array<uint32_t, 4> counter, std::array<uint32_t, 2> key);

class CounterRng {
 public:
  // seed: the run seed; key: the item's stable key (e.g. StableHash64(id)
  // mixed with a segment index via MixKeys).
  CounterRng(uint64_t seed, uint64_t key);

  uint32_t NextU32();
  uint64_t NextU64();
  // Uniform in [0, 1) with 53 random bits.
  double NextUnit();
  // Uniform in [lo, hi); lo == hi returns lo (a fixed setting in a sweep).
  double Uniform(double lo, double hi);
  // Uniform integer in [0, n), unbiased (rejection); n > 0.
  uint64_t UniformInt(uint64_t n);

 private:
  void Refill();

  std::array<uint32_t, 2> key_;
  std::array<uint32_t, 4> counter_{};
  std::array<uint32_t, 4> block_{};
  int used_ = 4;  // words of block_ already handed out
};

// Combines keys (e.g. utterance hash and segment index) into one.
uint64_t MixKeys(uint64_t a, uint64_t b);

}  // namespace jsqa
