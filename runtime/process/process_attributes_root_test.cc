// Needs root: each attribute is set in a child chrooted into the busybox
// rootfs and observed by the busybox process it execs. How the init's steps
// set them all together, in order, is runtime/init's container_init_root_test.
#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_util.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/process/close_fds.h"
#include "runtime/process/executable.h"
#include "runtime/process/oom_score_adj.h"
#include "runtime/process/rlimits.h"
#include "runtime/process/umask.h"
#include "runtime/process/working_directory.h"
#include "base/procfs_files.h"
#include "base/status_macros.h"
#include "testing/child_process.h"
#include "testing/rootfs_fixture.h"
#include "testing/status_matchers.h"

namespace hull::process {
namespace {

using ::hull::testing::ChildOptions;
using ::hull::testing::ChildOutcome;
using ::hull::testing::IsOk;
using ::hull::testing::kChildBodyFailed;
using ::hull::testing::RootfsFixture;
using ::hull::testing::RunInChild;
using ::testing::HasSubstr;

// Runs `body` in a child chrooted into a fresh busybox rootfs, with the new
// namespaces `flags` besides a mount namespace.
ChildOutcome InContainer(const std::function<absl::Status()>& body, int flags = 0) {
  absl::StatusOr<RootfsFixture> rootfs = RootfsFixture::Create();
  EXPECT_THAT(rootfs, IsOk());
  ChildOptions options;
  options.unshare_flags = CLONE_NEWNS | flags;
  options.chroot_dir = rootfs.ok() ? rootfs->path() : "/nonexistent";
  absl::StatusOr<ChildOutcome> outcome = RunInChild(options, body);
  EXPECT_THAT(outcome, IsOk());
  return outcome.value_or(ChildOutcome());
}

absl::Status Shell(const std::string& script) {
  return Execute("/bin/sh", {"sh", "-c", script}, {"PATH=/bin"});
}

config::Rlimit Rlimit(const char* type, uint64_t soft, uint64_t hard) {
  config::Rlimit rlimit;
  rlimit.set_type(type);
  rlimit.set_soft(soft);
  rlimit.set_hard(hard);
  return rlimit;
}

TEST(ProcessAttributesRootTest, RlimitsReachTheProcess) {
  config::Process process;
  *process.add_rlimits() = Rlimit("RLIMIT_NOFILE", 1024, 2048);
  *process.add_rlimits() = Rlimit("RLIMIT_CORE", 0, 0);
  const ChildOutcome outcome = InContainer([&]() -> absl::Status {
    LinuxResourceLimits limits;
    RETURN_IF_ERROR(ApplyRlimits(process, limits));
    return Shell("ulimit -n; ulimit -Hn; ulimit -c");
  });
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_EQ(outcome.output, "1024\n2048\n0\n");
}

TEST(ProcessAttributesRootTest, RaisingAHardLimitWithoutCapSysResourceSaysWhy) {
  struct rlimit current;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &current), 0);
  ASSERT_NE(current.rlim_max, RLIM_INFINITY);
  config::Process process;
  *process.add_rlimits() = Rlimit("RLIMIT_NOFILE", 1024, current.rlim_max + 1);
  const ChildOutcome outcome = InContainer([&] {
    LinuxResourceLimits limits;
    return ApplyRlimits(process, limits);
  });
  EXPECT_EQ(outcome.exit_code, kChildBodyFailed);
  EXPECT_EQ(outcome.output,
            absl::StrCat("setrlimit RLIMIT_NOFILE to soft 1024, hard ", current.rlim_max + 1,
                         ": Operation not permitted (current soft ", current.rlim_cur, ", hard ",
                         current.rlim_max, "; raising a hard limit needs CAP_SYS_RESOURCE)\n"));
}

