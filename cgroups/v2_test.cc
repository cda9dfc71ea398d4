#include "cgroups/v2.h"

#include <fcntl.h>
#include <linux/bpf.h>
#include <signal.h>
#include <sys/stat.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/device_filter.h"
#include "cgroups/device_rules.h"
#include "cgroups/layout.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "testing/fake_cgroupfs.h"
#include "testing/mock_device_filter_loader.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::FakeCgroupfs;
using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::MockDeviceFilterLoader;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::Return;
using ::testing::UnorderedElementsAre;

config::Resources Parse(const std::string& text) {
  config::Resources resources;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &resources)) << text;
  return resources;
}

// Fails MakeDirectory of one path, and otherwise is the fake tree's.
class FailingMkdirFs : public CgroupFs {
 public:
  FailingMkdirFs(std::unique_ptr<CgroupFs> fs, std::string path)
      : fs_(std::move(fs)), path_(std::move(path)) {}
  absl::StatusOr<std::string> ReadFile(const std::string& path) override {
    return fs_->ReadFile(path);
  }
  absl::Status WriteFile(const std::string& path, absl::string_view value) override {
    return fs_->WriteFile(path, value);
  }
  bool Exists(const std::string& path) override { return fs_->Exists(path); }
  absl::Status MakeDirectory(const std::string& path) override {
    if (path == path_) return absl::PermissionDeniedError(absl::StrCat("mkdir ", path, ": denied"));
    return fs_->MakeDirectory(path);
  }
  absl::Status RemoveDirectory(const std::string& path) override {
    return fs_->RemoveDirectory(path);
  }
  absl::StatusOr<std::vector<std::string>> ListDirectories(const std::string& path) override {
    return fs_->ListDirectories(path);
  }
  absl::StatusOr<UniqueFd> OpenDirectory(const std::string& path) override {
    return fs_->OpenDirectory(path);
  }
  absl::StatusOr<UniqueFd> OpenForWriting(const std::string& path) override {
    return fs_->OpenForWriting(path);
  }
  absl::Status Kill(pid_t pid, int signal) override { return fs_->Kill(pid, signal); }

 private:
  std::unique_ptr<CgroupFs> fs_;
  std::string path_;
};

class V2ManagerTest : public ::testing::Test {
 protected:
  void SetUp() override { MakeTree({}); }

