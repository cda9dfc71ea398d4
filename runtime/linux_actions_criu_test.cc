// Checkpoint and restore against a mock CRIU: the requests LinuxActions
// sends for a container, and what it does with CRIU's notifications.
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "cgroups/layout.h"
#include "cgroups/manager.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/console/console_socket.h"
#include "runtime/criu/checkpoint_options.h"
#include "runtime/criu/rpc.pb.h"
#include "runtime/linux_actions.h"
#include "runtime/spawn/init_spawner.h"
#include "statemachine/state.pb.h"
#include "statemachine/transitions.h"
#include "testing/files.h"
#include "testing/forking_cloner.h"
#include "testing/mock_cgroup_manager.h"
#include "testing/mock_criu_runner.h"
#include "testing/status_matchers.h"

namespace hull::runtime {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::MakeTempDir;
using ::hull::testing::MockCriuRunner;
using ::hull::testing::MockManager;
using ::hull::testing::MockManagerFactory;
using ::hull::testing::ReadFile;
using ::hull::testing::StatusIs;
using ::hull::testing::WriteFile;
using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::NiceMock;
using ::testing::Return;
using statemachine::Action;

// The container's cgroup: "restored" in this host's cgroup2 hierarchy (or
// its memory one), as a path and as the hierarchy names it.
struct TestCgroup {
  std::string controller;
  std::string path;
  std::string in_hierarchy;
};
TestCgroup HostCgroup() {
  const cgroups::Layout layout = cgroups::DetectLayout().value();
  const bool unified = layout.unified.has_value();
  const cgroups::Hierarchy& hierarchy = unified ? *layout.unified : *layout.FindV1("memory");
  const std::string root = hierarchy.mount_root == "/" ? "" : hierarchy.mount_root;
  return {.controller = unified ? "" : "memory",
          .path = hierarchy.mount_point + "/restored",
          .in_hierarchy = root + "/restored"};
}

// CRIU's answer of success to a request of `type`.
criu::criu_resp Succeeded(criu::criu_req_type type) {
  criu::criu_resp response;
  response.set_type(type);
  response.set_success(true);
  return response;
}

class CriuActionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("criu").value();
    images_ = dir_ + "/images";
    ASSERT_EQ(mkdir(images_.c_str(), 0700), 0);
    ASSERT_EQ(mkdir((dir_ + "/rootfs").c_str(), 0755), 0);
    state_.set_id("c1");
    state_.set_bundle(dir_);
    state_.mutable_config()->mutable_root()->set_path("rootfs");
    ON_CALL(cgroups_, Restore).WillByDefault([this](const auto&, const auto&) {
      auto manager = std::make_unique<NiceMock<MockManager>>();
      ON_CALL(*manager, Paths)
          .WillByDefault(Return(std::map<std::string, std::string>{{cgroup_.controller, cgroup_.path}}));
      ON_CALL(*manager, AddProcess).WillByDefault([this](pid_t pid) {
        added_to_cgroup_ = pid;
        return absl::OkStatus();
      });
      return absl::StatusOr<std::unique_ptr<cgroups::Manager>>(std::move(manager));
    });
    (*state_.mutable_cgroup_paths())[cgroup_.controller] = cgroup_.path;
  }

  void TearDown() override {
    if (child_ > 0) {
      kill(child_, SIGKILL);
      waitpid(child_, nullptr, 0);
    }
  }

  template <typename Parameters>
  LinuxActions Actions(Parameters parameters) {
    environment_.emplace(ActionEnvironment{.state_root = dir_ + "/state",
                                           .spawner = spawner_,
                                           .cgroups = cgroups_,
                                           .criu = &criu_});
    return LinuxActions(*environment_, std::move(parameters));
  }

  // A child that stands for the process tree CRIU restored.
  pid_t StartRestoredInit() {
    child_ = fork();
    if (child_ == 0) {
      pause();
      _exit(0);
    }
    return child_;
  }

  const TestCgroup cgroup_ = HostCgroup();
  std::string dir_;
  std::string images_;
  statemachine::ContainerState state_;
  testing::ForkingCloner cloner_;
  InProcessSpawner spawner_{cloner_};
  NiceMock<MockManagerFactory> cgroups_;
  MockCriuRunner criu_;
  std::optional<ActionEnvironment> environment_;
  pid_t child_ = 0;
  pid_t added_to_cgroup_ = 0;
};

