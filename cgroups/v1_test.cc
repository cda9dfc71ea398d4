// V1Manager against a fake cgroup tree (testing/fake_cgroupfs.h): what it
// makes, writes, reads and removes.
#include "cgroups/v1.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "cgroups/device_rules.h"
#include "cgroups/layout.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
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

config::Resources ParseResources(const std::string& text) {
  config::Resources resources;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &resources)) << text;
  return resources;
}

class V1ManagerTest : public ::testing::Test {
 protected:
  // A fake host (this machine's hybrid layout unless `options` says
  // otherwise) and a manager for its cgroup "/hull/c".
  void MakeHost(FakeCgroupfs::Options options = {}) {
    const std::string dir =
        absl::StrCat(std::getenv("TEST_TMPDIR"), "/",
                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
    hugepages_ = dir + "/hugepages";
    ASSERT_EQ(mkdir(hugepages_.c_str(), 0755), 0);
    absl::StatusOr<std::unique_ptr<FakeCgroupfs>> tree = FakeCgroupfs::Create(dir, options);
    ASSERT_THAT(tree, IsOk());
    tree_ = *std::move(tree);
    manager_ = NewManager();
  }

  std::unique_ptr<V1Manager> NewManager() {
    std::vector<CgroupDirectory> directories;
    const Layout& layout = tree_->layout();
    for (const Hierarchy& hierarchy : layout.v1) {
      directories.push_back({.controllers = hierarchy.controllers,
                             .mount_point = hierarchy.mount_point,
                             .path = hierarchy.mount_point + "/hull/c"});
    }
    if (layout.unified.has_value()) {
      directories.push_back({.mount_point = layout.unified->mount_point,
                             .path = layout.unified->mount_point + "/hull/c"});
    }
    return std::make_unique<V1Manager>(std::move(directories), tree_->NewFs(),
                                       V1Options{.hugepages_directory = hugepages_});
  }

  // The container's directory in `hierarchy` ("memory", "unified").
  std::string Dir(const std::string& hierarchy) const {
    return absl::StrCat(tree_->root(), "/", hierarchy, "/hull/c");
  }
  std::string File(const std::string& hierarchy, const std::string& file) const {
    return absl::StrCat(Dir(hierarchy), "/", file);
  }
  std::string Contents(const std::string& hierarchy, const std::string& file) const {
    absl::StatusOr<std::string> contents = tree_->Contents(File(hierarchy, file));
    EXPECT_THAT(contents, IsOk());
    return contents.value_or("");
  }
  void Set(const std::string& hierarchy, const std::string& file, const std::string& contents) {
    ASSERT_THAT(tree_->SetContents(File(hierarchy, file), contents), IsOk());
  }

  std::string hugepages_;
  std::unique_ptr<FakeCgroupfs> tree_;
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

TEST_F(V1ManagerTest, MemoryLimitsInRuncsOrder) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  tree_->ClearWrites();
  // Lowering from unlimited: the limit first, then memory+swap.
  ASSERT_THAT(manager_->Apply(ParseResources(R"pb(
                memory {
                  limit: 67108864
                  swap: 134217728
                  reservation: 33554432
                  swappiness: 10
                  disable_oom_killer: true
                  use_hierarchy: true
                  kernel_tcp: 1048576
                }
              )pb")),
              IsOk());
  const std::string dir = Dir("memory");
  EXPECT_THAT(tree_->writes(),
              ElementsAre(Pair(dir + "/memory.limit_in_bytes", "67108864"),
                          Pair(dir + "/memory.memsw.limit_in_bytes", "134217728"),
                          Pair(dir + "/memory.soft_limit_in_bytes", "33554432"),
                          Pair(dir + "/memory.kmem.tcp.limit_in_bytes", "1048576"),
                          Pair(dir + "/memory.oom_control", "1"),
                          Pair(dir + "/memory.swappiness", "10"),
                          Pair(dir + "/memory.use_hierarchy", "1")));

  // Raising above the current memory+swap: memory+swap first.
  tree_->ClearWrites();
  ASSERT_THAT(manager_->Apply(ParseResources("memory { limit: 268435456 swap: 536870912 }")),
              IsOk());
  EXPECT_THAT(tree_->writes(), ElementsAre(Pair(dir + "/memory.memsw.limit_in_bytes", "536870912"),
                                           Pair(dir + "/memory.limit_in_bytes", "268435456")));

  // Unlimited memory makes memory+swap unlimited, first.
  tree_->ClearWrites();
  ASSERT_THAT(manager_->Apply(ParseResources("memory { limit: -1 }")), IsOk());
  EXPECT_THAT(tree_->writes(), ElementsAre(Pair(dir + "/memory.memsw.limit_in_bytes", "-1"),
                                           Pair(dir + "/memory.limit_in_bytes", "-1")));
}

TEST_F(V1ManagerTest, MemoryLimitBelowUsage) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  Set("memory", "memory.usage_in_bytes", "5000000\n");
  Set("memory", "memory.max_usage_in_bytes", "6000000\n");
  tree_->FailWrites(File("memory", "memory.limit_in_bytes"),
                    absl::FailedPreconditionError("write: Device or resource busy"));
  EXPECT_THAT(manager_->Apply(ParseResources("memory { limit: 1000000 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("unable to set memory limit to 1000000 (current usage: 5000000, "
                                 "peak usage: 6000000)")));

  tree_->ClearFailures();
  tree_->ClearWrites();
  EXPECT_THAT(manager_->Apply(ParseResources("memory { limit: 1000000 check_before_update: true }")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("rejecting memory limit")));
  EXPECT_THAT(tree_->writes(), IsEmpty());
}

TEST_F(V1ManagerTest, MemoryThisHostCannotApply) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  tree_->ClearWrites();
  EXPECT_THAT(manager_->Apply(ParseResources("memory { limit: 1000000 kernel: 1000000 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.resources.memory.kernel: kernel memory limits")));
  EXPECT_THAT(manager_->Apply(ParseResources("memory { swappiness: 101 }")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("swappiness range is 0-100")));
  ASSERT_THAT(tree_->RemoveFile(File("memory", "memory.memsw.limit_in_bytes")), IsOk());
  EXPECT_THAT(manager_->Apply(ParseResources("memory { limit: 1000000 swap: 2000000 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("swap accounting is off (no memory.memsw.limit_in_bytes): not supported")));
  // Nothing was written by the refused ones; unlimited needs no swap file.
  EXPECT_THAT(tree_->writes(), IsEmpty());
  EXPECT_THAT(manager_->Apply(ParseResources("memory { limit: -1 }")), IsOk());
  EXPECT_THAT(tree_->writes(), ElementsAre(Pair(File("memory", "memory.limit_in_bytes"), "-1")));
}

TEST_F(V1ManagerTest, CpuAndCpuset) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  tree_->ClearWrites();
  ASSERT_THAT(manager_->Apply(ParseResources(R"pb(
                cpu {
                  shares: 512
                  period: 50000
                  quota: 25000
                  burst: 1000
                  realtime_period: 1000000
                  realtime_runtime: 1000
                  idle: 1
                  cpus: "1"
                  mems: "0"
                }
              )pb")),
              IsOk());
  const std::string cpu = Dir("cpu");
  const std::string cpuset = Dir("cpuset");
  EXPECT_THAT(tree_->writes(),
              ElementsAre(Pair(cpuset + "/cpuset.cpus", "1"), Pair(cpuset + "/cpuset.mems", "0"),
                          Pair(cpu + "/cpu.shares", "512"), Pair(cpu + "/cpu.cfs_period_us", "50000"),
                          Pair(cpu + "/cpu.cfs_burst_us", "1000"),
                          Pair(cpu + "/cpu.cfs_quota_us", "25000"),
                          Pair(cpu + "/cpu.rt_period_us", "1000000"),
                          Pair(cpu + "/cpu.rt_runtime_us", "1000"), Pair(cpu + "/cpu.idle", "1")));
}

TEST_F(V1ManagerTest, CpuPeriodRefusedUntilTheQuotaIsSet) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  tree_->ClearWrites();
  tree_->FailWrites(File("cpu", "cpu.cfs_period_us"), absl::InvalidArgumentError("EINVAL"), 1);
  ASSERT_THAT(manager_->Apply(ParseResources("cpu { period: 10000 quota: 5000 }")), IsOk());
  EXPECT_THAT(tree_->writes(), ElementsAre(Pair(File("cpu", "cpu.cfs_quota_us"), "5000"),
                                           Pair(File("cpu", "cpu.cfs_period_us"), "10000")));
  // Without a quota to set, the refusal is final.
  tree_->FailWrites(File("cpu", "cpu.cfs_period_us"), absl::InvalidArgumentError("EINVAL"), 1);
  EXPECT_THAT(manager_->Apply(ParseResources("cpu { period: 10000 }")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("EINVAL")));
}

TEST_F(V1ManagerTest, CpuSharesTheKernelClamps) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  tree_->QueueReads(File("cpu", "cpu.shares"), {"262144\n"});
  EXPECT_THAT(manager_->Apply(ParseResources("cpu { shares: 500000 }")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("the maximum allowed cpu-shares is 262144")));
  tree_->QueueReads(File("cpu", "cpu.shares"), {"2\n"});
  EXPECT_THAT(manager_->Apply(ParseResources("cpu { shares: 1 }")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("the minimum allowed cpu-shares is 2")));
}

TEST_F(V1ManagerTest, Pids) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  tree_->ClearWrites();
  ASSERT_THAT(manager_->Apply(ParseResources("pids { limit: 10 }")), IsOk());
  ASSERT_THAT(manager_->Apply(ParseResources("pids { limit: 0 }")), IsOk());
  ASSERT_THAT(manager_->Apply(ParseResources("pids { limit: -1 }")), IsOk());
  ASSERT_THAT(manager_->Apply(ParseResources("pids {}")), IsOk());
  EXPECT_THAT(tree_->WritesTo(File("pids", "pids.max")), ElementsAre("10", "max", "max"));
}

TEST_F(V1ManagerTest, BlockIoOnBfqAndCfq) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  tree_->ClearWrites();
  const config::Resources resources = ParseResources(R"pb(
    block_io {
      weight: 500
      weight_device { major: 8 minor: 0 weight: 300 }
      throttle_read_bps_device { major: 8 minor: 0 rate: 1048576 }
      throttle_write_bps_device { major: 8 minor: 0 rate: 2097152 }
      throttle_read_iops_device { major: 8 minor: 16 rate: 100 }
      throttle_write_iops_device { major: 8 minor: 16 rate: 200 }
    }
  )pb");
  ASSERT_THAT(manager_->Apply(resources), IsOk());
  const std::string dir = Dir("blkio");
  EXPECT_THAT(tree_->writes(),
              ElementsAre(Pair(dir + "/blkio.bfq.weight", "500"),
                          Pair(dir + "/blkio.bfq.weight_device", "8:0 300"),
                          Pair(dir + "/blkio.throttle.read_bps_device", "8:0 1048576"),
                          Pair(dir + "/blkio.throttle.write_bps_device", "8:0 2097152"),
                          Pair(dir + "/blkio.throttle.read_iops_device", "8:16 100"),
                          Pair(dir + "/blkio.throttle.write_iops_device", "8:16 200")));

