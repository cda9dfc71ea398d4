#include "cgroups/v2_stats.h"

#include <sys/stat.h>

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "cgroups/cgroupfs.h"
#include "cgroups/layout.h"
#include "cgroups/stats.pb.h"
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
using ::testing::HasSubstr;

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

// A v2 tree whose root enables `controllers`, with the cgroup "c" below it.
class V2StatsTest : public ::testing::Test {
 protected:
  void MakeCgroup(const std::string& controllers) {
    const std::string dir = absl::StrCat(std::getenv("TEST_TMPDIR"), "/",
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
    absl::StatusOr<std::unique_ptr<FakeCgroupfs>> tree =
        FakeCgroupfs::Create(dir, {.mode = CgroupMode::kV2});
    ASSERT_THAT(tree, IsOk());
    tree_ = *std::move(tree);
    fs_ = tree_->NewFs();
    ASSERT_THAT(fs_->WriteFile(tree_->root() + "/cgroup.subtree_control", controllers), IsOk());
    cgroup_ = tree_->root() + "/c";
    ASSERT_THAT(fs_->MakeDirectory(cgroup_), IsOk());
  }

  void Set(const std::string& file, const std::string& contents) {
    ASSERT_THAT(tree_->SetContents(cgroup_ + "/" + file, contents), IsOk());
  }

  std::unique_ptr<FakeCgroupfs> tree_;
  std::unique_ptr<CgroupFs> fs_;
  std::string cgroup_;
};

TEST_F(V2StatsTest, CpuInNanoseconds) {
  MakeCgroup("+cpu");
  Set("cpu.stat",
      "usage_usec 3000\nuser_usec 2000\nsystem_usec 1000\nnr_periods 50\nnr_throttled 7\n"
      "throttled_usec 900\nnr_bursts 0\nburst_usec 0\n");
  Set("cpu.pressure",
      "some avg10=1.50 avg60=0.25 avg300=0.00 total=1234\nfull avg10=0.00 avg60=0.00 "
      "avg300=0.00 total=5\n");
  const absl::StatusOr<Stats> stats = ReadV2Stats(*fs_, cgroup_, {});
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->cpu().usage().total(), 3000000u);
  EXPECT_EQ(stats->cpu().usage().user(), 2000000u);
  EXPECT_EQ(stats->cpu().usage().kernel(), 1000000u);
  EXPECT_EQ(stats->cpu().throttling().periods(), 50u);
  EXPECT_EQ(stats->cpu().throttling().throttled_periods(), 7u);
  EXPECT_EQ(stats->cpu().throttling().throttled_time(), 900000u);
  EXPECT_DOUBLE_EQ(stats->cpu().psi().some().avg10(), 1.5);
  EXPECT_DOUBLE_EQ(stats->cpu().psi().some().avg60(), 0.25);
  EXPECT_EQ(stats->cpu().psi().some().total(), 1234u);
  EXPECT_EQ(stats->cpu().psi().full().total(), 5u);
  // No memory, pids or io controller: nothing of theirs.
  EXPECT_FALSE(stats->has_memory());
  EXPECT_FALSE(stats->has_pids());
  EXPECT_FALSE(stats->has_blkio());
}

TEST_F(V2StatsTest, MemoryAsRuncReportsIt) {
  MakeCgroup("+memory");
  Set("memory.current", "4096\n");
  Set("memory.max", "1048576\n");
  Set("memory.peak", "8192\n");
  Set("memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n");
  Set("memory.swap.current", "100\n");
  Set("memory.swap.max", "2000\n");
  Set("memory.stat", "anon 1000\nfile 3000\nkernel 96\n");
  const absl::StatusOr<Stats> stats = ReadV2Stats(*fs_, cgroup_, {});
  ASSERT_THAT(stats, IsOk());
  const Memory& memory = stats->memory();
  EXPECT_EQ(memory.usage().usage(), 4096u);
  EXPECT_EQ(memory.usage().limit(), 1048576u);
  EXPECT_EQ(memory.usage().max(), 8192u);
  EXPECT_EQ(memory.usage().failcnt(), 3u);
  // Memory plus swap, as v1's memsw.
  EXPECT_EQ(memory.swap().usage(), 4196u);
  EXPECT_EQ(memory.swap().limit(), 1050576u);
  EXPECT_EQ(memory.cache(), 3000u);
  EXPECT_EQ(memory.raw().at("anon"), 1000u);
  EXPECT_EQ(memory.raw().at("kernel"), 96u);
  EXPECT_EQ(memory.raw().size(), 3u);
}

