// V1Manager against a fake cgroup tree (testing/fake_cgroupfs.h): what it
// makes, writes, reads and removes. Its resources and statistics are
// v1_resources_test's and v1_stats_test's.
#include "cgroups/v1.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/layout.h"
#include "cgroups/manager.h"
#include "cgroups/stats.pb.h"
#include "cgroups/v1_fake_host.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/fake_cgroupfs.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::FakeCgroupfs;
using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Key;
using ::testing::Not;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;

class V1ManagerTest : public V1FakeHostTest {
 protected:
  // The host and a manager for its container's directories.
  void MakeHost(FakeCgroupfs::Options options = {}) {
    V1FakeHostTest::MakeHost(std::move(options));
    manager_ = std::make_unique<V1Manager>(Directories(), tree_->NewFs(),
                                           V1Options{.hugepages_directory = hugepages_});
  }

  std::unique_ptr<V1Manager> manager_;
};

TEST_F(V1ManagerTest, CreateMakesEveryDirectoryAndRemembersThem) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  const std::string root = tree_->root();
  EXPECT_THAT(manager_->Paths(),
              UnorderedElementsAre(
                  Pair("cpu", root + "/cpu/hull/c"), Pair("cpuacct", root + "/cpuacct/hull/c"),
                  Pair("cpuset", root + "/cpuset/hull/c"), Pair("memory", root + "/memory/hull/c"),
                  Pair("devices", root + "/devices/hull/c"),
                  Pair("freezer", root + "/freezer/hull/c"), Pair("blkio", root + "/blkio/hull/c"),
                  Pair("pids", root + "/pids/hull/c"),
                  Pair("name=systemd", root + "/systemd/hull/c"), Pair("", root + "/unified/hull/c")));
  for (const auto& [key, path] : manager_->Paths()) EXPECT_TRUE(tree_->IsDirectory(path)) << path;
  EXPECT_THAT(manager_->CreatedPaths(),
              AllOf(Contains(Pair("memory", root + "/memory/hull")),
                    Contains(Pair("", root + "/unified/hull"))));
  EXPECT_EQ(manager_->CreatedPaths().size(), 10u);
  // New cpuset cgroups get their parent's cpus and mems.
  EXPECT_EQ(Contents("cpuset", "cpuset.cpus"), "0-1");
  EXPECT_EQ(Contents("cpuset", "cpuset.mems"), "0");
  EXPECT_THAT(tree_->Contents(root + "/cpuset/hull/cpuset.cpus"), IsOkAndHolds("0-1"));
}

TEST_F(V1ManagerTest, CreateRemembersOnlyWhatItMade) {
  MakeHost();
  const std::string root = tree_->root();
  std::unique_ptr<CgroupFs> fs = tree_->NewFs();
  ASSERT_THAT(fs->MakeDirectory(root + "/memory/hull"), IsOk());
  ASSERT_THAT(fs->MakeDirectory(root + "/pids/hull"), IsOk());
  ASSERT_THAT(fs->MakeDirectory(root + "/pids/hull/c"), IsOk());
  ASSERT_THAT(manager_->Create(), IsOk());
  EXPECT_THAT(manager_->CreatedPaths(), Contains(Pair("memory", root + "/memory/hull/c")));
  EXPECT_THAT(manager_->CreatedPaths(), Not(Contains(Key("pids"))));
  EXPECT_THAT(manager_->CreatedPaths(), Contains(Pair("cpu", root + "/cpu/hull")));
  // Creating again changes nothing.
  ASSERT_THAT(manager_->Create(), IsOk());
  EXPECT_THAT(manager_->CreatedPaths(), Contains(Pair("cpu", root + "/cpu/hull")));
}

// Another container made /hull and, deleted, removes it between our mkdir of
// /hull (there already) and that of /hull/c: the chain is made again, and
// /hull is ours now.
TEST_F(V1ManagerTest, CreateMakesAgainAParentRemovedUnderIt) {
  MakeHost();
  const std::string root = tree_->root();
  std::unique_ptr<CgroupFs> other = tree_->NewFs();
  ASSERT_THAT(other->MakeDirectory(root + "/memory/hull"), IsOk());
  tree_->BeforeMakeDirectory(root + "/memory/hull/c", [&] {
    EXPECT_THAT(other->RemoveDirectory(root + "/memory/hull"), IsOk());
  });
  ASSERT_THAT(manager_->Create(), IsOk());
  EXPECT_TRUE(tree_->IsDirectory(root + "/memory/hull/c"));
  EXPECT_THAT(manager_->CreatedPaths(), Contains(Pair("memory", root + "/memory/hull")));
}

