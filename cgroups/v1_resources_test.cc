// ApplyV1Resources against a fake cgroup tree (testing/fake_cgroupfs.h):
// what it writes, in which order, and what it refuses before any write.
#include "cgroups/v1_resources.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/device_rules.h"
#include "cgroups/layout.h"
#include "cgroups/v1_fake_host.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

config::Resources ParseResources(const std::string& text) {
  config::Resources resources;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &resources)) << text;
  return resources;
}

class V1ResourcesTest : public V1FakeHostTest {
 protected:
  absl::Status Apply(const config::Resources& resources) {
    std::unique_ptr<CgroupFs> fs = tree_->NewFs();
    return ApplyV1Resources(*fs, Directories(), resources);
  }
};

TEST_F(V1ResourcesTest, MemoryLimitsInRuncsOrder) {
  MakeHost();
  MakeDirectories();
  tree_->ClearWrites();
  // Lowering from unlimited: the limit first, then memory+swap.
  ASSERT_THAT(Apply(ParseResources(R"pb(
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
  ASSERT_THAT(Apply(ParseResources("memory { limit: 268435456 swap: 536870912 }")),
              IsOk());
  EXPECT_THAT(tree_->writes(), ElementsAre(Pair(dir + "/memory.memsw.limit_in_bytes", "536870912"),
                                           Pair(dir + "/memory.limit_in_bytes", "268435456")));

  // Unlimited memory makes memory+swap unlimited, first.
  tree_->ClearWrites();
  ASSERT_THAT(Apply(ParseResources("memory { limit: -1 }")), IsOk());
  EXPECT_THAT(tree_->writes(), ElementsAre(Pair(dir + "/memory.memsw.limit_in_bytes", "-1"),
                                           Pair(dir + "/memory.limit_in_bytes", "-1")));
}

TEST_F(V1ResourcesTest, MemoryLimitBelowUsage) {
  MakeHost();
  MakeDirectories();
  Set("memory", "memory.usage_in_bytes", "5000000\n");
  Set("memory", "memory.max_usage_in_bytes", "6000000\n");
  tree_->FailWrites(File("memory", "memory.limit_in_bytes"),
                    absl::FailedPreconditionError("write: Device or resource busy"));
  EXPECT_THAT(Apply(ParseResources("memory { limit: 1000000 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("unable to set memory limit to 1000000 (current usage: 5000000, "
                                 "peak usage: 6000000)")));

  tree_->ClearFailures();
  tree_->ClearWrites();
  EXPECT_THAT(Apply(ParseResources("memory { limit: 1000000 check_before_update: true }")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("rejecting memory limit")));
  EXPECT_THAT(tree_->writes(), IsEmpty());
}

// Deprecated, and ignored with a warning as runc does: only the limit is
// written.
TEST_F(V1ResourcesTest, KernelMemoryIsIgnored) {
  MakeHost();
  MakeDirectories();
  tree_->ClearWrites();
  EXPECT_THAT(Apply(ParseResources("memory { limit: 1000000 kernel: 1000000 }")), IsOk());
  for (const auto& [file, value] : tree_->writes()) {
    EXPECT_THAT(file, ::testing::Not(HasSubstr("kmem"))) << "memory.kernel must not be written";
  }
}

TEST_F(V1ResourcesTest, MemoryThisHostCannotApply) {
  MakeHost();
  MakeDirectories();
  tree_->ClearWrites();
  EXPECT_THAT(Apply(ParseResources("memory { swappiness: 101 }")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("swappiness range is 0-100")));
  ASSERT_THAT(tree_->RemoveFile(File("memory", "memory.memsw.limit_in_bytes")), IsOk());
  EXPECT_THAT(Apply(ParseResources("memory { limit: 1000000 swap: 2000000 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("swap accounting is off (no memory.memsw.limit_in_bytes): not supported")));
  // Nothing was written by the refused ones; unlimited needs no swap file.
  EXPECT_THAT(tree_->writes(), IsEmpty());
  EXPECT_THAT(Apply(ParseResources("memory { limit: -1 }")), IsOk());
  EXPECT_THAT(tree_->writes(), ElementsAre(Pair(File("memory", "memory.limit_in_bytes"), "-1")));
}

TEST_F(V1ResourcesTest, CpuAndCpuset) {
  MakeHost();
  MakeDirectories();
  tree_->ClearWrites();
  ASSERT_THAT(Apply(ParseResources(R"pb(
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

TEST_F(V1ResourcesTest, CpuPeriodRefusedUntilTheQuotaIsSet) {
  MakeHost();
  MakeDirectories();
  tree_->ClearWrites();
  tree_->FailWrites(File("cpu", "cpu.cfs_period_us"), absl::InvalidArgumentError("EINVAL"), 1);
  ASSERT_THAT(Apply(ParseResources("cpu { period: 10000 quota: 5000 }")), IsOk());
  EXPECT_THAT(tree_->writes(), ElementsAre(Pair(File("cpu", "cpu.cfs_quota_us"), "5000"),
                                           Pair(File("cpu", "cpu.cfs_period_us"), "10000")));
  // Without a quota to set, the refusal is final.
  tree_->FailWrites(File("cpu", "cpu.cfs_period_us"), absl::InvalidArgumentError("EINVAL"), 1);
  EXPECT_THAT(Apply(ParseResources("cpu { period: 10000 }")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("EINVAL")));
}

TEST_F(V1ResourcesTest, CpuSharesTheKernelClamps) {
  MakeHost();
  MakeDirectories();
  tree_->QueueReads(File("cpu", "cpu.shares"), {"262144\n"});
  EXPECT_THAT(Apply(ParseResources("cpu { shares: 500000 }")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("the maximum allowed cpu-shares is 262144")));
  tree_->QueueReads(File("cpu", "cpu.shares"), {"2\n"});
  EXPECT_THAT(Apply(ParseResources("cpu { shares: 1 }")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("the minimum allowed cpu-shares is 2")));
}

TEST_F(V1ResourcesTest, Pids) {
  MakeHost();
  MakeDirectories();
  tree_->ClearWrites();
  ASSERT_THAT(Apply(ParseResources("pids { limit: 10 }")), IsOk());
  ASSERT_THAT(Apply(ParseResources("pids { limit: 0 }")), IsOk());
  ASSERT_THAT(Apply(ParseResources("pids { limit: -1 }")), IsOk());
  ASSERT_THAT(Apply(ParseResources("pids {}")), IsOk());
  EXPECT_THAT(tree_->WritesTo(File("pids", "pids.max")), ElementsAre("10", "max", "max"));
}

TEST_F(V1ResourcesTest, BlockIoOnBfqAndCfq) {
  MakeHost();
  MakeDirectories();
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
  ASSERT_THAT(Apply(resources), IsOk());
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
  ASSERT_THAT(Apply(ParseResources(
                  "block_io { weight: 100 weight_device { major: 8 minor: 0 weight: 10 } }")),
              IsOk());
  EXPECT_THAT(tree_->writes(), ElementsAre(Pair(dir + "/blkio.weight", "100"),
                                           Pair(dir + "/blkio.weight_device", "8:0 10")));

  tree_->ClearWrites();
  EXPECT_THAT(Apply(ParseResources("block_io { leaf_weight: 100 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.resources.blockIO.leafWeight: this kernel has no "
                                 "blkio.leaf_weight: not supported")));
  ASSERT_THAT(tree_->RemoveFile(File("blkio", "blkio.weight")), IsOk());
  ASSERT_THAT(tree_->RemoveFile(File("blkio", "blkio.bfq.weight")), IsOk());
  EXPECT_THAT(Apply(ParseResources("block_io { weight: 100 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no CFQ or BFQ")));
  EXPECT_THAT(tree_->writes(), IsEmpty());
}

TEST_F(V1ResourcesTest, EmptyResourcesAskNothingOfAbsentControllers) {
  MakeHost({.mode = CgroupMode::kV1, .v1_hierarchies = {{"devices"}}});
  MakeDirectories();
  tree_->ClearWrites();
  EXPECT_THAT(Apply(ParseResources("memory {} cpu {} pids {} block_io {} network {}")),
              IsOk());
  EXPECT_THAT(tree_->writes(), IsEmpty());
  EXPECT_THAT(Apply(ParseResources("memory { swappiness: 0 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("\"memory\"")));
}

TEST_F(V1ResourcesTest, ControllersThisHostDoesNotMount) {
  MakeHost();
  MakeDirectories();
  tree_->ClearWrites();
  // Each refused before anything is written, even what could be.
  EXPECT_THAT(Apply(ParseResources(
                  R"pb(pids { limit: 5 } hugepage_limits { page_size: "2MB" limit: 2097152 })pb")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.resources.hugepageLimits: the \"hugetlb\" cgroup "
                                 "controller is not mounted on this host: not supported")));
  EXPECT_THAT(Apply(ParseResources("network { class_id: 1 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("\"net_cls\"")));
  EXPECT_THAT(Apply(ParseResources(R"pb(network { priorities { name: "lo" priority: 1 } })pb")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("\"net_prio\"")));
  EXPECT_THAT(Apply(ParseResources(R"pb(rdma { key: "mlx5_0" value { hca_handles: 1 } })pb")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("\"rdma\"")));
  EXPECT_THAT(Apply(ParseResources(R"pb(unified { key: "memory.high" value: "1000" })pb")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("unified resources require cgroup v2")));
  EXPECT_THAT(tree_->writes(), IsEmpty());
}

TEST_F(V1ResourcesTest, HugetlbNetworkAndRdmaWhereMounted) {
  MakeHost({.mode = CgroupMode::kV1,
            .v1_hierarchies = {{"hugetlb"}, {"net_cls", "net_prio"}, {"rdma"}}});
  MakeDirectories();
  tree_->ClearWrites();
  ASSERT_THAT(Apply(ParseResources(R"pb(
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
  EXPECT_THAT(Apply(ParseResources(R"pb(hugepage_limits { page_size: "3MB" limit: 1 })pb")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no \"3MB\" huge pages")));
}

TEST_F(V1ResourcesTest, DeviceRulesDenyAllThenInOrder) {
  MakeHost();
  MakeDirectories();
  tree_->ClearWrites();
  config::Resources resources = ParseResources(R"pb(devices { allow: false access: "rwm" })pb");
  for (const config::DeviceCgroup& rule : DefaultDeviceRules()) *resources.add_devices() = rule;
  *resources.add_devices() =
      ParseResources(R"pb(devices { allow: false type: "c" major: 1 minor: 3 access: "rwm" })pb")
          .devices(0);
  ASSERT_THAT(Apply(resources), IsOk());
  // The first rule is the reset to nothing allowed: not written twice.
  EXPECT_THAT(tree_->WritesTo(File("devices", "devices.deny")),
              ElementsAre("a *:* rwm", "c 1:3 rwm"));
  EXPECT_THAT(tree_->WritesTo(File("devices", "devices.allow")),
              ElementsAre("c *:* m", "b *:* m", "c 1:3 rwm", "c 1:8 rwm", "c 1:7 rwm", "c 5:0 rwm",
                          "c 1:5 rwm", "c 1:9 rwm", "c 136:* rwm", "c 5:2 rwm", "c 10:200 rwm"));
  // The last rule came after every allow.
  EXPECT_THAT(tree_->writes().back(), Pair(File("devices", "devices.deny"), "c 1:3 rwm"));

  // Rules that do not start by denying everything are applied from that reset.
  tree_->ClearWrites();
  ASSERT_THAT(Apply(ParseResources(R"pb(
                devices { allow: true type: "c" major: 1 minor: 3 access: "rwm" }
                devices { allow: false type: "c" major: 1 minor: 3 access: "w" }
              )pb")),
              IsOk());
  EXPECT_THAT(tree_->writes(),
              ElementsAre(Pair(File("devices", "devices.deny"), "a"),
                          Pair(File("devices", "devices.allow"), "c 1:3 rwm"),
                          Pair(File("devices", "devices.deny"), "c 1:3 w")));

  tree_->ClearWrites();
  EXPECT_THAT(Apply(ParseResources(R"pb(devices { allow: true type: "x" access: "r" })pb")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("linux.resources.devices[0].type")));
  EXPECT_THAT(tree_->writes(), IsEmpty());
}

}  // namespace
}  // namespace hull::cgroups
