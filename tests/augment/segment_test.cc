#include "augment/segment.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

using Samples = std::vector<float>;

TEST(CropTest, CopiesTheRequestedSpan) {
  const Samples signal{1, 2, 3, 4, 5};
  EXPECT_EQ(Crop(signal, 1, 3), (Samples{2, 3, 4}));
  EXPECT_EQ(Crop(signal, 0, 5), signal);
  EXPECT_EQ(Crop(signal, 5, 0), Samples{});
}

TEST(CropTest, RejectsSpansOutsideTheSignal) {
  const Samples signal{1, 2, 3};
  EXPECT_THROW(Crop(signal, 1, 3), Error);
  EXPECT_THROW(Crop(signal, -1, 1), Error);
  EXPECT_THROW(Crop(signal, 0, -1), Error);
  EXPECT_THROW(Crop(signal, 4, 0), Error);
}

TEST(PadToLengthTest, PadsWithZerosOrCropsFromTheStart) {
  const Samples signal{1, 2, 3};
  EXPECT_EQ(PadToLength(signal, 5), (Samples{1, 2, 3, 0, 0}));
  EXPECT_EQ(PadToLength(signal, 3), signal);
  EXPECT_EQ(PadToLength(signal, 2), (Samples{1, 2}));
  EXPECT_EQ(PadToLength(signal, 0), Samples{});
  EXPECT_EQ(PadToLength({}, 2), (Samples{0, 0}));
  EXPECT_THROW(PadToLength(signal, -1), Error);
}

TEST(LoopToLengthTest, WrapsAroundFromTheOffset) {
  const Samples signal{1, 2, 3};
  EXPECT_EQ(LoopToLength(signal, 1, 7), (Samples{2, 3, 1, 2, 3, 1, 2}));
  EXPECT_EQ(LoopToLength(signal, 0, 2), (Samples{1, 2}));
  EXPECT_EQ(LoopToLength(signal, 2, 1), (Samples{3}));
  // An offset past the end counts around the loop.
  EXPECT_EQ(LoopToLength(signal, 4, 4), LoopToLength(signal, 1, 4));
  EXPECT_EQ(LoopToLength(signal, 1, 0), Samples{});
  EXPECT_EQ(LoopToLength({7}, 0, 3), (Samples{7, 7, 7}));
}

TEST(LoopToLengthTest, RejectsEmptySignalsAndNegativeArguments) {
  EXPECT_THROW(LoopToLength({}, 0, 3), Error);
  EXPECT_THROW(LoopToLength({1, 2}, -1, 3), Error);
  EXPECT_THROW(LoopToLength({1, 2}, 0, -3), Error);
}

TEST(PickOffsetTest, CoversEveryCropStartForALongerSignal) {
  CounterRng rng(1, 2);
  std::set<int64_t> seen;
  for (int i = 0; i < 500; ++i) seen.insert(PickOffset(rng, 10, 7));
  EXPECT_EQ(seen, (std::set<int64_t>{0, 1, 2, 3}));
}

TEST(PickOffsetTest, CoversEveryLoopStartForAShorterSignal) {
  CounterRng rng(3, 4);
  std::set<int64_t> seen;
  for (int i = 0; i < 500; ++i) seen.insert(PickOffset(rng, 5, 12));
  EXPECT_EQ(seen, (std::set<int64_t>{0, 1, 2, 3, 4}));
}

TEST(PickOffsetTest, EqualLengthsGiveZeroAndTheSameRngGivesTheSameOffset) {
  CounterRng rng(5, 6);
  EXPECT_EQ(PickOffset(rng, 8, 8), 0);
  CounterRng a(9, 10);
  CounterRng b(9, 10);
  EXPECT_EQ(PickOffset(a, 160000, 64000), PickOffset(b, 160000, 64000));
}

TEST(PickOffsetTest, RejectsEmptySignals) {
  CounterRng rng(1, 1);
  EXPECT_THROW(PickOffset(rng, 0, 4), Error);
  EXPECT_THROW(PickOffset(rng, 4, -1), Error);
}

TEST(SegmentOffsetsTest, CutsConsecutiveSegments) {
  EXPECT_EQ(SegmentOffsets(12, 4, false), (std::vector<int64_t>{0, 4, 8}));
  EXPECT_EQ(SegmentOffsets(12, 4, true), (std::vector<int64_t>{0, 4, 8}));
}

TEST(SegmentOffsetsTest, KeepsAShortTailOnlyWhenAsked) {
  EXPECT_EQ(SegmentOffsets(10, 4, false), (std::vector<int64_t>{0, 4}));
  EXPECT_EQ(SegmentOffsets(10, 4, true), (std::vector<int64_t>{0, 4, 8}));
  EXPECT_EQ(SegmentOffsets(3, 4, false), std::vector<int64_t>{});
  EXPECT_EQ(SegmentOffsets(3, 4, true), (std::vector<int64_t>{0}));
}

TEST(SegmentOffsetsTest, HandlesEmptySignalsAndRejectsBadLengths) {
  EXPECT_EQ(SegmentOffsets(0, 4, true), std::vector<int64_t>{});
  EXPECT_THROW(SegmentOffsets(10, 0, false), Error);
  EXPECT_THROW(SegmentOffsets(-1, 4, false), Error);
}

}  // namespace
}  // namespace jsqa