TEST(ProcessAttributesRootTest, OomScoreAdj) {
  config::Process raise;
  raise.set_oom_score_adj(500);
  const ChildOutcome raised = InContainer([&]() -> absl::Status {
    LinuxProcFiles proc;
    RETURN_IF_ERROR(SetOomScoreAdj(raise, proc));
    return Shell("cat /proc/self/oom_score_adj");
  });
  EXPECT_EQ(raised.exit_code, 0) << raised.output;
  EXPECT_EQ(raised.output, "500\n");

  config::Process lower;
  lower.set_oom_score_adj(-100);
  const ChildOutcome lowered = InContainer([&] {
    LinuxProcFiles proc;
    return SetOomScoreAdj(lower, proc);
  });
  EXPECT_EQ(lowered.exit_code, kChildBodyFailed);
  EXPECT_EQ(lowered.output,
            "write /proc/self/oom_score_adj: Permission denied (setting oom_score_adj to -100 "
            "lowers it, which needs CAP_SYS_RESOURCE)\n");
}

TEST(ProcessAttributesRootTest, Umask) {
  config::User user;
  user.set_umask(027);
  const ChildOutcome outcome = InContainer([&] {
    SetUmask(user);
    return Shell("umask; touch /tmp/f; stat -c %a /tmp/f");
  });
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_EQ(outcome.output, "0027\n640\n");
}

TEST(ProcessAttributesRootTest, WorkingDirectory) {
  const ChildOutcome entered = InContainer([]() -> absl::Status {
    RETURN_IF_ERROR(EnterWorkingDirectory("/home/user"));
    return Shell("pwd");
  });
  EXPECT_EQ(entered.exit_code, 0) << entered.output;
  EXPECT_EQ(entered.output, "/home/user\n");

  const ChildOutcome missing = InContainer([] { return EnterWorkingDirectory("/nope"); });
  EXPECT_EQ(missing.exit_code, kChildBodyFailed);
  EXPECT_EQ(missing.output, "cwd \"/nope\" does not exist in the container\n");
}

TEST(ProcessAttributesRootTest, ACwdThroughALeakedHostFdIsRefused) {
  // CVE-2024-21626: an fd on a host directory, still open in the init, is
  // reachable as /proc/self/fd/N after the chroot.
  const int host_dir = open("/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(host_dir, 0);
  const ChildOutcome outcome =
      InContainer([&] { return EnterWorkingDirectory(absl::StrCat("/proc/self/fd/", host_dir)); });
  close(host_dir);
  EXPECT_EQ(outcome.exit_code, kChildBodyFailed);
  EXPECT_THAT(outcome.output,
              HasSubstr(absl::StrCat("cwd \"/proc/self/fd/", host_dir,
                                     "\" is outside the container's root filesystem")));
}

TEST(ProcessAttributesRootTest, OnlyStdioAndPreservedFdsReachTheProcess) {
  const ChildOutcome outcome = InContainer([]() -> absl::Status {
    // fd 3 is the one preserved fd; 9 and 12 are the init's own, 12 kept
    // (close-on-exec) until the exec.
    for (const int fd : {3, 9, 12}) {
      if (dup2(STDERR_FILENO, fd) != fd) return ErrnoStatus("dup2");
    }
    RETURN_IF_ERROR(MarkCloseOnExecFrom(4));
    RETURN_IF_ERROR(CloseFdsFrom(4, {12}));
    if (fcntl(9, F_GETFD) >= 0) return absl::InternalError("fd 9 is still open");
    if (fcntl(12, F_GETFD) != FD_CLOEXEC) return absl::InternalError("fd 12 is not close-on-exec");
    // The listing's own directory fd is the lowest free one, 4.
    return Shell("ls /proc/self/fd");
  });
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_EQ(outcome.output, "0\n1\n2\n3\n4\n");
}

TEST(ProcessAttributesRootTest, AMissingProgramIsReportedInRuncsWords) {
  const ChildOutcome outcome = InContainer([]() -> absl::Status {
    ASSIGN_OR_RETURN(const std::string executable, FindExecutable("nosuch", "/usr/bin:/bin"));
    return Execute(executable, {"nosuch"}, {});
  });
  EXPECT_EQ(outcome.exit_code, kChildBodyFailed);
  EXPECT_EQ(outcome.output, "exec: \"nosuch\": executable file not found in $PATH\n");
}

}  // namespace
}  // namespace hull::process
