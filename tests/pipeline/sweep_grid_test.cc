#include "pipeline/run/sweep_grid.h"

#include <gtest/gtest.h>

#include "pipeline/base/error.h"

namespace jsqa {
namespace {

TEST(SweepGrid, LinkedKeysChangeTogetherAndTheFirstAxisIsSlowest) {
  const std::vector<SweepAxis> axes = {ParseSweepAxis("jnd.delta_min_db:jnd.delta_max_db=0:1, 3:6"),
                                       ParseSweepAxis("model.projection_head", "false,true")};
  EXPECT_EQ(axes[0].Label(), "jnd.delta_min_db:jnd.delta_max_db");
  const auto points = ExpandSweep(axes);
  ASSERT_EQ(points.size(), 4u);
  EXPECT_EQ(points[1].overrides,
            (std::vector<std::string>{"jnd.delta_min_db=0", "jnd.delta_max_db=1", "model.projection_head=true"}));
  EXPECT_EQ(points[2].labels, (std::vector<std::string>{"3:6", "false"}));
  EXPECT_EQ(points[3].Name(), "point-003");
}

// A value holding the separators is quoted; its label quotes it again, so
// a label read back gives the same axis (what a cluster sweep's scripts do).
TEST(SweepGrid, QuotedValuesHoldCommasAndColons) {
  const SweepAxis axis =
      ParseSweepAxis("jnd.chains:jnd.dimensions", R"(noise:snr, "noise:1, noise>opus:1":"snr:1, codec_mode:1")");
  ASSERT_EQ(axis.values.size(), 2u);
  EXPECT_EQ(axis.values[0], (std::vector<std::string>{"noise", "snr"}));
  EXPECT_EQ(axis.values[1], (std::vector<std::string>{"noise:1, noise>opus:1", "snr:1, codec_mode:1"}));
  EXPECT_EQ(axis.ValueLabel(1), R"("noise:1, noise>opus:1":"snr:1, codec_mode:1")");
  const SweepAxis again = ParseSweepAxis(axis.Label() + "=" + axis.ValueLabel(0) + "," + axis.ValueLabel(1));
  EXPECT_EQ(again.values, axis.values);
  EXPECT_THROW(ParseSweepAxis(R"(jnd.chains="noise:1)"), UsageError);  // not closed
}

TEST(SweepGrid, MalformedAxesNameThemselves) {
  EXPECT_THROW(ParseSweepAxis("jnd.delta_min_db"), UsageError);  // no '='
  EXPECT_THROW(ParseSweepAxis("delta=1,2"), UsageError);         // not section.key
  EXPECT_THROW(ParseSweepAxis("a.b="), UsageError);              // no values
  try {
    ParseSweepAxis("a.b:a.c=1:2,3");
    FAIL();
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("'3' has 1 values for 2 keys"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace jsqa
