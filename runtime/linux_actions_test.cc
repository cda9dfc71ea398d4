// The parent side of create in LinuxActions, with a mocked clone: a failure
// at any point after the clone kills and reaps the init and leaves no fd.
// The mock's Clone forks for real, and the forked child runs the init with
// the steps each test gives it (no namespaces, no root needed), so the
// channel carries what a real init would send.
#include "runtime/linux_actions.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/status_util.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/clone.h"
#include "nsenter/pidfd.h"
#include "runtime/init/container_init.h"
#include "testing/held_resources.h"
#include "testing/mock_process_cloner.h"
#include "testing/status_matchers.h"

namespace hull::runtime {
namespace {

using ::hull::testing::CheckNoChildren;
using ::hull::testing::HeldResources;
using ::hull::testing::IsOk;
using ::hull::testing::MockProcessCloner;
using ::hull::testing::SnapshotHeldResources;
using ::hull::testing::StatusIs;
using statemachine::Action;
using ::testing::_;
using ::testing::InSequence;
using ::testing::StrictMock;

absl::Status FailEarly(Init&) { return absl::AbortedError("injected failure"); }
absl::Status FailLate(Init&) { return absl::AbortedError("injected later"); }

// The default step named `name`.
InitStep DefaultStep(const char* name) {
  for (const InitStep& step : DefaultInitSteps()) {
    if (std::strcmp(step.name, name) == 0) return step;
  }
  ADD_FAILURE() << "no default init step \"" << name << "\"";
  return {name, FailEarly};
}

// Forks (fork semantics, like the real clone3): the child gets pid 0.
absl::StatusOr<nsenter::ClonedProcess> ForkChild() {
  const pid_t pid = fork();
  if (pid < 0) return ErrnoStatus("fork");
  if (pid == 0) return nsenter::ClonedProcess{};
  absl::StatusOr<UniqueFd> pidfd = nsenter::PidfdOpen(pid);
  if (!pidfd.ok()) {
    kill(pid, SIGKILL);
    return pidfd.status();
  }
  return nsenter::ClonedProcess{.pid = pid, .pidfd = *std::move(pidfd)};
}

class LinuxActionsCreateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string tmpdir = std::getenv("TEST_TMPDIR");
    const std::string rootfs = absl::StrCat(tmpdir, "/rootfs");
    ASSERT_TRUE(mkdir(rootfs.c_str(), 0755) == 0 || errno == EEXIST) << strerror(errno);
    state_.set_id("c1");
    state_.set_bundle(tmpdir);
    config::Spec& spec = *state_.mutable_config();
    spec.mutable_root()->set_path(rootfs);
    spec.mutable_process()->add_args("/bin/true");
    // Hull requires a new mount namespace; the forked child has none (the
    // mocked clone ignores the flags).
    spec.mutable_linux()->add_namespaces()->set_type("mount");
    state_root_ = absl::StrCat(tmpdir, "/state");

    absl::StatusOr<HeldResources> before = SnapshotHeldResources();
    ASSERT_THAT(before, IsOk());
    before_ = *std::move(before);
  }

  // The mocked clone forks; Signal and Wait act on the forked child for real,
  // through the pidfd Clone returned, which they must be given. With
  // `after_child_exit`, the clone returns to the parent once the child has
  // exited (a zombie until the kill's reap).
  void ExpectCloneAndKill(bool after_child_exit = false) {
    EXPECT_CALL(cloner_, Clone(_)).WillOnce([this, after_child_exit](const nsenter::CloneOptions&) {
      absl::StatusOr<nsenter::ClonedProcess> cloned = ForkChild();
      if (cloned.ok() && !cloned->in_child()) {
        pidfd_ = cloned->pidfd.get();
        siginfo_t info;
        if (after_child_exit) {
          EXPECT_EQ(waitid(P_PIDFD, pidfd_, &info, WEXITED | WNOWAIT), 0) << strerror(errno);
        }
      }
      return cloned;
    });
    InSequence kill_then_reap;
    EXPECT_CALL(cloner_, Signal(_, SIGKILL)).WillOnce([this](int pidfd, int signal) {
      EXPECT_EQ(pidfd, pidfd_);
      return nsenter::PidfdSendSignal(pidfd, signal);
    });
    EXPECT_CALL(cloner_, Wait(_)).WillOnce([this](int pidfd) {
      EXPECT_EQ(pidfd, pidfd_);
      return nsenter::PidfdWait(pidfd);
    });
  }

  // A new user namespace mapping root to host uid and gid 100000.
  void AddUserNamespace() {
    config::Linux& linux = *state_.mutable_config()->mutable_linux();
    linux.add_namespaces()->set_type("user");
    for (config::IdMapping* mapping : {linux.add_uid_mappings(), linux.add_gid_mappings()}) {
      mapping->set_container_id(0);
      mapping->set_host_id(100000);
      mapping->set_size(1);
    }
  }

