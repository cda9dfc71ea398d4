// The parent side of create in LinuxActions: a failure at any point after
// the clone kills and reaps the init and leaves no fd. The init is forked for
// real (testing/forking_cloner.h) and runs the steps each test gives it (no
// namespaces, no root needed), so the channel carries what a real init
// would send.
#include "runtime/linux_actions.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/fd.h"
#include "base/fd_passing.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/clone.h"
#include "nsenter/pidfd.h"
#include "runtime/channel/sync_message.pb.h"
#include "runtime/console/console_socket.h"
#include "runtime/init/container_init.h"
#include "runtime/recorded_config.h"
#include "runtime/spawn/init_spawner.h"
#include "statemachine/transitions.h"
#include "testing/held_resources.h"
#include "testing/forking_cloner.h"
#include "testing/mock_cgroup_manager.h"
#include "testing/status_matchers.h"
#include "testing/unix_listener.h"

namespace hull::runtime {
namespace {

using ::hull::testing::CheckNoChildren;
using ::hull::testing::HeldResources;
using ::hull::testing::IsOk;
using ::hull::testing::ForkingCloner;
using ::hull::testing::MockManager;
using ::hull::testing::MockManagerFactory;
using ::hull::testing::SnapshotHeldResources;
using ::hull::testing::StatusIs;
using ::hull::testing::UnixListener;
using statemachine::Action;
using ::testing::NiceMock;
using ::testing::StrictMock;

absl::Status FailEarly(Init&) { return absl::AbortedError("injected failure"); }
absl::Status FailLate(Init&) { return absl::AbortedError("injected later"); }

// The default step named `name`.
InitStep DefaultStep(const char* name) {
  const InitStep* step = FindDefaultInitStep(name);
  if (step != nullptr) return *step;
  ADD_FAILURE() << "no default init step \"" << name << "\"";
  return {name, FailEarly};
}

// Exits at once, as an init that failed before it could report why would.
absl::Status ExitAtOnce(Init&) { _exit(1); }

// Waits for what never comes, using no CPU.
absl::Status WaitForever(Init&) {
  while (true) pause();
}

// How long SlowInit works: well beyond the quiet period of the tests that
// run it.
constexpr absl::Duration kSlowInitWork = absl::Milliseconds(2500);

// Works (uses CPU) for kSlowInitWork before it goes on, as an init on a
// loaded or emulated machine is slow.
absl::Status SlowInit(Init&) {
  const absl::Time end = absl::Now() + kSlowInitWork;
  while (absl::Now() < end) {
  }
  return absl::OkStatus();
}

constexpr char kStandInMaster[] = "a pty master's stand-in";

// What the init's terminal step sends (a memfd stands in for the master),
// then ChildReady.
absl::Status SendPtyMasterThenReady(Init& init) {
  const UniqueFd master(memfd_create("master", MFD_CLOEXEC));
  if (!master.valid() ||
      write(master.get(), kStandInMaster, sizeof(kStandInMaster)) != sizeof(kStandInMaster)) {
    return ErrnoStatus("make the stand-in");
  }
  channel::SyncMessage message;
  message.mutable_pty_master();
  const int fds[] = {master.get()};
  RETURN_IF_ERROR(ContextOf(init).channel.Send(message, fds));
  message.mutable_child_ready();
  return ContextOf(init).channel.Send(message);
}

constexpr char kStandInListener[] = "a seccomp listener's stand-in";

// What the init's seccomp step sends for a notifying filter (a memfd stands
// in for the listener), then ChildReady.
absl::Status SendSeccompListenerThenReady(Init& init) {
  const UniqueFd listener(memfd_create("listener", MFD_CLOEXEC));
  if (!listener.valid() || write(listener.get(), kStandInListener, sizeof(kStandInListener)) !=
                               sizeof(kStandInListener)) {
    return ErrnoStatus("make the stand-in");
  }
  channel::SyncMessage message;
  message.mutable_seccomp_listener();
  const int fds[] = {listener.get()};
  RETURN_IF_ERROR(ContextOf(init).channel.Send(message, fds));
  message.mutable_child_ready();
  return ContextOf(init).channel.Send(message);
}

// The create row's actions with an init that is a plain fork (ForkingCloner:
// no namespaces, no root needed) running the steps each test gives it, and
// cgroups that are mocks. The config has a prestart hook (which only the
// kRunPrestartHooks action, not run here, would run), so that the init
// waits after its mounts (channel::InitWaitsAfterMounts), unless a test
// takes it away.
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
    // A mount namespace of its own, as containers have; the forked child
    // gets none (the cloner ignores the flags).
    spec.mutable_linux()->add_namespaces()->set_type("mount");
    spec.mutable_hooks()->add_prestart()->set_path("/bin/true");
    state_root_ = absl::StrCat(tmpdir, "/state");
    ON_CALL(cgroups_, Restore).WillByDefault([](const auto&, const auto&) {
      auto manager = std::make_unique<NiceMock<MockManager>>();
      ON_CALL(*manager, OpenCloneTargets).WillByDefault([](const cgroups::SubCgroups&) { return cgroups::CloneTargets(); });
      // Waits on the init longer than a check interval look.
      ON_CALL(*manager, IsFrozen).WillByDefault(::testing::Return(false));
      return absl::StatusOr<std::unique_ptr<cgroups::Manager>>(std::move(manager));
    });