  void MakeTree(std::vector<std::string> controllers) {
    test_dir_ = absl::StrCat(std::getenv("TEST_TMPDIR"), "/",
                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    mkdir(test_dir_.c_str(), 0755);
    absl::StatusOr<std::unique_ptr<FakeCgroupfs>> tree = FakeCgroupfs::Create(
        test_dir_, {.mode = CgroupMode::kV2, .v2_controllers = std::move(controllers)});
    ASSERT_THAT(tree, IsOk());
    tree_ = *std::move(tree);
    root_ = tree_->root();
    dir_ = root_ + "/hull/c1";
  }

  // A manager of `directory` (dir_ by default), remembering `created`.
  std::unique_ptr<V2Manager> NewManager(std::string created = "", std::string directory = "",
                                        std::unique_ptr<CgroupFs> fs = nullptr) {
    auto loader = std::make_unique<MockDeviceFilterLoader>();
    loader_ = loader.get();
    const std::string hugepages = test_dir_ + "/hugepages";
    mkdir(hugepages.c_str(), 0755);
    mkdir((hugepages + "/hugepages-2048kB").c_str(), 0755);
    return std::make_unique<V2Manager>(
        root_, directory.empty() ? dir_ : directory, std::move(created),
        fs ? std::move(fs) : tree_->NewFs(), std::move(loader),
        V2Options{.freeze_timeout = absl::Milliseconds(50),
                  .exit_timeout = absl::Milliseconds(50),
                  .hugepages_directory = hugepages});
  }

  std::string Contents(const std::string& path) {
    absl::StatusOr<std::string> contents = tree_->Contents(path);
    EXPECT_THAT(contents, IsOk());
    return contents.ok() ? *contents : "";
  }

  std::unique_ptr<V2Manager> Created() {
    std::unique_ptr<V2Manager> manager = NewManager();
    EXPECT_THAT(manager->Create(), IsOk());
    tree_->ClearWrites();
    return manager;
  }

  std::string test_dir_;
  std::unique_ptr<FakeCgroupfs> tree_;
  std::string root_;
  std::string dir_;
  MockDeviceFilterLoader* loader_ = nullptr;
};

TEST_F(V2ManagerTest, CreateMakesTheParentsAndEnablesEveryControllerInThem) {
  std::unique_ptr<V2Manager> manager = NewManager();
  ASSERT_THAT(manager->Create(), IsOk());
  EXPECT_TRUE(tree_->IsDirectory(dir_));
  const std::string all = "cpuset cpu io memory hugetlb pids rdma misc\n";
  EXPECT_EQ(Contents(root_ + "/cgroup.subtree_control"), all);
  EXPECT_EQ(Contents(root_ + "/hull/cgroup.subtree_control"), all);
  // The container's own cgroup is a leaf: it enables nothing.
  EXPECT_EQ(Contents(dir_ + "/cgroup.subtree_control"), "");
  EXPECT_EQ(Contents(dir_ + "/cgroup.controllers"), all);
  EXPECT_THAT(tree_->WritesTo(root_ + "/cgroup.subtree_control"),
              ElementsAre("+cpuset +cpu +io +memory +hugetlb +pids +rdma +misc"));
  EXPECT_THAT(tree_->WritesTo(root_ + "/hull/cgroup.subtree_control"),
              ElementsAre("+cpuset +cpu +io +memory +hugetlb +pids +rdma +misc"));
  EXPECT_THAT(manager->Paths(), ElementsAre(Pair("", dir_)));
  EXPECT_THAT(manager->CreatedPaths(), ElementsAre(Pair("", root_ + "/hull")));
}

TEST_F(V2ManagerTest, CreateEnablesOnlyWhatIsMissingAndOwnsOnlyWhatItMade) {
  std::unique_ptr<CgroupFs> fs = tree_->NewFs();
  ASSERT_THAT(fs->WriteFile(root_ + "/cgroup.subtree_control", "+memory +pids"), IsOk());
  ASSERT_THAT(fs->MakeDirectory(root_ + "/hull"), IsOk());
  ASSERT_THAT(fs->WriteFile(root_ + "/hull/cgroup.subtree_control", "+pids"), IsOk());
  tree_->ClearWrites();
  std::unique_ptr<V2Manager> manager = NewManager();
  ASSERT_THAT(manager->Create(), IsOk());
  EXPECT_THAT(tree_->WritesTo(root_ + "/cgroup.subtree_control"),
              ElementsAre("+cpuset +cpu +io +hugetlb +rdma +misc"));
  EXPECT_THAT(tree_->WritesTo(root_ + "/hull/cgroup.subtree_control"),
              ElementsAre("+cpuset +cpu +io +memory +hugetlb +rdma +misc"));
  EXPECT_THAT(manager->CreatedPaths(), ElementsAre(Pair("", dir_)));
}

// Another container made /hull and, deleted, removes it while we make ours
// below it: the chain is made again (controllers enabled again), and /hull is
// ours now.
TEST_F(V2ManagerTest, CreateMakesAgainAParentRemovedUnderIt) {
  std::unique_ptr<CgroupFs> other = tree_->NewFs();
  ASSERT_THAT(other->MakeDirectory(root_ + "/hull"), IsOk());
  tree_->BeforeMakeDirectory(dir_, [&] {
    EXPECT_THAT(other->RemoveDirectory(root_ + "/hull"), IsOk());
  });
  std::unique_ptr<V2Manager> manager = NewManager();
  ASSERT_THAT(manager->Create(), IsOk());
  EXPECT_TRUE(tree_->IsDirectory(dir_));
  EXPECT_EQ(Contents(root_ + "/hull/cgroup.subtree_control"),
            "cpuset cpu io memory hugetlb pids rdma misc\n");
  EXPECT_THAT(manager->CreatedPaths(), ElementsAre(Pair("", root_ + "/hull")));
}

TEST_F(V2ManagerTest, ACreatedDirectoryThatExistedIsNotTheContainers) {
  std::unique_ptr<CgroupFs> fs = tree_->NewFs();
  ASSERT_THAT(fs->MakeDirectory(root_ + "/hull"), IsOk());
  ASSERT_THAT(fs->MakeDirectory(dir_), IsOk());
  std::unique_ptr<V2Manager> manager = NewManager();
  ASSERT_THAT(manager->Create(), IsOk());
  EXPECT_THAT(manager->CreatedPaths(), IsEmpty());
  ASSERT_THAT(manager->Destroy(), IsOk());
  EXPECT_TRUE(tree_->IsDirectory(dir_));
}

TEST_F(V2ManagerTest, ControllersTheKernelRefusesAreLeftOffAndNamedByApply) {
  // "+memory" fails: the joint write fails, the others go one by one.
  tree_->FailWrites(root_ + "/cgroup.subtree_control",
                    absl::FailedPreconditionError("write: Device or resource busy"));
  std::unique_ptr<V2Manager> manager = NewManager();
  ASSERT_THAT(manager->Create(), IsOk());
  tree_->ClearFailures();
  EXPECT_EQ(Contents(dir_ + "/cgroup.controllers"), "\n");
  EXPECT_THAT(manager->Apply(Parse("memory { limit: 1048576 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.resources: controller \"memory\" (memory.max) not "
                                 "available in " + dir_)));
}

TEST_F(V2ManagerTest, AFailedCreateRemovesWhatItMade) {
  std::unique_ptr<V2Manager> manager =
      NewManager("", "", std::make_unique<FailingMkdirFs>(tree_->NewFs(), dir_));
  EXPECT_THAT(manager->Create(),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("mkdir " + dir_)));
  EXPECT_FALSE(tree_->IsDirectory(root_ + "/hull"));
  EXPECT_THAT(manager->CreatedPaths(), IsEmpty());
}

