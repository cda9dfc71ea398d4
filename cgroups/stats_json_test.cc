// stats.proto's JSON names are runc's: the "data" of a real `runc events
// --stats` (runc 1.1.5 on this cgroup v1 host) parses into Stats with no
// unknown key, and prints back with the same keys.
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "cgroups/stats.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace hull::cgroups {
namespace {

std::string ReadTestdata(const std::string& name) {
  std::ifstream in("cgroups/testdata/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(StatsJsonTest, RuncsKeysParseStrictly) {
  const std::string json = ReadTestdata("runc_1.1.5_events_stats_v1.json");
  ASSERT_FALSE(json.empty());
  Stats stats;
  google::protobuf::util::JsonParseOptions strict;
  strict.ignore_unknown_fields = false;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &stats, strict).ok());
  EXPECT_EQ(stats.cpu().usage().percpu_size(), 2);
  EXPECT_EQ(stats.cpu().usage().percpu_kernel(0), 4000000u);
  EXPECT_EQ(stats.cpuset().sched_relax_domain_level(), -1);
  EXPECT_EQ(stats.memory().usage().limit(), 67108864u);
  EXPECT_EQ(stats.memory().kernel_tcp().limit(), 9223372036854771712u);
  EXPECT_EQ(stats.memory().raw().at("hierarchical_memory_limit"), 67108864u);
  EXPECT_EQ(stats.pids().limit(), 20u);
}

TEST(StatsJsonTest, PrintsRuncsKeys) {
  Stats stats;
  stats.mutable_cpu()->mutable_usage()->add_percpu_kernel(1);
  stats.mutable_cpu()->mutable_throttling()->set_throttled_periods(2);
  stats.mutable_memory()->mutable_kernel_tcp()->set_limit(3);
  stats.mutable_blkio()->add_io_queue_recursive()->set_op("Read");
  stats.mutable_intel_rdt()->set_l3_cache_schema("L3:0=f");
  NetworkInterface& interface = *stats.add_network_interfaces();
  interface.set_name("eth0");
  interface.set_rx_bytes(4);
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(stats, &json).ok());
  for (const char* key : {"\"percpu_kernel\"", "\"throttledPeriods\"", "\"kernelTCP\"",
                          "\"ioQueueRecursive\"", "\"intel_rdt\"", "\"l3_cache_schema\"",
                          "\"network_interfaces\"", "\"Name\"", "\"RxBytes\""}) {
    EXPECT_NE(json.find(key), std::string::npos) << key << " missing from " << json;
  }
}

}  // namespace
}  // namespace hull::cgroups
