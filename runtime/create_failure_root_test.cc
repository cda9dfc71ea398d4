// Root test: a failure at any step of the container's init leaves nothing
// behind. For each step of the default list, a real container (busybox
// rootfs, `runc spec`'s config) is created with that step replaced by one
// that fails; then no process, state directory, fd or host mount may remain.
// A failure at a step after "report ready" shows at start, not create: the
// container is created, start reports the init's death (or succeeds, when the
// init failed after start released it), and it ends stopped and deletable.
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_util.h"
#include "config/default_spec.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/clone.h"
#include "nsenter/pidfd.h"
#include "runtime/container.h"
#include "runtime/create_options.h"
#include "runtime/init/container_init.h"
#include "runtime/spawn/init_spawner.h"
#include "statemachine/state.pb.h"
#include "testing/held_resources.h"
#include "testing/rootfs_fixture.h"
#include "testing/status_matchers.h"
#include "testing/files.h"

namespace hull::runtime {
namespace {

using ::hull::testing::Exists;
using ::hull::testing::ReadFile;

using ::hull::testing::CheckNoChildren;
using ::hull::testing::HeldResources;
using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::RootfsFixture;
using ::hull::testing::SnapshotHeldResources;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kInjectedMessage[] = "injected failure";

// The write end of the pipe on which the init reports its host pid; the init
// has its own copy of this variable, as of the clone.
int host_pid_pipe = -1;

// Runs first, while /proc is still the host's (and so "self" names the init
// by its host pid, not 1 in its pid namespace).
absl::Status RecordHostPid(Init&) {
  char pid[32];
  const ssize_t length = readlink("/proc/self", pid, sizeof(pid));
  if (length <= 0) return ErrnoStatus("readlink /proc/self");
  if (write(host_pid_pipe, pid, length) != length) {
    return ErrnoStatus("write the host pid");
  }
  close(host_pid_pipe);
  return absl::OkStatus();
}

absl::Status InjectedFailure(Init&) { return absl::DataLossError(kInjectedMessage); }

size_t StepIndex(absl::string_view name) {
  const InitStep* step = FindDefaultInitStep(name);
  if (step != nullptr) return static_cast<size_t>(step - DefaultInitSteps().data());
  ADD_FAILURE() << "the default init steps have no \"" << name << "\"";
  return DefaultInitSteps().size();
}

// The default steps with step `k` failing, after one that records the
// init's host pid.
std::vector<InitStep> StepsFailingAt(size_t k) {
  std::vector<InitStep> steps = {{"record its host pid", RecordHostPid}};
  for (const InitStep& step : DefaultInitSteps()) steps.push_back(step);
  steps[k + 1].run = InjectedFailure;
  return steps;
}

class CreateFailureRootTest : public ::testing::TestWithParam<size_t> {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<RootfsFixture> rootfs = RootfsFixture::Create();
    ASSERT_THAT(rootfs, IsOk());
    rootfs_.emplace(*std::move(rootfs));
  }
  static void TearDownTestSuite() { rootfs_.reset(); }

  void SetUp() override {
    ASSERT_TRUE(rootfs_.has_value());
    tmpdir_ = std::getenv("TEST_TMPDIR");
    state_root_ = absl::StrCat(tmpdir_, "/state");
  }

  config::Spec Spec() const {
    config::Spec spec = config::DefaultSpec(/*rootless=*/false);
    spec.mutable_root()->set_path(rootfs_->path());
    spec.mutable_process()->set_terminal(false);
    spec.mutable_process()->clear_args();
    spec.mutable_process()->add_args("/bin/true");
    return spec;
  }