    absl::StatusOr<HeldResources> before = SnapshotHeldResources();
    ASSERT_THAT(before, IsOk());
    before_ = *std::move(before);
  }

  // The actions of a create whose init runs `steps`.
  LinuxActions Actions(absl::Span<const InitStep> steps, int console_socket = -1) {
    spawner_.emplace(cloner_, steps);
    environment_.emplace(ActionEnvironment{.state_root = state_root_,
                                           .spawner = *spawner_,
                                           .cgroups = cgroups_,
                                           .child_quiet_period = quiet_period_});
    return LinuxActions(*environment_, CreateOptions{.bundle = state_.bundle(),
                                                     .console_socket = console_socket});
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
  absl::Duration quiet_period_ = absl::Minutes(1);
  ForkingCloner cloner_;
  NiceMock<MockManagerFactory> cgroups_;
  std::optional<InProcessSpawner> spawner_;
  std::optional<ActionEnvironment> environment_;
  HeldResources before_;
};

TEST_F(LinuxActionsCreateTest, FailedCloneLeavesNoFd) {
  cloner_.FailNextClone(absl::ResourceExhaustedError("clone3: Resource temporarily unavailable"));
  const InitStep steps[] = {{"fail early", FailEarly}};
  LinuxActions actions = Actions(steps);

  EXPECT_THAT(
      actions.Run(Action::kCloneInit, state_),
      StatusIs(absl::StatusCode::kResourceExhausted, "clone3: Resource temporarily unavailable"));
  EXPECT_EQ(state_.pid(), 0);
  ExpectNothingLeft();
}

TEST_F(LinuxActionsCreateTest, ChildErrorBeforeReadyForHooksKillsAndReapsTheInit) {
  const InitStep steps[] = {{"fail early", FailEarly}};
  LinuxActions actions = Actions(steps);

  EXPECT_THAT(actions.Run(Action::kCloneInit, state_),
              StatusIs(absl::StatusCode::kAborted,
                       "container init failed to fail early: injected failure"));
  EXPECT_EQ(cloner_.clones(), 1);
  EXPECT_EQ(state_.pid(), 0);
  ExpectNothingLeft();
}

TEST_F(LinuxActionsCreateTest, AnInitThatDiesSilentlyIsReportedAndReaped) {
  const InitStep steps[] = {{"exit at once", ExitAtOnce}};
  LinuxActions actions = Actions(steps);

  EXPECT_THAT(actions.Run(Action::kCloneInit, state_),
              StatusIs(absl::StatusCode::kUnavailable,
                       "container init exited before sending ReadyForHooks"));
  ExpectNothingLeft();
}

TEST_F(LinuxActionsCreateTest, AnInitThatUsesNoCpuForTheQuietPeriodIsKilledAndReaped) {
  quiet_period_ = absl::Seconds(1);
  const InitStep steps[] = {{"wait forever", WaitForever}};
  LinuxActions actions = Actions(steps);

  const absl::Time start = absl::Now();
  EXPECT_THAT(actions.Run(Action::kCloneInit, state_),
              StatusIs(absl::StatusCode::kDeadlineExceeded,
                       "the container init sent nothing and used no CPU for 1s: it waits for "
                       "something that does not come"));
  EXPECT_GE(absl::Now() - start, absl::Seconds(1));
  EXPECT_EQ(state_.pid(), 0);
  ExpectNothingLeft();
}

TEST_F(LinuxActionsCreateTest, ASlowInitThatKeepsUsingCpuIsWaitedFor) {
  quiet_period_ = absl::Seconds(1);
  const InitStep steps[] = {{"work slowly", SlowInit},
                            DefaultStep("wait for the prestart and createRuntime hooks")};
  LinuxActions actions = Actions(steps);

  const absl::Time start = absl::Now();
  ASSERT_THAT(actions.Run(Action::kCloneInit, state_), IsOk());
  // Longer than the quiet period: it was waited for because it worked.
  EXPECT_GE(absl::Now() - start, kSlowInitWork);
  EXPECT_GT(state_.pid(), 0);
  EXPECT_THAT(actions.Undo(Action::kCloneInit, state_), IsOk());
  ExpectNothingLeft();
}

TEST_F(LinuxActionsCreateTest, ChildErrorBeforeChildReadyIsReportedAndUndoKillsTheInit) {
  const InitStep steps[] = {DefaultStep("wait for the prestart and createRuntime hooks"),
                            {"fail late", FailLate}};
  LinuxActions actions = Actions(steps);

  ASSERT_THAT(actions.Run(Action::kCloneInit, state_), IsOk());
  EXPECT_GT(state_.pid(), 0);
  EXPECT_THAT(
      actions.Run(Action::kAwaitInitReady, state_),
      StatusIs(absl::StatusCode::kAborted, "container init failed to fail late: injected later"));
  // What the engine does when a later action of the create row fails.
  EXPECT_THAT(actions.Undo(Action::kCloneInit, state_), IsOk());
  ExpectNothingLeft();
}

// Sends ChildReady, as the init does once its process is set up.
absl::Status SendChildReady(Init& init) {
  channel::SyncMessage message;
  message.mutable_child_ready();
  return ContextOf(init).channel.Send(message);
}

TEST_F(LinuxActionsCreateTest, WithoutHooksTheInitDoesNotWaitAfterItsMounts) {
  state_.mutable_config()->clear_hooks();
  // Were the init to wait, it would wait for ever (the launcher sends no
  // HooksDone), and AwaitInitReady with it.
  const InitStep steps[] = {DefaultStep("wait for the prestart and createRuntime hooks"),
                            {"report ready", SendChildReady}};
  LinuxActions actions = Actions(steps);

  ASSERT_THAT(actions.Run(Action::kCloneInit, state_), IsOk());
  EXPECT_GT(state_.pid(), 0);
  ASSERT_THAT(actions.Run(Action::kAwaitInitReady, state_), IsOk());
  EXPECT_THAT(actions.Undo(Action::kCloneInit, state_), IsOk());
  ExpectNothingLeft();
}

TEST_F(LinuxActionsCreateTest, WithoutHooksAnEarlyChildErrorComesToAwaitInitReady) {
  state_.mutable_config()->clear_hooks();
  const InitStep steps[] = {{"fail early", FailEarly}};
  LinuxActions actions = Actions(steps);

  ASSERT_THAT(actions.Run(Action::kCloneInit, state_), IsOk());
  EXPECT_THAT(actions.Run(Action::kAwaitInitReady, state_),
              StatusIs(absl::StatusCode::kAborted,
                       "container init failed to fail early: injected failure"));
  EXPECT_THAT(actions.Undo(Action::kCloneInit, state_), IsOk());
  ExpectNothingLeft();
}

// The systemd driver's manager: no cgroup until the init exists, then
// AddProcess(init) makes it.
void ExpectCgroupMadeAroundTheInit(NiceMock<MockManagerFactory>& factory,
                                   absl::Status added, pid_t* added_pid) {
  ON_CALL(factory, Restore).WillByDefault([added, added_pid](const auto&, const auto&) {
    auto manager = std::make_unique<NiceMock<MockManager>>();
    ON_CALL(*manager, OpenCloneTargets).WillByDefault([](const cgroups::SubCgroups&) {
      return cgroups::CloneTargets{.join_by_add_process = true};
    });
    EXPECT_CALL(*manager, AddProcess(::testing::Gt(0))).WillOnce([added, added_pid](pid_t pid) {
      *added_pid = pid;
      return added;
    });
    return absl::StatusOr<std::unique_ptr<cgroups::Manager>>(std::move(manager));
  });
}

TEST_F(LinuxActionsCreateTest, TheInitWaitsForTheLauncherToPutItInItsCgroup) {
  pid_t added_pid = 0;
  ExpectCgroupMadeAroundTheInit(cgroups_, absl::OkStatus(), &added_pid);
  const InitStep steps[] = {DefaultStep("join its cgroups"),
                            DefaultStep("wait for the prestart and createRuntime hooks")};
  LinuxActions actions = Actions(steps);

  ASSERT_THAT(actions.Run(Action::kCloneInit, state_), IsOk());
  EXPECT_EQ(added_pid, state_.pid());
  EXPECT_THAT(actions.Undo(Action::kCloneInit, state_), IsOk());
  ExpectNothingLeft();
}

TEST_F(LinuxActionsCreateTest, FailingToPutTheInitInItsCgroupKillsIt) {
  pid_t added_pid = 0;
  ExpectCgroupMadeAroundTheInit(
      cgroups_, absl::FailedPreconditionError("--systemd-cgroup needs systemd"), &added_pid);
  const InitStep steps[] = {DefaultStep("join its cgroups"),
                            DefaultStep("wait for the prestart and createRuntime hooks")};
  LinuxActions actions = Actions(steps);

  EXPECT_THAT(actions.Run(Action::kCloneInit, state_),
              StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::HasSubstr("--systemd-cgroup")));
  EXPECT_GT(added_pid, 0);
  EXPECT_EQ(state_.pid(), 0);
  ExpectNothingLeft();
}

