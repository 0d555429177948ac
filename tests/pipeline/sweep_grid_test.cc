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
