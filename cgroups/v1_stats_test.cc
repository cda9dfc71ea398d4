// ReadV1Stats against a fake cgroup tree (testing/fake_cgroupfs.h).
#include "cgroups/v1_stats.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/layout.h"
#include "cgroups/stats.pb.h"
#include "cgroups/v1_fake_host.h"
#include "gmock/gmock.h"
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
using ::testing::UnorderedElementsAre;

class V1StatsTest : public V1FakeHostTest {
 protected:
  absl::StatusOr<Stats> ReadStats() {
    std::unique_ptr<CgroupFs> fs = tree_->NewFs();
    return ReadV1Stats(*fs, Directories(), hugepages_);
  }
};

TEST_F(V1StatsTest, EveryMountedControllerInRuncsShape) {
  MakeHost({.mode = CgroupMode::kHybrid,
            .v1_hierarchies = {{"cpu", "cpuacct"}, {"cpuset"}, {"memory"}, {"pids"}, {"blkio"},
                               {"hugetlb"}, {"freezer"}}});
  ASSERT_EQ(mkdir((hugepages_ + "/hugepages-2048kB").c_str(), 0755), 0);
  MakeDirectories();
  Set("cpu,cpuacct", "cpu.stat", "nr_periods 10\nnr_throttled 4\nthrottled_time 5000\n");
  Set("cpu,cpuacct", "cpuacct.usage", "123456789\n");
  Set("cpu,cpuacct", "cpuacct.usage_percpu", "100 200 \n");
  Set("cpu,cpuacct", "cpuacct.usage_percpu_sys", "10 20 \n");
  Set("cpu,cpuacct", "cpuacct.usage_percpu_user", "90 180 \n");
  Set("cpu,cpuacct", "cpuacct.stat", "user 7\nsystem 3\n");
  Set("cpuset", "cpuset.cpus", "0-1\n");
  Set("cpuset", "cpuset.mems", "0\n");
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

  absl::StatusOr<Stats> stats = ReadStats();
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

TEST_F(V1StatsTest, ControllersNotMountedAreLeftOut) {
  MakeHost({.mode = CgroupMode::kV1, .v1_hierarchies = {{"devices"}, {"pids"}}});
  MakeDirectories();
  absl::StatusOr<Stats> stats = ReadStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_TRUE(stats->has_pids());
  EXPECT_FALSE(stats->has_cpu());
  EXPECT_FALSE(stats->has_cpuset());
  EXPECT_FALSE(stats->has_memory());
  EXPECT_FALSE(stats->has_blkio());
  EXPECT_THAT(stats->hugetlb(), IsEmpty());
}

// Older kernels have no per-cpu split: the totals alone.
TEST_F(V1StatsTest, CpuacctWithoutPerCpuFiles) {
  MakeHost({.mode = CgroupMode::kV1, .v1_hierarchies = {{"cpu", "cpuacct"}}});
  MakeDirectories();
  Set("cpu,cpuacct", "cpuacct.usage", "500\n");
  ASSERT_THAT(tree_->RemoveFile(File("cpu,cpuacct", "cpuacct.usage_percpu_sys")), IsOk());
  ASSERT_THAT(tree_->RemoveFile(File("cpu,cpuacct", "cpuacct.usage_percpu_user")), IsOk());
  absl::StatusOr<Stats> stats = ReadStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->cpu().usage().total(), 500u);
  EXPECT_THAT(stats->cpu().usage().percpu(), ElementsAre(0u, 0u));
  EXPECT_THAT(stats->cpu().usage().percpu_kernel(), IsEmpty());
  EXPECT_THAT(stats->cpu().usage().percpu_user(), IsEmpty());
}

// memory's own counter is not optional, unlike memsw, kmem and kmem.tcp.
TEST_F(V1StatsTest, MissingMemoryUsageIsAnError) {
  MakeHost({.mode = CgroupMode::kV1, .v1_hierarchies = {{"memory"}}});
  MakeDirectories();
  ASSERT_THAT(tree_->RemoveFile(File("memory", "memory.usage_in_bytes")), IsOk());
  EXPECT_THAT(ReadStats(), StatusIs(absl::StatusCode::kNotFound,
                                    HasSubstr(File("memory", "memory.usage_in_bytes"))));
}

// CFQ's statistics where the kernel has them, else BFQ's, else the
// throttling layer's; a file of the chosen set the kernel lacks is left out.
TEST_F(V1StatsTest, BlkioStatisticsOfCfqElseBfqElseThrottling) {
  MakeHost({.mode = CgroupMode::kV1, .v1_hierarchies = {{"blkio"}}});
  MakeDirectories();
  Set("blkio", "blkio.io_service_bytes_recursive", "8:0 Read 100\nTotal 100\n");
  Set("blkio", "blkio.io_serviced_recursive", "8:0 Read 1\nTotal 1\n");
  Set("blkio", "blkio.bfq.io_service_bytes_recursive", "8:16 Read 200\nTotal 200\n");
  Set("blkio", "blkio.throttle.io_service_bytes_recursive", "8:32 Write 300\nTotal 300\n");
  Set("blkio", "blkio.throttle.io_serviced_recursive", "8:32 Write 3\nTotal 3\n");

  absl::StatusOr<Stats> stats = ReadStats();
  ASSERT_THAT(stats, IsOk());
  ASSERT_EQ(stats->blkio().io_service_bytes_recursive_size(), 1);
  EXPECT_EQ(stats->blkio().io_service_bytes_recursive(0).value(), 100u);
  ASSERT_EQ(stats->blkio().io_serviced_recursive_size(), 1);
  EXPECT_EQ(stats->blkio().io_serviced_recursive(0).value(), 1u);

  ASSERT_THAT(tree_->RemoveFile(File("blkio", "blkio.io_service_bytes_recursive")), IsOk());
  stats = ReadStats();
  ASSERT_THAT(stats, IsOk());
  ASSERT_EQ(stats->blkio().io_service_bytes_recursive_size(), 1);
  EXPECT_EQ(stats->blkio().io_service_bytes_recursive(0).value(), 200u);
  EXPECT_EQ(stats->blkio().io_serviced_recursive_size(), 0);  // BFQ's "Total 0"

  ASSERT_THAT(tree_->RemoveFile(File("blkio", "blkio.bfq.io_service_bytes_recursive")), IsOk());
  stats = ReadStats();
  ASSERT_THAT(stats, IsOk());
  ASSERT_EQ(stats->blkio().io_service_bytes_recursive_size(), 1);
  EXPECT_EQ(stats->blkio().io_service_bytes_recursive(0).op(), "Write");
  EXPECT_EQ(stats->blkio().io_service_bytes_recursive(0).value(), 300u);
  ASSERT_EQ(stats->blkio().io_serviced_recursive_size(), 1);
  EXPECT_EQ(stats->blkio().io_serviced_recursive(0).value(), 3u);

  ASSERT_THAT(tree_->RemoveFile(File("blkio", "blkio.throttle.io_service_bytes_recursive")),
              IsOk());
  stats = ReadStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->blkio().io_service_bytes_recursive_size(), 0);
  EXPECT_EQ(stats->blkio().io_serviced_recursive_size(), 1);
}

}  // namespace
}  // namespace hull::cgroups