TEST_F(LinuxActionsCreateTest, WithATerminalThePtyMasterGoesToTheConsoleSocket) {
  state_.mutable_config()->mutable_process()->set_terminal(true);
  int sockets[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets), 0);
  UniqueFd console_socket(sockets[0]), receiver(sockets[1]);
  const InitStep steps[] = {DefaultStep("wait for the prestart and createRuntime hooks"),
                            {"send a pty master", SendPtyMasterThenReady}};
  LinuxActions actions = Actions(steps, console_socket.get());

  ASSERT_THAT(actions.Run(Action::kCloneInit, state_), IsOk());
  ASSERT_THAT(actions.Run(Action::kAwaitInitReady, state_), IsOk());
  {
    absl::StatusOr<UniqueFd> master = console::ReceivePtyMaster(receiver.get());
    ASSERT_THAT(master, IsOk());
    char contents[sizeof(kStandInMaster)] = {};
    ASSERT_EQ(pread(master->get(), contents, sizeof(contents), 0), sizeof(contents));
    EXPECT_STREQ(contents, kStandInMaster);
  }
  // Kill the init, which waits for start (here it returned from its steps).
  EXPECT_THAT(actions.Undo(Action::kCloneInit, state_), IsOk());
  console_socket.Reset();
  receiver.Reset();
  ExpectNothingLeft();
}

