#include "tools/launcher/command_support.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/status_matchers.h"

namespace hull::launcher {
namespace {

using ::hull::testing::DirectoryEntries;
using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::MakeTempDir;
using ::hull::testing::ReadFile;
using ::hull::testing::StatusIs;
using ::hull::testing::WriteFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class CommandSupportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> dir = MakeTempDir("support");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = *dir;
  }

  std::string dir_;
};

ParsedFlags Flags(std::vector<std::string> args) {
  absl::StatusOr<ParsedFlags> flags =
      FlagParser({FormatFlag(), {.name = "bundle", .short_name = "b", .takes_value = true}})
          .Parse(args);
  EXPECT_THAT(flags, IsOk());
  return flags.value_or(ParsedFlags());
}

TEST_F(CommandSupportTest, PidFileHoldsThePidAlone) {
  const std::string path = dir_ + "/init.pid";
  ASSERT_THAT(WritePidFile(path, 4242), IsOk());
  EXPECT_THAT(ReadFile(path), IsOkAndHolds("4242"));
  // The temporary file was renamed, not left beside it.
  EXPECT_THAT(DirectoryEntries(dir_), ElementsAre("init.pid"));
}

TEST_F(CommandSupportTest, PidFileReplacesAnOldOneWhole) {
  const std::string path = dir_ + "/init.pid";
  ASSERT_THAT(WriteFile(path, "123456789"), IsOk());
  UniqueFd old(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(old.valid());
  ASSERT_THAT(WritePidFile(path, 77), IsOk());
  EXPECT_THAT(ReadFile(path), IsOkAndHolds("77"));
  // A reader of the old file still sees all of it: a new file took its name,
  // the old one was not truncated and rewritten.
  char text[16] = {};
  EXPECT_EQ(pread(old.get(), text, sizeof(text), 0), 9);
  EXPECT_STREQ(text, "123456789");
}

TEST_F(CommandSupportTest, PidFileInAMissingDirectoryIsAnErrorNamingIt) {
  const std::string path = dir_ + "/missing/init.pid";
  EXPECT_THAT(WritePidFile(path, 1),
              StatusIs(absl::StatusCode::kNotFound,
                       absl::StrCat("write pid file ", path, ": No such file or directory")));
  EXPECT_THAT(DirectoryEntries(dir_), IsEmpty());
}

TEST_F(CommandSupportTest, PidFileThatCannotBeRenamedLeavesNoTemporaryFile) {
  // A non-empty directory cannot be replaced by a file.
  const std::string path = dir_ + "/taken";
  ASSERT_EQ(mkdir(path.c_str(), 0755), 0);
  ASSERT_THAT(WriteFile(path + "/inside", ""), IsOk());
  EXPECT_THAT(WritePidFile(path, 1), StatusIs(absl::StatusCode::kFailedPrecondition,
                                              HasSubstr(absl::StrCat("write pid file ", path))));
  EXPECT_THAT(DirectoryEntries(dir_), ElementsAre("taken"));
}

TEST_F(CommandSupportTest, ReadsAFile) {
  ASSERT_THAT(WriteFile(dir_ + "/r.json", "{\"pids\": {}}"), IsOk());
  EXPECT_THAT(ReadFileOrStdin(dir_ + "/r.json"), IsOkAndHolds("{\"pids\": {}}"));
}

TEST_F(CommandSupportTest, AMissingFileIsNamed) {
  EXPECT_THAT(ReadFileOrStdin(dir_ + "/none.json"),
              StatusIs(absl::StatusCode::kNotFound,
                       absl::StrCat("open ", dir_, "/none.json: No such file or directory")));
}

TEST_F(CommandSupportTest, DashReadsStdin) {
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);
  UniqueFd saved_stdin(fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0));
  ASSERT_TRUE(saved_stdin.valid());
  ASSERT_EQ(dup2(read_end.get(), STDIN_FILENO), STDIN_FILENO);
  ASSERT_EQ(write(write_end.get(), "from stdin", 10), 10);
  write_end.Reset();
  absl::StatusOr<std::string> text = ReadFileOrStdin("-");
  ASSERT_EQ(dup2(saved_stdin.get(), STDIN_FILENO), STDIN_FILENO);
  EXPECT_THAT(text, IsOkAndHolds("from stdin"));
}

TEST_F(CommandSupportTest, BundleIsMadeAbsoluteWithoutSymlinks) {
  ASSERT_EQ(mkdir((dir_ + "/bundle").c_str(), 0755), 0);
  ASSERT_EQ(symlink("bundle", (dir_ + "/link").c_str()), 0);
  EXPECT_THAT(ResolveBundle(Flags({"-b", dir_ + "/link"})), IsOkAndHolds(dir_ + "/bundle"));
  EXPECT_THAT(ResolveBundle(Flags({"--bundle", dir_ + "/bundle/../bundle"})),
              IsOkAndHolds(dir_ + "/bundle"));
}

TEST_F(CommandSupportTest, AMissingBundleIsNamed) {
  const std::string bundle = dir_ + "/none";
  EXPECT_THAT(ResolveBundle(Flags({"-b", bundle})),
              StatusIs(absl::StatusCode::kNotFound,
                       absl::StrCat("bundle \"", bundle, "\": No such file or directory")));
}

TEST_F(CommandSupportTest, BundleConfigIsConfigJsonInIt) {
  EXPECT_EQ(BundleConfigPath("/b"), "/b/config.json");
  EXPECT_EQ(BundleConfigPath("."), "./config.json");
}

TEST_F(CommandSupportTest, FormatIsTableUnlessJson) {
  EXPECT_THAT(WantsJson(Flags({})), IsOkAndHolds(false));
  EXPECT_THAT(WantsJson(Flags({"--format", "table"})), IsOkAndHolds(false));
  EXPECT_THAT(WantsJson(Flags({"-f", "json"})), IsOkAndHolds(true));
  EXPECT_THAT(WantsJson(Flags({"--format=yaml"})),
              StatusIs(absl::StatusCode::kInvalidArgument, "invalid format option: \"yaml\""));
}

TEST_F(CommandSupportTest, LoadingAnUnknownContainerSaysItDoesNotExist) {
  EXPECT_THAT(LoadContainer(GlobalOptions{.root = dir_}, "web").status(),
              StatusIs(absl::StatusCode::kNotFound, "container does not exist: web"));
  EXPECT_THAT(LoadContainer(GlobalOptions{.root = dir_ + "/no-root"}, "web").status(),
              StatusIs(absl::StatusCode::kNotFound, "container does not exist: web"));
}

}  // namespace
}  // namespace hull::launcher
