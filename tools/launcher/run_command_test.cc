#include "tools/launcher/run_command.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "config/default_spec.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/status_matchers.h"
#include "tools/launcher/verb_runner.h"

namespace hull::launcher {
namespace {

using ::hull::testing::DirectoryEntries;
using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

using RunCommandTest = VerbTest;

TEST_F(RunCommandTest, TakesCreatesFlagsAndDetachAndKeep) {
  absl::StatusOr<ParsedFlags> flags = ParseCommandArguments(
      RunCommand(), {"-d", "--keep", "--no-pivot", "--pid-file", "p", "-b", "b", "web"});
  ASSERT_THAT(flags, IsOk());
  EXPECT_TRUE(flags->IsSet("detach"));
  EXPECT_TRUE(flags->IsSet("keep"));
  EXPECT_TRUE(flags->IsSet("no-pivot"));
  EXPECT_THAT(flags->positional(), ElementsAre("web"));
}

TEST_F(RunCommandTest, CreatesAsCreateDoes) {
  const std::string bundle = dir() + "/none";
  EXPECT_THAT(Run(RunCommand(), {"-d", "-b", bundle, "web"}).exit_code,
              StatusIs(absl::StatusCode::kNotFound,
                       absl::StrCat("bundle \"", bundle, "\": No such file or directory")));

  EXPECT_THAT(DirectoryEntries(root()), IsEmpty());
}

// `hull spec`'s config asks for a terminal: run -d needs a console socket,
// as create does; in the foreground run relays the terminal itself.
TEST_F(RunCommandTest, DetachingFromATerminalNeedsAConsoleSocket) {
  const std::string terminal = WriteBundle("terminal", config::DefaultSpec(false));
  EXPECT_THAT(Run(RunCommand(), {"-d", "-b", terminal, "web"}).exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "cannot allocate tty if runc will detach without setting console socket"));
  EXPECT_THAT(Run(RunCommand(), {"--console-socket", dir() + "/sock", "-b", terminal, "web"})
                  .exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "cannot use console socket if runc will not detach or allocate tty"));
  EXPECT_THAT(DirectoryEntries(root()), IsEmpty());
}

TEST_F(RunCommandTest, TakesExactlyOneId) {
  EXPECT_THAT(Run(RunCommand(), {"-d"}).exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "hull: \"run\" requires exactly 1 argument(s); usage: hull run [command "
                       "options] <container-id>"));
}

}  // namespace
}  // namespace hull::launcher