  // Nothing is left: no child, running or zombie, and the same fds and mounts
  // as before.
  void ExpectNothingLeft() {
    EXPECT_THAT(CheckNoChildren(), IsOk());
    absl::StatusOr<HeldResources> after = SnapshotHeldResources();
    ASSERT_THAT(after, IsOk());
    EXPECT_EQ(after->fds, before_.fds);
    EXPECT_EQ(after->mountinfo, before_.mountinfo);
  }

  statemachine::ContainerState state_;
  std::string state_root_;
  StrictMock<MockProcessCloner> cloner_;
  int pidfd_ = -1;
  HeldResources before_;
};

TEST_F(LinuxActionsCreateTest, FailedCloneLeavesNoFd) {
  EXPECT_CALL(cloner_, Clone(_)).WillOnce([](const nsenter::CloneOptions&) {
    return absl::ResourceExhaustedError("clone3: Resource temporarily unavailable");
  });
  LinuxActions actions(state_root_, cloner_);

  EXPECT_THAT(
      actions.Run(Action::kCloneInit, state_),
      StatusIs(absl::StatusCode::kResourceExhausted, "clone3: Resource temporarily unavailable"));
  EXPECT_EQ(state_.pid(), 0);
  ExpectNothingLeft();
}

TEST_F(LinuxActionsCreateTest, ChildErrorBeforeReadyForHooksKillsAndReapsTheInit) {
  ExpectCloneAndKill();
  const InitStep steps[] = {{"fail early", FailEarly}};
  LinuxActions actions(state_root_, cloner_, steps);

  EXPECT_THAT(actions.Run(Action::kCloneInit, state_),
              StatusIs(absl::StatusCode::kAborted,
                       "container init failed to fail early: injected failure"));
  EXPECT_EQ(state_.pid(), 0);
  ExpectNothingLeft();
}

TEST_F(LinuxActionsCreateTest, ChildErrorBeforeChildReadyIsReportedAndUndoKillsTheInit) {
  ExpectCloneAndKill();
  const InitStep steps[] = {DefaultStep("wait for the prestart and createRuntime hooks"),
                            {"fail late", FailLate}};
  LinuxActions actions(state_root_, cloner_, steps);

  ASSERT_THAT(actions.Run(Action::kCloneInit, state_), IsOk());
  EXPECT_GT(state_.pid(), 0);
  EXPECT_THAT(
      actions.Run(Action::kRunCreateContainerHooks, state_),
      StatusIs(absl::StatusCode::kAborted, "container init failed to fail late: injected later"));
  // What the engine does when a later action of the create row fails.
  EXPECT_THAT(actions.Undo(Action::kCloneInit, state_), IsOk());
  ExpectNothingLeft();
}

TEST_F(LinuxActionsCreateTest, FailureToWriteIdMapsKillsAndReapsTheInit) {
  AddUserNamespace();
  ExpectCloneAndKill();
  // The forked child is in the test's user namespace, whose maps are written
  // already: the kernel refuses new ones.
  const InitStep steps[] = {DefaultStep("wait for its id maps")};
  LinuxActions actions(state_root_, cloner_, steps);

  EXPECT_THAT(actions.Run(Action::kCloneInit, state_),
              StatusIs(absl::StatusCode::kPermissionDenied, ::testing::HasSubstr("uid_map")));
  EXPECT_EQ(state_.pid(), 0);
  ExpectNothingLeft();
}

// The init failed and exited before the launcher wrote its id maps: what the
// launcher reports is the init's error, not the write's.
TEST_F(LinuxActionsCreateTest, AnInitThatFailedFirstReportsItsOwnError) {
  AddUserNamespace();
  ExpectCloneAndKill(/*after_child_exit=*/true);
  const InitStep steps[] = {{"fail early", FailEarly}};
  LinuxActions actions(state_root_, cloner_, steps);

  EXPECT_THAT(actions.Run(Action::kCloneInit, state_),
              StatusIs(absl::StatusCode::kAborted,
                       "container init failed to fail early: injected failure"));
  EXPECT_EQ(state_.pid(), 0);
  ExpectNothingLeft();
}

// A create that crashed before its init reported ready leaves a creating
// container with no pid: deleting it has no process to kill.
TEST(LinuxActionsDeleteTest, KillAllOfAContainerWithoutInitDoesNothing) {
  StrictMock<MockProcessCloner> cloner;
  LinuxActions actions(absl::StrCat(std::getenv("TEST_TMPDIR"), "/state"), cloner);
  statemachine::ContainerState state;
  state.set_id("c1");
  state.set_status(statemachine::STATE_CREATING);

  EXPECT_THAT(actions.Run(Action::kKillAll, state), IsOk());
}

}  // namespace
}  // namespace hull::runtime
