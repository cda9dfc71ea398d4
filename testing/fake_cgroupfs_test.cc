#include "testing/fake_cgroupfs.h"

#include <sys/stat.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/layout.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

std::string TestDirectory() {
  const std::string dir =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/",
                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  mkdir(dir.c_str(), 0755);
  return dir;
}

// The managers find the tree through its layout, which cgroups::ParseLayout
// reads from the fake host's mountinfo and /proc/self/cgroup: every hierarchy
// it names, for each mode, is a directory of the tree holding the process's
// own cgroup.
TEST(FakeCgroupfsTest, TheParsedLayoutIsTheTree) {
  for (const cgroups::CgroupMode mode :
       {cgroups::CgroupMode::kV1, cgroups::CgroupMode::kHybrid, cgroups::CgroupMode::kV2}) {
    SCOPED_TRACE(static_cast<int>(mode));
    const std::string directory = absl::StrCat(TestDirectory(), "/", static_cast<int>(mode));
    ASSERT_EQ(mkdir(directory.c_str(), 0755), 0);
    absl::StatusOr<std::unique_ptr<FakeCgroupfs>> tree = FakeCgroupfs::Create(
        directory, {.mode = mode,
                    .v1_hierarchies = {{"cpu", "cpuacct"}, {"memory"}, {"name=systemd"}},
                    .own_cgroup = "/user/1"});
    ASSERT_THAT(tree, IsOk());
    const cgroups::Layout& layout = (*tree)->layout();
    EXPECT_EQ(layout.mode, mode);
    EXPECT_EQ(layout.root, (*tree)->root());
    std::vector<std::vector<std::string>> controllers;
    for (const cgroups::Hierarchy& hierarchy : layout.v1) {
      controllers.push_back(hierarchy.controllers);
      EXPECT_TRUE(absl::StartsWith(hierarchy.mount_point, (*tree)->root() + "/"))
          << hierarchy.mount_point;
      EXPECT_EQ(hierarchy.own_cgroup, "/user/1");
      EXPECT_TRUE((*tree)->IsDirectory(hierarchy.mount_point + hierarchy.own_cgroup))
          << hierarchy.mount_point;
    }
    if (mode == cgroups::CgroupMode::kV2) {
      EXPECT_THAT(controllers, IsEmpty());
    } else {
      EXPECT_THAT(controllers,
                  UnorderedElementsAre(ElementsAre("cpu", "cpuacct"), ElementsAre("memory"),
                                       ElementsAre("name=systemd")));
    }
    ASSERT_EQ(layout.unified.has_value(), mode != cgroups::CgroupMode::kV1);
    if (layout.unified) {
      EXPECT_EQ(layout.unified->own_cgroup, "/user/1");
      EXPECT_TRUE((*tree)->IsDirectory(layout.unified->mount_point + "/user/1"))
          << layout.unified->mount_point;
    }
  }
}

