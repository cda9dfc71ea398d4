#include "tools/launcher/command_line.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::launcher {
namespace {

using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const FlagParser& Parser() {
  static const FlagParser* parser = new FlagParser({
      {.name = "bundle", .short_name = "b", .takes_value = true},
      {.name = "force", .short_name = "f"},
      {.name = "pid-file", .takes_value = true},
  });
  return *parser;
}

TEST(FlagParserTest, AcceptsOneAndTwoDashesAndBothValueForms) {
  std::vector<std::string> args = {"-b", "/a", "--pid-file=/p", "--force", "web"};
  auto parsed = Parser().Parse(args);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Value("bundle"), "/a");
  EXPECT_EQ(parsed->Value("pid-file"), "/p");
  EXPECT_TRUE(parsed->IsSet("force"));
  EXPECT_THAT(parsed->positional(), ElementsAre("web"));
}

TEST(FlagParserTest, FlagsMayFollowThePositionalArguments) {
  std::vector<std::string> args = {"web", "-bundle", "/a", "-f"};
  auto parsed = Parser().Parse(args);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->ValueOr("bundle", "."), "/a");
  EXPECT_TRUE(parsed->IsSet("force"));
  EXPECT_THAT(parsed->positional(), ElementsAre("web"));
}

TEST(FlagParserTest, LastValueWinsAndFalseUnsetsABoolean) {
  std::vector<std::string> args = {"-b", "/a", "-b", "/b", "--force=false"};
  auto parsed = Parser().Parse(args);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Value("bundle"), "/b");
  EXPECT_TRUE(parsed->Has("force"));
  EXPECT_FALSE(parsed->IsSet("force"));
  EXPECT_EQ(parsed->ValueOr("pid-file", "none"), "none");
  // Every value stays, in order, for flags given several times (`exec -e`).
  EXPECT_THAT(parsed->Values("bundle"), ElementsAre("/a", "/b"));
  EXPECT_THAT(parsed->Values("pid-file"), IsEmpty());
}

TEST(FlagParserTest, DoubleDashEndsTheFlags) {
  std::vector<std::string> args = {"web", "--", "-f", "x"};
  auto parsed = Parser().Parse(args);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->Has("force"));
  EXPECT_THAT(parsed->positional(), ElementsAre("web", "-f", "x"));
}

TEST(FlagParserTest, StopsAtTheFirstPositionalForGlobalFlags) {
  std::vector<std::string> args = {"-f", "delete", "--bundle", "x"};
  auto parsed = Parser().Parse(args, /*stop_at_first_positional=*/true);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->IsSet("force"));
  EXPECT_FALSE(parsed->Has("bundle"));
  EXPECT_THAT(parsed->positional(), ElementsAre("delete", "--bundle", "x"));
}

TEST(FlagParserTest, PassesEverythingAfterTheLeadingPositionalsThrough) {
  std::vector<std::string> args = {"-f", "web", "sh", "-c", "echo -b"};
  auto parsed = Parser().Parse(args, false, /*max_leading_positional=*/1);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->IsSet("force"));
  EXPECT_THAT(parsed->positional(), ElementsAre("web", "sh", "-c", "echo -b"));
}

TEST(FlagParserTest, RefusesUnknownFlagsMissingValuesAndBadBooleans) {
  EXPECT_THAT(Parser().Parse(std::vector<std::string>{"--nope"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("flag provided but not defined: -nope")));
  EXPECT_THAT(Parser().Parse(std::vector<std::string>{"web", "--bundle"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("flag needs an argument: -bundle")));
  EXPECT_THAT(Parser().Parse(std::vector<std::string>{"--force=maybe"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid boolean value")));
}

TEST(FlagParserTest, ALoneDashIsPositional) {
  std::vector<std::string> args = {"-"};
  auto parsed = Parser().Parse(args);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->positional(), ElementsAre("-"));
  EXPECT_THAT(Parser().Parse(std::vector<std::string>{})->positional(), IsEmpty());
}

}  // namespace
}  // namespace hull::launcher
