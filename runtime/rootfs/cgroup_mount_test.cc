#include "runtime/rootfs/cgroup_mount.h"

#include <sys/mount.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::rootfs {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// This machine's layout: cgroup v1 controllers plus cgroup2 at "unified".
constexpr char kHybridHost[] =
    "22 1 8:1 / / rw - ext4 /dev/vda rw\n"
    "30 22 0:25 / /sys/fs/cgroup rw,nosuid - tmpfs tmpfs ro,mode=755\n"
    "31 30 0:26 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
    "32 30 0:27 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd\n"
    "33 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
    "34 30 0:29 /outer /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
    "35 22 0:30 / /mnt/cgroup/pids rw - cgroup cgroup rw,pids\n";

constexpr char kOwnCgroups[] =
    "4:memory:/outer/c1\n"
    "3:cpu,cpuacct:/c1\n"
    "1:name=systemd:/c1\n"
    "0::/c1\n";

std::vector<MountInfo> Parse(const char* text) {
  absl::StatusOr<std::vector<MountInfo>> mounts = ParseMountInfo(text);
  EXPECT_THAT(mounts, IsOk());
  return mounts.ok() ? *mounts : std::vector<MountInfo>();
}

PlannedMount CgroupMount(bool cgroup_namespace) {
  PlannedMount mount;
  mount.kind = MountKind::kCgroup;
  mount.destination = "/sys/fs/cgroup";
  mount.flags = MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY;
  mount.propagation = {MS_SLAVE | MS_REC};
  mount.cgroup_namespace = cgroup_namespace;
  return mount;
}

TEST(PlanUnifiedCgroupMountTest, MountsCgroup2) {
  const CgroupMountPlan plan = PlanUnifiedCgroupMount(CgroupMount(false));
  ASSERT_THAT(plan.mounts, SizeIs(1));
  EXPECT_EQ(plan.mounts[0].kind, MountKind::kFilesystem);
  EXPECT_EQ(plan.mounts[0].fstype, "cgroup2");
  EXPECT_EQ(plan.mounts[0].destination, "/sys/fs/cgroup");
  EXPECT_TRUE(plan.mounts[0].flags & MS_RDONLY);
  EXPECT_THAT(plan.mounts[0].propagation, ElementsAre(MS_SLAVE | MS_REC));
  EXPECT_FALSE(plan.read_only_tmpfs);
  EXPECT_TRUE(plan.symlinks.empty());
}

TEST(PlanUnifiedCgroupMountTest, InAUserNamespaceBindsTheHostsCgroup2) {
  PlannedMount mount = CgroupMount(/*cgroup_namespace=*/false);
  mount.in_user_namespace = true;
  CgroupMountPlan plan = PlanUnifiedCgroupMount(mount);
  ASSERT_THAT(plan.mounts, SizeIs(1));
  EXPECT_EQ(plan.mounts[0].kind, MountKind::kBind);
  EXPECT_EQ(plan.mounts[0].source, "/sys/fs/cgroup");
  EXPECT_TRUE(plan.mounts[0].flags & MS_RDONLY);
  // With a cgroup namespace of its own, the user namespace may mount one.
  mount.cgroup_namespace = true;
  plan = PlanUnifiedCgroupMount(mount);
  ASSERT_THAT(plan.mounts, SizeIs(1));
  EXPECT_EQ(plan.mounts[0].kind, MountKind::kFilesystem);
  EXPECT_EQ(plan.mounts[0].fstype, "cgroup2");
}

