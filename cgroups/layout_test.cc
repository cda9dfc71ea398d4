#include "cgroups/layout.h"

#include <linux/magic.h>

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

// This machine's layout: v1 controllers, cgroup2 at unified, the process in
// a memory sub-cgroup.
constexpr char kHybridMountinfo[] =
    "23 1 0:21 / /sys rw,nosuid - sysfs sysfs rw\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
    // The same hierarchy bound elsewhere is not the one under the root.
    "50 1 0:32 /x /mnt/memory rw,relatime - cgroup cgroup rw,memory\n";
constexpr char kHybridOwn[] =
    "9:name=systemd:/\n"
    "4:memory:/process_api/73cc\n"
    "2:cpu,cpuacct:/\n"
    "0::/\n";

TEST(ParseLayoutTest, Hybrid) {
  absl::StatusOr<Layout> layout =
      ParseLayout("/sys/fs/cgroup", {.root = TMPFS_MAGIC, .unified = CGROUP2_SUPER_MAGIC},
                  kHybridMountinfo, kHybridOwn);
  ASSERT_THAT(layout, IsOk());
  EXPECT_EQ(layout->mode, CgroupMode::kHybrid);
  EXPECT_EQ(layout->root, "/sys/fs/cgroup");
  EXPECT_THAT(layout->v1,
              ElementsAre(Hierarchy{.mount_point = "/sys/fs/cgroup/systemd",
                                    .controllers = {"name=systemd"}},
                          Hierarchy{.mount_point = "/sys/fs/cgroup/memory",
                                    .own_cgroup = "/process_api/73cc",
                                    .controllers = {"memory"}},
                          Hierarchy{.mount_point = "/sys/fs/cgroup/cpu,cpuacct",
                                    .controllers = {"cpu", "cpuacct"}}));
  ASSERT_TRUE(layout->unified.has_value());
  EXPECT_EQ(layout->unified->mount_point, "/sys/fs/cgroup/unified");
  EXPECT_EQ(layout->unified->own_cgroup, "/");

  ASSERT_NE(layout->FindV1("cpuacct"), nullptr);
  EXPECT_EQ(layout->FindV1("cpuacct")->mount_point, "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(layout->FindV1("hugetlb"), nullptr);
  // Every cgroup line of mountinfo, for a container's cgroup mount to pick
  // from; no other.
  EXPECT_THAT(layout->cgroup_mounts,
              ElementsAre(Field(&MountInfo::mount_point, "/sys/fs/cgroup/cpu,cpuacct"),
                          Field(&MountInfo::mount_point, "/sys/fs/cgroup/memory"),
                          Field(&MountInfo::mount_point, "/sys/fs/cgroup/systemd"),
                          Field(&MountInfo::mount_point, "/sys/fs/cgroup/unified"),
                          Field(&MountInfo::mount_point, "/mnt/memory")));
  EXPECT_EQ(layout->cgroup_mounts[2].super_options,
            (std::vector<std::string>{"rw", "xattr", "name=systemd"}));
}

TEST(ParseLayoutTest, V1WithoutUnified) {
  absl::StatusOr<Layout> layout = ParseLayout("/sys/fs/cgroup", {.root = TMPFS_MAGIC},
                                              kHybridMountinfo, kHybridOwn);
  ASSERT_THAT(layout, IsOk());
  EXPECT_EQ(layout->mode, CgroupMode::kV1);
  EXPECT_FALSE(layout->unified.has_value());
  EXPECT_EQ(layout->v1.size(), 3u);
}

TEST(ParseLayoutTest, V2WithMountedSubtree) {
  absl::StatusOr<Layout> layout = ParseLayout(
      "/sys/fs/cgroup/", {.root = CGROUP2_SUPER_MAGIC},
      "30 23 0:26 /ctr /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n",
      "0::/ctr/inner\n");
  ASSERT_THAT(layout, IsOk());
  EXPECT_EQ(layout->mode, CgroupMode::kV2);
  EXPECT_TRUE(layout->v1.empty());
  EXPECT_EQ(layout->unified,
            (Hierarchy{.mount_point = "/sys/fs/cgroup", .mount_root = "/ctr",
                       .own_cgroup = "/ctr/inner"}));
  // A v2 host's cgroup mount reads nothing of the host's mounts.
  EXPECT_TRUE(layout->cgroup_mounts.empty());
}

// LayoutDetail::kMountPoints on a v2 host: statfs only; the mounted root
// and the own cgroup are unknown.
TEST(ParseLayoutTest, V2WithoutProcFiles) {
  absl::StatusOr<Layout> layout =
      ParseLayout("/sys/fs/cgroup", {.root = CGROUP2_SUPER_MAGIC}, std::nullopt, std::nullopt);
  ASSERT_THAT(layout, IsOk());
  EXPECT_EQ(layout->mode, CgroupMode::kV2);
  EXPECT_EQ(layout->unified,
            (Hierarchy{.mount_point = "/sys/fs/cgroup", .mount_root = "", .own_cgroup = ""}));
  EXPECT_THAT(ParseLayout("/sys/fs/cgroup", {.root = 0xEF53}, std::nullopt, std::nullopt),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("0xef53")));
}

