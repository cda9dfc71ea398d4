#include "cgroups/stat_files.h"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "cgroups/cgroupfs.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(ParseUintTest, NumbersAndMax) {
  EXPECT_THAT(ParseUint("1024\n", "cpu.shares"), IsOkAndHolds(1024u));
  EXPECT_THAT(ParseUint("max\n", "pids.max"), IsOkAndHolds(std::numeric_limits<uint64_t>::max()));
  EXPECT_THAT(ParseUint("-1\n", "cpu.cfs_quota_us"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("malformed cpu.cfs_quota_us: \"-1\"")));
}

TEST(ReadUintFileTest, ReadsAndParsesNamingTheFile) {
  const std::string dir = std::getenv("TEST_TMPDIR");
  std::ofstream(dir + "/pids.max") << "max\n";
  std::ofstream(dir + "/pids.current") << "three\n";
  LinuxCgroupFs fs;
  EXPECT_THAT(ReadUintFile(fs, dir + "/pids.max"), IsOkAndHolds(std::numeric_limits<uint64_t>::max()));
  EXPECT_THAT(ReadUintFile(fs, dir + "/pids.current"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("malformed " + dir + "/pids.current")));
  EXPECT_THAT(ReadUintFile(fs, dir + "/missing"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(dir + "/missing")));
}

TEST(ParseKeyValuesTest, FlatKeyed) {
  EXPECT_THAT(ParseKeyValues("nr_periods 3\nnr_throttled 2\n\n", "cpu.stat"),
              IsOkAndHolds(ElementsAre(Pair("nr_periods", 3u), Pair("nr_throttled", 2u))));
  EXPECT_THAT(ParseKeyValues("cache x\n", "memory.stat"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("cache x")));
}

TEST(ParseUintListTest, PerCpu) {
  EXPECT_THAT(ParseUintList("12 34 \n", "cpuacct.usage_percpu"), IsOkAndHolds(ElementsAre(12u, 34u)));
  EXPECT_THAT(ParseUintList("\n", "f"), IsOkAndHolds(IsEmpty()));
}

TEST(ParseCpuListTest, Ranges) {
  EXPECT_THAT(ParseCpuList("0-2,5\n", "cpuset.cpus"), IsOkAndHolds(ElementsAre(0u, 1u, 2u, 5u)));
  EXPECT_THAT(ParseCpuList("\n", "cpuset.cpus"), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(ParseCpuList("3-1", "cpuset.cpus"), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("3-1")));
  EXPECT_THAT(ParseCpuList("0-", "cpuset.cpus"), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("0-")));
  EXPECT_THAT(ParseCpuList("0-4000000000", "cpuset.cpus"), StatusIs(absl::StatusCode::kDataLoss, ::testing::_));
}

TEST(ParseBlkioEntriesTest, WithAndWithoutOp) {
  absl::StatusOr<std::vector<BlkioEntry>> entries = ParseBlkioEntries(
      "8:0 Read 4096\n8:0 Write 0\n253:1 7\nTotal 4096\n", "blkio.io_service_bytes_recursive");
  ASSERT_THAT(entries, IsOk());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].major(), 8u);
  EXPECT_EQ((*entries)[0].op(), "Read");
  EXPECT_EQ((*entries)[0].value(), 4096u);
  EXPECT_EQ((*entries)[2].major(), 253u);
  EXPECT_EQ((*entries)[2].minor(), 1u);
  EXPECT_EQ((*entries)[2].op(), "");
  EXPECT_EQ((*entries)[2].value(), 7u);
  EXPECT_THAT(ParseBlkioEntries("sda Read 1\n", "f"), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("sda")));
}

}  // namespace
}  // namespace hull::cgroups