TEST_F(V2ManagerTest, CreateRefusesADirectoryOutsideTheMount) {
  std::unique_ptr<V2Manager> manager = NewManager("", "/elsewhere/c1");
  EXPECT_THAT(manager->Create(), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("not below the cgroup2 mount")));
  manager = NewManager("", root_);
  EXPECT_THAT(manager->Create(), StatusIs(absl::StatusCode::kInvalidArgument, _));
}

TEST_F(V2ManagerTest, ApplyWritesTheConvertedResources) {
  std::unique_ptr<V2Manager> manager = Created();
  ASSERT_THAT(manager->Apply(Parse("memory { limit: 1048576 swap: 3145728 reservation: 4096 } "
                                   "cpu { shares: 1024 quota: 50000 period: 100000 cpus: \"0\" } "
                                   "pids { limit: 32 } "
                                   "block_io { throttle_read_bps_device { major: 8 minor: 0 "
                                   "rate: 1000 } } "
                                   "hugepage_limits { page_size: \"2MB\" limit: 2097152 } "
                                   "unified { key: \"memory.high\" value: \"900000\" }")),
              IsOk());
  EXPECT_THAT(tree_->writes(),
              ElementsAre(Pair(dir_ + "/pids.max", "32"), Pair(dir_ + "/memory.swap.max", "2097152"),
                          Pair(dir_ + "/memory.max", "1048576"), Pair(dir_ + "/memory.low", "4096"),
                          Pair(dir_ + "/io.max", "8:0 rbps=1000"), Pair(dir_ + "/cpu.weight", "39"),
                          Pair(dir_ + "/cpu.max", "50000 100000"), Pair(dir_ + "/cpuset.cpus", "0"),
                          Pair(dir_ + "/hugetlb.2MB.max", "2097152"),
                          Pair(dir_ + "/hugetlb.2MB.rsvd.max", "2097152"),
                          Pair(dir_ + "/memory.high", "900000")));
}

TEST_F(V2ManagerTest, ApplyWritesEachLineOfAValueByItself) {
  std::unique_ptr<V2Manager> manager = Created();
  ASSERT_THAT(manager->Apply(Parse("unified { key: \"io.max\" value: \"8:0 rbps=1\\n8:16 wbps=2\\n\" }")),
              IsOk());
  EXPECT_THAT(tree_->WritesTo(dir_ + "/io.max"), ElementsAre("8:0 rbps=1", "8:16 wbps=2"));
}