  // A kernel with CFQ gets CFQ's files.
  Set("blkio", "blkio.weight", "500\n");
  Set("blkio", "blkio.weight_device", "");
  tree_->ClearWrites();
  ASSERT_THAT(manager_->Apply(ParseResources(
                  "block_io { weight: 100 weight_device { major: 8 minor: 0 weight: 10 } }")),
              IsOk());
  EXPECT_THAT(tree_->writes(), ElementsAre(Pair(dir + "/blkio.weight", "100"),
                                           Pair(dir + "/blkio.weight_device", "8:0 10")));

  tree_->ClearWrites();
  EXPECT_THAT(manager_->Apply(ParseResources("block_io { leaf_weight: 100 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.resources.blockIO.leafWeight: this kernel has no "
                                 "blkio.leaf_weight: not supported")));
  ASSERT_THAT(tree_->RemoveFile(File("blkio", "blkio.weight")), IsOk());
  ASSERT_THAT(tree_->RemoveFile(File("blkio", "blkio.bfq.weight")), IsOk());
  EXPECT_THAT(manager_->Apply(ParseResources("block_io { weight: 100 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no CFQ or BFQ")));
  EXPECT_THAT(tree_->writes(), IsEmpty());
}

TEST_F(V1ManagerTest, EmptyResourcesAskNothingOfAbsentControllers) {
  MakeHost({.mode = CgroupMode::kV1, .v1_hierarchies = {{"devices"}}});
  ASSERT_THAT(manager_->Create(), IsOk());
  tree_->ClearWrites();
  EXPECT_THAT(manager_->Apply(ParseResources("memory {} cpu {} pids {} block_io {} network {}")),
              IsOk());
  EXPECT_THAT(tree_->writes(), IsEmpty());
  EXPECT_THAT(manager_->Apply(ParseResources("memory { swappiness: 0 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("\"memory\"")));
}