  static std::optional<RootfsFixture> rootfs_;
  std::string tmpdir_;
  std::string state_root_;
};

std::optional<RootfsFixture> CreateFailureRootTest::rootfs_;

TEST_P(CreateFailureRootTest, LeavesNothingBehind) {
  const size_t k = GetParam();
  const std::string step = DefaultInitSteps()[k].name;
  const std::string id = absl::StrCat("step-", k);
  // From "wait for start" on, the launcher has left: create succeeds.
  const bool fails_after_create = k >= StepIndex("wait for start");
  const bool fails_after_start = k > StepIndex("wait for start");
  SCOPED_TRACE(absl::StrCat("init step ", k, " \"", step, "\" fails"));

  ASSERT_THAT(CheckNoChildren(), IsOk()) << "a child was left before the test";
  absl::StatusOr<HeldResources> before = SnapshotHeldResources();
  ASSERT_THAT(before, IsOk());

  int pid_pipe[2];
  ASSERT_EQ(pipe2(pid_pipe, O_CLOEXEC | O_NONBLOCK), 0) << strerror(errno);
  host_pid_pipe = pid_pipe[1];
  // The init's stderr, where it reports its failure when no launcher listens.
  const std::string init_stderr = absl::StrCat(tmpdir_, "/init-stderr-", k);
  const int saved_stderr = dup(STDERR_FILENO);
  ASSERT_GE(saved_stderr, 0) << strerror(errno);
  {
    const int file = open(init_stderr.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ASSERT_GE(file, 0) << strerror(errno);
    dup2(file, STDERR_FILENO);
    close(file);
  }
  absl::Cleanup restore_stderr = [saved_stderr] {
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
  };

  const std::vector<InitStep> steps = StepsFailingAt(k);
  nsenter::LinuxProcessCloner cloner;
  InProcessSpawner spawner(cloner, steps);
  Runtime runtime({.state_root = state_root_, .spawner = &spawner});
  absl::StatusOr<Container> container =
      runtime.Create(id, Spec(), {.bundle = std::string(tmpdir_)});
  if (!fails_after_create) {
    EXPECT_THAT(container,
                StatusIs(absl::StatusCode::kDataLoss,
                         absl::StrCat("container init failed to ", step, ": ", kInjectedMessage)));
    if (container.ok()) (void)container->Delete(/*force=*/true);
  } else if (container.ok()) {
    absl::Status started = container->Start();
    if (fails_after_start) {
      EXPECT_THAT(started, IsOk());
    } else {
      // Start either finds the init dead already or sees it die.
      EXPECT_THAT(started, StatusIs(absl::StatusCode::kFailedPrecondition,
                                    ::testing::AnyOf(HasSubstr("is stopped: cannot start"),
                                                     HasSubstr("init exited before start"))));
    }
    EXPECT_THAT(container->Wait(), IsOkAndHolds(nsenter::ExitStatus{.signaled = false, .code = 1}));
    EXPECT_THAT(container->State(),
                IsOkAndHolds(::testing::Property(&statemachine::ContainerState::status,
                                                 statemachine::STATE_STOPPED)));
    const absl::Status deleted = container->Delete(/*force=*/false);
    EXPECT_THAT(deleted, IsOk());
    if (!deleted.ok()) (void)container->Delete(/*force=*/true);
  } else {
    ADD_FAILURE() << "create failed: " << container.status();
  }
  std::move(restore_stderr).Invoke();
  if (fails_after_create) {
    EXPECT_THAT(ReadFile(init_stderr).value_or(""),
                HasSubstr(absl::StrCat("hull init: failed to ", step, ": ", kInjectedMessage)));
  }

  char pid_text[32] = {};
  const ssize_t length = read(pid_pipe[0], pid_text, sizeof(pid_text) - 1);
  close(pid_pipe[0]);
  close(pid_pipe[1]);
  int pid = 0;
  EXPECT_TRUE(length > 0 && absl::SimpleAtoi(pid_text, &pid) && pid > 0)
      << "the init did not report its host pid";
  const std::string proc_dir = absl::StrCat("/proc/", pid);
  const bool init_left = pid > 0 && Exists(proc_dir);
  EXPECT_FALSE(init_left) << "the init " << pid << " is still there";
  EXPECT_THAT(CheckNoChildren(), IsOk());
  const bool state_left = Exists(absl::StrCat(state_root_, "/", id));
  EXPECT_FALSE(state_left) << "the state directory of " << id << " is still there";
  EXPECT_THAT(runtime.List(), IsOkAndHolds(IsEmpty()));
  // What a failing case left (its own init, its own container) goes, so that
  // the next cases are judged on their own.
  // waitpid with WNOHANG reaps it if it is a zombie, and says 0 only for a
  // running child of this process: never another process that took the pid.
  if (init_left && waitpid(pid, nullptr, WNOHANG) == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  if (state_left) {
    absl::StatusOr<Container> left = runtime.Load(id);
    if (left.ok()) (void)left->Delete(/*force=*/true);
  }

  absl::StatusOr<HeldResources> after = SnapshotHeldResources();
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->fds, before->fds) << "an fd leaked";
  EXPECT_EQ(after->mountinfo, before->mountinfo) << "a mount leaked to the host";
}

std::string StepTestName(const ::testing::TestParamInfo<size_t>& info) {
  std::string name = absl::StrCat(info.param, "_");
  for (const char* c = DefaultInitSteps()[info.param].name; *c != '\0'; ++c) {
    if (std::isalnum(static_cast<unsigned char>(*c))) name += *c;
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(EveryInitStep, CreateFailureRootTest,
                         ::testing::Range<size_t>(0, DefaultInitSteps().size()), StepTestName);

}  // namespace
}  // namespace hull::runtime
