#include "tools/launcher/global_flags.h"

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "tools/launcher/command_support.h"
#include "tools/launcher/rootless_options.h"

namespace hull::launcher {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

// The host's root, with a $XDG_RUNTIME_DIR it ignores.
const Invoker kHostRoot{.euid = 0, .xdg_runtime_dir = "/run/user/0", .user = "root"};

absl::StatusOr<GlobalOptions> For(std::vector<std::string> args, const std::string& command,
                                  const Invoker& invoker = kHostRoot) {
  args.push_back(command);
  absl::StatusOr<ParsedFlags> parsed =
      FlagParser(GlobalFlagSpecs()).Parse(args, /*stop_at_first_positional=*/true);
  if (!parsed.ok()) return parsed.status();
  return GlobalOptionsFor(*parsed, invoker);
}

TEST(GlobalFlagsTest, AreRuncsInItsOrder) {
  std::vector<std::string> names;
  for (const FlagSpec& flag : GlobalFlagSpecs()) names.emplace_back(flag.name);
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

TEST(GlobalFlagsTest, RootlessDecidesRootlessCgroups) {
  absl::StatusOr<GlobalOptions> options = For({"--rootless", "true"}, "run");
  ASSERT_THAT(options, IsOk());
  EXPECT_TRUE(options->rootless_cgroups);
  options = For({}, "run");
  ASSERT_THAT(options, IsOk());
  EXPECT_FALSE(options->rootless_cgroups);
  const Invoker user{.euid = 1000, .xdg_runtime_dir = "/run/user/1000", .user = "alice"};
  options = For({}, "run", user);
  ASSERT_THAT(options, IsOk());
  EXPECT_TRUE(options->rootless_cgroups);
  options = For({"--rootless=false"}, "run", user);
  ASSERT_THAT(options, IsOk());
  EXPECT_FALSE(options->rootless_cgroups);
}

// Read once, by CurrentInvoker: the runtime's create and the init take it
// from there, and read /proc/self/uid_map no more.
TEST(GlobalFlagsTest, TheInvokersUserNamespaceGoesToTheRuntime) {
  const Invoker root_in_namespace{.euid = 0, .in_user_namespace = true};
  absl::StatusOr<GlobalOptions> options = For({}, "run", root_in_namespace);
  ASSERT_THAT(options, IsOk());
  EXPECT_TRUE(options->in_user_namespace);
  EXPECT_EQ(RuntimeOptionsFor(*options).in_user_namespace, std::optional<bool>(true));
  options = For({}, "run", Invoker{.euid = 0});
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(RuntimeOptionsFor(*options).in_user_namespace, std::optional<bool>(false));
}

TEST(GlobalFlagsTest, AnUnprivilegedUsersStateIsInItsRuntimeDirectory) {
  const Invoker user{.euid = 1000, .xdg_runtime_dir = "/run/user/1000", .user = "alice"};
  absl::StatusOr<GlobalOptions> options = For({}, "list", user);
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->root, "/run/user/1000/hull");
  EXPECT_TRUE(options->root_in_user_runtime_dir);
  options = For({"--root", "/tmp/r"}, "list", user);
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->root, "/tmp/r");
  EXPECT_FALSE(options->root_in_user_runtime_dir);
}

TEST(GlobalFlagsTest, RootlessTakesThreeValues) {
  EXPECT_THAT(For({"--rootless", "maybe"}, "list"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("invalid --rootless value \"maybe\"")));
}

}  // namespace
}  // namespace hull::launcher
