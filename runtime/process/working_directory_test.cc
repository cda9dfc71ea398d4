#include "runtime/process/working_directory.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/child_process.h"
#include "testing/status_matchers.h"

namespace hull::process {
namespace {

using ::hull::testing::ChildOutcome;
using ::hull::testing::IsOk;
using ::hull::testing::RunInChild;
using ::hull::testing::StatusIs;

// Runs `enter` in a child (chdir would move the test itself) and returns
// "<status>|<cwd after>".
std::string InChild(const std::function<absl::Status()>& enter) {
  absl::StatusOr<ChildOutcome> outcome = RunInChild({}, [&]() -> absl::Status {
    const absl::Status status = enter();
    char cwd[4096];
    const std::string line =
        absl::StrCat(status.ToString(), "|", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
    (void)!write(STDOUT_FILENO, line.data(), line.size());
    return absl::OkStatus();
  });
  EXPECT_THAT(outcome, IsOk());
  return outcome.ok() ? outcome->output : "";
}

TEST(EnterWorkingDirectoryTest, EntersAnExistingDirectory) {
  EXPECT_EQ(InChild([] { return EnterWorkingDirectory("/tmp"); }), "OK|/tmp");
  EXPECT_EQ(InChild([] { return TryEnterWorkingDirectory("/tmp").status(); }), "OK|/tmp");
}

TEST(EnterWorkingDirectoryTest, AnEmptyCwdStaysPut) {
  EXPECT_EQ(
      InChild([] { return chdir("/") == 0 ? EnterWorkingDirectory("") : absl::UnknownError(""); }),
      "OK|/");
}

TEST(EnterWorkingDirectoryTest, SaysWhatIsWrongWithTheCwd) {
  const auto from_root = [](absl::string_view cwd) {
    return [cwd] { return chdir("/") == 0 ? EnterWorkingDirectory(cwd) : absl::UnknownError(""); };
  };
  EXPECT_EQ(InChild(from_root("/nope")),
            "NOT_FOUND: cwd \"/nope\" does not exist in the container|/");
  EXPECT_EQ(InChild(from_root("/etc/passwd")),
            "FAILED_PRECONDITION: cwd \"/etc/passwd\" is not a directory|/");
}

TEST(CreateWorkingDirectoryTest, CreatesTheMissingDirectoriesWithMode0755) {
  const std::string base = absl::StrCat(getenv("TEST_TMPDIR"), "/create-cwd");
  const mode_t old_umask = umask(077);
  EXPECT_THAT(CreateWorkingDirectory(base + "/a//b/c/"), IsOk());
  umask(old_umask);
  for (const std::string& dir : {base, base + "/a", base + "/a/b", base + "/a/b/c"}) {
    struct stat created;
    ASSERT_EQ(stat(dir.c_str(), &created), 0) << dir;
    EXPECT_TRUE(S_ISDIR(created.st_mode)) << dir;
    EXPECT_EQ(created.st_mode & 07777, 0755u) << dir;
  }
  // Existing: nothing to do.
  EXPECT_THAT(CreateWorkingDirectory(base + "/a/b"), IsOk());
  EXPECT_THAT(CreateWorkingDirectory(""), IsOk());
}

TEST(CreateWorkingDirectoryTest, AFileInThePathIsAnError) {
  const std::string file = absl::StrCat(getenv("TEST_TMPDIR"), "/cwd-file");
  ASSERT_EQ(close(creat(file.c_str(), 0644)), 0);
  EXPECT_THAT(CreateWorkingDirectory(file + "/sub"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::HasSubstr(absl::StrCat("create cwd \"", file, "/sub\": mkdir \"",
                                                         file, "/sub\": Not a directory"))));
}

}  // namespace
}  // namespace hull::process
