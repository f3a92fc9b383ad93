#include "embkit/progress.h"

#include <gtest/gtest.h>

namespace embkit {

TEST(Progress, DurationsReadLikeAClock) {
  EXPECT_EQ(format_duration(7), "0:07");
  EXPECT_EQ(format_duration(245), "4:05");
  EXPECT_EQ(format_duration(3723), "1:02:03");
  EXPECT_EQ(format_duration(-1), "?");
}

TEST(Progress, CountsUseSiSuffixes) {
  EXPECT_EQ(format_count(950), "950");
  EXPECT_EQ(format_count(12345), "12.3k");
  EXPECT_EQ(format_count(4560000), "4.56M");
  EXPECT_EQ(format_count(712000), "712k");
}

TEST(Progress, DisabledLineWritesNothing) {
  testing::internal::CaptureStderr();
  {
    ProgressLine line(false);
    line.show("50%", true);
    line.finish();
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

TEST(Progress, EnabledLineRedrawsInPlaceAndEndsWithANewline) {
  testing::internal::CaptureStderr();
  {
    ProgressLine line(true);
    line.show("10%");
    line.show("20%");  // within 0.2 s: skipped
    line.show("30%", true);
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "\r10%\x1b[K\r30%\x1b[K\n");
}

}  // namespace embkit
