#include "tools/launcher/global_flags.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::launcher {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

absl::StatusOr<GlobalOptions> For(std::vector<std::string> args, const std::string& command) {
  args.push_back(command);
  absl::StatusOr<ParsedFlags> parsed =
      FlagParser(GlobalFlagSpecs()).Parse(args, /*stop_at_first_positional=*/true);
  if (!parsed.ok()) return parsed.status();
  return GlobalOptionsFor(*parsed, Command{.name = command});
}

TEST(GlobalFlagsTest, AreRuncsInItsOrder) {
  std::vector<std::string> names;
  for (const FlagSpec& flag : GlobalFlagSpecs()) names.push_back(flag.name);
  EXPECT_THAT(names, ::testing::ElementsAre("debug", "log", "log-format", "root", "criu",
                                            "systemd-cgroup", "rootless", "help", "version"));
}

TEST(GlobalFlagsTest, RootAndDebug) {
  absl::StatusOr<GlobalOptions> options = For({"--root", "/tmp/r", "--debug"}, "run");
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->root, "/tmp/r");
  EXPECT_TRUE(options->debug);
  options = For({}, "run");
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->root, "/run/hull");
  EXPECT_FALSE(options->debug);
}

TEST(GlobalFlagsTest, CriuAndRootlessAutoOrFalseChangeNothing) {
  EXPECT_THAT(For({"--criu", "/usr/sbin/criu", "--rootless", "auto"}, "run"), IsOk());
  EXPECT_THAT(For({"--rootless=false"}, "create"), IsOk());
}

TEST(GlobalFlagsTest, SystemdCgroupChoosesTheSystemdDriver) {
  for (const char* command : {"create", "run", "exec", "update", "delete", "kill", "pause", "spec",
                              "list", "state", "features"}) {
    absl::StatusOr<GlobalOptions> options = For({"--systemd-cgroup"}, command);
    ASSERT_THAT(options, IsOk()) << command;
    EXPECT_TRUE(options->systemd_cgroup) << command;
  }
  absl::StatusOr<GlobalOptions> without = For({"--systemd-cgroup=false"}, "run");
  ASSERT_THAT(without, IsOk());
  EXPECT_FALSE(without->systemd_cgroup);
}

TEST(GlobalFlagsTest, RootlessTrueIsRefusedWhereItWouldMatter) {
  EXPECT_THAT(For({"--rootless", "true"}, "run"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--rootless true")));
  EXPECT_THAT(For({"--rootless", "true"}, "list"), IsOk());
}

TEST(GlobalFlagsTest, RootlessTakesThreeValues) {
  EXPECT_THAT(For({"--rootless", "maybe"}, "list"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("invalid --rootless value \"maybe\"")));
}

}  // namespace
}  // namespace hull::launcher