// A pod's parent cgroup, made by someone else with empty cpus and mems: no
// process could join a cgroup below it (ENOSPC). As runc, it gets its
// parent's, and so does the container's own cgroup when it existed empty.
TEST_F(V1ManagerTest, CreateFillsEmptyCpusetsMadeByOthers) {
  MakeHost();
  const std::string root = tree_->root();
  std::unique_ptr<CgroupFs> other = tree_->NewFs();
  ASSERT_THAT(other->MakeDirectory(root + "/cpuset/hull"), IsOk());
  ASSERT_THAT(other->MakeDirectory(root + "/cpuset/hull/c"), IsOk());
  for (const char* dir : {"/cpuset/hull", "/cpuset/hull/c"}) {
    for (const char* file : {"/cpuset.cpus", "/cpuset.mems"}) {
      ASSERT_THAT(tree_->SetContents(absl::StrCat(root, dir, file), "\n"), IsOk());
    }
  }
  ASSERT_THAT(manager_->Create(), IsOk());
  EXPECT_THAT(tree_->Contents(root + "/cpuset/hull/cpuset.cpus"), IsOkAndHolds("0-1"));
  EXPECT_THAT(tree_->Contents(root + "/cpuset/hull/cpuset.mems"), IsOkAndHolds("0"));
  EXPECT_EQ(Contents("cpuset", "cpuset.cpus"), "0-1");
  EXPECT_EQ(Contents("cpuset", "cpuset.mems"), "0");
  EXPECT_THAT(manager_->CreatedPaths(), Not(Contains(Key("cpuset"))));
}

// Cpus someone set are theirs: only empty ones are filled.
TEST_F(V1ManagerTest, CreateKeepsTheCpusetsOthersSet) {
  MakeHost();
  const std::string root = tree_->root();
  std::unique_ptr<CgroupFs> other = tree_->NewFs();
  ASSERT_THAT(other->MakeDirectory(root + "/cpuset/hull"), IsOk());
  ASSERT_THAT(tree_->SetContents(root + "/cpuset/hull/cpuset.cpus", "1\n"), IsOk());
  ASSERT_THAT(tree_->SetContents(root + "/cpuset/hull/cpuset.mems", "0\n"), IsOk());
  ASSERT_THAT(manager_->Create(), IsOk());
  EXPECT_THAT(tree_->Contents(root + "/cpuset/hull/cpuset.cpus"), IsOkAndHolds("1\n"));
  EXPECT_EQ(Contents("cpuset", "cpuset.cpus"), "1");
}

// The usual Create: the parent (/hull) is there in every hierarchy. One
// mkdir each, and the new cpuset gets the parent's cpus and mems, read once
// each; the new directory's own (empty) ones are not read.
TEST_F(V1ManagerTest, CreateUnderAnExistingParentMakesOnlyTheContainersDirectories) {
  MakeHost();
  std::unique_ptr<CgroupFs> fs = tree_->NewFs();
  std::vector<std::string> mkdirs;
  for (const auto& [key, path] : manager_->Paths()) {
    const std::string parent = path.substr(0, path.rfind('/'));
    if (fs->MakeDirectory(parent).ok()) mkdirs.push_back("mkdir " + path);
  }
  ASSERT_EQ(mkdirs.size(), 10u);
  const std::string cpuset_parent = tree_->root() + "/cpuset/hull";
  ASSERT_THAT(tree_->SetContents(cpuset_parent + "/cpuset.cpus", "1\n"), IsOk());
  ASSERT_THAT(tree_->SetContents(cpuset_parent + "/cpuset.mems", "0\n"), IsOk());
  tree_->ClearOperations();
  tree_->ClearWrites();

  ASSERT_THAT(manager_->Create(), IsOk());
  EXPECT_THAT(tree_->operations(),
              UnorderedElementsAreArray(
                  [&] {
                    std::vector<std::string> expected = mkdirs;
                    expected.push_back("read " + cpuset_parent + "/cpuset.cpus");
                    expected.push_back("read " + cpuset_parent + "/cpuset.mems");
                    return expected;
                  }()));
  EXPECT_THAT(tree_->writes(), ElementsAre(Pair(Dir("cpuset") + "/cpuset.cpus", "1"),
                                           Pair(Dir("cpuset") + "/cpuset.mems", "0")));
  EXPECT_EQ(manager_->CreatedPaths().size(), 10u);
  EXPECT_THAT(manager_->CreatedPaths(), Contains(Pair("cpuset", Dir("cpuset"))));
}

