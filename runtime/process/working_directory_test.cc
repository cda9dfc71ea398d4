#include "runtime/process/working_directory.h"

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

}  // namespace
}  // namespace hull::process