TEST_F(V2ManagerTest, BlkioWeightFallsBackToIoWeightWithoutBfq) {
  std::unique_ptr<V2Manager> manager = Created();
  ASSERT_FALSE(tree_->IsDirectory(dir_ + "/io.bfq.weight"));
  ASSERT_THAT(manager->Apply(Parse("block_io { weight: 500 }")), IsOk());
  EXPECT_EQ(Contents(dir_ + "/io.weight"), "4950");

  ASSERT_THAT(tree_->SetContents(dir_ + "/io.bfq.weight", "default 100\n"), IsOk());
  ASSERT_THAT(manager->Apply(Parse("block_io { weight: 500 }")), IsOk());
  EXPECT_EQ(Contents(dir_ + "/io.bfq.weight"), "500");
}

TEST_F(V2ManagerTest, OptionalFilesTheKernelLacksAreSkipped) {
  std::unique_ptr<V2Manager> manager = Created();
  ASSERT_THAT(tree_->RemoveFile(dir_ + "/hugetlb.2MB.rsvd.max"), IsOk());
  ASSERT_THAT(tree_->RemoveFile(dir_ + "/memory.swap.max"), IsOk());
  EXPECT_THAT(manager->Apply(Parse("hugepage_limits { page_size: \"2MB\" limit: 0 } "
                                   "memory { limit: -1 }")),
              IsOk());
  EXPECT_THAT(tree_->WritesTo(dir_ + "/hugetlb.2MB.max"), ElementsAre("0"));
  EXPECT_THAT(tree_->WritesTo(dir_ + "/memory.max"), ElementsAre("max"));
  // A swap limit is not optional.
  EXPECT_THAT(manager->Apply(Parse("memory { limit: 1000 swap: 2000 }")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("memory.swap.max")));
}

TEST_F(V2ManagerTest, BurstIsWrittenAroundCpuMax) {
  std::unique_ptr<V2Manager> manager = Created();
  ASSERT_THAT(manager->Apply(Parse("cpu { quota: 50000 burst: 10000 }")), IsOk());
  EXPECT_THAT(tree_->writes(), ElementsAre(Pair(dir_ + "/cpu.max.burst", "10000"),
                                           Pair(dir_ + "/cpu.max", "50000 100000"),
                                           Pair(dir_ + "/cpu.max.burst", "10000")));
  // EINVAL from the first burst write waits for the second; from the second
  // it is an error.
  tree_->FailWrites(dir_ + "/cpu.max.burst", absl::InvalidArgumentError("write: Invalid argument"));
  tree_->ClearWrites();
  EXPECT_THAT(manager->Apply(Parse("cpu { quota: 50000 burst: 10000 }")),
              StatusIs(absl::StatusCode::kInvalidArgument, _));
  EXPECT_THAT(tree_->WritesTo(dir_ + "/cpu.max"), ElementsAre("50000 100000"));
}

TEST_F(V2ManagerTest, ApplyChecksEveryControllerBeforeTheFirstWrite) {
  MakeTree({"cpu", "pids"});
  std::unique_ptr<V2Manager> manager = Created();
  EXPECT_THAT(manager->Apply(Parse("pids { limit: 5 } memory { limit: 4096 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("controller \"memory\" (memory.max) not available in " + dir_ +
                                 ": cgroup.controllers is \"cpu pids\"")));
  EXPECT_THAT(manager->Apply(Parse("pids { limit: 5 } unified { key: \"memory.high\" value: \"1\" }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("unified resource \"memory.high\" can't be set: controller "
                                 "\"memory\" not available")));
  EXPECT_THAT(tree_->writes(), IsEmpty());
  // cgroup.* files belong to no controller.
  EXPECT_THAT(manager->Apply(Parse("unified { key: \"cgroup.max.depth\" value: \"3\" }")), IsOk());
}

TEST_F(V2ManagerTest, ApplyRefusesWhatV2CannotDoBeforeAnyWrite) {
  std::unique_ptr<V2Manager> manager = Created();
  EXPECT_THAT(manager->Apply(Parse("pids { limit: 5 } memory { swappiness: 10 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.resources.memory.swappiness: not supported on cgroup v2")));
  EXPECT_THAT(tree_->writes(), IsEmpty());
}