TEST_F(CriuActionsTest, CheckpointDumpsTheInitAndRecordsItsStdio) {
  // The test process stands for the init: its stdio is what gets recorded.
  state_.set_pid(getpid());
  CheckpointOptions options;
  options.image_path = images_ + "/new/dump";  // made, with its parents
  options.leave_running = true;
  EXPECT_CALL(criu_, Run(_, _, _)).WillOnce([&](const criu::criu_req& request, auto extra, auto) {
    EXPECT_EQ(request.type(), criu::DUMP);
    EXPECT_EQ(request.opts().pid(), getpid());
    EXPECT_TRUE(request.opts().leave_running());
    EXPECT_EQ(request.opts().root(), dir_ + "/rootfs");
    EXPECT_EQ(request.opts().freeze_cgroup(), cgroup_.path);
    EXPECT_TRUE(extra.empty());
    return Succeeded(criu::DUMP);
  });
  LinuxActions actions = Actions(options);
  ASSERT_THAT(actions.Run(Action::kCheckpoint, state_), IsOk());
  absl::StatusOr<std::string> descriptors = ReadFile(options.image_path + "/descriptors.json");
  ASSERT_THAT(descriptors, IsOk());
  EXPECT_THAT(*descriptors, HasSubstr("["));
  EXPECT_EQ(std::count(descriptors->begin(), descriptors->end(), ','), 2);
}

TEST_F(CriuActionsTest, StatusReadyWritesTheNulToTheStatusFd) {
  state_.set_pid(getpid());
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK), 0);
  UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  CheckpointOptions options;
  options.image_path = images_ + "/lazy";
  options.lazy_pages = true;
  options.status_fd = write_end.get();
  EXPECT_CALL(criu_, Run(_, _, _))
      .WillOnce([&](const criu::criu_req&, auto, const criu::Callbacks& callbacks) {
        char byte;
        EXPECT_EQ(read(read_end.get(), &byte, 1), -1);  // nothing before it is ready
        criu::Notification ready{.script = "status-ready"};
        EXPECT_THAT(callbacks.notify(ready), IsOk());
        return Succeeded(criu::DUMP);
      });
  LinuxActions actions = Actions(options);
  ASSERT_THAT(actions.Run(Action::kCheckpoint, state_), IsOk());
  char bytes[2];
  ASSERT_EQ(read(read_end.get(), bytes, sizeof(bytes)), 1);
  EXPECT_EQ(bytes[0], '\0');

  // A number that is no open fd, or a read-only one, is refused before CRIU runs.
  constexpr int kNotOpen = 999;
  ASSERT_EQ(fcntl(kNotOpen, F_GETFD), -1);
  options.status_fd = kNotOpen;
  EXPECT_THAT(Actions(options).Run(Action::kCheckpoint, state_),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("--status-fd 999")));
  options.status_fd = read_end.get();
  EXPECT_THAT(Actions(options).Run(Action::kCheckpoint, state_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not writable")));
}

TEST_F(CriuActionsTest, AFailedCheckpointQuotesTheEndOfCriusLog) {
  state_.set_pid(getpid());
  CheckpointOptions options;
  options.image_path = images_;
  options.work_path = dir_ + "/work";
  EXPECT_CALL(criu_, Run(_, _, _)).WillOnce([&](auto, auto, auto) {
    EXPECT_THAT(WriteFile(options.work_path + "/dump.log",
                          "(00.001) Dumping\n(00.002) Error (criu/vdso.c:90): vdso: bad\n"),
                IsOk());
    return absl::AbortedError("criu dump failed: criu failed");
  });
  LinuxActions actions = Actions(options);
  EXPECT_THAT(actions.Run(Action::kCheckpoint, state_),
              StatusIs(absl::StatusCode::kAborted,
                       AllOf(HasSubstr("criu dump failed"),
                             HasSubstr(absl::StrCat("see ", options.work_path, "/dump.log")),
                             HasSubstr("Error (criu/vdso.c:90): vdso: bad"))));
}

TEST_F(CriuActionsTest, RestoreRunsTheHooksAtSetupNamespacesAndRecordsTheRestoredInit) {
  ASSERT_THAT(WriteFile(images_ + "/descriptors.json", R"(["/dev/null","pipe:[42]","/dev/null"])"),
              IsOk());
  const std::string hook_out = dir_ + "/hook.json";
  config::Hook& prestart = *state_.mutable_config()->mutable_hooks()->add_prestart();
  prestart.set_path("/bin/sh");
  prestart.add_args("sh");
  prestart.add_args("-c");
  prestart.add_args(absl::StrCat("cat > ", hook_out));
  state_.mutable_config()->mutable_process()->set_terminal(true);
  int console[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, console), 0);
  UniqueFd console_ours(console[0]), console_theirs(console[1]);

  RestoreOptions options;
  options.image_path = images_;
  options.bundle = dir_;
  options.console_socket = console_theirs.get();
  const pid_t restored = StartRestoredInit();
  EXPECT_CALL(criu_, Run(_, _, _))
      .WillOnce([&](const criu::criu_req& request, absl::Span<const int> extra,
                    const criu::Callbacks& callbacks) -> absl::StatusOr<criu::criu_resp> {
        EXPECT_EQ(request.type(), criu::RESTORE);
        EXPECT_TRUE(request.opts().rst_sibling());
        EXPECT_TRUE(request.opts().orphan_pts_master());
        // CRIU wants the cgroup as the hierarchy names it.
        EXPECT_EQ(request.opts().cg_root(0).path(), cgroup_.in_hierarchy);
        // The init's stdout was a pipe: the caller's stdout takes its place.
        EXPECT_EQ(request.opts().inherit_fd(0).key(), "pipe:[42]");
        EXPECT_THAT(extra, ElementsAre(STDOUT_FILENO));
        EXPECT_THAT(callbacks.started(4321), IsOk());
        criu::Notification setup{.script = "setup-namespaces", .pid = restored};
        EXPECT_THAT(callbacks.notify(setup), IsOk());
        criu::Notification pts{.script = "orphan-pts-master",
                               .fd = UniqueFd(open("/dev/null", O_RDWR | O_CLOEXEC))};
        EXPECT_THAT(callbacks.notify(pts), IsOk());
        criu::Notification post{.script = "post-restore", .pid = restored};
        EXPECT_THAT(callbacks.notify(post), IsOk());
        criu::criu_resp response = Succeeded(criu::RESTORE);
        response.mutable_restore()->set_pid(restored);
        return response;
      });
  LinuxActions actions = Actions(options);
  ASSERT_THAT(actions.Run(Action::kRestore, state_), IsOk());
  EXPECT_EQ(added_to_cgroup_, 4321);
  EXPECT_EQ(state_.pid(), restored);
  EXPECT_GT(state_.pid_start_time(), 0u);
  // The hook read the state with the restored init's pid.
  absl::StatusOr<std::string> hook_state = ReadFile(hook_out);
  ASSERT_THAT(hook_state, IsOk());
  EXPECT_THAT(*hook_state, HasSubstr(absl::StrCat("\"pid\":", restored)));
  // The pty's master went to the console socket.
  absl::StatusOr<UniqueFd> master = console::ReceivePtyMaster(console_ours.get());
  EXPECT_THAT(master.status(), IsOk());
  UniqueFd pidfd = actions.TakeInitPidfd();
  EXPECT_TRUE(pidfd.valid());
}

