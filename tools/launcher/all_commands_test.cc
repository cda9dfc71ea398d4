#include "tools/launcher/all_commands.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hull::launcher {
namespace {

using ::testing::ElementsAre;

TEST(AllCommandsTest, ListsRuncsVerbsInHelpOrder) {
  std::vector<std::string> names;
  for (const Command& command : AllCommands()) names.emplace_back(command.name);
  EXPECT_THAT(names, ElementsAre("checkpoint", "create", "delete", "events", "exec", "kill", "list",
                                 "pause", "ps", "restore", "resume", "run", "spec", "start",
                                 "state", "update", "features", "validate"));
}

TEST(AllCommandsTest, FindCommandBuildsTheCommandOfThatName) {
  for (const Command& command : AllCommands()) {
    const std::optional<Command> found = FindCommand(command.name);
    ASSERT_TRUE(found.has_value()) << command.name;
    EXPECT_EQ(found->name, command.name);
    EXPECT_EQ(found->run, command.run) << command.name;
  }
  EXPECT_FALSE(FindCommand("frobnicate").has_value());
  EXPECT_FALSE(FindCommand("").has_value());
}

TEST(AllCommandsTest, EachCommandIsComplete) {
  for (const Command& command : AllCommands()) {
    EXPECT_NE(command.run, nullptr) << command.name;
    EXPECT_FALSE(command.summary.empty()) << command.name;
    EXPECT_TRUE(command.max_args < 0 || command.min_args <= command.max_args) << command.name;
    absl::flat_hash_set<absl::string_view> names;
    for (const FlagSpec& flag : command.flags) {
      // main adds --help (-h) to every command.
      EXPECT_NE(flag.name, "help") << command.name;
      EXPECT_NE(flag.short_name, "h") << command.name;
      EXPECT_TRUE(names.insert(flag.name).second) << command.name << " --" << flag.name;
      if (!flag.short_name.empty()) {
        EXPECT_TRUE(names.insert(flag.short_name).second) << command.name << " -" << flag.short_name;
      }
    }
  }
}

}  // namespace
}  // namespace hull::launcher
