#include "tools/launcher/stats_event.h"

#include <string>

#include "cgroups/stats.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "tools/launcher/event.pb.h"

namespace hull::launcher {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

// What `runc events --stats` (runc 1.1.5, Debian 12) printed for a busybox
// container sleeping on this cgroup v1 host.
constexpr char kRuncLine[] =
    R"({"type":"stats","id":"probe-c1","data":{"cpu":{"usage":{"total":11187177)"
    R"(,"percpu":[5038815,6148362],"percpu_kernel":[4000000,8000000],"percpu_user":[0,0])"
    R"(,"kernel":10000000,"user":0},"throttling":{}},"cpuset":{"cpus":[0,1])"
    R"(,"cpu_exclusive":0,"mems":[0],"mem_hardwall":0,"mem_exclusive":0,"memory_migrate":0)"
    R"(,"memory_spread_page":0,"memory_spread_slab":0,"memory_pressure":0)"
    R"(,"sched_load_balance":1,"sched_relax_domain_level":-1})"
    R"(,"memory":{"usage":{"limit":9223372036854771712,"usage":712704,"max":2793472)"
    R"(,"failcnt":0},"swap":{"limit":9223372036854771712,"usage":712704,"max":2793472)"
    R"(,"failcnt":0},"kernel":{"limit":9223372036854771712,"usage":548864,"max":606208)"
    R"(,"failcnt":0},"kernelTCP":{"limit":9223372036854771712,"failcnt":0})"
    R"(,"raw":{"active_anon":4096,"active_file":0,"cache":0,"dirty":0)"
    R"(,"hierarchical_memory_limit":9223372036854771712)"
    R"(,"hierarchical_memsw_limit":9223372036854771712,"inactive_anon":20480)"
    R"(,"inactive_file":0,"mapped_file":0,"pgfault":780,"pgmajfault":0,"pgpgin":477)"
    R"(,"pgpgout":465,"rss":49152,"rss_huge":0,"shmem":0,"swap":0,"swapcached":0)"
    R"(,"total_active_anon":4096,"total_active_file":0,"total_cache":0,"total_dirty":0)"
    R"(,"total_inactive_anon":20480,"total_inactive_file":0,"total_mapped_file":0)"
    R"(,"total_pgfault":780,"total_pgmajfault":0,"total_pgpgin":477,"total_pgpgout":465)"
    R"(,"total_rss":49152,"total_rss_huge":0,"total_shmem":0,"total_swap":0)"
    R"(,"total_swapcached":0,"total_unevictable":0,"total_workingset_refault_anon":0)"
    R"(,"total_workingset_refault_file":0,"total_writeback":0,"unevictable":0)"
    R"(,"workingset_refault_anon":0,"workingset_refault_file":0,"writeback":0}})"
    R"(,"pids":{"current":1},"blkio":{},"hugetlb":{},"intel_rdt":{})"
    R"(,"network_interfaces":null}})";

TEST(StatsEventLineTest, WritesBackRuncsOwnLineByteForByte) {
  Event event;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(kRuncLine, &event).ok());
  EXPECT_THAT(StatsEventLine(event.id(), event.data()), IsOkAndHolds(std::string(kRuncLine)));
}

TEST(StatsEventLineTest, EmptyStatsKeepWhatRuncAlwaysPrints) {
  EXPECT_THAT(
      StatsEventLine("c1", cgroups::Stats()),
      IsOkAndHolds(
          R"({"type":"stats","id":"c1","data":{"cpu":{"usage":{"kernel":0,"user":0},)"
          R"("throttling":{}},"cpuset":{"cpu_exclusive":0,"mem_hardwall":0,"mem_exclusive":0,)"
          R"("memory_migrate":0,"memory_spread_page":0,"memory_spread_slab":0,)"
          R"("memory_pressure":0,"sched_load_balance":0,"sched_relax_domain_level":0},)"
          R"("memory":{"usage":{"limit":0,"failcnt":0},"swap":{"limit":0,"failcnt":0},)"
          R"("kernel":{"limit":0,"failcnt":0},"kernelTCP":{"limit":0,"failcnt":0}},)"
          R"("pids":{},"blkio":{},"hugetlb":{},"intel_rdt":{},"network_interfaces":null}})"));
}

