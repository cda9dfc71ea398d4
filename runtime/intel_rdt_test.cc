#include "runtime/intel_rdt.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "statemachine/state.pb.h"
#include "testing/fake_resctrl.h"
#include "testing/status_matchers.h"

namespace hull::runtime {
namespace {

using ::hull::testing::FakeResctrlFs;
using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class IntelRdtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host_.fs = &fs_;
    host_.root = absl::StrCat(std::getenv("TEST_TMPDIR"), "/resctrl-",
                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    testing::MakeFakeResctrlRoot(host_.root);
    state_.set_id("web");
  }

  FakeResctrlFs fs_;
  ResctrlHost host_;
  statemachine::ContainerState state_;
};

TEST_F(IntelRdtTest, AContainersGroupOverItsLife) {
  config::IntelRdt& rdt = *state_.mutable_config()->mutable_linux()->mutable_intel_rdt();
  rdt.set_l3_cache_schema("L3:0=f0");
  rdt.set_enable_monitoring(true);
  ASSERT_THAT(CreateIntelRdt(state_, host_), IsOk());
  EXPECT_EQ(Read(host_.root + "/web/schemata"), "L3:0=f0\n");
  ASSERT_THAT(JoinIntelRdt(state_, 321, host_), IsOk());
  EXPECT_EQ(Read(host_.root + "/web/tasks"), "321");
  EXPECT_EQ(Read(host_.root + "/web/mon_groups/web/tasks"), "321");

  config::IntelRdt update = rdt;
  update.set_l3_cache_schema("L3:0=3");
  ASSERT_THAT(UpdateIntelRdt(state_, update, host_), IsOk());
  EXPECT_EQ(Read(host_.root + "/web/schemata"), "L3:0=3\n");

  cgroups::Stats stats;
  ASSERT_THAT(AddIntelRdtStats(state_, stats, host_), IsOk());
  EXPECT_EQ(stats.intel_rdt().l3_cache_schema(), "L3:0=3");
  ASSERT_EQ(stats.intel_rdt().cmt_stats_size(), 1);
  EXPECT_EQ(stats.intel_rdt().cmt_stats(0).llc_occupancy(), 4096u);

  ASSERT_THAT(RemoveIntelRdt(state_, host_), IsOk());
  EXPECT_FALSE(std::filesystem::exists(host_.root + "/web"));
}

TEST_F(IntelRdtTest, WithoutIntelRdtNothingIsReadOrMade) {
  host_.root += "/absent";  // not even there: never looked at
  cgroups::Stats stats;
  EXPECT_THAT(CreateIntelRdt(state_, host_), IsOk());
  EXPECT_THAT(JoinIntelRdt(state_, 321, host_), IsOk());
  EXPECT_THAT(AddIntelRdtStats(state_, stats, host_), IsOk());
  EXPECT_FALSE(stats.has_intel_rdt());
  EXPECT_THAT(RemoveIntelRdt(state_, host_), IsOk());
}

TEST_F(IntelRdtTest, WithoutResctrlCreateNamesTheFieldAndRemoveHasNothingToDo) {
  host_.root += "/absent";
  state_.mutable_config()->mutable_linux()->mutable_intel_rdt()->set_mem_bw_schema("MB:0=50");
  EXPECT_THAT(CreateIntelRdt(state_, host_),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("linux.intelRdt")));
  EXPECT_THAT(RemoveIntelRdt(state_, host_), IsOk());
}

}  // namespace
}  // namespace hull::runtime