TEST_F(V1ManagerTest, ControllersThisHostDoesNotMount) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  tree_->ClearWrites();
  // Each refused before anything is written, even what could be.
  EXPECT_THAT(manager_->Apply(ParseResources(
                  R"pb(pids { limit: 5 } hugepage_limits { page_size: "2MB" limit: 2097152 })pb")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.resources.hugepageLimits: the \"hugetlb\" cgroup "
                                 "controller is not mounted on this host: not supported")));
  EXPECT_THAT(manager_->Apply(ParseResources("network { class_id: 1 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("\"net_cls\"")));
  EXPECT_THAT(manager_->Apply(ParseResources(R"pb(network { priorities { name: "lo" priority: 1 } })pb")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("\"net_prio\"")));
  EXPECT_THAT(manager_->Apply(ParseResources(R"pb(rdma { key: "mlx5_0" value { hca_handles: 1 } })pb")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("\"rdma\"")));
  EXPECT_THAT(manager_->Apply(ParseResources(R"pb(unified { key: "memory.high" value: "1000" })pb")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("unified resources require cgroup v2")));
  EXPECT_THAT(tree_->writes(), IsEmpty());
}

TEST_F(V1ManagerTest, HugetlbNetworkAndRdmaWhereMounted) {
  MakeHost({.mode = CgroupMode::kV1,
            .v1_hierarchies = {{"hugetlb"}, {"net_cls", "net_prio"}, {"rdma"}}});
  ASSERT_THAT(manager_->Create(), IsOk());
  tree_->ClearWrites();
  ASSERT_THAT(manager_->Apply(ParseResources(R"pb(
                hugepage_limits { page_size: "2MB" limit: 4194304 }
                network {
                  class_id: 1048577
                  priorities { name: "eth0" priority: 5 }
                  priorities { name: "lo" priority: 2 }
                }
                rdma { key: "mlx5_1" value { hca_objects: 10 } }
                rdma { key: "mlx5_0" value { hca_handles: 3 hca_objects: 100 } }
              )pb")),
              IsOk());
  const std::string hugetlb = Dir("hugetlb");
  const std::string net = Dir("net_cls,net_prio");
  EXPECT_THAT(tree_->writes(),
              ElementsAre(Pair(hugetlb + "/hugetlb.2MB.limit_in_bytes", "4194304"),
                          Pair(hugetlb + "/hugetlb.2MB.rsvd.limit_in_bytes", "4194304"),
                          Pair(net + "/net_cls.classid", "1048577"),
                          Pair(net + "/net_prio.ifpriomap", "eth0 5"),
                          Pair(net + "/net_prio.ifpriomap", "lo 2"),
                          Pair(Dir("rdma") + "/rdma.max", "mlx5_0 hca_handle=3 hca_object=100"),
                          Pair(Dir("rdma") + "/rdma.max", "mlx5_1 hca_object=10")));
  EXPECT_THAT(manager_->Apply(ParseResources(R"pb(hugepage_limits { page_size: "3MB" limit: 1 })pb")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no \"3MB\" huge pages")));
}

