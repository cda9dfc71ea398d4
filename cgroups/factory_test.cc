#include "cgroups/factory.h"

#include <sys/stat.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "cgroups/layout.h"
#include "cgroups/manager.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/fake_cgroupfs.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::FakeCgroupfs;
using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

std::unique_ptr<FakeCgroupfs> MakeHost(FakeCgroupfs::Options options = {}) {
  const std::string dir =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/",
                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  EXPECT_EQ(mkdir(dir.c_str(), 0755), 0);
  absl::StatusOr<std::unique_ptr<FakeCgroupfs>> tree = FakeCgroupfs::Create(dir, options);
  EXPECT_THAT(tree, IsOk());
  return tree.ok() ? *std::move(tree) : nullptr;
}

TEST(NewManagerTest, HybridGetsEveryManagedHierarchyAndTheUnifiedOne) {
  std::unique_ptr<FakeCgroupfs> tree = MakeHost();
  absl::StatusOr<std::unique_ptr<Manager>> manager =
      NewManager(tree->layout(), "", "web", tree->NewFs());
  ASSERT_THAT(manager, IsOk());
  const std::string root = tree->root();
  EXPECT_THAT((*manager)->Paths(),
              UnorderedElementsAre(
                  Pair("cpu", root + "/cpu/hull/web"), Pair("cpuacct", root + "/cpuacct/hull/web"),
                  Pair("cpuset", root + "/cpuset/hull/web"),
                  Pair("memory", root + "/memory/hull/web"),
                  Pair("devices", root + "/devices/hull/web"),
                  Pair("freezer", root + "/freezer/hull/web"),
                  Pair("blkio", root + "/blkio/hull/web"), Pair("pids", root + "/pids/hull/web"),
                  Pair("name=systemd", root + "/systemd/hull/web"),
                  Pair("", root + "/unified/hull/web")));
  // Nothing made before Create.
  EXPECT_FALSE(tree->IsDirectory(root + "/memory/hull"));
  EXPECT_TRUE((*manager)->CreatedPaths().empty());
}

TEST(NewManagerTest, CoMountedControllersShareADirectoryAndOthersAreLeftOut) {
  std::unique_ptr<FakeCgroupfs> tree =
      MakeHost({.mode = CgroupMode::kV1,
                .v1_hierarchies = {{"cpu", "cpuacct"}, {"memory"}, {"name=elogind"}},
                .own_cgroup = "/user.slice"});
  absl::StatusOr<std::unique_ptr<Manager>> manager =
      NewManager(tree->layout(), "pod/ctr", "web", tree->NewFs());
  ASSERT_THAT(manager, IsOk());
  const std::string root = tree->root();
  EXPECT_THAT((*manager)->Paths(),
              UnorderedElementsAre(Pair("cpu", root + "/cpu,cpuacct/user.slice/pod/ctr"),
                                   Pair("cpuacct", root + "/cpu,cpuacct/user.slice/pod/ctr"),
                                   Pair("memory", root + "/memory/user.slice/pod/ctr")));
  ASSERT_THAT((*manager)->Create(), IsOk());
  EXPECT_THAT((*manager)->CreatedPaths(),
              UnorderedElementsAre(Pair("cpu", root + "/cpu,cpuacct/user.slice/pod"),
                                   Pair("cpuacct", root + "/cpu,cpuacct/user.slice/pod"),
                                   Pair("memory", root + "/memory/user.slice/pod")));
}

// What the layout read of the host's cgroup mounts reaches a new init
// through the clone targets (its cgroup mount reads no mountinfo then).
TEST(NewManagerTest, V1CloneTargetsCarryTheLayoutsCgroupMounts) {
  std::unique_ptr<FakeCgroupfs> tree = MakeHost({.mode = CgroupMode::kV1});
  Layout layout = tree->layout();
  layout.cgroup_mounts = {
      MountInfo{.mount_point = "/sys/fs/cgroup/memory", .fstype = "cgroup"},
      MountInfo{.mount_point = "/sys/fs/cgroup/pids", .fstype = "cgroup"}};
  absl::StatusOr<std::unique_ptr<Manager>> manager = NewManager(layout, "", "web", tree->NewFs());
  ASSERT_THAT(manager, IsOk());
  ASSERT_THAT((*manager)->Create(), IsOk());
  absl::StatusOr<CloneTargets> targets = (*manager)->OpenCloneTargets({});
  ASSERT_THAT(targets, IsOk());
  EXPECT_THAT(targets->host_cgroup_mounts,
              ElementsAre(Field(&MountInfo::mount_point, "/sys/fs/cgroup/memory"),
                          Field(&MountInfo::mount_point, "/sys/fs/cgroup/pids")));
  ASSERT_THAT((*manager)->Destroy(), IsOk());
}

