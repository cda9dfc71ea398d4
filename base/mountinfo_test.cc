#include "base/mountinfo.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kMountInfo[] =
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro\n"
    "36 22 0:31 /sub /mnt/with\\040space ro,nosuid,nodev master:3 shared:7 - tmpfs tmp rw,size=4k\n"
    "40 22 0:32 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct\n"
    "41 22 0:33 / /private rw unbindable - proc proc rw\n";

TEST(ParseMountInfoTest, ParsesEveryField) {
  absl::StatusOr<std::vector<MountInfo>> mounts = ParseMountInfo(kMountInfo);
  ASSERT_THAT(mounts, IsOk());
  ASSERT_THAT(*mounts, SizeIs(4));
  const MountInfo& root = (*mounts)[0];
  EXPECT_EQ(root.id, 22);
  EXPECT_EQ(root.parent_id, 1);
  EXPECT_EQ(root.major, 8u);
  EXPECT_EQ(root.minor, 1u);
  EXPECT_EQ(root.root, "/");
  EXPECT_EQ(root.mount_point, "/");
  EXPECT_THAT(root.options, ElementsAre("rw", "relatime"));
  EXPECT_THAT(root.optional_fields, ElementsAre("shared:1"));
  EXPECT_EQ(root.fstype, "ext4");
  EXPECT_EQ(root.source, "/dev/sda1");
  EXPECT_THAT(root.super_options, ElementsAre("rw", "errors=remount-ro"));
  EXPECT_EQ(root.Propagation(), "shared");

  const MountInfo& spaced = (*mounts)[1];
  EXPECT_EQ(spaced.root, "/sub");
  EXPECT_EQ(spaced.mount_point, "/mnt/with space");
  EXPECT_TRUE(spaced.HasOption("ro"));
  EXPECT_TRUE(spaced.HasOption("nodev"));
  EXPECT_FALSE(spaced.HasOption("noexec"));
  EXPECT_EQ(spaced.Propagation(), "shared,slave");

  EXPECT_EQ((*mounts)[2].mount_point, "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ((*mounts)[2].Propagation(), "private");
  EXPECT_THAT((*mounts)[2].optional_fields, IsEmpty());
  EXPECT_EQ((*mounts)[3].Propagation(), "unbindable");
}

TEST(ParseMountInfoTest, MalformedLines) {
  for (const char* line :
       {"22 1 8:1 / / rw shared:1 ext4 /dev/sda1 rw", "x 1 8:1 / / rw - ext4 /dev/sda1 rw",
        "22 1 8-1 / / rw - ext4 a rw", "22 1 8:1 / / - ext4 /dev/sda1 rw"}) {
    EXPECT_THAT(ParseMountInfo(line).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("malformed")))
        << line;
  }
  EXPECT_THAT(ParseMountInfo(""), IsOk());
}

}  // namespace
}  // namespace hull
