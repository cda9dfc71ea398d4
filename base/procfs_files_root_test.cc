// Needs root: mounts over /proc inside a child's private mount namespace.
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/procfs_files.h"
#include "testing/child_process.h"
#include "testing/status_matchers.h"

namespace hull {
namespace {

using ::hull::testing::ChildOptions;
using ::hull::testing::ChildOutcome;
using ::hull::testing::IsOk;
using ::hull::testing::RunInChild;
using ::testing::HasSubstr;

// Mounts `fs_type` (a tmpfs, or a bind of `source`) over `target`, creating
// `file` in it when set, all in a child's private mount namespace; then writes
// a sysctl through LinuxProcFiles there. The child prints what happened.
absl::StatusOr<ChildOutcome> WriteOverMount(const std::string& source, const std::string& target,
                                            const std::string& file = "") {
  ChildOptions options;
  options.unshare_flags = CLONE_NEWNS;
  return RunInChild(options, [&]() -> absl::Status {
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
      return ErrnoStatus("make / rprivate");
    }
    const int result = source.empty()
                           ? mount("tmpfs", target.c_str(), "tmpfs", 0, nullptr)
                           : mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr);
    if (result != 0) return ErrnoStatus("mount on ", target);
    if (!file.empty()) {
      const std::string dir = file.substr(0, file.rfind('/'));
      if (std::system(absl::StrCat("mkdir -p ", dir, " && touch ", file).c_str()) != 0) {
        return absl::InternalError(absl::StrCat("create ", file));
      }
    }
    LinuxProcFiles proc;
    absl::Status status = proc.Write("sys/kernel/domainname", "attacker");
    if (status.ok()) return absl::InternalError("the write went through");
    return absl::InternalError(absl::StrCat("refused: ", status.ToString()));
  });
}

TEST(LinuxProcFilesRootTest, RefusesAFileBindMountedOverAProcFile) {
  const std::string decoy = absl::StrCat(std::getenv("TEST_TMPDIR"), "/decoy");
  const int fd = open(decoy.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  close(fd);

  absl::StatusOr<ChildOutcome> outcome = WriteOverMount(decoy, "/proc/sys/kernel/domainname");
  ASSERT_THAT(outcome, IsOk());
  EXPECT_THAT(outcome->output, HasSubstr("refused: FAILED_PRECONDITION: "
                                         "/proc/sys/kernel/domainname is not on procfs"));

  // Nothing reached the decoy.
  char buffer[16];
  const int read_fd = open(decoy.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(read_fd, 0);
  EXPECT_EQ(read(read_fd, buffer, sizeof(buffer)), 0);
  close(read_fd);
}

TEST(LinuxProcFilesRootTest, RefusesAFileOnATmpfsMountedOverProcSys) {
  absl::StatusOr<ChildOutcome> outcome =
      WriteOverMount("", "/proc/sys", "/proc/sys/kernel/domainname");
  ASSERT_THAT(outcome, IsOk());
  EXPECT_THAT(outcome->output, HasSubstr("refused: FAILED_PRECONDITION: "
                                         "/proc/sys/kernel/domainname is not on procfs"));
}

TEST(LinuxProcFilesRootTest, RefusesATmpfsMountedOverProc) {
  absl::StatusOr<ChildOutcome> outcome = WriteOverMount("", "/proc", "/proc/sys/kernel/domainname");
  ASSERT_THAT(outcome, IsOk());
  EXPECT_THAT(outcome->output, HasSubstr("refused: FAILED_PRECONDITION: /proc is not on procfs"));
}

}  // namespace
}  // namespace hull