TEST_F(V1ManagerTest, DeviceRulesDenyAllThenInOrder) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  tree_->ClearWrites();
  config::Resources resources = ParseResources(R"pb(devices { allow: false access: "rwm" })pb");
  for (const config::DeviceCgroup& rule : DefaultDeviceRules()) *resources.add_devices() = rule;
  *resources.add_devices() =
      ParseResources(R"pb(devices { allow: false type: "c" major: 1 minor: 3 access: "rwm" })pb")
          .devices(0);
  ASSERT_THAT(manager_->Apply(resources), IsOk());
  EXPECT_THAT(tree_->WritesTo(File("devices", "devices.deny")),
              ElementsAre("a", "a *:* rwm", "c 1:3 rwm"));
  EXPECT_THAT(tree_->WritesTo(File("devices", "devices.allow")),
              ElementsAre("c *:* m", "b *:* m", "c 1:3 rwm", "c 1:8 rwm", "c 1:7 rwm", "c 5:0 rwm",
                          "c 1:5 rwm", "c 1:9 rwm", "c 136:* rwm", "c 5:2 rwm", "c 10:200 rwm"));
  // The last rule came after every allow.
  EXPECT_THAT(tree_->writes().back(), Pair(File("devices", "devices.deny"), "c 1:3 rwm"));

  tree_->ClearWrites();
  EXPECT_THAT(manager_->Apply(ParseResources(R"pb(devices { allow: true type: "x" access: "r" })pb")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("linux.resources.devices[0].type")));
  EXPECT_THAT(tree_->writes(), IsEmpty());
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

