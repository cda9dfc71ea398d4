#include "cgroups/resctrl.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/fake_resctrl.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::FakeResctrlFs;
using ::hull::testing::IsOk;
using ::hull::testing::MakeFakeResctrlRoot;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class ResctrlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = absl::StrCat(std::getenv("TEST_TMPDIR"), "/resctrl-",
                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    MakeFakeResctrlRoot(root_);
  }

  absl::StatusOr<Resctrl> Open(const config::IntelRdt& rdt) {
    return Resctrl::Open(fs_, rdt, "web", root_);
  }

  FakeResctrlFs fs_;
  std::string root_;
};

TEST_F(ResctrlTest, AbsentResctrlIsAnErrorNamingTheField) {
  LinuxCgroupFs fs;
  const std::string empty = absl::StrCat(std::getenv("TEST_TMPDIR"), "/no-resctrl");
  std::filesystem::create_directories(empty);  // as /sys/fs/resctrl is, unmounted
  EXPECT_FALSE(ResctrlMounted(fs, empty));
  EXPECT_THAT(Resctrl::Open(fs, config::IntelRdt(), "web", empty).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("linux.intelRdt: Intel RDT needs the resctrl filesystem")));
  EXPECT_TRUE(ResctrlMounted(fs_, root_));
}

TEST_F(ResctrlTest, AGroupPerContainerWithItsSchemataAndTheInit) {
  config::IntelRdt rdt;
  rdt.set_l3_cache_schema("L3:0=f0;1=f");
  rdt.set_mem_bw_schema("MB:0=20;1=70");
  absl::StatusOr<Resctrl> resctrl = Open(rdt);
  ASSERT_THAT(resctrl.status(), IsOk());
  EXPECT_EQ(resctrl->group(), root_ + "/web");
  ASSERT_THAT(resctrl->Create(rdt), IsOk());
  EXPECT_EQ(Read(root_ + "/web/schemata"), "L3:0=f0;1=f\nMB:0=20;1=70\n");
  ASSERT_THAT(resctrl->AddProcess(4242), IsOk());
  EXPECT_EQ(Read(root_ + "/web/tasks"), "4242");
  EXPECT_FALSE(std::filesystem::exists(root_ + "/web/mon_groups/web"));

  absl::StatusOr<IntelRdt> stats = resctrl->Stats();
  ASSERT_THAT(stats.status(), IsOk());
  EXPECT_EQ(stats->l3_cache_schema(), "L3:0=f0;1=f");
  EXPECT_EQ(stats->l3_cache_schema_root(), "L3:0=fff;1=fff");
  EXPECT_EQ(stats->mem_bw_schema(), "MB:0=20;1=70");
  EXPECT_EQ(stats->l3_cache_info().cbm_mask(), "fff");
  EXPECT_EQ(stats->l3_cache_info().min_cbm_bits(), 2u);
  EXPECT_EQ(stats->l3_cache_info().num_closids(), 16u);
  EXPECT_EQ(stats->mem_bw_info().min_bandwidth(), 10u);
  EXPECT_EQ(stats->mem_bw_info().bandwidth_gran(), 10u);
  EXPECT_TRUE(stats->cmt_stats().empty());

  ASSERT_THAT(resctrl->Remove(), IsOk());
  EXPECT_FALSE(std::filesystem::exists(root_ + "/web"));
  EXPECT_THAT(resctrl->Remove(), IsOk());  // gone already
}

TEST_F(ResctrlTest, SchemataLinesAreWrittenTogether) {
  config::IntelRdt rdt;
  rdt.set_schemata("L3:0=ff\nMB:1=50\n");
  absl::StatusOr<Resctrl> resctrl = Open(rdt);
  ASSERT_THAT(resctrl.status(), IsOk());
  ASSERT_THAT(resctrl->Create(rdt), IsOk());
  EXPECT_EQ(Read(root_ + "/web/schemata"), "L3:0=ff\nMB:1=50\n");
  config::IntelRdt update;
  update.set_l3_cache_schema("L3:0=3");
  ASSERT_THAT(resctrl->Update(update), IsOk());
  EXPECT_EQ(Read(root_ + "/web/schemata"), "L3:0=3\n");
}

