#include "cgroups/v2_conversion.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {

void PrintTo(const V2Write& write, std::ostream* os) {
  *os << "{" << write.file << " = \"" << write.value << "\"";
  if (!write.fallback_file.empty()) {
    *os << " else " << write.fallback_file << " = \"" << write.fallback_value << "\"";
  }
  if (write.optional) *os << " optional";
  if (write.repeated_later) *os << " repeated_later";
  *os << "}";
}

namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

config::Resources Parse(const std::string& text) {
  config::Resources resources;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &resources)) << text;
  return resources;
}

V2Write Write(std::string file, std::string value) {
  return {.file = std::move(file), .value = std::move(value)};
}

TEST(CpuSharesToWeightTest, MapsTheSharesRangeOntoTheWeightRange) {
  EXPECT_EQ(CpuSharesToWeight(2), 1u);
  EXPECT_EQ(CpuSharesToWeight(262144), 10000u);
  // Docker's default 1024 shares: runc and crun both write 39.
  EXPECT_EQ(CpuSharesToWeight(1024), 39u);
  EXPECT_EQ(CpuSharesToWeight(512), 20u);
  EXPECT_EQ(CpuSharesToWeight(100), 4u);
}

TEST(BlkioWeightToIoWeightTest, MapsTheBlkioRangeOntoTheIoRange) {
  EXPECT_EQ(BlkioWeightToIoWeight(10), 1u);
  EXPECT_EQ(BlkioWeightToIoWeight(1000), 10000u);
  EXPECT_EQ(BlkioWeightToIoWeight(500), 4950u);
  EXPECT_EQ(BlkioWeightToIoWeight(100), 910u);
}