TEST(StatsEventLineTest, ZerosOmittedOrPrintedFieldByFieldAsRuncDoes) {
  cgroups::Stats stats;
  cgroups::CpuUsage& usage = *stats.mutable_cpu()->mutable_usage();
  usage.set_total(4961360);
  usage.add_percpu(4961360);
  usage.add_percpu(0);
  usage.set_user(4000000);
  stats.mutable_cpu()->mutable_throttling()->set_throttled_time(12);
  cgroups::PsiData& some = *stats.mutable_cpu()->mutable_psi()->mutable_some();
  some.set_avg10(0.25);
  some.set_total(987654321);
  stats.mutable_cpuset()->set_sched_relax_domain_level(-1);
  stats.mutable_memory()->mutable_usage()->set_limit(18446744073709551615u);
  (*stats.mutable_memory()->mutable_raw())["rss"] = 8192;
  (*stats.mutable_memory()->mutable_raw())["cache"] = 0;
  stats.mutable_pids()->set_current(2);
  cgroups::BlkioEntry& entry = *stats.mutable_blkio()->add_io_service_bytes_recursive();
  entry.set_major(8);
  entry.set_op("Read");
  (*stats.mutable_hugetlb())["2MB"].set_usage(2097152);
  (*stats.mutable_hugetlb())["1GB"];
  stats.mutable_intel_rdt()->add_mbm_stats()->set_mbm_local_bytes(5);
  stats.mutable_intel_rdt()->add_cmt_stats();
  stats.add_network_interfaces()->set_name("eth0");
  EXPECT_THAT(
      StatsEventLine("c2", stats),
      IsOkAndHolds(
          R"({"type":"stats","id":"c2","data":{"cpu":{"usage":{"total":4961360,)"
          R"("percpu":[4961360,0],"kernel":0,"user":4000000},"throttling":{"throttledTime":12},)"
          R"("psi":{"some":{"avg10":0.25,"avg60":0,"avg300":0,"total":987654321},)"
          R"("full":{"avg10":0,"avg60":0,"avg300":0,"total":0}}},)"
          R"("cpuset":{"cpu_exclusive":0,"mem_hardwall":0,"mem_exclusive":0,)"
          R"("memory_migrate":0,"memory_spread_page":0,"memory_spread_slab":0,)"
          R"("memory_pressure":0,"sched_load_balance":0,"sched_relax_domain_level":-1},)"
          R"("memory":{"usage":{"limit":18446744073709551615,"failcnt":0},)"
          R"("swap":{"limit":0,"failcnt":0},"kernel":{"limit":0,"failcnt":0},)"
          R"("kernelTCP":{"limit":0,"failcnt":0},"raw":{"cache":0,"rss":8192}},)"
          R"("pids":{"current":2},"blkio":{"ioServiceBytesRecursive":[{"major":8,"op":"Read"}]},)"
          R"("hugetlb":{"1GB":{"failcnt":0},"2MB":{"usage":2097152,"failcnt":0}},)"
          R"("intel_rdt":{"mbm_stats":[{"mbm_total_bytes":0,"mbm_local_bytes":5}],)"
          R"("cmt_stats":[{"llc_occupancy":0}]},)"
          R"("network_interfaces":[{"Name":"eth0","RxBytes":0,"RxPackets":0,"RxErrors":0,)"
          R"("RxDropped":0,"TxBytes":0,"TxPackets":0,"TxErrors":0,"TxDropped":0}]}})"));
}

TEST(OomEventLineTest, TypeAndIdAndNoData) {
  EXPECT_THAT(OomEventLine("web"), IsOkAndHolds("{\"type\":\"oom\",\"id\":\"web\"}"));
}

TEST(StatsEventLineTest, IdIsAJsonString) {
  EXPECT_THAT(StatsEventLine("a\"b", cgroups::Stats()), IsOkAndHolds(HasSubstr(R"("id":"a\"b",)")));
  EXPECT_THAT(StatsEventLine("\xff", cgroups::Stats()),
              StatusIs(absl::StatusCode::kInvalidArgument, "id: string is not valid UTF-8"));
}

}  // namespace
}  // namespace hull::launcher