void NotifyMkdir(config::Spec& spec, const std::string& listener_path) {
  config::Seccomp& seccomp = *spec.mutable_linux()->mutable_seccomp();
  seccomp.set_default_action("SCMP_ACT_ALLOW");
  seccomp.set_listener_path(listener_path);
  config::Syscall& rule = *seccomp.add_syscalls();
  rule.add_names("mkdir");
  rule.set_action("SCMP_ACT_NOTIFY");
}

TEST_F(LinuxActionsCreateTest, ANotifyingFiltersListenerGoesToTheSeccompAgent) {
  absl::StatusOr<UnixListener> agent = UnixListener::Create("agent.sock");
  ASSERT_THAT(agent, IsOk());
  NotifyMkdir(*state_.mutable_config(), agent->path());
  const InitStep steps[] = {DefaultStep("wait for the prestart and createRuntime hooks"),
                            {"send a seccomp listener", SendSeccompListenerThenReady}};
  LinuxActions actions = Actions(steps);

  ASSERT_THAT(actions.Run(Action::kCloneInit, state_), IsOk());
  ASSERT_THAT(actions.Run(Action::kAwaitInitReady, state_), IsOk());
  {
    absl::StatusOr<UniqueFd> connection = agent->Accept();
    ASSERT_THAT(connection, IsOk());
    absl::StatusOr<ReceivedMessage> received = ReceiveWithFds(connection->get(), 4096, 2);
    ASSERT_THAT(received, IsOk());
    EXPECT_EQ(received->data,
              absl::StrCat(R"({"ociVersion":"1.2.0","fds":["seccompFd"],"pid":)", state_.pid(),
                           R"(,"state":{"ociVersion":"1.2.0","id":"c1","status":"creating",)",
                           R"("pid":)", state_.pid(), R"(,"bundle":")", state_.bundle(), R"("}})"));
    ASSERT_EQ(received->fds.size(), 1u);
    char contents[sizeof(kStandInListener)] = {};
    ASSERT_EQ(pread(received->fds[0].get(), contents, sizeof(contents), 0), sizeof(contents));
    EXPECT_STREQ(contents, kStandInListener);
  }
  EXPECT_THAT(actions.Undo(Action::kCloneInit, state_), IsOk());
  agent->Close();
  ExpectNothingLeft();
}