// Either file alone leaves only its own field unknown, with the same errors
// as with both.
TEST(ParseLayoutTest, V2WithOneProcFile) {
  absl::StatusOr<Layout> layout =
      ParseLayout("/sys/fs/cgroup", {.root = CGROUP2_SUPER_MAGIC}, std::nullopt, "0::/ctr/inner\n");
  ASSERT_THAT(layout, IsOk());
  EXPECT_EQ(layout->unified, (Hierarchy{.mount_point = "/sys/fs/cgroup", .mount_root = "",
                                        .own_cgroup = "/ctr/inner"}));
  EXPECT_THAT(ParseLayout("/sys/fs/cgroup", {.root = CGROUP2_SUPER_MAGIC}, std::nullopt,
                          "1:cpu:/\n"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("\"0::\"")));
  constexpr char kV2Mountinfo[] =
      "31 23 0:28 /ctr /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw\n";
  layout = ParseLayout("/sys/fs/cgroup", {.root = CGROUP2_SUPER_MAGIC}, kV2Mountinfo, std::nullopt);
  ASSERT_THAT(layout, IsOk());
  EXPECT_EQ(layout->unified,
            (Hierarchy{.mount_point = "/sys/fs/cgroup", .mount_root = "/ctr", .own_cgroup = ""}));
}

// v1 hierarchies are only found in mountinfo and /proc/self/cgroup.
TEST(ParseLayoutTest, V1NeedsBothProcFiles) {
  constexpr RootFilesystems kHybrid = {.root = TMPFS_MAGIC, .unified = CGROUP2_SUPER_MAGIC};
  EXPECT_THAT(ParseLayout("/sys/fs/cgroup", kHybrid, std::nullopt, kHybridOwn),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("mountinfo")));
  EXPECT_THAT(ParseLayout("/sys/fs/cgroup", kHybrid, kHybridMountinfo, std::nullopt),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("/proc/self/cgroup")));
}

TEST(ParseLayoutTest, RefusesOtherFilesystems) {
  EXPECT_THAT(ParseLayout("/sys/fs/cgroup", {.root = 0xEF53}, kHybridMountinfo, kHybridOwn),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("0xef53")));
}

TEST(ParseLayoutTest, RefusesAnEmptyV1Root) {
  EXPECT_THAT(ParseLayout("/sys/fs/cgroup", {.root = TMPFS_MAGIC},
                          "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n", "1:cpu:/\n"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("no cgroup v1 hierarchy is mounted under /sys/fs/cgroup")));
}

TEST(ParseLayoutTest, V2NeedsTheProcessLine) {
  EXPECT_THAT(ParseLayout("/sys/fs/cgroup", {.root = CGROUP2_SUPER_MAGIC}, "", "1:cpu:/\n"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("\"0::\"")));
}

TEST(ParseLayoutTest, MalformedInput) {
  EXPECT_THAT(ParseLayout("/sys/fs/cgroup", {.root = TMPFS_MAGIC}, kHybridMountinfo, "garbage\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("garbage")));
  EXPECT_THAT(ParseLayout("/sys/fs/cgroup", {.root = TMPFS_MAGIC}, "not mountinfo\n", kHybridOwn),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

}  // namespace
}  // namespace hull::cgroups
