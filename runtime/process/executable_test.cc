#include "runtime/process/executable.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/child_process.h"
#include "testing/status_matchers.h"

namespace hull::process {
namespace {

using ::hull::testing::ChildOutcome;
using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::RunInChild;
using ::hull::testing::StatusIs;

TEST(GoErrnoTextTest, IsStrerrorInLowerCase) {
  EXPECT_EQ(GoErrnoText(ENOENT), "no such file or directory");
  EXPECT_EQ(GoErrnoText(EACCES), "permission denied");
  EXPECT_EQ(GoErrnoText(ENOEXEC), "exec format error");
  EXPECT_EQ(GoErrnoText(EISDIR), "is a directory");
}

// bin/tool (0755), bin/data (0644), bin/dir/, other/tool (0755), file.
class FindExecutableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = absl::StrCat(std::getenv("TEST_TMPDIR"), "/exe.XXXXXX");
    ASSERT_NE(mkdtemp(root_.data()), nullptr);
    for (const char* dir : {"/bin", "/bin/dir", "/other"}) {
      ASSERT_EQ(mkdir((root_ + dir).c_str(), 0755), 0) << dir;
    }
    Create("/bin/tool", 0755);
    Create("/bin/data", 0644);
    Create("/other/tool", 0755);
    Create("/file", 0644);
  }

  void Create(const std::string& path, mode_t mode) {
    const int fd = open((root_ + path).c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, mode);
    ASSERT_GE(fd, 0) << path;
    ASSERT_EQ(write(fd, "#!/bin/sh\n", 10), 10);
    ASSERT_EQ(fchmod(fd, mode), 0);
    close(fd);
  }

  std::string root_;
};

TEST_F(FindExecutableTest, SearchesPathInOrder) {
  const std::string path = absl::StrCat(root_, "/missing:", root_, "/bin:", root_, "/other");
  EXPECT_THAT(FindExecutable("tool", path), IsOkAndHolds(root_ + "/bin/tool"));
  EXPECT_THAT(FindExecutable("tool", absl::StrCat(root_, "/other/:", root_, "/bin")),
              IsOkAndHolds(root_ + "/other/tool"));
}

TEST_F(FindExecutableTest, SkipsWhatCannotBeExecuted) {
  EXPECT_THAT(
      FindExecutable("data", root_ + "/bin"),
      StatusIs(absl::StatusCode::kNotFound, "exec: \"data\": executable file not found in $PATH"));
  EXPECT_THAT(
      FindExecutable("dir", root_ + "/bin"),
      StatusIs(absl::StatusCode::kNotFound, "exec: \"dir\": executable file not found in $PATH"));
}

TEST_F(FindExecutableTest, NotFoundInPath) {
  EXPECT_THAT(
      FindExecutable("foo", "/nonexistent:" + root_ + "/bin"),
      StatusIs(absl::StatusCode::kNotFound, "exec: \"foo\": executable file not found in $PATH"));
  EXPECT_THAT(
      FindExecutable("foo", ""),
      StatusIs(absl::StatusCode::kNotFound, "exec: \"foo\": executable file not found in $PATH"));
  EXPECT_THAT(
      FindExecutable("", root_ + "/bin"),
      StatusIs(absl::StatusCode::kNotFound, "exec: \"\": executable file not found in $PATH"));
}

TEST_F(FindExecutableTest, PathsWithASlashAreCheckedAsTheyAre) {
  EXPECT_THAT(FindExecutable(root_ + "/bin/tool", ""), IsOkAndHolds(root_ + "/bin/tool"));
  EXPECT_THAT(FindExecutable("/nope", "/bin"),
              StatusIs(absl::StatusCode::kNotFound,
                       "exec: \"/nope\": stat /nope: no such file or directory"));
  EXPECT_THAT(FindExecutable(root_ + "/bin/data", "/bin"),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       absl::StrCat("exec: \"", root_, "/bin/data\": permission denied")));
  EXPECT_THAT(FindExecutable(root_ + "/bin/dir", "/bin"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat("exec: \"", root_, "/bin/dir\": is a directory")));
  EXPECT_THAT(FindExecutable(root_ + "/file/x", "/bin"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat("exec: \"", root_, "/file/x\": stat ", root_,
                                    "/file/x: not a directory")));
}

TEST_F(FindExecutableTest, RelativePathsAndPathEntries) {
  // In a child: the lookup depends on the working directory.
  absl::StatusOr<ChildOutcome> outcome = RunInChild({}, [&]() -> absl::Status {
    if (chdir(root_.c_str()) != 0) return ErrnoStatus("chdir");
    for (const auto& [file, path] : {std::pair<const char*, const char*>{"bin/tool", ""},
                                     {"./bin/tool", ""},
                                     {"tool", "bin"},
                                     {"tool", ":/nonexistent"}}) {
      absl::StatusOr<std::string> found = FindExecutable(file, path);
      const std::string line = absl::StrCat(
          file, " in \"", path, "\": ", found.ok() ? *found : found.status().ToString(), "\n");
      (void)!write(STDOUT_FILENO, line.data(), line.size());
    }
    return absl::OkStatus();
  });
  ASSERT_THAT(outcome, IsOk());
  EXPECT_EQ(outcome->exit_code, 0) << outcome->output;
  EXPECT_EQ(
      outcome->output,
      "bin/tool in \"\": bin/tool\n"
      "./bin/tool in \"\": ./bin/tool\n"
      "tool in \"bin\": FAILED_PRECONDITION: exec: \"tool\": cannot run executable found "
      "relative to current directory\n"
      "tool in \":/nonexistent\": NOT_FOUND: exec: \"tool\": executable file not found in $PATH\n");
}

TEST_F(FindExecutableTest, ExecuteFailuresUseRuncsWords) {
  EXPECT_THAT(Execute(root_ + "/bin/data", {"data"}, {}),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       absl::StrCat("exec ", root_, "/bin/data: permission denied")));
  EXPECT_THAT(Execute("/nope", {"nope"}, {}),
              StatusIs(absl::StatusCode::kNotFound, "exec /nope: no such file or directory"));
}

TEST(ExecuteTest, RunsTheProgramWithItsArgumentsAndEnvironment) {
  absl::StatusOr<ChildOutcome> outcome = RunInChild({}, [] {
    return Execute("/bin/sh", {"sh", "-c", "echo \"$0 $GREETING\"", "zero"}, {"GREETING=hello"});
  });
  ASSERT_THAT(outcome, IsOk());
  EXPECT_EQ(outcome->exit_code, 0) << outcome->output;
  EXPECT_EQ(outcome->output, "zero hello\n");
}

}  // namespace
}  // namespace hull::process