TEST_F(V1ManagerTest, CreateFailureLeavesNothing) {
  MakeHost();
  tree_->FailWrites(tree_->root() + "/cpuset/hull/c/cpuset.mems",
                    absl::PermissionDeniedError("write cpuset.mems: Permission denied"));
  EXPECT_THAT(manager_->Create(), StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("cpuset.mems")));
  for (const char* hierarchy : {"cpu", "cpuset", "memory", "unified"}) {
    EXPECT_FALSE(tree_->IsDirectory(absl::StrCat(tree_->root(), "/", hierarchy, "/hull")))
        << hierarchy;
  }
  EXPECT_THAT(manager_->CreatedPaths(), IsEmpty());
}

// Apply and GetStats are ApplyV1Resources and ReadV1Stats (v1_resources_test,
// v1_stats_test) on the manager's directories.
TEST_F(V1ManagerTest, ApplyAndGetStatsUseTheContainersDirectories) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  config::Resources resources;
  resources.mutable_pids()->set_limit(10);
  ASSERT_THAT(manager_->Apply(resources), IsOk());
  EXPECT_EQ(Contents("pids", "pids.max"), "10");
  Set("pids", "pids.current", "3\n");
  absl::StatusOr<Stats> stats = manager_->GetStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->pids().current(), 3u);
  EXPECT_EQ(stats->pids().limit(), 10u);
}

TEST_F(V1ManagerTest, AddProcessJoinsEveryHierarchy) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  // EINVAL: a task still being created; tried again.
  tree_->FailWrites(File("memory", "cgroup.procs"), absl::InvalidArgumentError("EINVAL"), 2);
  ASSERT_THAT(manager_->AddProcess(4242), IsOk());
  for (const auto& [key, path] : manager_->Paths()) {
    EXPECT_THAT(tree_->Contents(path + "/cgroup.procs"), IsOkAndHolds("4242\n")) << key;
  }
}

// The path `fd` was opened at.
std::string FdPath(int fd) {
  char target[4096] = {};
  const ssize_t n = readlink(absl::StrCat("/proc/self/fd/", fd).c_str(), target, sizeof(target) - 1);
  return n < 0 ? "" : std::string(target, static_cast<size_t>(n));
}

// A v1 hierarchy is joined through its tasks file, the hybrid host's cgroup2
// hierarchy by its directory.
TEST_F(V1ManagerTest, CloneTargetsAreTheTasksFilesAndTheCgroup2Directory) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  absl::StatusOr<CloneTargets> targets = manager_->OpenCloneTargets({});
  ASSERT_THAT(targets, IsOk());
  std::vector<std::string> opened;
  for (const UniqueFd& fd : targets->v1_tasks_files) {
    EXPECT_EQ(fcntl(fd.get(), F_GETFL) & O_ACCMODE, O_WRONLY);
    EXPECT_NE(fcntl(fd.get(), F_GETFD) & FD_CLOEXEC, 0);
    opened.push_back(FdPath(fd.get()));
  }
  std::vector<std::string> expected;
  for (const auto& [key, path] : manager_->Paths()) {
    if (!key.empty()) expected.push_back(path + "/tasks");
  }
  EXPECT_THAT(opened, UnorderedElementsAreArray(expected));
  ASSERT_TRUE(targets->cgroup2_directory.valid());
  EXPECT_EQ(FdPath(targets->cgroup2_directory.get()), manager_->Paths().at(""));
}