TEST_F(V2ManagerTest, CheckBeforeUpdateComparesWithMemoryCurrent) {
  std::unique_ptr<V2Manager> manager = Created();
  ASSERT_THAT(tree_->SetContents(dir_ + "/memory.current", "5000\n"), IsOk());
  EXPECT_THAT(manager->Apply(Parse("memory { limit: 4000 check_before_update: true }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("rejecting memory limit 4000 <= usage 5000")));
  EXPECT_THAT(tree_->writes(), IsEmpty());
  EXPECT_THAT(manager->Apply(Parse("memory { limit: 6000 check_before_update: true }")), IsOk());
  EXPECT_THAT(tree_->WritesTo(dir_ + "/memory.max"), ElementsAre("6000"));
}

TEST_F(V2ManagerTest, DeviceRulesBecomeTheCgroupsFilter) {
  std::unique_ptr<V2Manager> manager = Created();
  config::Resources resources = Parse("devices { allow: false access: \"rwm\" }");
  for (const config::DeviceCgroup& rule : DefaultDeviceRules()) *resources.add_devices() = rule;
  const absl::StatusOr<std::vector<bpf_insn>> expected = BuildDeviceFilter(resources.devices());
  ASSERT_THAT(expected, IsOk());
  int installed_fd = -1;
  EXPECT_CALL(*loader_, Install(_, _))
      .WillOnce([&](int cgroup_fd, absl::Span<const bpf_insn> program) {
        installed_fd = cgroup_fd;
        // The directory is open while the loader attaches.
        struct stat directory;
        EXPECT_EQ(fstat(cgroup_fd, &directory), 0);
        EXPECT_TRUE(S_ISDIR(directory.st_mode));
        EXPECT_EQ(program.size(), expected->size());
        EXPECT_EQ(memcmp(program.data(), expected->data(), program.size() * sizeof(bpf_insn)), 0);
        return absl::OkStatus();
      });
  ASSERT_THAT(manager->Apply(resources), IsOk());
  EXPECT_GE(installed_fd, 0);
  // Closed again.
  EXPECT_EQ(fcntl(installed_fd, F_GETFD), -1);
}

TEST_F(V2ManagerTest, NoDeviceRulesLeaveTheFilterAlone) {
  std::unique_ptr<V2Manager> manager = Created();
  EXPECT_CALL(*loader_, Install(_, _)).Times(0);
  EXPECT_THAT(manager->Apply(Parse("pids { limit: 3 }")), IsOk());
}

TEST_F(V2ManagerTest, BadDeviceRulesOrAFailedInstallWriteNothing) {
  std::unique_ptr<V2Manager> manager = Created();
  EXPECT_CALL(*loader_, Install(_, _)).Times(0);
  EXPECT_THAT(manager->Apply(Parse("pids { limit: 3 } devices { allow: true type: \"x\" access: \"r\" }")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("linux.resources.devices[0]")));
  EXPECT_THAT(tree_->writes(), IsEmpty());

  ::testing::Mock::VerifyAndClearExpectations(loader_);
  EXPECT_CALL(*loader_, Install(_, _))
      .WillOnce(Return(absl::PermissionDeniedError("bpf(BPF_PROG_LOAD): Operation not permitted")));
  EXPECT_THAT(manager->Apply(Parse("pids { limit: 3 } devices { allow: true access: \"rwm\" }")),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("BPF_PROG_LOAD")));
  EXPECT_THAT(tree_->writes(), IsEmpty());
}

TEST_F(V2ManagerTest, AddProcessAndCloneTargets) {
  std::unique_ptr<V2Manager> manager = Created();
  ASSERT_THAT(manager->AddProcess(1234), IsOk());
  EXPECT_EQ(Contents(dir_ + "/cgroup.procs"), "1234\n");
  absl::StatusOr<CloneTargets> targets = manager->OpenCloneTargets({});
  ASSERT_THAT(targets, IsOk());
  EXPECT_TRUE(targets->v1_tasks_files.empty());
  const int fd = targets->cgroup2_directory.get();
  struct stat opened, expected;
  ASSERT_EQ(fstat(fd, &opened), 0);
  ASSERT_EQ(stat(dir_.c_str(), &expected), 0);
  EXPECT_EQ(opened.st_ino, expected.st_ino);
  EXPECT_NE(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
}

TEST_F(V2ManagerTest, FreezeWaitsForCgroupEvents) {
  std::unique_ptr<V2Manager> manager = Created();
  EXPECT_THAT(manager->IsFrozen(), IsOkAndHolds(false));
  tree_->QueueReads(dir_ + "/cgroup.events", {"populated 1\nfrozen 0\n", "populated 1\nfrozen 0\n"});
  ASSERT_THAT(tree_->SetContents(dir_ + "/cgroup.events", "populated 1\nfrozen 1\n"), IsOk());
  ASSERT_THAT(manager->Freeze(), IsOk());
  EXPECT_THAT(manager->IsFrozen(), IsOkAndHolds(true));

  ASSERT_THAT(tree_->SetContents(dir_ + "/cgroup.events", "populated 1\nfrozen 0\n"), IsOk());
  ASSERT_THAT(manager->Thaw(), IsOk());
  EXPECT_THAT(manager->IsFrozen(), IsOkAndHolds(false));
  EXPECT_THAT(tree_->WritesTo(dir_ + "/cgroup.freeze"), ElementsAre("1", "0"));
}

TEST_F(V2ManagerTest, AFreezeThatNeverCompletesIsUndone) {
  std::unique_ptr<V2Manager> manager = Created();
  EXPECT_THAT(manager->Freeze(), StatusIs(absl::StatusCode::kDeadlineExceeded,
                                          HasSubstr("to say \"frozen 1\"")));
  EXPECT_THAT(tree_->WritesTo(dir_ + "/cgroup.freeze"), ElementsAre("1", "0"));
  EXPECT_THAT(manager->IsFrozen(), IsOkAndHolds(false));
}

TEST_F(V2ManagerTest, ProcessesOfTheCgroupAndItsChildren) {
  std::unique_ptr<V2Manager> manager = Created();
  ASSERT_THAT(tree_->SetContents(dir_ + "/cgroup.procs", "10\n11\n"), IsOk());
  std::unique_ptr<CgroupFs> fs = tree_->NewFs();
  ASSERT_THAT(fs->MakeDirectory(dir_ + "/inner"), IsOk());
  ASSERT_THAT(fs->MakeDirectory(dir_ + "/inner/deeper"), IsOk());
  ASSERT_THAT(tree_->SetContents(dir_ + "/inner/deeper/cgroup.procs", "12\n"), IsOk());
  EXPECT_THAT(manager->Processes(), IsOkAndHolds(ElementsAre(10, 11, 12)));
}

TEST_F(V2ManagerTest, SigkillIsOneWriteToCgroupKill) {
  std::unique_ptr<V2Manager> manager = Created();
  ASSERT_THAT(tree_->SetContents(dir_ + "/cgroup.procs", "10\n11\n"), IsOk());
  ASSERT_THAT(manager->Signal(SIGKILL), IsOk());
  EXPECT_THAT(tree_->writes(), ElementsAre(Pair(dir_ + "/cgroup.kill", "1")));
  EXPECT_THAT(tree_->kills(), IsEmpty());
}

TEST_F(V2ManagerTest, OtherSignalsGoToEachProcessOfTheFrozenCgroup) {
  std::unique_ptr<V2Manager> manager = Created();
  ASSERT_THAT(tree_->SetContents(dir_ + "/cgroup.procs", "10\n11\n"), IsOk());
  tree_->QueueReads(dir_ + "/cgroup.events", {"frozen 1\n", "frozen 0\n"});
  ASSERT_THAT(manager->Signal(SIGTERM), IsOk());
  EXPECT_THAT(tree_->kills(), ElementsAre(Pair(10, SIGTERM), Pair(11, SIGTERM)));
  EXPECT_THAT(tree_->WritesTo(dir_ + "/cgroup.freeze"), ElementsAre("1", "0"));

  // Without cgroup.kill (kernel < 5.14), SIGKILL goes the same way.
  ASSERT_THAT(tree_->RemoveFile(dir_ + "/cgroup.kill"), IsOk());
  tree_->QueueReads(dir_ + "/cgroup.events", {"frozen 1\n", "frozen 0\n"});
  ASSERT_THAT(manager->Signal(SIGKILL), IsOk());
  EXPECT_THAT(tree_->kills(), ElementsAre(Pair(10, SIGTERM), Pair(11, SIGTERM), Pair(10, SIGKILL),
                                          Pair(11, SIGKILL)));
}

TEST_F(V2ManagerTest, SignallingAPausedContainerKeepsItPaused) {
  std::unique_ptr<V2Manager> manager = Created();
  ASSERT_THAT(tree_->SetContents(dir_ + "/cgroup.procs", "10\n"), IsOk());
  ASSERT_THAT(tree_->SetContents(dir_ + "/cgroup.freeze", "1\n"), IsOk());
  ASSERT_THAT(manager->Signal(SIGTERM), IsOk());
  EXPECT_THAT(tree_->kills(), ElementsAre(Pair(10, SIGTERM)));
  EXPECT_THAT(tree_->WritesTo(dir_ + "/cgroup.freeze"), IsEmpty());
}

TEST_F(V2ManagerTest, DestroyRefusesWhileProcessesRemain) {
  std::unique_ptr<V2Manager> manager = Created();
  ASSERT_THAT(tree_->SetContents(dir_ + "/cgroup.procs", "10\n"), IsOk());
  EXPECT_THAT(manager->Destroy(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                           HasSubstr("container's cgroup is not empty")));
  EXPECT_TRUE(tree_->IsDirectory(dir_));
  EXPECT_THAT(manager->CreatedPaths(), ElementsAre(Pair("", root_ + "/hull")));
}

TEST_F(V2ManagerTest, DestroyRemovesTheContainersTreeAndTheParentsItMade) {
  std::unique_ptr<V2Manager> manager = Created();
  std::unique_ptr<CgroupFs> fs = tree_->NewFs();
  ASSERT_THAT(fs->MakeDirectory(dir_ + "/inner"), IsOk());
  ASSERT_THAT(manager->Destroy(), IsOk());
  EXPECT_FALSE(tree_->IsDirectory(root_ + "/hull"));
  EXPECT_THAT(manager->CreatedPaths(), IsEmpty());
  // Again: nothing left to do.
  EXPECT_THAT(manager->Destroy(), IsOk());
}

TEST_F(V2ManagerTest, DestroyRetriesABusyRmdir) {
  std::unique_ptr<V2Manager> manager = Created();
  tree_->FailRemovals(dir_, absl::FailedPreconditionError("rmdir: Device or resource busy"), 2);
  ASSERT_THAT(manager->Destroy(), IsOk());
  EXPECT_FALSE(tree_->IsDirectory(dir_));
}

TEST_F(V2ManagerTest, DestroyLeavesAParentAnotherContainerUses) {
  std::unique_ptr<V2Manager> first = Created();
  std::unique_ptr<V2Manager> second = NewManager("", root_ + "/hull/c2");
  ASSERT_THAT(second->Create(), IsOk());
  EXPECT_THAT(second->CreatedPaths(), ElementsAre(Pair("", root_ + "/hull/c2")));
  ASSERT_THAT(first->Destroy(), IsOk());
  EXPECT_FALSE(tree_->IsDirectory(dir_));
  EXPECT_TRUE(tree_->IsDirectory(root_ + "/hull/c2"));
}

TEST_F(V2ManagerTest, ARestoredManagerDestroysWhatTheFirstCreated) {
  ASSERT_THAT(NewManager()->Create(), IsOk());
  std::unique_ptr<V2Manager> restored = NewManager(root_ + "/hull");
  ASSERT_THAT(restored->Destroy(), IsOk());
  EXPECT_FALSE(tree_->IsDirectory(root_ + "/hull"));

  // A created path that does not contain the directory is refused.
  ASSERT_THAT(NewManager()->Create(), IsOk());
  EXPECT_THAT(NewManager(root_ + "/other")->Destroy(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("does not contain")));
  EXPECT_TRUE(tree_->IsDirectory(dir_));
}

TEST_F(V2ManagerTest, StatsIncludeHugetlbPerHostPageSize) {
  std::unique_ptr<V2Manager> manager = Created();
  ASSERT_THAT(tree_->SetContents(dir_ + "/hugetlb.2MB.current", "2097152\n"), IsOk());
  ASSERT_THAT(tree_->SetContents(dir_ + "/pids.current", "4\n"), IsOk());
  const absl::StatusOr<Stats> stats = manager->GetStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->pids().current(), 4u);
  ASSERT_EQ(stats->hugetlb().size(), 1u);
  EXPECT_EQ(stats->hugetlb().at("2MB").usage(), 2097152u);
}

}  // namespace
}  // namespace hull::cgroups