// A v1 hierarchy is joined through its tasks file, the hybrid host's cgroup2
// hierarchy by its directory.
// The path `fd` was opened at.
std::string FdPath(int fd) {
  char target[4096] = {};
  const ssize_t n = readlink(absl::StrCat("/proc/self/fd/", fd).c_str(), target, sizeof(target) - 1);
  return n < 0 ? "" : std::string(target, static_cast<size_t>(n));
}

TEST_F(V1ManagerTest, CloneTargetsAreTheTasksFilesAndTheCgroup2Directory) {
  MakeHost();
  ASSERT_THAT(manager_->Create(), IsOk());
  absl::StatusOr<CloneTargets> targets = manager_->OpenCloneTargets();
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

TEST_F(V1ManagerTest, Stats) {
  MakeHost({.mode = CgroupMode::kHybrid,
            .v1_hierarchies = {{"cpu", "cpuacct"}, {"cpuset"}, {"memory"}, {"pids"}, {"blkio"},
                               {"hugetlb"}, {"freezer"}}});
  ASSERT_EQ(mkdir((hugepages_ + "/hugepages-2048kB").c_str(), 0755), 0);
  ASSERT_THAT(manager_->Create(), IsOk());
  Set("cpu,cpuacct", "cpu.stat", "nr_periods 10\nnr_throttled 4\nthrottled_time 5000\n");
  Set("cpu,cpuacct", "cpuacct.usage", "123456789\n");
  Set("cpu,cpuacct", "cpuacct.usage_percpu", "100 200 \n");
  Set("cpu,cpuacct", "cpuacct.usage_percpu_sys", "10 20 \n");
  Set("cpu,cpuacct", "cpuacct.usage_percpu_user", "90 180 \n");
  Set("cpu,cpuacct", "cpuacct.stat", "user 7\nsystem 3\n");
  Set("cpuset", "cpuset.cpus", "0-1\n");
  Set("memory", "memory.stat", "cache 4096\nrss 8192\n");
  Set("memory", "memory.usage_in_bytes", "12288\n");
  Set("memory", "memory.max_usage_in_bytes", "20000\n");
  Set("memory", "memory.failcnt", "2\n");
  Set("memory", "memory.limit_in_bytes", "33554432\n");
  Set("memory", "memory.memsw.usage_in_bytes", "12289\n");
  ASSERT_THAT(tree_->RemoveFile(File("memory", "memory.kmem.tcp.usage_in_bytes")), IsOk());
  Set("pids", "pids.current", "3\n");
  Set("pids", "pids.max", "max\n");
  Set("blkio", "blkio.bfq.io_service_bytes_recursive", "8:0 Read 4096\n8:0 Write 512\nTotal 4608\n");
  Set("hugetlb", "hugetlb.2MB.usage_in_bytes", "2097152\n");
  Set("hugetlb", "hugetlb.2MB.failcnt", "1\n");

  absl::StatusOr<Stats> stats = manager_->GetStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->cpu().throttling().periods(), 10u);
  EXPECT_EQ(stats->cpu().throttling().throttled_periods(), 4u);
  EXPECT_EQ(stats->cpu().throttling().throttled_time(), 5000u);
  EXPECT_EQ(stats->cpu().usage().total(), 123456789u);
  EXPECT_THAT(stats->cpu().usage().percpu(), ElementsAre(100u, 200u));
  EXPECT_THAT(stats->cpu().usage().percpu_kernel(), ElementsAre(10u, 20u));
  EXPECT_THAT(stats->cpu().usage().percpu_user(), ElementsAre(90u, 180u));
  const uint64_t tick = 1000000000 / static_cast<uint64_t>(sysconf(_SC_CLK_TCK));
  EXPECT_EQ(stats->cpu().usage().user(), 7 * tick);
  EXPECT_EQ(stats->cpu().usage().kernel(), 3 * tick);
  EXPECT_THAT(stats->cpuset().cpus(), ElementsAre(0u, 1u));
  EXPECT_THAT(stats->cpuset().mems(), ElementsAre(0u));
  EXPECT_EQ(stats->cpuset().sched_load_balance(), 1u);
  EXPECT_EQ(stats->cpuset().sched_relax_domain_level(), -1);
  EXPECT_EQ(stats->memory().cache(), 4096u);
  EXPECT_THAT(stats->memory().raw(), UnorderedElementsAre(Pair("cache", 4096u), Pair("rss", 8192u)));
  EXPECT_EQ(stats->memory().usage().usage(), 12288u);
  EXPECT_EQ(stats->memory().usage().max(), 20000u);
  EXPECT_EQ(stats->memory().usage().failcnt(), 2u);
  EXPECT_EQ(stats->memory().usage().limit(), 33554432u);
  EXPECT_EQ(stats->memory().swap().usage(), 12289u);
  EXPECT_EQ(stats->memory().kernel().limit(), 9223372036854771712u);
  // A counter this kernel lacks reads as zeros, as runc reports it.
  EXPECT_EQ(stats->memory().kernel_tcp().limit(), 0u);
  EXPECT_EQ(stats->memory().kernel_tcp().usage(), 0u);
  EXPECT_EQ(stats->pids().current(), 3u);
  EXPECT_EQ(stats->pids().limit(), 0u);
  ASSERT_EQ(stats->blkio().io_service_bytes_recursive_size(), 2);
  EXPECT_EQ(stats->blkio().io_service_bytes_recursive(1).op(), "Write");
  EXPECT_EQ(stats->blkio().io_service_bytes_recursive(1).value(), 512u);
  EXPECT_EQ(stats->blkio().io_serviced_recursive_size(), 0);
  ASSERT_EQ(stats->hugetlb().count("2MB"), 1u);
  EXPECT_EQ(stats->hugetlb().at("2MB").usage(), 2097152u);
  EXPECT_EQ(stats->hugetlb().at("2MB").failcnt(), 1u);
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