TEST(FakeCgroupfsTest, V1CgroupsGetTheirControllersFiles) {
  absl::StatusOr<std::unique_ptr<FakeCgroupfs>> tree = FakeCgroupfs::Create(
      TestDirectory(), {.mode = cgroups::CgroupMode::kV1,
                        .v1_hierarchies = {{"cpu", "cpuacct"}, {"memory"}},
                        .own_cgroup = "/user/1"});
  ASSERT_THAT(tree, IsOk());
  EXPECT_FALSE((*tree)->layout().unified.has_value());
  EXPECT_EQ((*tree)->layout().FindV1("cpuacct")->own_cgroup, "/user/1");
  const std::string cpu = (*tree)->root() + "/cpu,cpuacct";
  EXPECT_TRUE((*tree)->IsDirectory(cpu + "/user/1"));

  std::unique_ptr<cgroups::CgroupFs> fs = (*tree)->NewFs();
  ASSERT_THAT(fs->MakeDirectory(cpu + "/c"), IsOk());
  EXPECT_THAT(fs->ReadFile(cpu + "/c/cpu.shares"), IsOkAndHolds("1024\n"));
  EXPECT_TRUE(fs->Exists(cpu + "/c/cpuacct.usage"));
  EXPECT_FALSE(fs->Exists(cpu + "/c/memory.limit_in_bytes"));
  EXPECT_THAT(fs->MakeDirectory(cpu + "/c"), StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("mkdir")));
  EXPECT_THAT(fs->MakeDirectory(cpu + "/x/y"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("mkdir")));

  EXPECT_THAT(fs->WriteFile(cpu + "/c/cpu.shares", "512"), IsOk());
  EXPECT_THAT(fs->WriteFile(cpu + "/c/cgroup.procs", "12"), IsOk());
  EXPECT_THAT(fs->WriteFile(cpu + "/c/nonexistent", "1"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("nonexistent")));
  EXPECT_THAT((*tree)->Contents(cpu + "/c/cpu.shares"), IsOkAndHolds("512"));
  EXPECT_THAT((*tree)->Contents(cpu + "/c/cgroup.procs"), IsOkAndHolds("12\n"));
  EXPECT_THAT((*tree)->writes(), ElementsAre(Pair(cpu + "/c/cpu.shares", "512"),
                                             Pair(cpu + "/c/cgroup.procs", "12")));

  // Busy while it has processes or children, as rmdir(2) on cgroupfs.
  EXPECT_THAT(fs->RemoveDirectory(cpu + "/c"), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("busy")));
  ASSERT_THAT((*tree)->SetContents(cpu + "/c/cgroup.procs", ""), IsOk());
  ASSERT_THAT(fs->MakeDirectory(cpu + "/c/d"), IsOk());
  EXPECT_THAT(fs->ListDirectories(cpu + "/c"), IsOkAndHolds(ElementsAre("d")));
  EXPECT_THAT(fs->RemoveDirectory(cpu + "/c"), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("busy")));
  EXPECT_THAT(fs->RemoveDirectory(cpu + "/c/d"), IsOk());
  EXPECT_THAT(fs->RemoveDirectory(cpu + "/c"), IsOk());
  EXPECT_FALSE((*tree)->IsDirectory(cpu + "/c"));
  EXPECT_THAT(fs->RemoveDirectory(cpu + "/c"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("rmdir")));
}

TEST(FakeCgroupfsTest, V2SubtreeControlAddsAndRemovesFiles) {
  absl::StatusOr<std::unique_ptr<FakeCgroupfs>> tree =
      FakeCgroupfs::Create(TestDirectory(), {.mode = cgroups::CgroupMode::kV2});
  ASSERT_THAT(tree, IsOk());
  EXPECT_TRUE((*tree)->layout().v1.empty());
  const std::string root = (*tree)->root();
  std::unique_ptr<cgroups::CgroupFs> fs = (*tree)->NewFs();
  ASSERT_THAT(fs->MakeDirectory(root + "/a"), IsOk());
  EXPECT_FALSE(fs->Exists(root + "/a/memory.max"));
  EXPECT_THAT(fs->WriteFile(root + "/cgroup.subtree_control", "+pids +memory"), IsOk());
  EXPECT_THAT((*tree)->Contents(root + "/cgroup.subtree_control"), IsOkAndHolds("memory pids\n"));
  EXPECT_THAT(fs->ReadFile(root + "/a/memory.max"), IsOkAndHolds("max\n"));
  EXPECT_THAT(fs->ReadFile(root + "/a/cgroup.controllers"), IsOkAndHolds("memory pids\n"));
  ASSERT_THAT(fs->MakeDirectory(root + "/b"), IsOk());
  EXPECT_TRUE(fs->Exists(root + "/b/pids.max"));
  EXPECT_THAT(fs->WriteFile(root + "/cgroup.subtree_control", "-pids"), IsOk());
  EXPECT_FALSE(fs->Exists(root + "/b/pids.max"));
  EXPECT_THAT(fs->WriteFile(root + "/a/cgroup.subtree_control", "+cpu"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("+cpu")));
}

}  // namespace
}  // namespace hull::testing
