#include "tools/launcher/command.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::launcher {
namespace {

using ::hull::testing::StatusIs;
using ::testing::ElementsAre;

Command Verb(int min_args, int max_args, int max_flag_positionals = -1) {
  return {.name = "verb",
          .arguments = "<container-id> [signal]",
          .flags = {{.name = "all", .short_name = "a"},
                    {.name = "format", .takes_value = true}},
          .min_args = min_args,
          .max_args = max_args,
          .max_flag_positionals = max_flag_positionals};
}

absl::StatusOr<ParsedFlags> Parse(const Command& command, std::vector<std::string> args) {
  return ParseCommandArguments(command, args);
}

TEST(ParseCommandArgumentsTest, TakesTheVerbsFlagsAnywhere) {
  absl::StatusOr<ParsedFlags> flags = Parse(Verb(1, 2), {"web", "-a", "--format=json", "KILL"});
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_TRUE(flags->IsSet("all"));
  EXPECT_EQ(flags->Value("format"), "json");
  EXPECT_THAT(flags->positional(), ElementsAre("web", "KILL"));
}

TEST(ParseCommandArgumentsTest, AnExactCountIsRuncsUsageLine) {
  const std::string usage =
      "hull: \"verb\" requires exactly 1 argument(s); usage: hull verb [command options] "
      "<container-id> [signal]";
  EXPECT_THAT(Parse(Verb(1, 1), {}), StatusIs(absl::StatusCode::kInvalidArgument, usage));
  EXPECT_THAT(Parse(Verb(1, 1), {"a", "b"}), StatusIs(absl::StatusCode::kInvalidArgument, usage));
}

TEST(ParseCommandArgumentsTest, ARangeIsNamedAsOne) {
  const std::string usage =
      "hull: \"verb\" requires 1 to 2 argument(s); usage: hull verb [command options] "
      "<container-id> [signal]";
  EXPECT_THAT(Parse(Verb(1, 2), {}), StatusIs(absl::StatusCode::kInvalidArgument, usage));
  EXPECT_THAT(Parse(Verb(1, 2), {"a", "b", "c"}),
              StatusIs(absl::StatusCode::kInvalidArgument, usage));
  EXPECT_TRUE(Parse(Verb(1, 2), {"a", "b"}).ok());
}

TEST(ParseCommandArgumentsTest, NoMaximumTakesAnyNumber) {
  absl::StatusOr<ParsedFlags> flags = Parse(Verb(1, -1), {"a", "b", "c", "d"});
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_THAT(flags->positional(), ElementsAre("a", "b", "c", "d"));
}

TEST(ParseCommandArgumentsTest, HelpSkipsTheCountCheck) {
  for (const char* help : {"--help", "-h"}) {
    absl::StatusOr<ParsedFlags> flags = Parse(Verb(1, 1), {help});
    ASSERT_TRUE(flags.ok()) << help << ": " << flags.status();
    EXPECT_TRUE(flags->IsSet("help")) << help;
  }
}

TEST(ParseCommandArgumentsTest, AnUnknownFlagIsNamed) {
  EXPECT_THAT(Parse(Verb(1, 1), {"--nope", "web"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "flag provided but not defined: -nope"));
}

TEST(ParseCommandArgumentsTest, ArgumentsPastTheFlagPositionalsPassThrough) {
  absl::StatusOr<ParsedFlags> flags = Parse(Verb(1, -1, 1), {"-a", "web", "-o", "pid", "--all"});
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_TRUE(flags->IsSet("all"));
  EXPECT_THAT(flags->positional(), ElementsAre("web", "-o", "pid", "--all"));
}

}  // namespace
}  // namespace hull::launcher