TEST_F(V1ManagerTest, FreezeWaitsForFrozen) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  EXPECT_THAT(manager_->IsFrozen(), IsOkAndHolds(false));
  tree_->QueueReads(File("freezer", "freezer.state"), {"FREEZING\n", "FREEZING\n"});
  ASSERT_THAT(manager_->Freeze(), IsOk());
  EXPECT_THAT(tree_->WritesTo(File("freezer", "freezer.state")),
              ElementsAre("FROZEN", "FROZEN", "FROZEN"));
  EXPECT_THAT(manager_->IsFrozen(), IsOkAndHolds(true));
  ASSERT_THAT(manager_->Thaw(), IsOk());
  EXPECT_EQ(Contents("freezer", "freezer.state"), "THAWED");
  EXPECT_THAT(manager_->IsFrozen(), IsOkAndHolds(false));
}

TEST_F(V1ManagerTest, FreezeThatNeverCompletesIsUndone) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  tree_->QueueReads(File("freezer", "freezer.state"), std::vector<std::string>(1000, "FREEZING\n"));
  EXPECT_THAT(manager_->Freeze(),
              StatusIs(absl::StatusCode::kDeadlineExceeded, HasSubstr("still FREEZING")));
  EXPECT_EQ(Contents("freezer", "freezer.state"), "THAWED");
  // Now and then it thawed to let the freeze catch up.
  EXPECT_THAT(tree_->WritesTo(File("freezer", "freezer.state")), Contains("THAWED"));

  tree_->ClearFailures();
  tree_->QueueReads(File("freezer", "freezer.state"), {"BOGUS\n"});
  EXPECT_THAT(manager_->Freeze(),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("unexpected freezer.state \"BOGUS\"")));
  EXPECT_EQ(Contents("freezer", "freezer.state"), "THAWED");
}

TEST_F(V1ManagerTest, FreezerNotMounted) {
  MakeHost({.mode = CgroupMode::kV1, .v1_hierarchies = {{"memory"}, {"pids"}}});
  ASSERT_THAT(manager_->Create(), IsOk());
  EXPECT_THAT(manager_->Freeze(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("pause: the \"freezer\" cgroup controller is not mounted")));
  EXPECT_THAT(manager_->IsFrozen(), IsOkAndHolds(false));
  // Processes come from the pids hierarchy then; SIGKILL without freezing.
  Set("pids", "cgroup.procs", "7\n");
  ASSERT_THAT(manager_->Signal(SIGKILL), IsOk());
  EXPECT_THAT(tree_->kills(), ElementsAre(Pair(7, SIGKILL)));
}

TEST_F(V1ManagerTest, ProcessesAndSignals) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  std::unique_ptr<CgroupFs> fs = tree_->NewFs();
  ASSERT_THAT(fs->MakeDirectory(Dir("freezer") + "/sub"), IsOk());
  Set("freezer", "cgroup.procs", "10\n11\n");
  ASSERT_THAT(tree_->SetContents(Dir("freezer") + "/sub/cgroup.procs", "12\n"), IsOk());
  EXPECT_THAT(manager_->Processes(), IsOkAndHolds(UnorderedElementsAre(10, 11, 12)));

  tree_->ClearWrites();
  ASSERT_THAT(manager_->Signal(SIGTERM), IsOk());
  EXPECT_THAT(tree_->kills(), UnorderedElementsAre(Pair(10, SIGTERM), Pair(11, SIGTERM), Pair(12, SIGTERM)));
  EXPECT_THAT(tree_->writes(), IsEmpty());

  // SIGKILL: frozen first, thawed after.
  ASSERT_THAT(manager_->Signal(SIGKILL), IsOk());
  EXPECT_THAT(tree_->WritesTo(File("freezer", "freezer.state")), ElementsAre("FROZEN", "THAWED"));
  EXPECT_THAT(tree_->kills(), Contains(Pair(12, SIGKILL)));

  Set("freezer", "cgroup.procs", "10\nnot-a-pid\n");
  EXPECT_THAT(manager_->Processes(), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("not-a-pid")));
}

