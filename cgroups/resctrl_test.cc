#include "cgroups/resctrl.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A resctrl tree on a plain directory, through the real syscalls, with what
// the kernel does on resctrl itself: a new control group gets its `tasks`,
// `schemata` and mon_groups/, a new monitoring group its mon_data/ and
// `tasks`, and rmdir removes a group with all it holds. Writes replace a
// file's contents (as a control file takes each write whole).
class FakeResctrlFs final : public CgroupFs {
 public:
  absl::StatusOr<std::string> ReadFile(const std::string& path) override {
    return real_.ReadFile(path);
  }
  absl::Status WriteFile(const std::string& path, absl::string_view value) override {
    if (!real_.Exists(path)) return real_.WriteFile(path, value);  // the real error
    Write(path, std::string(value));
    return absl::OkStatus();
  }
  bool Exists(const std::string& path) override { return real_.Exists(path); }
  absl::Status MakeDirectory(const std::string& path) override {
    RETURN_IF_ERROR(real_.MakeDirectory(path));
    Write(path + "/tasks", "");
    if (std::filesystem::path(path).parent_path().filename() == "mon_groups") {
      std::filesystem::create_directories(path + "/mon_data/mon_L3_00");
      Write(path + "/mon_data/mon_L3_00/llc_occupancy", "4096\n");
      Write(path + "/mon_data/mon_L3_00/mbm_total_bytes", "100\n");
      Write(path + "/mon_data/mon_L3_00/mbm_local_bytes", "60\n");
    } else {
      Write(path + "/schemata", "L3:0=fff\nMB:0=100\n");
      std::filesystem::create_directory(path + "/mon_groups");
    }
    return absl::OkStatus();
  }
  absl::Status RemoveDirectory(const std::string& path) override {
    if (!real_.Exists(path)) return real_.RemoveDirectory(path);  // the real error
    std::filesystem::remove_all(path);
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<std::string>> ListDirectories(const std::string& path) override {
    return real_.ListDirectories(path);
  }
  absl::StatusOr<UniqueFd> OpenDirectory(const std::string& path) override {
    return real_.OpenDirectory(path);
  }
  absl::StatusOr<UniqueFd> OpenForWriting(const std::string& path) override {
    return real_.OpenForWriting(path);
  }
  absl::Status Kill(pid_t pid, int signal) override { return real_.Kill(pid, signal); }

 private:
  LinuxCgroupFs real_;
};

class ResctrlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = absl::StrCat(std::getenv("TEST_TMPDIR"), "/resctrl-",
                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    // The root group of a host with L3 CAT (12 ways), MBA and monitoring.
    std::filesystem::create_directories(root_ + "/info/L3");
    std::filesystem::create_directories(root_ + "/info/MB");
    std::filesystem::create_directories(root_ + "/info/L3_MON");
    std::filesystem::create_directories(root_ + "/mon_groups");
    Write(root_ + "/schemata", "L3:0=fff;1=fff\nMB:0=100;1=100\n");
    Write(root_ + "/tasks", "");
    Write(root_ + "/info/L3/cbm_mask", "fff\n");
    Write(root_ + "/info/L3/min_cbm_bits", "2\n");
    Write(root_ + "/info/L3/num_closids", "16\n");
    Write(root_ + "/info/MB/bandwidth_gran", "10\n");
    Write(root_ + "/info/MB/delay_linear", "1\n");
    Write(root_ + "/info/MB/min_bandwidth", "10\n");
    Write(root_ + "/info/MB/num_closids", "8\n");
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