TEST_F(V2StatsTest, UnlimitedMemoryAndNoSwapAccounting) {
  MakeCgroup("+memory");
  // The fake's defaults: memory.max and memory.swap.max are "max".
  absl::StatusOr<Stats> stats = ReadV2Stats(*fs_, cgroup_, {});
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->memory().usage().limit(), kMax);
  EXPECT_EQ(stats->memory().swap().limit(), kMax);

  Set("memory.max", "1000\n");
  stats = ReadV2Stats(*fs_, cgroup_, {});
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->memory().swap().limit(), kMax);

  ASSERT_THAT(tree_->RemoveFile(cgroup_ + "/memory.swap.current"), IsOk());
  ASSERT_THAT(tree_->RemoveFile(cgroup_ + "/memory.swap.max"), IsOk());
  ASSERT_THAT(tree_->RemoveFile(cgroup_ + "/memory.peak"), IsOk());
  stats = ReadV2Stats(*fs_, cgroup_, {});
  ASSERT_THAT(stats, IsOk());
  EXPECT_FALSE(stats->memory().has_swap());
  EXPECT_EQ(stats->memory().usage().max(), 0u);
}

TEST_F(V2StatsTest, PidsLimitMaxIsZero) {
  MakeCgroup("+pids");
  Set("pids.current", "3\n");
  absl::StatusOr<Stats> stats = ReadV2Stats(*fs_, cgroup_, {});
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->pids().current(), 3u);
  EXPECT_EQ(stats->pids().limit(), 0u);
  Set("pids.max", "64\n");
  stats = ReadV2Stats(*fs_, cgroup_, {});
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->pids().limit(), 64u);
}

TEST_F(V2StatsTest, IoStatAsServiceBytesAndServiced) {
  MakeCgroup("+io");
  Set("io.stat",
      "8:0 rbytes=1024 wbytes=2048 rios=3 wios=4 dbytes=0 dios=0\n"
      "253:1 rbytes=5 wbytes=6 rios=7 wios=8 dbytes=9 dios=10\n");
  const absl::StatusOr<Stats> stats = ReadV2Stats(*fs_, cgroup_, {});
  ASSERT_THAT(stats, IsOk());
  const Blkio& blkio = stats->blkio();
  ASSERT_EQ(blkio.io_service_bytes_recursive_size(), 4);
  ASSERT_EQ(blkio.io_serviced_recursive_size(), 4);
  EXPECT_EQ(blkio.io_service_bytes_recursive(0).major(), 8u);
  EXPECT_EQ(blkio.io_service_bytes_recursive(0).minor(), 0u);
  EXPECT_EQ(blkio.io_service_bytes_recursive(0).op(), "Read");
  EXPECT_EQ(blkio.io_service_bytes_recursive(0).value(), 1024u);
  EXPECT_EQ(blkio.io_service_bytes_recursive(1).op(), "Write");
  EXPECT_EQ(blkio.io_service_bytes_recursive(1).value(), 2048u);
  EXPECT_EQ(blkio.io_serviced_recursive(1).value(), 4u);
  EXPECT_EQ(blkio.io_serviced_recursive(3).major(), 253u);
  EXPECT_EQ(blkio.io_serviced_recursive(3).minor(), 1u);
  EXPECT_EQ(blkio.io_serviced_recursive(3).op(), "Write");
  EXPECT_EQ(blkio.io_serviced_recursive(3).value(), 8u);
  EXPECT_EQ(blkio.io_queue_recursive_size(), 0);
}

TEST_F(V2StatsTest, HugetlbPerPageSize) {
  MakeCgroup("+hugetlb");
  Set("hugetlb.2MB.current", "4194304\n");
  Set("hugetlb.2MB.events", "max 2\n");
  const absl::StatusOr<Stats> stats = ReadV2Stats(*fs_, cgroup_, {"2MB", "1GB", "64KB"});
  ASSERT_THAT(stats, IsOk());
  ASSERT_EQ(stats->hugetlb().size(), 2u);
  EXPECT_EQ(stats->hugetlb().at("2MB").usage(), 4194304u);
  EXPECT_EQ(stats->hugetlb().at("2MB").failcnt(), 2u);
  EXPECT_EQ(stats->hugetlb().at("2MB").max(), 0u);
  EXPECT_EQ(stats->hugetlb().at("1GB").usage(), 0u);
}

TEST_F(V2StatsTest, MalformedFilesAreErrorsNamingThem) {
  MakeCgroup("+io +pids");
  Set("io.stat", "8:0 rbytes=x\n");
  EXPECT_THAT(ReadV2Stats(*fs_, cgroup_, {}),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(cgroup_ + "/io.stat")));
  Set("io.stat", "");
  Set("pids.current", "three\n");
  EXPECT_THAT(ReadV2Stats(*fs_, cgroup_, {}),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(cgroup_ + "/pids.current")));
}

TEST(ParsePressureTest, SomeAndFull) {
  EXPECT_THAT(ParsePressure("some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", "x.pressure"),
              IsOk());
  EXPECT_THAT(ParsePressure("many avg10=0.00\n", "/c/x.pressure"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("/c/x.pressure")));
  EXPECT_THAT(ParsePressure("some avg10=zero\n", "x.pressure"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("avg10=zero")));
}

}  // namespace
}  // namespace hull::cgroups
