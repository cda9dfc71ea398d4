// Needs root: switches ids in a child chrooted into the busybox rootfs and
// observes them from the busybox process it execs.
#include <sched.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/procfs_files.h"
#include "runtime/user/exec_user.h"
#include "runtime/user/identity.h"
#include "testing/child_process.h"
#include "testing/rootfs_fixture.h"
#include "testing/status_matchers.h"

namespace hull::user {
namespace {

using ::hull::testing::ChildOptions;
using ::hull::testing::ChildOutcome;
using ::hull::testing::IsOk;
using ::hull::testing::kChildBodyFailed;
using ::hull::testing::RootfsFixture;
using ::hull::testing::RunInChild;
using ::testing::HasSubstr;

// In a child chrooted into the busybox rootfs: resolves `user_spec` against
// the rootfs's own files, switches to it, execs `sh -c script`.
ChildOutcome SwitchThenShell(const std::string& user_spec, const std::string& script) {
  absl::StatusOr<RootfsFixture> rootfs = RootfsFixture::Create();
  EXPECT_THAT(rootfs, IsOk());
  ChildOptions options;
  options.unshare_flags = CLONE_NEWNS;
  options.chroot_dir = rootfs.ok() ? rootfs->path() : "/nonexistent";
  absl::StatusOr<ChildOutcome> outcome = RunInChild(options, [&]() -> absl::Status {
    absl::StatusOr<UserDatabase> database = ReadUserDatabase("/", user_spec);
    if (!database.ok()) return database.status();
    absl::StatusOr<ExecUser> user = ResolveExecUser(user_spec, {4242}, *database);
    if (!user.ok()) return user.status();
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
      return ErrnoStatus("pdeathsig");
    LinuxProcFiles proc;
    LinuxIdentity identity(proc);
    if (absl::Status status = SwitchUser(*user, identity); !status.ok()) return status;
    int signal = 0;
    if (prctl(PR_GET_PDEATHSIG, &signal, 0, 0, 0) != 0 || signal != SIGKILL) {
      return absl::InternalError(
          absl::StrCat("parent death signal is ", signal, " after the switch"));
    }
    execl("/bin/sh", "sh", "-c", script.c_str(), nullptr);
    return ErrnoStatus("exec /bin/sh");
  });
  EXPECT_THAT(outcome, IsOk());
  return outcome.value_or(ChildOutcome());
}

TEST(IdentityRootTest, SwitchesToANamedUserOfTheRootfs) {
  const ChildOutcome outcome = SwitchThenShell(
      "user",
      "grep -E '^(Uid|Gid|Groups):' /proc/self/status; stat -L -c 'stdout %u' /proc/self/fd/1");
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_EQ(outcome.output,
            "Uid:\t1000\t1000\t1000\t1000\n"
            "Gid:\t1000\t1000\t1000\t1000\n"
            "Groups:\t29 4242 \n"
            "stdout 1000\n");
}

TEST(IdentityRootTest, SwitchesToNumericIds) {
  const ChildOutcome outcome =
      SwitchThenShell("4000:4001", "grep -E '^(Uid|Gid|Groups):' /proc/self/status; echo $HOME");
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_EQ(outcome.output,
            "Uid:\t4000\t4000\t4000\t4000\n"
            "Gid:\t4001\t4001\t4001\t4001\n"
            "Groups:\t4242 \n"
            "\n");
}

TEST(IdentityRootTest, UnknownUserIsAnError) {
  const ChildOutcome outcome = SwitchThenShell("daemonx", "id");
  EXPECT_EQ(outcome.exit_code, kChildBodyFailed);
  EXPECT_EQ(outcome.output, "unable to find user daemonx: no matching entries in passwd file\n");
}

}  // namespace
}  // namespace hull::user