TEST(PlanSplitCgroupMountTest, HybridHostBindsOwnCgroupsOnATmpfs) {
  absl::StatusOr<CgroupMountPlan> plan =
      PlanSplitCgroupMount(CgroupMount(false), Parse(kHybridHost), kOwnCgroups);
  ASSERT_THAT(plan, IsOk());
  ASSERT_THAT(plan->mounts, SizeIs(5));
  const PlannedMount& tmpfs = plan->mounts[0];
  EXPECT_EQ(tmpfs.fstype, "tmpfs");
  EXPECT_EQ(tmpfs.destination, "/sys/fs/cgroup");
  EXPECT_EQ(tmpfs.flags, static_cast<unsigned long>(MS_NOSUID | MS_NODEV | MS_NOEXEC));
  EXPECT_EQ(tmpfs.data, "mode=755");

  std::vector<std::pair<std::string, std::string>> binds;
  for (size_t i = 1; i < plan->mounts.size(); ++i) {
    const PlannedMount& bind = plan->mounts[i];
    EXPECT_EQ(bind.kind, MountKind::kBind);
    EXPECT_TRUE(bind.recursive);
    EXPECT_TRUE(bind.flags & MS_RDONLY);
    EXPECT_THAT(bind.propagation, ElementsAre(MS_SLAVE | MS_REC));
    binds.emplace_back(bind.source, bind.destination);
  }
  using P = std::pair<std::string, std::string>;
  EXPECT_THAT(binds, ElementsAre(P{"/sys/fs/cgroup/unified/c1", "/sys/fs/cgroup/unified"},
                                 P{"/sys/fs/cgroup/systemd/c1", "/sys/fs/cgroup/systemd"},
                                 P{"/sys/fs/cgroup/cpu,cpuacct/c1", "/sys/fs/cgroup/cpu,cpuacct"},
                                 // The hierarchy's root is /outer: the rest is below it.
                                 P{"/sys/fs/cgroup/memory/c1", "/sys/fs/cgroup/memory"}));
  ASSERT_THAT(plan->symlinks, SizeIs(2));
  EXPECT_EQ(plan->symlinks[0].target, "cpu,cpuacct");
  EXPECT_EQ(plan->symlinks[0].path, "/sys/fs/cgroup/cpu");
  EXPECT_EQ(plan->symlinks[1].path, "/sys/fs/cgroup/cpuacct");
  EXPECT_TRUE(plan->read_only_tmpfs);
}

TEST(PlanSplitCgroupMountTest, CgroupNamespaceMountsEachHierarchyFresh) {
  absl::StatusOr<CgroupMountPlan> plan =
      PlanSplitCgroupMount(CgroupMount(true), Parse(kHybridHost), kOwnCgroups);
  ASSERT_THAT(plan, IsOk());
  ASSERT_THAT(plan->mounts, SizeIs(5));
  EXPECT_EQ(plan->mounts[1].kind, MountKind::kFilesystem);
  EXPECT_EQ(plan->mounts[1].fstype, "cgroup2");
  EXPECT_THAT(plan->mounts[1].data, IsEmpty());
  EXPECT_EQ(plan->mounts[2].fstype, "cgroup");
  EXPECT_EQ(plan->mounts[2].data, "xattr,name=systemd");
  EXPECT_EQ(plan->mounts[3].data, "cpu,cpuacct");
  EXPECT_EQ(plan->mounts[3].destination, "/sys/fs/cgroup/cpu,cpuacct");
}

TEST(PlanSplitCgroupMountTest, Errors) {
  EXPECT_THAT(PlanSplitCgroupMount(CgroupMount(false), Parse("22 1 8:1 / / rw - ext4 /dev/vda rw\n"),
                              kOwnCgroups)
                  .status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no cgroup hierarchy")));
  EXPECT_THAT(PlanSplitCgroupMount(CgroupMount(false), Parse(kHybridHost), "0::/c1\n").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("has no cgroup")));
  EXPECT_THAT(
      PlanSplitCgroupMount(CgroupMount(false), Parse(kHybridHost),
                      "4:memory:/elsewhere\n3:cpu,cpuacct:/c1\n1:name=systemd:/c1\n0::/c1\n")
          .status(),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("outside the root")));
}

}  // namespace
}  // namespace hull::rootfs