TEST_F(LinuxActionsCreateTest, NoSeccompAgentFailsTheCreateAndKillsTheInit) {
  absl::StatusOr<UnixListener> agent = UnixListener::Create("agent.sock");
  ASSERT_THAT(agent, IsOk());
  NotifyMkdir(*state_.mutable_config(), agent->directory() + "/nobody.sock");
  const InitStep steps[] = {DefaultStep("wait for the prestart and createRuntime hooks"),
                            {"send a seccomp listener", SendSeccompListenerThenReady}};
  LinuxActions actions = Actions(steps);

  ASSERT_THAT(actions.Run(Action::kCloneInit, state_), IsOk());
  EXPECT_THAT(actions.Run(Action::kAwaitInitReady, state_),
              StatusIs(absl::StatusCode::kNotFound,
                       ::testing::HasSubstr(absl::StrCat(
                           "seccomp agent at linux.seccomp.listenerPath \"", agent->directory(),
                           "/nobody.sock\": connect"))));
  EXPECT_THAT(actions.Undo(Action::kCloneInit, state_), IsOk());
  agent->Close();
  ExpectNothingLeft();
}

TEST_F(LinuxActionsCreateTest, ATerminalAndAConsoleSocketGoTogether) {
  state_.mutable_config()->mutable_process()->set_terminal(true);
  const InitStep steps[] = {{"fail early", FailEarly}};
  {
    LinuxActions actions = Actions(steps);
    EXPECT_THAT(actions.Run(Action::kCloneInit, state_),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "process.terminal is true: its pty master needs a console socket"));
  }
  state_.mutable_config()->mutable_process()->set_terminal(false);
  {
    LinuxActions actions = Actions(steps, /*console_socket=*/STDERR_FILENO);
    EXPECT_THAT(actions.Run(Action::kCloneInit, state_),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         "a console socket is given, but process.terminal is false"));
  }
  EXPECT_EQ(cloner_.clones(), 0);
  ExpectNothingLeft();
}

