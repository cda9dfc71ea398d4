#include "cgroups/own_cgroups.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// This machine's, shortened: v1 controllers, a named hierarchy, cgroup2.
constexpr char kHybrid[] =
    "12:cpu,cpuacct:/user.slice\n"
    "9:name=systemd:/user.slice/session-1.scope\n"
    "5:pids:/\n"
    "0::/user.slice/session-1.scope\n";

TEST(OwnCgroupsTest, ParsesEveryLine) {
  absl::StatusOr<std::vector<OwnCgroup>> own = ParseOwnCgroups(kHybrid);
  ASSERT_THAT(own, IsOk());
  ASSERT_EQ(own->size(), 4u);
  EXPECT_THAT((*own)[0].controllers, ElementsAre("cpu", "cpuacct"));
  EXPECT_EQ((*own)[0].path, "/user.slice");
  EXPECT_THAT((*own)[1].controllers, ElementsAre("name=systemd"));
  EXPECT_TRUE((*own)[3].controllers.empty());
  EXPECT_EQ((*own)[3].path, "/user.slice/session-1.scope");
}

TEST(OwnCgroupsTest, RefusesAMalformedLine) {
  for (const char* text : {"5:pids\n", "5:pids:relative\n", "garbage\n"}) {
    EXPECT_THAT(ParseOwnCgroups(text),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("malformed /proc/self/cgroup line")))
        << text;
  }
}

TEST(OwnCgroupsTest, FindsTheLineOfAHierarchyByItsMountOptions) {
  absl::StatusOr<std::vector<OwnCgroup>> own = ParseOwnCgroups(kHybrid);
  ASSERT_THAT(own, IsOk());
  const OwnCgroup* cpu = FindOwnCgroup(*own, false, {"rw", "cpu", "cpuacct"});
  ASSERT_NE(cpu, nullptr);
  EXPECT_EQ(cpu->path, "/user.slice");
  const OwnCgroup* systemd = FindOwnCgroup(*own, false, {"rw", "xattr", "name=systemd"});
  ASSERT_NE(systemd, nullptr);
  EXPECT_EQ(systemd->path, "/user.slice/session-1.scope");
  const OwnCgroup* unified = FindOwnCgroup(*own, true, {"rw", "nsdelegate"});
  ASSERT_NE(unified, nullptr);
  EXPECT_EQ(unified->path, "/user.slice/session-1.scope");
  EXPECT_EQ(FindOwnCgroup(*own, false, {"rw", "memory"}), nullptr);
  // A mount of only some of a line's controllers is not that hierarchy.
  EXPECT_EQ(FindOwnCgroup(*own, false, {"rw", "cpu"}), nullptr);
}

}  // namespace
}  // namespace hull::cgroups
