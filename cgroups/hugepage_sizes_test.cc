#include "cgroups/hugepage_sizes.h"

#include <sys/stat.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "cgroups/cgroupfs.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(HugePageSizeNameTest, NamesAsTheHugetlbControllerDoes) {
  EXPECT_THAT(HugePageSizeName("hugepages-2048kB"), IsOkAndHolds("2MB"));
  EXPECT_THAT(HugePageSizeName("hugepages-1048576kB"), IsOkAndHolds("1GB"));
  EXPECT_THAT(HugePageSizeName("hugepages-16777216kB"), IsOkAndHolds("16GB"));
  EXPECT_THAT(HugePageSizeName("hugepages-64kB"), IsOkAndHolds("64KB"));
  EXPECT_THAT(HugePageSizeName("hugepages-32768kB"), IsOkAndHolds("32MB"));
  for (const char* bad : {"hugepages-2048", "2048kB", "hugepages-kB", "hugepages-0kB",
                          "hugepages-x2kB", "hugepages-2048KB"}) {
    EXPECT_THAT(HugePageSizeName(bad),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a huge page size")))
        << bad;
  }
}

TEST(HugePageSizesTest, ListsTheDirectory) {
  const std::string directory = absl::StrCat(std::getenv("TEST_TMPDIR"), "/hugepages");
  LinuxCgroupFs fs;
  EXPECT_THAT(HugePageSizes(fs, directory), IsOkAndHolds(IsEmpty()));
  ASSERT_EQ(mkdir(directory.c_str(), 0755), 0);
  ASSERT_EQ(mkdir((directory + "/hugepages-2048kB").c_str(), 0755), 0);
  ASSERT_EQ(mkdir((directory + "/hugepages-1048576kB").c_str(), 0755), 0);
  EXPECT_THAT(HugePageSizes(fs, directory), IsOkAndHolds(ElementsAre("1GB", "2MB")));
  ASSERT_EQ(mkdir((directory + "/other").c_str(), 0755), 0);
  EXPECT_THAT(HugePageSizes(fs, directory), StatusIs(absl::StatusCode::kInvalidArgument,
                                                     HasSubstr("\"other\"")));
}

}  // namespace
}  // namespace hull::cgroups
