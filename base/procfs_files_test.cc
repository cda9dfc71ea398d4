#include "base/procfs_files.h"

#include <unistd.h>

#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/child_process.h"
#include "testing/files.h"
#include "testing/status_matchers.h"

namespace hull {
namespace {

using ::hull::testing::ChildOutcome;
using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::ReadFile;
using ::hull::testing::RunInChild;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(LinuxProcFilesTest, ReadsAProcFile) {
  LinuxProcFiles proc;
  absl::StatusOr<std::string> last_cap = proc.Read("sys/kernel/cap_last_cap");
  ASSERT_THAT(last_cap, IsOk());
  EXPECT_THAT(*last_cap, MatchesRegex("[0-9]+\n"));
}

TEST(LinuxProcFilesTest, FollowsTheSelfSymlink) {
  LinuxProcFiles proc;
  absl::StatusOr<std::string> status = proc.Read("self/status");
  ASSERT_THAT(status, IsOk());
  EXPECT_THAT(*status, HasSubstr(absl::StrCat("\nPid:\t", getpid(), "\n")));
}

// Raising its own oom_score_adj needs no privilege: a child does it, so that
// the test process keeps its own, and reads the value back by another way.
TEST(LinuxProcFilesTest, WritesAProcFile) {
  absl::StatusOr<ChildOutcome> outcome = RunInChild({}, []() -> absl::Status {
    const absl::StatusOr<std::string> before = ReadFile("/proc/self/oom_score_adj");
    if (!before.ok()) return before.status();
    if (*before == "1000\n") return absl::FailedPreconditionError("oom_score_adj is 1000 already");
    const absl::Status written = LinuxProcFiles().Write("self/oom_score_adj", "1000");
    if (!written.ok()) return written;
    const absl::StatusOr<std::string> after = ReadFile("/proc/self/oom_score_adj");
    if (!after.ok()) return after.status();
    const std::string line = absl::StrCat("after: ", *after);
    (void)!write(STDOUT_FILENO, line.data(), line.size());
    return absl::OkStatus();
  });
  ASSERT_THAT(outcome, IsOk());
  EXPECT_EQ(outcome->exit_code, 0) << outcome->output;
  EXPECT_EQ(outcome->output, "after: 1000\n");
}

TEST(LinuxProcFilesTest, RefusesAMountPointThatIsNotProcfs) {
  const char* tmpdir = std::getenv("TEST_TMPDIR");
  ASSERT_NE(tmpdir, nullptr);
  LinuxProcFiles fake(tmpdir);
  EXPECT_THAT(fake.Read("self/status"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr(absl::StrCat(tmpdir, " is not on procfs"))));
  EXPECT_THAT(fake.Write("sys/kernel/hostname", "x"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not on procfs")));
}

// A container without a mount namespace of its own chroots where no procfs
// is: its init pins the host's first.
TEST(LinuxProcFilesTest, APinnedProcfsIsReachedWhenTheMountPointNoLongerIsOne) {
  const std::string link = absl::StrCat(std::getenv("TEST_TMPDIR"), "/pinned-proc");
  ASSERT_EQ(symlink("/proc", link.c_str()), 0);
  LinuxProcFiles files(link);
  ASSERT_THAT(files.Pin(), IsOk());
  ASSERT_EQ(unlink(link.c_str()), 0);
  ASSERT_EQ(symlink(std::getenv("TEST_TMPDIR"), link.c_str()), 0);
  EXPECT_THAT(files.Read("self/status"), IsOkAndHolds(HasSubstr("Pid:")));
  LinuxProcFiles unpinned(link);
  EXPECT_THAT(unpinned.Read("self/status"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not on procfs")));
  EXPECT_THAT(unpinned.Pin(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not on procfs")));
  ASSERT_EQ(unlink(link.c_str()), 0);
}

TEST(LinuxProcFilesTest, RefusesMagicLinks) {
  LinuxProcFiles proc;
  EXPECT_THAT(proc.Read("self/fd/0"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("open /proc/self/fd/0: ")));
  EXPECT_THAT(proc.Read("self/root/etc/passwd"), StatusIs(absl::StatusCode::kFailedPrecondition,
                                                          HasSubstr("open /proc/self/root/etc")));
}

TEST(LinuxProcFilesTest, RefusesPathsOutsideProc) {
  LinuxProcFiles proc;
  EXPECT_THAT(proc.Read("../etc/passwd"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "open /proc/../etc/passwd: Invalid cross-device link (magic links, final "
                       "symlinks and paths out of procfs are refused)"));
  EXPECT_THAT(proc.Read("/etc/passwd"), StatusIs(absl::StatusCode::kInvalidArgument,
                                                 HasSubstr("is not a path relative to /proc")));
  EXPECT_THAT(proc.Write("", "1"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is not a path")));
}

TEST(LinuxProcFilesTest, ReportsAMissingFile) {
  LinuxProcFiles proc;
  EXPECT_THAT(proc.Write("sys/no/such/sysctl", "1"),
              StatusIs(absl::StatusCode::kNotFound,
                       "open /proc/sys/no/such/sysctl: No such file or directory"));
}

}  // namespace
}  // namespace hull