TEST_F(V1ManagerTest, DestroyRemovesWhatCreateMade) {
  MakeHost();
  const std::string root = tree_->root();
  std::unique_ptr<CgroupFs> fs = tree_->NewFs();
  ASSERT_THAT(fs->MakeDirectory(root + "/pids/hull"), IsOk());
  ASSERT_THAT(fs->MakeDirectory(root + "/pids/hull/c"), IsOk());  // existed: not the container's
  ASSERT_THAT(manager_->Create(), IsOk());
  // Another container under the same parent in one hierarchy.
  ASSERT_THAT(fs->MakeDirectory(root + "/memory/hull/other"), IsOk());
  // A cgroup the container's processes made.
  ASSERT_THAT(fs->MakeDirectory(Dir("freezer") + "/nested"), IsOk());

  Set("freezer", "cgroup.procs", "99\n");
  EXPECT_THAT(manager_->Destroy(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                            HasSubstr("container's cgroup is not empty")));
  EXPECT_TRUE(tree_->IsDirectory(Dir("freezer")));
  Set("freezer", "cgroup.procs", "");

  // A cgroup that stays busy a moment after its last process left.
  tree_->FailRemovals(Dir("cpu"), absl::FailedPreconditionError("rmdir: Device or resource busy"), 2);
  ASSERT_THAT(manager_->Destroy(), IsOk());
  for (const char* hierarchy : {"cpu", "cpuset", "freezer", "systemd", "unified"}) {
    EXPECT_FALSE(tree_->IsDirectory(absl::StrCat(root, "/", hierarchy, "/hull"))) << hierarchy;
  }
  EXPECT_FALSE(tree_->IsDirectory(Dir("memory")));
  EXPECT_TRUE(tree_->IsDirectory(root + "/memory/hull/other"));
  EXPECT_TRUE(tree_->IsDirectory(root + "/pids/hull/c"));
  EXPECT_THAT(manager_->CreatedPaths(), IsEmpty());
  // Again: nothing left to do.
  EXPECT_THAT(manager_->Destroy(), IsOk());
}

// A container put in cgroups that existed (cgroupsPath) made none of them:
// Destroy leaves them, and the processes they hold that are not the
// container's, as they are.
TEST_F(V1ManagerTest, DestroyOfCgroupsItDidNotMakeLeavesThemWithTheirProcesses) {
  MakeHost();
  std::unique_ptr<CgroupFs> fs = tree_->NewFs();
  ASSERT_THAT(fs->MakeDirectory(tree_->root() + "/freezer/hull"), IsOk());
  ASSERT_THAT(fs->MakeDirectory(Dir("freezer")), IsOk());
  Set("freezer", "cgroup.procs", "77\n");
  EXPECT_THAT(manager_->Destroy(), IsOk());
  EXPECT_TRUE(tree_->IsDirectory(Dir("freezer")));

  // The others it made, and removes.
  ASSERT_THAT(manager_->Create(), IsOk());
  EXPECT_THAT(manager_->Destroy(), IsOk());
  EXPECT_TRUE(tree_->IsDirectory(Dir("freezer")));
  EXPECT_FALSE(tree_->IsDirectory(Dir("memory")));
}

// Directories without children go with one rmdir each: only the check
// for processes lists what is below the container's cgroup.
TEST_F(V1ManagerTest, DestroyRemovesChildlessDirectoriesWithoutListingThem) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  std::vector<std::string> rmdirs;
  for (const auto& [key, path] : manager_->Paths()) rmdirs.push_back("rmdir " + path);
  for (const auto& [key, path] : manager_->CreatedPaths()) {
    if (path != manager_->Paths().at(key)) rmdirs.push_back("rmdir " + path);
  }
  tree_->ClearOperations();
  ASSERT_THAT(manager_->Destroy(), IsOk());
  std::vector<std::string> expected = rmdirs;
  expected.push_back("read " + Dir("freezer") + "/cgroup.procs");
  expected.push_back("list " + Dir("freezer"));
  EXPECT_THAT(tree_->operations(), UnorderedElementsAreArray(expected));
}

TEST_F(V1ManagerTest, DestroyReportsARemovalThatKeepsFailing) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  tree_->FailRemovals(Dir("memory"), absl::FailedPreconditionError("rmdir: Device or resource busy"), 100);
  EXPECT_THAT(manager_->Destroy(), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("busy")));
  tree_->FailRemovals(Dir("memory"), absl::PermissionDeniedError("rmdir: Permission denied"), 1);
  EXPECT_THAT(manager_->Destroy(), StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("rmdir")));
  EXPECT_THAT(manager_->Destroy(), IsOk());
  EXPECT_FALSE(tree_->IsDirectory(Dir("memory")));
}

}  // namespace
}  // namespace hull::cgroups
