// A program sealed from its start: this test binary re-executes itself
// through ReexecSealedAtStart before its C++ initializers, as `hull` does
// for create, run and exec (//testing:sealed_at_start).
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/pidfd.h"
#include "runtime/channel/sync_channel.h"
#include "runtime/init/container_init.h"
#include "runtime/spawn/init_spawner.h"
#include "runtime/spawn/sealed_reexec.h"
#include "testing/files.h"
#include "testing/forking_cloner.h"
#include "testing/status_matchers.h"

namespace hull::runtime {
namespace {

TEST(SealedStartTest, TheProgramRunsFromABinaryNoWriteReaches) {
  ASSERT_TRUE(StartedSealed());
  const UniqueFd exe(open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(exe.valid());
  // Root gets a read-only detached mount of the binary; any other user a
  // sealed memfd copy.
  struct statfs filesystem;
  ASSERT_EQ(fstatfs(exe.get(), &filesystem), 0);
  if (geteuid() == 0) {
    EXPECT_NE(filesystem.f_flags & ST_RDONLY, 0u);
  } else {
    EXPECT_EQ(fcntl(exe.get(), F_GET_SEALS),
              F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
  }
  // Its arguments and environment crossed the re-execution.
  EXPECT_NE(getenv("TEST_TMPDIR"), nullptr);
}

TEST(SealedStartTest, AClonesEnvironmentIsForgottenAndTheProgramsKept) {
  ASSERT_NE(getenv("TEST_TMPDIR"), nullptr);
  int ready[2];
  ASSERT_EQ(pipe2(ready, O_CLOEXEC), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ForgetStartEnvironment();
    const char verdict = getenv("TEST_TMPDIR") == nullptr ? 'y' : 'n';
    (void)!write(ready[1], &verdict, 1);
    pause();
    _exit(0);
  }
  close(ready[1]);
  char verdict = 0;
  ASSERT_EQ(read(ready[0], &verdict, 1), 1);
  close(ready[0]);
  EXPECT_EQ(verdict, 'y') << "getenv still finds the program's environment in the clone";
  absl::StatusOr<std::string> environment = ::hull::testing::ReadFile(absl::StrCat("/proc/", child, "/environ"));
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  ASSERT_TRUE(environment.ok()) << environment.status();
  EXPECT_FALSE(environment->empty());
  EXPECT_EQ(environment->find_first_not_of('\0'), std::string::npos) << *environment;
  // The program's own stays.
  EXPECT_NE(getenv("TEST_TMPDIR"), nullptr);
}

// Set by the test before the clone: a clone that was not re-executed still
// has it.
int value_before_the_clone = 0;

// Exits with a bit for each thing a sealed clone must be: 1, its environment
// forgotten; 2, non-dumpable; 4, still this program's memory (not
// re-executed, so running these steps at all).
absl::Status ReportWhatTheCloneIs(Init&) {
  int code = 0;
  if (getenv("TEST_TMPDIR") == nullptr) code |= 1;
  if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0) code |= 2;
  if (value_before_the_clone == 42) code |= 4;
  _exit(code);
}

constexpr InitStep kReportWhatTheCloneIs[] = {{"report what the clone is", ReportWhatTheCloneIs}};

// What both spawners do for a sealed init (InProcessSpawner, ForkServer):
// in a program sealed at its start, the clone runs the steps with no
// re-execution, non-dumpable and without the program's environment.
TEST(SealedStartTest, ASealedCloneRunsItsStepsNonDumpableWithoutTheEnvironment) {
  ASSERT_TRUE(StartedSealed());
  absl::StatusOr<channel::SyncChannelPair> channels = channel::CreateSyncChannelPair();
  ASSERT_THAT(channels, ::hull::testing::IsOk());
  config::Spec spec;
  InitContext context{.spec = spec, .container_id = "sealed", .channel = channels->child};
  value_before_the_clone = 42;
  ::hull::testing::ForkingCloner cloner;
  absl::StatusOr<nsenter::ClonedProcess> init =
      CloneInit(cloner, context, kReportWhatTheCloneIs, /*as_sibling=*/false, /*sealed=*/true);
  ASSERT_THAT(init, ::hull::testing::IsOk());
  EXPECT_EQ(context.sealed_exe_fd, -1) << "a sealed program's clone needs no binary to re-execute";
  EXPECT_THAT(nsenter::PidfdWait(init->pidfd.get()),
              ::hull::testing::IsOkAndHolds(nsenter::ExitStatus{.signaled = false, .code = 7}));
  // The caller is dumpable again, with its environment.
  EXPECT_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
  EXPECT_NE(getenv("TEST_TMPDIR"), nullptr);
}

}  // namespace
}  // namespace hull::runtime