TEST(NewManagerTest, BadCgroupsPaths) {
  std::unique_ptr<FakeCgroupfs> tree = MakeHost();
  EXPECT_THAT(NewManager(tree->layout(), "/../escape", "web", tree->NewFs()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("climbs out")));
  EXPECT_THAT(NewManager(tree->layout(), "machine.slice:hull:web", "web", tree->NewFs()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--systemd-cgroup")));
}

TEST(NewManagerTest, V2HostsGetOneDirectoryInTheUnifiedHierarchy) {
  std::unique_ptr<FakeCgroupfs> tree = MakeHost({.mode = CgroupMode::kV2});
  const std::string root = tree->root();
  absl::StatusOr<std::unique_ptr<Manager>> manager =
      NewManager(tree->layout(), "", "web", tree->NewFs());
  ASSERT_THAT(manager, IsOk());
  EXPECT_THAT((*manager)->Paths(), UnorderedElementsAre(Pair("", root + "/hull/web")));
  ASSERT_THAT((*manager)->Create(), IsOk());
  EXPECT_THAT((*manager)->CreatedPaths(), UnorderedElementsAre(Pair("", root + "/hull")));
  EXPECT_THAT((*manager)->OpenCloneTargets({}), IsOk());

  absl::StatusOr<std::unique_ptr<Manager>> restored = RestoreManager(
      tree->layout(), (*manager)->Paths(), (*manager)->CreatedPaths(), tree->NewFs());
  ASSERT_THAT(restored, IsOk());
  EXPECT_EQ((*restored)->Paths(), (*manager)->Paths());
  EXPECT_EQ((*restored)->CreatedPaths(), (*manager)->CreatedPaths());
  ASSERT_THAT((*restored)->Destroy(), IsOk());
  EXPECT_FALSE(tree->IsDirectory(root + "/hull"));
}

TEST(RestoreManagerTest, V2PathsMustBeInTheUnifiedHierarchy) {
  std::unique_ptr<FakeCgroupfs> tree = MakeHost({.mode = CgroupMode::kV2});
  const std::string root = tree->root();
  EXPECT_THAT(RestoreManager(tree->layout(), {{"", "/etc"}}, {}, tree->NewFs()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a cgroup below")));
  EXPECT_THAT(RestoreManager(tree->layout(), {{"", root + "/hull/web"}}, {{"", root}},
                             tree->NewFs()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is not between")));
  EXPECT_THAT(RestoreManager(tree->layout(), {{"memory", root + "/hull/web"}}, {}, tree->NewFs()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("\"memory\"")));
  EXPECT_THAT(RestoreManager(tree->layout(), {}, {}, tree->NewFs()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no cgroup")));
}

TEST(RestoreManagerTest, RoundTripThenDestroy) {
  std::unique_ptr<FakeCgroupfs> tree = MakeHost();
  absl::StatusOr<std::unique_ptr<Manager>> manager =
      NewManager(tree->layout(), "/a/b", "web", tree->NewFs());
  ASSERT_THAT(manager, IsOk());
  ASSERT_THAT((*manager)->Create(), IsOk());
  const std::map<std::string, std::string> paths = (*manager)->Paths();
  const std::map<std::string, std::string> created = (*manager)->CreatedPaths();

  absl::StatusOr<std::unique_ptr<Manager>> restored =
      RestoreManager(tree->layout(), paths, created, tree->NewFs());
  ASSERT_THAT(restored, IsOk());
  EXPECT_EQ((*restored)->Paths(), paths);
  EXPECT_EQ((*restored)->CreatedPaths(), created);
  ASSERT_THAT((*restored)->Destroy(), IsOk());
  for (const auto& [key, path] : paths) EXPECT_FALSE(tree->IsDirectory(path)) << key;
  EXPECT_FALSE(tree->IsDirectory(tree->root() + "/memory/a"));

  // Without what Create made, nothing is the container's to remove.
  ASSERT_THAT((*manager)->Create(), IsOk());
  restored = RestoreManager(tree->layout(), paths, {}, tree->NewFs());
  ASSERT_THAT(restored, IsOk());
  ASSERT_THAT((*restored)->Destroy(), IsOk());
  EXPECT_TRUE(tree->IsDirectory(tree->root() + "/memory/a/b"));
}

TEST(RestoreManagerTest, RefusesPathsOutsideTheirHierarchy) {
  std::unique_ptr<FakeCgroupfs> tree = MakeHost();
  const std::string root = tree->root();
  EXPECT_THAT(RestoreManager(tree->layout(), {{"memory", "/etc"}}, {}, tree->NewFs()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"/etc\" of \"memory\"")));
  EXPECT_THAT(
      RestoreManager(tree->layout(), {{"memory", root + "/memory/x/../../cpu/x"}}, {}, tree->NewFs()),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a cgroup below")));
  EXPECT_THAT(RestoreManager(tree->layout(), {{"memory", root + "/memory"}}, {}, tree->NewFs()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a cgroup below")));
  EXPECT_THAT(RestoreManager(tree->layout(), {{"memory", root + "/memory/a/b"}},
                             {{"memory", root + "/memory/c"}}, tree->NewFs()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("created cgroup")));
  EXPECT_THAT(RestoreManager(tree->layout(), {{"memory", root + "/memory/a/b"}},
                             {{"memory", root + "/memory"}}, tree->NewFs()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("created cgroup")));
  EXPECT_THAT(RestoreManager(tree->layout(), {{"hugetlb", "/sys/fs/cgroup/hugetlb/a"}}, {},
                             tree->NewFs()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("\"hugetlb\" hierarchy")));
}

TEST(RestoreManagerTest, CoMountedControllersMustAgree) {
  std::unique_ptr<FakeCgroupfs> tree =
      MakeHost({.mode = CgroupMode::kV1, .v1_hierarchies = {{"cpu", "cpuacct"}}});
  const std::string dir = tree->root() + "/cpu,cpuacct";
  EXPECT_THAT(RestoreManager(tree->layout(), {{"cpu", dir + "/a"}, {"cpuacct", dir + "/b"}}, {},
                             tree->NewFs()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("share the hierarchy")));
  EXPECT_THAT(RestoreManager(tree->layout(), {{"cpu", dir + "/a"}, {"cpuacct", dir + "/a"}}, {},
                             tree->NewFs()),
              IsOk());
}

}  // namespace
}  // namespace hull::cgroups