TEST_F(LinuxActionsCreateTest, FailureToWriteIdMapsKillsAndReapsTheInit) {
  AddUserNamespace();
  // The forked child is in the test's user namespace, whose maps are written
  // already: the kernel refuses new ones.
  const InitStep steps[] = {DefaultStep("wait for its id maps")};
  LinuxActions actions = Actions(steps);

  EXPECT_THAT(actions.Run(Action::kCloneInit, state_),
              StatusIs(absl::StatusCode::kPermissionDenied, ::testing::HasSubstr("uid_map")));
  EXPECT_EQ(state_.pid(), 0);
  ExpectNothingLeft();
}

// The init failed and exited before the launcher wrote its id maps: what the
// launcher reports is the init's error, not the write's.
TEST_F(LinuxActionsCreateTest, AnInitThatFailedFirstReportsItsOwnError) {
  AddUserNamespace();
  cloner_.ReturnAfterTheChildExits();
  const InitStep steps[] = {{"fail early", FailEarly}};
  LinuxActions actions = Actions(steps);

  EXPECT_THAT(actions.Run(Action::kCloneInit, state_),
              StatusIs(absl::StatusCode::kAborted,
                       "container init failed to fail early: injected failure"));
  EXPECT_EQ(state_.pid(), 0);
  ExpectNothingLeft();
}

TEST_F(LinuxActionsCreateTest, TheExecFifoBelongsToTheContainersRootOnTheHost) {
  ASSERT_TRUE(mkdir(state_root_.c_str(), 0700) == 0 || errno == EEXIST);
  ASSERT_EQ(mkdir(absl::StrCat(state_root_, "/c1").c_str(), 0700), 0) << strerror(errno);
  const InitStep steps[] = {{"fail early", FailEarly}};
  LinuxActions actions = Actions(steps);

  ASSERT_THAT(actions.Run(Action::kCreateExecFifo, state_), IsOk());
  struct stat fifo;
  ASSERT_EQ(stat(absl::StrCat(state_root_, "/c1/exec.fifo").c_str(), &fifo), 0);
  EXPECT_EQ(fifo.st_uid, geteuid());
  EXPECT_EQ(fifo.st_mode & 0777, 0622u);
  EXPECT_THAT(actions.Undo(Action::kCreateExecFifo, state_), IsOk());
  EXPECT_NE(stat(absl::StrCat(state_root_, "/c1/exec.fifo").c_str(), &fifo), 0);
}

TEST_F(LinuxActionsCreateTest, AnActionWithoutItsParametersIsAnInternalError) {
  LinuxActions actions(ActionEnvironment{.state_root = state_root_,
                                         .spawner = spawner_.emplace(cloner_),
                                         .cgroups = cgroups_});
  EXPECT_THAT(actions.Run(Action::kSignal, state_),
              StatusIs(absl::StatusCode::kInternal,
                       "action Signal run by a command without its parameters"));
  EXPECT_THAT(actions.Run(Action::kCloneInit, state_),
              StatusIs(absl::StatusCode::kInternal,
                       "action CloneInit run by a command without its parameters"));
}

// Actions over a spawner and cgroups that are never reached.
class LinuxActionsWithoutKernelTest : public ::testing::Test {
 protected:
  ForkingCloner cloner_;
  InProcessSpawner spawner_{cloner_};
  StrictMock<MockManagerFactory> cgroups_;
  const ActionEnvironment environment_{
      .state_root = absl::StrCat(std::getenv("TEST_TMPDIR"), "/state"),
      .spawner = spawner_,
      .cgroups = cgroups_};
};