TEST_F(CriuActionsTest, AFailedHookFailsTheRestoreAndUndoKillsTheRestoredInit) {
  ASSERT_THAT(WriteFile(images_ + "/descriptors.json", R"(["/dev/null","/dev/null","/dev/null"])"),
              IsOk());
  config::Hook& hook = *state_.mutable_config()->mutable_hooks()->add_create_runtime();
  hook.set_path("/bin/false");
  RestoreOptions options;
  options.image_path = images_;
  options.bundle = dir_;
  const pid_t restored = StartRestoredInit();
  EXPECT_CALL(criu_, Run(_, _, _))
      .WillOnce([&](auto, auto, const criu::Callbacks& callbacks) -> absl::StatusOr<criu::criu_resp> {
        criu::Notification setup{.script = "setup-namespaces", .pid = restored};
        return callbacks.notify(setup);
      });
  LinuxActions actions = Actions(options);
  EXPECT_THAT(actions.Run(Action::kRestore, state_),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("error running createRuntime hook #0")));
  EXPECT_EQ(state_.pid(), 0);

  // When CRIU succeeded but what follows failed, Undo kills the restored init.
  EXPECT_CALL(criu_, Run(_, _, _)).WillOnce([&](auto, auto, auto) {
    criu::criu_resp response = Succeeded(criu::RESTORE);
    response.mutable_restore()->set_pid(restored);
    return response;
  });
  state_.mutable_config()->mutable_hooks()->clear_create_runtime();
  LinuxActions restoring = Actions(options);
  ASSERT_THAT(restoring.Run(Action::kRestore, state_), IsOk());
  ASSERT_THAT(restoring.Undo(Action::kRestore, state_), IsOk());
  EXPECT_EQ(waitpid(restored, nullptr, WNOHANG), -1);  // killed and reaped
  child_ = 0;
}

TEST_F(CriuActionsTest, RestoreFromADirectoryWithoutACheckpointSaysSo) {
  RestoreOptions options;
  options.image_path = images_;
  options.bundle = dir_;
  LinuxActions actions = Actions(options);
  EXPECT_THAT(actions.Run(Action::kRestore, state_),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("not a checkpoint image directory")));
  ASSERT_THAT(WriteFile(images_ + "/descriptors.json", "garbage"), IsOk());
  EXPECT_THAT(actions.Run(Action::kRestore, state_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("descriptors.json")));
}

TEST_F(CriuActionsTest, RestoreRefusesNetDevicesByName) {
  (*state_.mutable_config()->mutable_linux()->mutable_net_devices())["eth1"];
  RestoreOptions options;
  options.image_path = images_;
  options.bundle = dir_;
  LinuxActions actions = Actions(options);
  EXPECT_THAT(actions.Run(Action::kRestore, state_),
              StatusIs(absl::StatusCode::kUnimplemented,
                       HasSubstr("linux.netDevices: a restored container's network namespace")));
}

}  // namespace
}  // namespace hull::runtime