TEST_F(ResctrlTest, ANamedClosIdIsSharedAndKeptMonitoringGroupsAreNot) {
  config::IntelRdt rdt;
  rdt.set_clos_id("guaranteed");
  rdt.set_enable_monitoring(true);
  ASSERT_TRUE(std::filesystem::create_directory(root_ + "/guaranteed"));  // someone else's
  Write(root_ + "/guaranteed/tasks", "");
  Write(root_ + "/guaranteed/schemata", "L3:0=fff\n");
  std::filesystem::create_directory(root_ + "/guaranteed/mon_groups");
  absl::StatusOr<Resctrl> resctrl = Open(rdt);
  ASSERT_THAT(resctrl.status(), IsOk());
  EXPECT_EQ(resctrl->group(), root_ + "/guaranteed");
  EXPECT_EQ(resctrl->monitor(), root_ + "/guaranteed/mon_groups/web");
  ASSERT_THAT(resctrl->Create(rdt), IsOk());
  EXPECT_EQ(Read(root_ + "/guaranteed/schemata"), "L3:0=fff\n");  // no schemata: left alone
  ASSERT_THAT(resctrl->AddProcess(77), IsOk());
  EXPECT_EQ(Read(root_ + "/guaranteed/tasks"), "77");
  EXPECT_EQ(Read(root_ + "/guaranteed/mon_groups/web/tasks"), "77");

  absl::StatusOr<IntelRdt> stats = resctrl->Stats();
  ASSERT_THAT(stats.status(), IsOk());
  ASSERT_EQ(stats->cmt_stats_size(), 1);
  EXPECT_EQ(stats->cmt_stats(0).llc_occupancy(), 4096u);
  ASSERT_EQ(stats->mbm_stats_size(), 1);
  EXPECT_EQ(stats->mbm_stats(0).mbm_total_bytes(), 100u);
  EXPECT_EQ(stats->mbm_stats(0).mbm_local_bytes(), 60u);

  ASSERT_THAT(resctrl->Remove(), IsOk());
  EXPECT_FALSE(std::filesystem::exists(root_ + "/guaranteed/mon_groups/web"));
  EXPECT_TRUE(std::filesystem::exists(root_ + "/guaranteed"));
}

TEST_F(ResctrlTest, SchemataAreCheckedAgainstInfo) {
  struct Case {
    const char* l3;
    const char* mb;
    const char* schemata;
    const char* error;
  };
  const Case cases[] = {
      {"L3:0=f0f", "", "", "linux.intelRdt.l3CacheSchema: L3 mask f0f is not contiguous"},
      {"L3:0=1000", "", "", "L3 mask 1000 is not within cbm_mask fff"},
      {"L3:0=8", "", "", "L3 mask 8 has fewer than 2 bits (min_cbm_bits)"},
      {"L3:zero=f", "", "", "\"zero=f\" in \"L3:zero=f\" is not ID=VALUE"},
      {"MB:0=10", "", "", "linux.intelRdt.l3CacheSchema: must start with \"L3\""},
      {"", "MB:0=5", "", "linux.intelRdt.memBwSchema: MB bandwidth 5 is below min_bandwidth 10"},
      {"", "", "L2:0=f", "linux.intelRdt.schemata: resource L2 is not in"},
      {"", "", "nonsense", "\"nonsense\" is not RESOURCE:ID=VALUE"},
  };
  for (const Case& c : cases) {
    config::IntelRdt rdt;
    rdt.set_l3_cache_schema(c.l3);
    rdt.set_mem_bw_schema(c.mb);
    rdt.set_schemata(c.schemata);
    absl::StatusOr<Resctrl> resctrl = Open(rdt);
    ASSERT_THAT(resctrl.status(), IsOk());
    EXPECT_THAT(resctrl->Create(rdt),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.error)))
        << c.l3 << c.mb << c.schemata;
    EXPECT_FALSE(std::filesystem::exists(root_ + "/web")) << "made before it was checked";
  }
}

TEST_F(ResctrlTest, MonitoringNeedsL3Mon) {
  std::filesystem::remove(root_ + "/info/L3_MON");
  config::IntelRdt rdt;
  rdt.set_enable_monitoring(true);
  absl::StatusOr<Resctrl> resctrl = Open(rdt);
  ASSERT_THAT(resctrl.status(), IsOk());
  EXPECT_THAT(resctrl->Create(rdt),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.intelRdt.enableMonitoring: this host has no RDT monitoring")));
}

}  // namespace
}  // namespace hull::cgroups