// What the engine reads the config for (Actions::ReadsConfig).
TEST_F(LinuxActionsWithoutKernelTest, StartReadsItOnlyForPoststartHooksAndKillOnlyForAll) {
  const LinuxActions start(environment_);
  statemachine::ContainerState state;
  EXPECT_FALSE(start.ReadsConfig(Action::kReleaseExecFifo, state));
  // A state written before the field: the hooks are unknown, so read.
  EXPECT_TRUE(start.ReadsConfig(Action::kRunPoststartHooks, state));
  state.set_poststart_hooks(false);
  EXPECT_FALSE(start.ReadsConfig(Action::kRunPoststartHooks, state));
  state.set_poststart_hooks(true);
  EXPECT_TRUE(start.ReadsConfig(Action::kRunPoststartHooks, state));
  EXPECT_FALSE(start.ReadsConfig(Action::kFreeze, state));
  EXPECT_FALSE(start.ReadsConfig(Action::kThaw, state));
  EXPECT_TRUE(start.ReadsConfig(Action::kKillAll, state));
  EXPECT_TRUE(start.ReadsConfig(Action::kRunPoststopHooks, state));

  EXPECT_FALSE(LinuxActions(environment_, SignalParameters{.signal = 15, .all = false})
                   .ReadsConfig(Action::kSignal, state));
  EXPECT_TRUE(LinuxActions(environment_, SignalParameters{.signal = 15, .all = true})
                  .ReadsConfig(Action::kSignal, state));
}

// Delete and kill --all read the config only for what the state does not
// record (a state written before it was), poststop hooks and Intel RDT.
TEST_F(LinuxActionsWithoutKernelTest, DeleteAndKillAllReadItOnlyForWhatTheStateDoesNotRecord) {
  const LinuxActions del(environment_, DeleteParameters{.force = false});
  const LinuxActions kill_all(environment_, SignalParameters{.signal = 9, .all = true});
  const LinuxActions kill_init(environment_, SignalParameters{.signal = 9, .all = false});
  // Written before the facts were recorded: every one reads it.
  statemachine::ContainerState old;
  for (const Action action : {Action::kKillAll, Action::kDestroy, Action::kRunPoststopHooks}) {
    EXPECT_TRUE(del.ReadsConfig(action, old)) << statemachine::ActionName(action);
  }
  EXPECT_TRUE(kill_all.ReadsConfig(Action::kSignal, old));

  // As create records them for a config without hooks or Intel RDT.
  statemachine::ContainerState recorded;
  RecordConfigFacts(config::Spec(), recorded);
  for (const Action action : {Action::kKillAll, Action::kDestroy, Action::kRunPoststopHooks}) {
    EXPECT_FALSE(del.ReadsConfig(action, recorded)) << statemachine::ActionName(action);
  }
  EXPECT_FALSE(kill_all.ReadsConfig(Action::kSignal, recorded));
  EXPECT_FALSE(kill_init.ReadsConfig(Action::kSignal, recorded));
  for (const auto kind : {statemachine::ContainerState::PidNamespace::KIND_NEW,
                          statemachine::ContainerState::PidNamespace::KIND_JOINED}) {
    recorded.mutable_pid_namespace()->set_kind(kind);
    EXPECT_FALSE(del.ReadsConfig(Action::kKillAll, recorded));
    EXPECT_FALSE(kill_all.ReadsConfig(Action::kSignal, recorded));
  }

  // The hooks to run and the Intel RDT groups to remove are the config's.
  recorded.set_poststop_hooks(true);
  EXPECT_TRUE(del.ReadsConfig(Action::kRunPoststopHooks, recorded));
  recorded.set_intel_rdt(true);
  EXPECT_TRUE(del.ReadsConfig(Action::kDestroy, recorded));
  EXPECT_FALSE(del.ReadsConfig(Action::kKillAll, recorded));
}

// A create that crashed before its init reported ready leaves a creating
// container with no pid: deleting it has no process to kill.
TEST_F(LinuxActionsWithoutKernelTest, KillAllOfAContainerWithoutInitDoesNothing) {
  LinuxActions actions(environment_, DeleteParameters{.force = false});
  statemachine::ContainerState state;
  state.set_id("c1");
  state.set_status(statemachine::STATE_CREATING);

  EXPECT_THAT(actions.Run(Action::kKillAll, state), IsOk());
}

}  // namespace
}  // namespace hull::runtime
