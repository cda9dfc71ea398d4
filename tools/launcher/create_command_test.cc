#include "tools/launcher/create_command.h"

#include <unistd.h>

#include <string>
#include <vector>

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
using ::hull::testing::WriteFile;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class CreateCommandTest : public VerbTest {
 protected:
  // `hull spec`'s config, which asks for a terminal.
  std::string TerminalBundle() const { return WriteBundle("bundle", config::DefaultSpec(false)); }
  std::string BundleWithoutTerminal() const {
    config::Spec spec = config::DefaultSpec(false);
    spec.mutable_process()->set_terminal(false);
    return WriteBundle("no-terminal", spec);
  }

  absl::StatusOr<runtime::CreateOptions> Options(const std::vector<std::string>& args) const {
    absl::StatusOr<ParsedFlags> flags = ParseCommandArguments(CreateCommand(), args);
    if (!flags.ok()) return flags.status();
    return CreateOptionsFromFlags(*flags);
  }
};

TEST_F(CreateCommandTest, OptionsComeFromTheFlags) {
  const std::string bundle = TerminalBundle();
  ASSERT_EQ(symlink(bundle.c_str(), (dir() + "/link").c_str()), 0);
  absl::StatusOr<runtime::CreateOptions> options =
      Options({"--no-pivot", "-b", dir() + "/link", "--preserve-fds=2", "web", "--no-new-keyring"});
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->bundle, bundle);
  EXPECT_TRUE(options->no_pivot);
  EXPECT_TRUE(options->no_new_keyring);
  EXPECT_EQ(options->preserve_fds, 2);
}

TEST_F(CreateCommandTest, OptionsDefaultToNone) {
  absl::StatusOr<runtime::CreateOptions> options = Options({"-b", TerminalBundle(), "web"});
  ASSERT_THAT(options, IsOk());
  EXPECT_FALSE(options->no_pivot);
  EXPECT_FALSE(options->no_new_keyring);
  EXPECT_EQ(options->preserve_fds, 0);
}

TEST_F(CreateCommandTest, PreserveFdsIsACount) {
  const std::string bundle = TerminalBundle();
  for (const char* count : {"-1", "two", "1.5", ""}) {
    EXPECT_THAT(Options({"-b", bundle, "--preserve-fds", count, "web"}),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         absl::StrCat("--preserve-fds: not a count: ", count)));
  }
}

TEST_F(CreateCommandTest, AMissingBundleIsNamed) {
  const std::string bundle = dir() + "/none";
  const VerbResult result = Run(CreateCommand(), {"--bundle", bundle, "web"});
  EXPECT_THAT(result.exit_code,
              StatusIs(absl::StatusCode::kNotFound,
                       absl::StrCat("bundle \"", bundle, "\": No such file or directory")));
  EXPECT_THAT(DirectoryEntries(root()), IsEmpty());
}


TEST_F(CreateCommandTest, ATerminalWithoutAConsoleSocketIsRefusedBeforeAnythingIsMade) {
  const std::string pid_file = dir() + "/init.pid";
  const VerbResult result =
      Run(CreateCommand(), {"-b", TerminalBundle(), "--pid-file", pid_file, "web"});
  EXPECT_THAT(result.exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "cannot allocate tty if runc will detach without setting console socket"));
  EXPECT_THAT(DirectoryEntries(root()), IsEmpty());
  EXPECT_FALSE(testing::Exists(pid_file));
}

TEST_F(CreateCommandTest, AConsoleSocketWithoutATerminalIsRefused) {
  const VerbResult result = Run(
      CreateCommand(), {"--console-socket", "/run/sock", "-b", BundleWithoutTerminal(), "web"});
  EXPECT_THAT(result.exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "cannot use console socket if runc will not detach or allocate tty"));
  EXPECT_THAT(DirectoryEntries(root()), IsEmpty());
}

TEST_F(CreateCommandTest, AConsoleSocketNobodyListensOnIsNamedBeforeAnythingIsMade) {
  // Under /tmp: a unix socket path has at most 107 bytes.
  absl::StatusOr<std::string> socket_dir = testing::MakeTempDir("console", "/tmp");
  ASSERT_THAT(socket_dir, IsOk());
  const std::string socket = *socket_dir + "/none.sock";
  const VerbResult result =
      Run(CreateCommand(), {"--console-socket", socket, "-b", TerminalBundle(), "web"});
  EXPECT_THAT(result.exit_code,
              StatusIs(absl::StatusCode::kNotFound,
                       absl::StrCat("connect to the console socket \"", socket,
                                    "\": No such file or directory")));
  EXPECT_THAT(DirectoryEntries(root()), IsEmpty());
  testing::RemoveTree(*socket_dir);
}

TEST_F(CreateCommandTest, AMalformedConfigNamesItsFile) {
  const std::string bundle = TerminalBundle();
  ASSERT_THAT(WriteFile(bundle + "/config.json", "{"), IsOk());
  EXPECT_THAT(Run(CreateCommand(), {"-b", bundle, "web"}).exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(bundle + "/config.json")));
}

TEST_F(CreateCommandTest, TakesExactlyOneId) {
  const std::string usage =
      "hull: \"create\" requires exactly 1 argument(s); usage: hull create [command options] "
      "<container-id>";
  EXPECT_THAT(Run(CreateCommand(), {}).exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument, usage));
  EXPECT_THAT(Run(CreateCommand(), {"a", "b"}).exit_code,
              StatusIs(absl::StatusCode::kInvalidArgument, usage));
}

}  // namespace
}  // namespace hull::launcher
