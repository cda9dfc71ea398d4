#include "tools/launcher/console_flags.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::launcher {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

// runc's checkTerminal, for create and exec -d (detach), run and exec (either).
TEST(CheckTerminalTest, ADetachedTerminalNeedsAConsoleSocketAndOnlyItTakesOne) {
  const std::string no_socket =
      "cannot allocate tty if runc will detach without setting console socket";
  const std::string unused_socket =
      "cannot use console socket if runc will not detach or allocate tty";
  EXPECT_THAT(CheckTerminal(/*terminal=*/true, /*detach=*/true, /*console_socket=*/true), IsOk());
  EXPECT_THAT(CheckTerminal(true, true, false),
              StatusIs(absl::StatusCode::kInvalidArgument, no_socket));
  EXPECT_THAT(CheckTerminal(true, false, false), IsOk());
  EXPECT_THAT(CheckTerminal(true, false, true),
              StatusIs(absl::StatusCode::kInvalidArgument, unused_socket));
  EXPECT_THAT(CheckTerminal(false, true, false), IsOk());
  EXPECT_THAT(CheckTerminal(false, true, true),
              StatusIs(absl::StatusCode::kInvalidArgument, unused_socket));
  EXPECT_THAT(CheckTerminal(false, false, false), IsOk());
  EXPECT_THAT(CheckTerminal(false, false, true),
              StatusIs(absl::StatusCode::kInvalidArgument, unused_socket));
}

TEST(OpenConsoleEndsTest, ForegroundGetsAPairDetachedConnectsAndNoTerminalGetsNone) {
  const FlagParser parser({{.name = "console-socket", .takes_value = true}});
  absl::StatusOr<ParsedFlags> none = parser.Parse({});
  ASSERT_THAT(none, IsOk());
  absl::StatusOr<ConsoleEnds> plain = OpenConsoleEnds(/*terminal=*/false, /*detach=*/false, *none);
  ASSERT_THAT(plain, IsOk());
  EXPECT_FALSE(plain->for_runtime.valid());
  EXPECT_FALSE(plain->foreground.valid());
  absl::StatusOr<ConsoleEnds> foreground = OpenConsoleEnds(true, false, *none);
  ASSERT_THAT(foreground, IsOk());
  EXPECT_TRUE(foreground->for_runtime.valid());
  EXPECT_TRUE(foreground->foreground.valid());
  absl::StatusOr<ParsedFlags> missing =
      parser.Parse({"--console-socket", "/nonexistent/console.sock"});
  ASSERT_THAT(missing, IsOk());
  EXPECT_THAT(OpenConsoleEnds(true, true, *missing).status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("/nonexistent/console.sock")));
}

}  // namespace
}  // namespace hull::launcher