TEST(MemorySwapToV2Test, FollowsRuncsRules) {
  // Unlimited memory with swap unset: both unlimited.
  EXPECT_THAT(MemorySwapToV2(0, -1), IsOkAndHolds(-1));
  // -1 and 0 pass through.
  EXPECT_THAT(MemorySwapToV2(-1, 1000), IsOkAndHolds(-1));
  EXPECT_THAT(MemorySwapToV2(0, 1000), IsOkAndHolds(0));
  EXPECT_THAT(MemorySwapToV2(0, 0), IsOkAndHolds(0));
  EXPECT_THAT(MemorySwapToV2(-1, 0), IsOkAndHolds(-1));
  // Unlimited memory: the swap value as is.
  EXPECT_THAT(MemorySwapToV2(3000, -1), IsOkAndHolds(3000));
  // Memory plus swap minus memory.
  EXPECT_THAT(MemorySwapToV2(3000, 1000), IsOkAndHolds(2000));
  EXPECT_THAT(MemorySwapToV2(1000, 1000), IsOkAndHolds(0));
  EXPECT_THAT(MemorySwapToV2(3000, 0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unable to set swap limit without memory limit")));
  EXPECT_THAT(MemorySwapToV2(3000, -5), StatusIs(absl::StatusCode::kInvalidArgument,
                                                 HasSubstr("invalid memory value: -5")));
  EXPECT_THAT(MemorySwapToV2(500, 1000),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("memory+swap limit should be >= memory limit")));
}

TEST(ControllerOfTest, IsThePartBeforeTheFirstDot) {
  EXPECT_EQ(ControllerOf("memory.max"), "memory");
  EXPECT_EQ(ControllerOf("io.bfq.weight"), "io");
  EXPECT_EQ(ControllerOf("hugetlb.2MB.rsvd.max"), "hugetlb");
  EXPECT_EQ(ControllerOf("cgroup.freeze"), "cgroup");
}

TEST(ConvertToV2Test, NothingSetWritesNothing) {
  EXPECT_THAT(ConvertToV2(config::Resources()), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(ConvertToV2(Parse("memory {} cpu {} pids {} block_io {} network {}")),
              IsOkAndHolds(IsEmpty()));
}

TEST(ConvertToV2Test, PidsLimit) {
  EXPECT_THAT(ConvertToV2(Parse("pids { limit: 64 }")),
              IsOkAndHolds(ElementsAre(Write("pids.max", "64"))));
  EXPECT_THAT(ConvertToV2(Parse("pids { limit: 0 }")),
              IsOkAndHolds(ElementsAre(Write("pids.max", "max"))));
  EXPECT_THAT(ConvertToV2(Parse("pids { limit: -1 }")),
              IsOkAndHolds(ElementsAre(Write("pids.max", "max"))));
}

TEST(ConvertToV2Test, MemoryLimitAndReservation) {
  EXPECT_THAT(ConvertToV2(Parse("memory { limit: 1048576 }")),
              IsOkAndHolds(ElementsAre(Write("memory.max", "1048576"))));
  // -1 is unlimited, and takes unset swap along (runc).
  EXPECT_THAT(ConvertToV2(Parse("memory { limit: -1 }")),
              IsOkAndHolds(ElementsAre(
                  V2Write{.file = "memory.swap.max", .value = "max", .optional = true},
                  Write("memory.max", "max"))));
  EXPECT_THAT(ConvertToV2(Parse("memory { reservation: 4096 }")),
              IsOkAndHolds(ElementsAre(Write("memory.low", "4096"))));
  EXPECT_THAT(ConvertToV2(Parse("memory { reservation: -1 }")),
              IsOkAndHolds(ElementsAre(Write("memory.low", "max"))));
  // 0 is "not set" (runc).
  EXPECT_THAT(ConvertToV2(Parse("memory { limit: 0 reservation: 0 swap: 0 }")),
              IsOkAndHolds(IsEmpty()));
}

TEST(ConvertToV2Test, MemorySwapCountsMemoryPlusSwap) {
  EXPECT_THAT(ConvertToV2(Parse("memory { limit: 1000 swap: 3000 }")),
              IsOkAndHolds(ElementsAre(Write("memory.swap.max", "2000"),
                                       Write("memory.max", "1000"))));
  // Swap equal to the limit: no swap.
  EXPECT_THAT(ConvertToV2(Parse("memory { limit: 1000 swap: 1000 }")),
              IsOkAndHolds(ElementsAre(Write("memory.swap.max", "0"),
                                       Write("memory.max", "1000"))));
  EXPECT_THAT(ConvertToV2(Parse("memory { limit: 1000 swap: -1 }")),
              IsOkAndHolds(ElementsAre(
                  V2Write{.file = "memory.swap.max", .value = "max", .optional = true},
                  Write("memory.max", "1000"))));
  EXPECT_THAT(ConvertToV2(Parse("memory { limit: -1 swap: 3000 }")),
              IsOkAndHolds(ElementsAre(Write("memory.swap.max", "3000"),
                                       Write("memory.max", "max"))));
  EXPECT_THAT(ConvertToV2(Parse("memory { swap: 3000 }")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.resources.memory.swap: unable to set swap limit "
                                 "without memory limit")));
  EXPECT_THAT(ConvertToV2(Parse("memory { limit: 3000 swap: 1000 }")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("memory+swap limit should be >= memory limit")));
}

TEST(ConvertToV2Test, MemoryValuesBelowMinusOneAreRefused) {
  EXPECT_THAT(ConvertToV2(Parse("memory { limit: -2 }")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.resources.memory.limit: -2 is neither bytes nor -1")));
  EXPECT_THAT(ConvertToV2(Parse("memory { limit: 10 swap: -7 }")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.resources.memory.swap: -7")));
  EXPECT_THAT(ConvertToV2(Parse("memory { reservation: -3 }")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.resources.memory.reservation: -3")));
}

TEST(ConvertToV2Test, MemorySettingsWithoutAV2FileAreRefusedNamingTheController) {
  for (const char* text : {"memory { kernel_tcp: 100 }",
                           "memory { swappiness: 0 }", "memory { swappiness: 60 }",
                           "memory { disable_oom_killer: true }",
                           "memory { use_hierarchy: false }"}) {
    EXPECT_THAT(ConvertToV2(Parse(text)),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         HasSubstr("not supported on cgroup v2 (memory controller)")))
        << text;
  }
  EXPECT_THAT(ConvertToV2(Parse("memory { swappiness: 10 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.resources.memory.swappiness")));
  EXPECT_THAT(ConvertToV2(Parse("memory { disable_oom_killer: true }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.resources.memory.disableOOMKiller")));
}

// Deprecated, and ignored with a warning as runc does.
TEST(ConvertToV2Test, KernelMemoryIsIgnored) {
  EXPECT_THAT(ConvertToV2(Parse("memory { kernel: 100 }")), IsOkAndHolds(IsEmpty()));
}

TEST(ConvertToV2Test, MemorySettingsV2AlreadyHasAreAccepted) {
  EXPECT_THAT(ConvertToV2(Parse("memory { disable_oom_killer: false use_hierarchy: true "
                                "check_before_update: true }")),
              IsOkAndHolds(IsEmpty()));
}

TEST(ConvertToV2Test, CpuSharesBecomeWeight) {
  EXPECT_THAT(ConvertToV2(Parse("cpu { shares: 1024 }")),
              IsOkAndHolds(ElementsAre(Write("cpu.weight", "39"))));
  EXPECT_THAT(ConvertToV2(Parse("cpu { shares: 0 }")), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(ConvertToV2(Parse("cpu { shares: 1 }")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.resources.cpu.shares: 1 is outside [2, 262144]")));
  EXPECT_THAT(ConvertToV2(Parse("cpu { shares: 262145 }")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("262145")));
}

TEST(ConvertToV2Test, CpuQuotaAndPeriodBecomeCpuMax) {
  EXPECT_THAT(ConvertToV2(Parse("cpu { quota: 50000 period: 200000 }")),
              IsOkAndHolds(ElementsAre(Write("cpu.max", "50000 200000"))));
  // The kernel's default period when none is given.
  EXPECT_THAT(ConvertToV2(Parse("cpu { quota: 50000 }")),
              IsOkAndHolds(ElementsAre(Write("cpu.max", "50000 100000"))));
  // No quota, or a quota of -1: unlimited.
  EXPECT_THAT(ConvertToV2(Parse("cpu { period: 200000 }")),
              IsOkAndHolds(ElementsAre(Write("cpu.max", "max 200000"))));
  EXPECT_THAT(ConvertToV2(Parse("cpu { quota: -1 }")),
              IsOkAndHolds(ElementsAre(Write("cpu.max", "max 100000"))));
  EXPECT_THAT(ConvertToV2(Parse("cpu { quota: 0 period: 0 }")), IsOkAndHolds(IsEmpty()));
}

TEST(ConvertToV2Test, CpuBurstSurroundsCpuMaxSoEitherOrderWorks) {
  EXPECT_THAT(ConvertToV2(Parse("cpu { burst: 1000 }")),
              IsOkAndHolds(ElementsAre(Write("cpu.max.burst", "1000"))));
  EXPECT_THAT(
      ConvertToV2(Parse("cpu { quota: 50000 burst: 20000 }")),
      IsOkAndHolds(ElementsAre(
          V2Write{.file = "cpu.max.burst", .value = "20000", .repeated_later = true},
          Write("cpu.max", "50000 100000"), Write("cpu.max.burst", "20000"))));
}

TEST(ConvertToV2Test, CpuIdleAndCpuset) {
  EXPECT_THAT(ConvertToV2(Parse("cpu { idle: 1 cpus: \"0-1\" mems: \"0\" }")),
              IsOkAndHolds(ElementsAre(Write("cpu.idle", "1"), Write("cpuset.cpus", "0-1"),
                                       Write("cpuset.mems", "0"))));
  EXPECT_THAT(ConvertToV2(Parse("cpu { idle: 0 }")),
              IsOkAndHolds(ElementsAre(Write("cpu.idle", "0"))));
}

TEST(ConvertToV2Test, CpuRealtimeIsRefused) {
  EXPECT_THAT(ConvertToV2(Parse("cpu { realtime_runtime: 950000 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.resources.cpu.realtimeRuntime: not supported on cgroup "
                                 "v2 (cpu controller)")));
  EXPECT_THAT(ConvertToV2(Parse("cpu { realtime_period: 1000000 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.resources.cpu.realtimePeriod")));
  EXPECT_THAT(ConvertToV2(Parse("cpu { realtime_runtime: 0 realtime_period: 0 }")),
              IsOkAndHolds(IsEmpty()));
}

TEST(ConvertToV2Test, BlkioWeightPrefersBfqAndFallsBackToConvertedIoWeight) {
  EXPECT_THAT(ConvertToV2(Parse("block_io { weight: 500 }")),
              IsOkAndHolds(ElementsAre(V2Write{.file = "io.bfq.weight",
                                               .value = "500",
                                               .fallback_file = "io.weight",
                                               .fallback_value = "4950"})));
  EXPECT_THAT(ConvertToV2(Parse("block_io { weight: 0 }")), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(ConvertToV2(Parse("block_io { weight: 5 }")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.resources.blockIO.weight: 5 is outside [10, 1000]")));
  EXPECT_THAT(ConvertToV2(Parse("block_io { weight: 1001 }")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1001")));
}

TEST(ConvertToV2Test, WeightDevicesArePerDeviceLines) {
  EXPECT_THAT(
      ConvertToV2(Parse("block_io { weight_device { major: 8 minor: 0 weight: 100 } "
                        "weight_device { major: 8 minor: 16 weight: 0 } "
                        "weight_device { major: 8 minor: 32 } }")),
      IsOkAndHolds(ElementsAre(V2Write{.file = "io.bfq.weight",
                                       .value = "8:0 100",
                                       .fallback_file = "io.weight",
                                       .fallback_value = "8:0 910"},
                               V2Write{.file = "io.bfq.weight",
                                       .value = "8:16 0",
                                       .fallback_file = "io.weight",
                                       .fallback_value = "8:16 default"})));
  EXPECT_THAT(ConvertToV2(Parse("block_io { weight_device { major: 8 minor: 0 weight: 2 } }")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.resources.blockIO.weightDevice[0].weight: 2")));
  EXPECT_THAT(ConvertToV2(Parse("block_io { weight_device { major: -8 minor: 0 weight: 20 } }")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.resources.blockIO.weightDevice[0]: device -8:0")));
}

TEST(ConvertToV2Test, LeafWeightsAreRefused) {
  EXPECT_THAT(ConvertToV2(Parse("block_io { leaf_weight: 300 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.resources.blockIO.leafWeight: not supported on cgroup "
                                 "v2 (io controller)")));
  EXPECT_THAT(
      ConvertToV2(Parse("block_io { weight_device { major: 8 minor: 0 leaf_weight: 30 } }")),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("linux.resources.blockIO.weightDevice[0].leafWeight")));
}

TEST(ConvertToV2Test, ThrottlesBecomeOneIoMaxLinePerDevice) {
  EXPECT_THAT(ConvertToV2(Parse("block_io { "
                                "throttle_read_bps_device { major: 8 minor: 0 rate: 1048576 } "
                                "throttle_write_bps_device { major: 8 minor: 16 rate: 2048 } "
                                "throttle_write_bps_device { major: 8 minor: 0 rate: 4096 } "
                                "throttle_read_iops_device { major: 8 minor: 0 rate: 100 } "
                                "throttle_write_iops_device { major: 8 minor: 0 rate: 0 } }")),
              IsOkAndHolds(ElementsAre(
                  Write("io.max", "8:0 rbps=1048576 wbps=4096 riops=100 wiops=max"),
                  Write("io.max", "8:16 wbps=2048"))));
  EXPECT_THAT(
      ConvertToV2(Parse("block_io { throttle_write_iops_device { major: 8 minor: -1 rate: 1 } }")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("linux.resources.blockIO.throttleWriteIOPSDevice[0]")));
}

TEST(ConvertToV2Test, HugepageLimitsAndTheirReservations) {
  EXPECT_THAT(ConvertToV2(Parse("hugepage_limits { page_size: \"2MB\" limit: 4194304 } "
                                "hugepage_limits { page_size: \"1GB\" limit: 0 }")),
              IsOkAndHolds(ElementsAre(
                  Write("hugetlb.2MB.max", "4194304"),
                  V2Write{.file = "hugetlb.2MB.rsvd.max", .value = "4194304", .optional = true},
                  Write("hugetlb.1GB.max", "0"),
                  V2Write{.file = "hugetlb.1GB.rsvd.max", .value = "0", .optional = true})));
  for (const char* size : {"", "2M", "MB", "2XB", "../2MB", "2 MB", "x2MB"}) {
    EXPECT_THAT(ConvertToV2(Parse(absl::StrCat("hugepage_limits { page_size: \"", size,
                                               "\" limit: 1 }"))),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("linux.resources.hugepageLimits[0].pageSize")))
        << size;
  }
}

TEST(ConvertToV2Test, RdmaLimitsSortedByDevice) {
  EXPECT_THAT(
      ConvertToV2(Parse("rdma { key: \"mlx5_1\" value { hca_handles: 3 } } "
                        "rdma { key: \"mlx4_0\" value { hca_handles: 2 hca_objects: 1000 } } "
                        "rdma { key: \"mlx4_9\" value { } }")),
      IsOkAndHolds(ElementsAre(Write("rdma.max", "mlx4_0 hca_handle=2 hca_object=1000"),
                               Write("rdma.max", "mlx5_1 hca_handle=3"))));
  EXPECT_THAT(ConvertToV2(Parse("rdma { key: \"mlx4_0 hca_handle=1\" value { hca_objects: 3 } }")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not an RDMA device name")));
}

TEST(ConvertToV2Test, NetworkIsRefusedNamingItsV1Controller) {
  EXPECT_THAT(ConvertToV2(Parse("network { class_id: 1048577 }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.resources.network.classID: not supported on cgroup v2 "
                                 "(net_cls controller)")));
  EXPECT_THAT(ConvertToV2(Parse("network { priorities { name: \"eth0\" priority: 5 } }")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.resources.network.priorities: not supported on cgroup "
                                 "v2 (net_prio controller)")));
}

TEST(ConvertToV2Test, UnifiedKeysComeLastSortedAndOverride) {
  EXPECT_THAT(ConvertToV2(Parse("memory { limit: 1000 } "
                                "unified { key: \"memory.max\" value: \"2000\" } "
                                "unified { key: \"memory.high\" value: \"1500\" } "
                                "unified { key: \"io.max\" value: \"8:0 rbps=1\\n8:16 wbps=2\" } "
                                "unified { key: \"cpu.weight.nice\" value: \"\" }")),
              IsOkAndHolds(ElementsAre(Write("memory.max", "1000"),
                                       Write("io.max", "8:0 rbps=1\n8:16 wbps=2"),
                                       Write("memory.high", "1500"),
                                       Write("memory.max", "2000"))));
}

TEST(ConvertToV2Test, UnifiedKeysMustBeFileNamesOfAController) {
  EXPECT_THAT(ConvertToV2(Parse("unified { key: \"../memory.max\" value: \"1\" }")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unified[\"../memory.max\"]: must be a file name (no slashes)")));
  for (const char* key : {"memory", ".max", "memory.", ".."}) {
    EXPECT_THAT(ConvertToV2(Parse(absl::StrCat("unified { key: \"", key, "\" value: \"1\" }"))),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("must be in the form CONTROLLER.PARAMETER")))
        << key;
  }
}

TEST(ConvertToV2Test, AllResourcesInRuncsOrder) {
  EXPECT_THAT(ConvertToV2(Parse("cpu { shares: 2 cpus: \"0\" } "
                                "hugepage_limits { page_size: \"2MB\" limit: 0 } "
                                "block_io { weight: 10 } memory { limit: 4096 } "
                                "pids { limit: 5 } rdma { key: \"d\" value { hca_handles: 1 } } "
                                "unified { key: \"pids.max\" value: \"6\" } "
                                "devices { allow: false access: \"rwm\" }")),
              IsOkAndHolds(ElementsAre(
                  Write("pids.max", "5"), Write("memory.max", "4096"),
                  V2Write{.file = "io.bfq.weight",
                          .value = "10",
                          .fallback_file = "io.weight",
                          .fallback_value = "1"},
                  Write("cpu.weight", "1"), Write("cpuset.cpus", "0"),
                  Write("hugetlb.2MB.max", "0"),
                  V2Write{.file = "hugetlb.2MB.rsvd.max", .value = "0", .optional = true},
                  Write("rdma.max", "d hca_handle=1"), Write("pids.max", "6"))));
}

TEST(CheckMemoryBeforeUpdateTest, RefusesLimitsAtOrBelowUsage) {
  const config::Memory check = Parse("memory { check_before_update: true }").memory();
  config::Memory memory = check;
  memory.set_limit(1000);
  EXPECT_THAT(CheckMemoryBeforeUpdate(memory, 999), IsOk());
  EXPECT_THAT(CheckMemoryBeforeUpdate(memory, 1000),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("rejecting memory limit 1000 <= usage 1000")));
  memory.set_swap(1500);
  EXPECT_THAT(CheckMemoryBeforeUpdate(memory, 1600),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("rejecting memory+swap limit 1500 <= usage 1600")));
  // Unlimited values are never refused.
  memory = check;
  memory.set_limit(-1);
  memory.set_swap(-1);
  EXPECT_THAT(CheckMemoryBeforeUpdate(memory, 1u << 30), IsOk());
}

TEST(CheckMemoryBeforeUpdateTest, DoesNothingUnlessAsked) {
  config::Memory memory;
  memory.set_limit(1000);
  EXPECT_THAT(CheckMemoryBeforeUpdate(memory, 5000), IsOk());
}

}  // namespace
}  // namespace hull::cgroups
