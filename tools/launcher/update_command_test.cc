#include "tools/launcher/update_command.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/status_matchers.h"
#include "tools/launcher/verb_runner.h"

namespace hull::launcher {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::hull::testing::WriteFile;
using ::testing::HasSubstr;

class UpdateCommandTest : public VerbTest {
 protected:
  absl::StatusOr<config::Resources> Update(const config::Resources& current,
                                           std::vector<std::string> args) const {
    args.push_back("web");
    absl::StatusOr<ParsedFlags> flags = ParseCommandArguments(UpdateCommand(), args);
    if (!flags.ok()) return flags.status();
    return UpdatedResources(current, *flags);
  }
  absl::StatusOr<std::optional<config::IntelRdt>> IntelRdt(const config::Linux& current,
                                                           std::vector<std::string> args) const {
    args.push_back("web");
    absl::StatusOr<ParsedFlags> flags = ParseCommandArguments(UpdateCommand(), args);
    if (!flags.ok()) return flags.status();
    return UpdatedIntelRdt(current, *flags);
  }
};

TEST_F(UpdateCommandTest, EachFlagSetsItsField) {
  absl::StatusOr<config::Resources> resources =
      Update({}, {"--memory", "64m", "--memory-swap", "-1", "--memory-reservation", "1G",
                  "--cpu-share", "512", "--cpu-quota", "50000", "--cpu-period", "100000",
                  "--cpu-rt-period", "1000000", "--cpu-rt-runtime", "950000", "--cpuset-cpus",
                  "0-1,3", "--cpuset-mems", "0", "--pids-limit", "20", "--blkio-weight", "300"});
  ASSERT_THAT(resources, IsOk());
  EXPECT_EQ(resources->memory().limit(), 64 << 20);
  EXPECT_EQ(resources->memory().swap(), -1);
  EXPECT_EQ(resources->memory().reservation(), 1 << 30);
  EXPECT_EQ(resources->cpu().shares(), 512u);
  EXPECT_EQ(resources->cpu().quota(), 50000);
  EXPECT_EQ(resources->cpu().period(), 100000u);
  EXPECT_EQ(resources->cpu().realtime_period(), 1000000u);
  EXPECT_EQ(resources->cpu().realtime_runtime(), 950000);
  EXPECT_EQ(resources->cpu().cpus(), "0-1,3");
  EXPECT_EQ(resources->cpu().mems(), "0");
  EXPECT_EQ(resources->pids().limit(), 20);
  EXPECT_EQ(resources->block_io().weight(), 300u);
}

TEST_F(UpdateCommandTest, WhatNoFlagNamesIsKept) {
  config::Resources current;
  current.mutable_memory()->set_limit(1 << 20);
  current.mutable_pids()->set_limit(5);
  current.mutable_cpu()->set_shares(100);
  absl::StatusOr<config::Resources> resources = Update(current, {"--cpu-share", "200"});
  ASSERT_THAT(resources, IsOk());
  EXPECT_EQ(resources->cpu().shares(), 200u);
  EXPECT_EQ(resources->memory().limit(), 1 << 20);
  EXPECT_EQ(resources->pids().limit(), 5);
  // A flag not given sets nothing, not even a zero.
  EXPECT_FALSE(resources->memory().has_swap());
  EXPECT_FALSE(resources->cpu().has_quota());
  EXPECT_FALSE(resources->has_block_io());
}

// As runc: unlimited memory without a swap limit given makes memory+swap
// unlimited, rather than keeping a finite one below the new limit.
TEST_F(UpdateCommandTest, UnlimitedMemoryMakesAnUnnamedSwapLimitUnlimited) {
  config::Resources current;
  current.mutable_memory()->set_limit(64 << 20);
  current.mutable_memory()->set_swap(64 << 20);
  absl::StatusOr<config::Resources> resources = Update(current, {"--memory", "-1"});
  ASSERT_THAT(resources, IsOk());
  EXPECT_EQ(resources->memory().limit(), -1);
  EXPECT_EQ(resources->memory().swap(), -1);
  // A swap limit given is kept, whatever the kernel then says of it.
  resources = Update(current, {"--memory", "-1", "--memory-swap", "128m"});
  ASSERT_THAT(resources, IsOk());
  EXPECT_EQ(resources->memory().swap(), 128 << 20);
  // A finite limit keeps the container's swap limit.
  resources = Update(current, {"--memory", "32m"});
  ASSERT_THAT(resources, IsOk());
  EXPECT_EQ(resources->memory().swap(), 64 << 20);
}

TEST_F(UpdateCommandTest, TheResourcesFileIsMergedAndFlagsWinOverIt) {
  const std::string file = dir() + "/resources.json";
  ASSERT_THAT(WriteFile(file, R"({"memory": {"limit": 1048576}, "pids": {"limit": 7}})"), IsOk());
  config::Resources current;
  current.mutable_pids()->set_limit(5);
  current.mutable_cpu()->set_shares(100);
  absl::StatusOr<config::Resources> resources = Update(current, {"-r", file, "--memory", "2m"});
  ASSERT_THAT(resources, IsOk());
  EXPECT_EQ(resources->memory().limit(), 2 << 20);
  EXPECT_EQ(resources->pids().limit(), 7);
  EXPECT_EQ(resources->cpu().shares(), 100u);
}

// containerd sends a container's whole resources with each update: a list
// replaces the container's, never adds to it.
TEST_F(UpdateCommandTest, AListInTheResourcesFileReplacesTheContainers) {
  config::Resources current;
  current.add_devices()->set_access("rwm");
  config::ThrottleDevice& rule = *current.mutable_block_io()->add_throttle_read_bps_device();
  rule.set_major(7);
  rule.set_rate(100);
  current.mutable_block_io()->set_weight(300);
  current.add_hugepage_limits()->set_page_size("2MB");
  const std::string file = dir() + "/resources.json";
  ASSERT_THAT(WriteFile(file, R"({"devices": [{"allow": false, "access": "rwm"}],
      "blockIO": {"throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 200}]}})"),
              IsOk());
  for (int update = 0; update < 2; ++update) {
    absl::StatusOr<config::Resources> resources = Update(current, {"-r", file});
    ASSERT_THAT(resources, IsOk());
    ASSERT_EQ(resources->devices_size(), 1);
    ASSERT_EQ(resources->block_io().throttle_read_bps_device_size(), 1);
    EXPECT_EQ(resources->block_io().throttle_read_bps_device(0).major(), 8);
    EXPECT_EQ(resources->block_io().throttle_read_bps_device(0).rate(), 200u);
    // What the file does not name stays.
    EXPECT_EQ(resources->block_io().weight(), 300u);
    EXPECT_EQ(resources->hugepage_limits_size(), 1);
    current = *resources;
  }
}

TEST_F(UpdateCommandTest, ABadResourcesFileIsNamed) {
  const std::string missing = dir() + "/none.json";
  EXPECT_THAT(Update({}, {"--resources", missing}),
              StatusIs(absl::StatusCode::kNotFound,
                       absl::StrCat("open ", missing, ": No such file or directory")));
  const std::string malformed = dir() + "/bad.json";
  ASSERT_THAT(WriteFile(malformed, R"({"pids": {"limit": "many"}})"), IsOk());
  EXPECT_THAT(Update({}, {"-r", malformed}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(malformed)));
}

TEST_F(UpdateCommandTest, ABadValueNamesItsFlag) {
  EXPECT_THAT(Update({}, {"--cpu-quota", "lots"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "--cpu-quota: not a number: lots"));
  EXPECT_THAT(Update({}, {"--pids-limit", "1.5"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "--pids-limit: not a number: 1.5"));
  EXPECT_THAT(Update({}, {"--memory", "64x"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "invalid size: \"64x\""));
}

TEST_F(UpdateCommandTest, IntelRdtSchemasReplaceTheContainersOnes) {
  config::Linux current;
  current.mutable_intel_rdt()->set_clos_id("shared");
  current.mutable_intel_rdt()->set_l3_cache_schema("L3:0=f");
  current.mutable_intel_rdt()->set_mem_bw_schema("MB:0=20");
  absl::StatusOr<std::optional<config::IntelRdt>> rdt =
      IntelRdt(current, {"--mem-bw-schema", "MB:0=50"});
  ASSERT_THAT(rdt.status(), IsOk());
  ASSERT_TRUE(rdt->has_value());
  EXPECT_EQ((*rdt)->clos_id(), "shared");
  EXPECT_EQ((*rdt)->l3_cache_schema(), "L3:0=f");
  EXPECT_EQ((*rdt)->mem_bw_schema(), "MB:0=50");
  rdt = IntelRdt(current, {"--memory", "64m"});
  ASSERT_THAT(rdt.status(), IsOk());
  EXPECT_FALSE(rdt->has_value());
}

TEST_F(UpdateCommandTest, IntelRdtSchemasOfAContainerWithoutIntelRdtAreRefusedByName) {
  EXPECT_THAT(IntelRdt({}, {"--l3-cache-schema", "L3:0=ff"}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("--l3-cache-schema: the container has no linux.intelRdt")));
  EXPECT_THAT(IntelRdt({}, {"--mem-bw-schema", "MB:0=50"}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("--mem-bw-schema")));
}

}  // namespace
}  // namespace hull::launcher
