// The library API without root: every call of Runtime and Container, its
// errors included, against inits that are plain forks (testing/
// forking_cloner.h) running a slice of the real init steps, and cgroups that
// are mocks. What the kernel does with namespaces and cgroups is the root
// tests' and the integration tests' business; here, the state machine, the
// persisted state, the processes and what is asked of the cgroups.
#include "runtime/container.h"

#include <linux/close_range.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "cgroups/manager.h"
#include "config/default_spec.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/pidfd.h"
#include "runtime/init/container_init.h"
#include "runtime/spawn/init_spawner.h"
#include "statemachine/state.pb.h"
#include "testing/files.h"
#include "testing/forking_cloner.h"
#include "testing/held_resources.h"
#include "testing/mock_cgroup_manager.h"
#include "testing/status_matchers.h"

namespace hull::runtime {
namespace {

using ::hull::testing::CheckNoChildren;
using ::hull::testing::Exists;
using ::hull::testing::ForkingCloner;
using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::MockManager;
using ::hull::testing::MockManagerFactory;
using ::hull::testing::StatusIs;
using statemachine::ContainerState;
using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::NiceMock;
using ::testing::Property;
using ::testing::Return;

// What the container's process does once started: exit with this code, or,
// when negative, wait for a signal. Set before Create (the init is a fork).
int process_exit_code = -1;

absl::Status RunTheProcess(Init&) {
  // As an exec would: the init's close-on-exec fds close (the exec fifo's
  // end among them, which `start` waits for).
  close_range(3, ~0U, 0);
  if (process_exit_code >= 0) _exit(process_exit_code);
  while (true) pause();
}

absl::Status FailToMount(Init&) { return absl::PermissionDeniedError("mount denied"); }

const InitStep* Step(absl::string_view name) {
  const InitStep* step = FindDefaultInitStep(name);
  EXPECT_NE(step, nullptr) << name;
  return step;
}

// The init as the runtime drives it: the create handshake, the wait for
// start, then the container's process. The launcher's fds go first: its
// container lock among them, which the next command would wait for.
const InitStep kSteps[] = {
    *Step("close the launcher's fds"),
    *Step("wait for the prestart and createRuntime hooks"),
    *Step("report ready"),
    *Step("wait for start"),
    {"run the process", RunTheProcess},
};

// What an exec'd process runs once forked (no namespaces to join without
// root): exit with this code.
int exec_exit_code = 0;

absl::Status RunTheExecdProcess(Init&) { _exit(exec_exit_code); }

absl::Status FailToSwitchUser(Init&) { return absl::PermissionDeniedError("setresuid denied"); }

const InitStep kExecSteps[] = {
    *Step("close the launcher's fds"),
    *Step("fork into the container's pid namespace"),
    {"run the process", RunTheExecdProcess},
};

const InitStep kFailingExecSteps[] = {
    *Step("close the launcher's fds"),
    *Step("fork into the container's pid namespace"),
    {"switch to the user", FailToSwitchUser},
};

// The same with the init's own hooks.
const InitStep kStepsWithHooks[] = {
    *Step("close the launcher's fds"),
    *Step("wait for the prestart and createRuntime hooks"),
    *Step("run the createContainer hooks"),
    *Step("report ready"),
    *Step("wait for start"),
    *Step("run the startContainer hooks"),
    {"run the process", RunTheProcess},
};

const InitStep kFailingSteps[] = {
    *Step("wait for the prestart and createRuntime hooks"),
    {"prepare the root filesystem", FailToMount},
};

statemachine::State StatusOf(const absl::StatusOr<ContainerState>& state) {
  return state.ok() ? state->status() : statemachine::STATE_UNSPECIFIED;
}

class ContainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    process_exit_code = -1;
    exec_exit_code = 0;
    const std::string tmpdir = std::getenv("TEST_TMPDIR");
    bundle_ = absl::StrCat(tmpdir, "/", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_EQ(mkdir(bundle_.c_str(), 0755), 0);
    ASSERT_EQ(mkdir(absl::StrCat(bundle_, "/rootfs").c_str(), 0755), 0);
    state_root_ = absl::StrCat(bundle_, "/state");
    ON_CALL(cgroups_, New).WillByDefault([this](const std::string&, absl::string_view id,
                                                const cgroups::Annotations&) {
      created_ids_.push_back(std::string(id));
      return Manager(std::string(id));
    });
    ON_CALL(cgroups_, Restore)
        .WillByDefault([this](const std::map<std::string, std::string>& paths, const auto&) {
          return Manager(paths.at("memory").substr(std::string("/fake/").size()));
        });
  }

  void TearDown() override { EXPECT_THAT(CheckNoChildren(), IsOk()); }

  // A mock manager of container `id`'s cgroups, acting on this fixture's
  // record of them.
  absl::StatusOr<std::unique_ptr<cgroups::Manager>> Manager(const std::string& id) {
    auto manager = std::make_unique<NiceMock<MockManager>>();
    ON_CALL(*manager, Create).WillByDefault([this] { return cgroup_create_; });
    ON_CALL(*manager, Apply).WillByDefault([this](const config::Resources& resources) {
      applied_.push_back(resources);
      return absl::OkStatus();
    });
    ON_CALL(*manager, OpenCloneTargets).WillByDefault([this](const cgroups::SubCgroups& below) {
      clone_targets_.push_back(below);
      return cgroups::CloneTargets();
    });
    ON_CALL(*manager, Paths).WillByDefault(Return(
        std::map<std::string, std::string>{{"memory", absl::StrCat("/fake/", id)}}));
    ON_CALL(*manager, CreatedPaths).WillByDefault(Return(
        std::map<std::string, std::string>{{"memory", absl::StrCat("/fake/", id)}}));
    ON_CALL(*manager, Freeze).WillByDefault([this] {
      frozen_ = true;
      return absl::OkStatus();
    });
    ON_CALL(*manager, Thaw).WillByDefault([this] {
      frozen_ = false;
      return absl::OkStatus();
    });
    ON_CALL(*manager, IsFrozen).WillByDefault([this] { return frozen_; });
    // The cgroup holds the init while it lives.
    ON_CALL(*manager, Processes).WillByDefault([this]() -> absl::StatusOr<std::vector<pid_t>> {
      if (init_pid_ > 0 && kill(init_pid_, 0) == 0 && !IsZombie(init_pid_)) return std::vector<pid_t>{init_pid_};
      return std::vector<pid_t>{};
    });
    ON_CALL(*manager, Signal).WillByDefault([this](int signal) {
      signals_.push_back(signal);
      if (init_pid_ > 0) kill(init_pid_, signal);
      return absl::OkStatus();
    });
    ON_CALL(*manager, Destroy).WillByDefault([this, id] {
      destroyed_.push_back(id);
      return absl::OkStatus();
    });
    return std::unique_ptr<cgroups::Manager>(std::move(manager));
  }

  static bool IsZombie(pid_t pid) {
    absl::StatusOr<std::string> stat = hull::testing::ReadFile(absl::StrCat("/proc/", pid, "/stat"));
    return !stat.ok() || stat->find(") Z ") != std::string::npos;
  }

  config::Spec Spec() const {
    config::Spec spec = config::DefaultSpec(/*rootless=*/false);
    spec.mutable_process()->set_terminal(false);
    return spec;
  }

  Runtime& runtime() {
    if (!runtime_) {
      spawner_ = std::make_unique<InProcessSpawner>(cloner_, steps_, exec_steps_);
      runtime_ = std::make_unique<Runtime>(RuntimeOptions{.state_root = state_root_,
                                                          .spawner = spawner_.get(),
                                                          .cgroups = &cgroups_,
                                                          .child_log = child_log_});
    }
    return *runtime_;
  }

  absl::StatusOr<Container> Create(const std::string& id, const config::Spec& spec) {
    absl::StatusOr<Container> container = runtime().Create(id, spec, {.bundle = bundle_});
    if (container.ok()) init_pid_ = container->init_pid();
    return container;
  }
  absl::StatusOr<Container> Create(const std::string& id) { return Create(id, Spec()); }

  // A hook of `kind` that records the state it read in <bundle>/KIND.json and
  // its kind in <bundle>/order, then runs `then`.
  config::Hook Recorder(const std::string& kind, const std::string& then = "true") const {
    config::Hook hook;
    hook.set_path("/bin/sh");
    hook.add_args("sh");
    hook.add_args("-c");
    hook.add_args(absl::StrCat("cat > ", bundle_, "/", kind, ".json; echo ", kind, " >> ", bundle_,
                               "/order; ", then));
    return hook;
  }
  std::string Recorded(const std::string& name) const {
    return hull::testing::ReadFile(absl::StrCat(bundle_, "/", name)).value_or("");
  }

  // Makes container `id`'s state file one an older Hull wrote: without what
  // create now records of the config (fields 17 to 19, the last printed).
  void ForgetRecordedFacts(const std::string& id) {
    const std::string state_file = absl::StrCat(state_root_, "/", id, "/state.textproto");
    absl::StatusOr<std::string> text = hull::testing::ReadFile(state_file);
    ASSERT_THAT(text, IsOk());
    const size_t recorded = text->find("poststop_hooks: ");
    ASSERT_NE(recorded, std::string::npos) << *text;
    ASSERT_THAT(hull::testing::WriteFile(state_file, text->substr(0, recorded)), IsOk());
  }

  // Nothing of container `id` is left: no state directory, no child.
  void ExpectGone(const std::string& id) {
    EXPECT_FALSE(Exists(absl::StrCat(state_root_, "/", id)));
    EXPECT_THAT(runtime().Load(id), StatusIs(absl::StatusCode::kNotFound, HasSubstr(id)));
    EXPECT_THAT(CheckNoChildren(), IsOk());
  }

  std::string bundle_;
  std::string state_root_;
  absl::Span<const InitStep> steps_ = kSteps;
  absl::Span<const InitStep> exec_steps_ = kExecSteps;
  std::function<void(absl::string_view)> child_log_;
  ForkingCloner cloner_;
  NiceMock<MockManagerFactory> cgroups_;
  std::unique_ptr<InitSpawner> spawner_;
  std::unique_ptr<Runtime> runtime_;

  // The fake cgroups' record.
  std::vector<cgroups::SubCgroups> clone_targets_;
  absl::Status cgroup_create_ = absl::OkStatus();
  std::vector<std::string> created_ids_;
  std::vector<config::Resources> applied_;
  std::vector<int> signals_;
  std::vector<std::string> destroyed_;
  bool frozen_ = false;
  pid_t init_pid_ = 0;
};

TEST_F(ContainerTest, CreateStartWaitDelete) {
  process_exit_code = 3;
  absl::StatusOr<Container> container = Create("web");
  ASSERT_THAT(container, IsOk());
  EXPECT_GT(container->init_pid(), 0);
  EXPECT_GE(container->init_pidfd(), 0);
  absl::StatusOr<ContainerState> created = container->State();
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->status(), statemachine::STATE_CREATED);
  EXPECT_EQ(created->pid(), container->init_pid());
  EXPECT_EQ(created->bundle(), bundle_);
  EXPECT_EQ(created->cgroup_paths().at("memory"), "/fake/web");
  // No poststart hooks: start need not read the config.
  EXPECT_TRUE(created->has_poststart_hooks());
  EXPECT_FALSE(created->poststart_hooks());
  EXPECT_THAT(created_ids_, ElementsAre("web"));

  ASSERT_THAT(container->Start(), IsOk());
  EXPECT_THAT(container->Wait(), IsOkAndHolds(nsenter::ExitStatus{.signaled = false, .code = 3}));
  EXPECT_EQ(StatusOf(container->State()), statemachine::STATE_STOPPED);
  ASSERT_THAT(container->Delete(/*force=*/false), IsOk());
  EXPECT_THAT(destroyed_, ElementsAre("web"));
  ExpectGone("web");
}

TEST_F(ContainerTest, CreateAppliesTheResourcesWithRuncsDefaultDeviceRules) {
  config::Spec spec = Spec();
  spec.mutable_linux()->mutable_resources()->mutable_pids()->set_limit(42);
  absl::StatusOr<Container> container = runtime().Create("limited", spec, {.bundle = bundle_});
  ASSERT_THAT(container, IsOk());
  init_pid_ = container->init_pid();
  ASSERT_EQ(applied_.size(), 1u);
  EXPECT_EQ(applied_[0].pids().limit(), 42);
  // runc's defaults end the list: /dev/null (1:3) among them, "a" denied first.
  EXPECT_FALSE(applied_[0].devices(0).allow());
  EXPECT_THAT(applied_[0].devices(), ::testing::Contains(::testing::AllOf(
                                         Property(&config::DeviceCgroup::major, 1),
                                         Property(&config::DeviceCgroup::minor, 3))));
  EXPECT_THAT(container->Delete(/*force=*/true), IsOk());
  ExpectGone("limited");
}

TEST_F(ContainerTest, SignalReachesTheInit) {
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_THAT(container, IsOk());
  ASSERT_THAT(container->Start(), IsOk());
  EXPECT_EQ(StatusOf(container->State()), statemachine::STATE_RUNNING);
  ASSERT_THAT(container->Signal(SIGTERM, /*all=*/false), IsOk());
  EXPECT_THAT(container->Wait(), IsOkAndHolds(nsenter::ExitStatus{.signaled = true, .code = SIGTERM}));
  EXPECT_THAT(signals_, IsEmpty());  // the init alone, not through the cgroup
  EXPECT_THAT(container->Signal(SIGTERM, /*all=*/false),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::StartsWith("container not running: container \"c1\" is "
                                             "stopped: ")));
  ASSERT_THAT(container->Delete(false), IsOk());
  ExpectGone("c1");
}

TEST_F(ContainerTest, SignalAllGoesThroughTheCgroup) {
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_THAT(container, IsOk());
  ASSERT_THAT(container->Start(), IsOk());
  ASSERT_THAT(container->Signal(SIGKILL, /*all=*/true), IsOk());
  EXPECT_THAT(signals_, ElementsAre(SIGKILL));
  EXPECT_THAT(container->Wait(), IsOkAndHolds(nsenter::ExitStatus{.signaled = true, .code = SIGKILL}));
  ASSERT_THAT(container->Delete(false), IsOk());
  ExpectGone("c1");
}

// What kill --all and delete need of the config is in the state: they run
// with the config file damaged, which any read of it would report.
TEST_F(ContainerTest, KillAllAndDeleteReadNoConfig) {
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_THAT(container, IsOk());
  absl::StatusOr<ContainerState> created = container->StateWithoutConfig();
  ASSERT_THAT(created, IsOk());
  EXPECT_FALSE(created->poststop_hooks());
  EXPECT_EQ(created->pid_namespace().kind(), ContainerState::PidNamespace::KIND_NEW);
  EXPECT_FALSE(created->intel_rdt());
  ASSERT_THAT(container->Start(), IsOk());
  const std::string config = absl::StrCat(state_root_, "/c1/config.textproto");
  ASSERT_THAT(hull::testing::WriteFile(config, "hostname: 7"), IsOk());
  ASSERT_THAT(container->Signal(SIGKILL, /*all=*/true), IsOk());
  EXPECT_THAT(signals_, ElementsAre(SIGKILL));
  EXPECT_THAT(container->Wait(), IsOkAndHolds(nsenter::ExitStatus{.signaled = true, .code = SIGKILL}));
  ASSERT_THAT(container->Delete(false), IsOk());
  EXPECT_THAT(destroyed_, ElementsAre("c1"));
  ExpectGone("c1");
}

// A state written before the facts were recorded: delete reads the config
// (and reports a damaged one), then deletes once it is whole.
TEST_F(ContainerTest, DeleteOfAStateWithoutTheRecordedFactsReadsTheConfig) {
  process_exit_code = 0;
  absl::StatusOr<Container> container = Create("old");
  ASSERT_THAT(container, IsOk());
  ASSERT_THAT(container->Start(), IsOk());
  EXPECT_THAT(container->Wait(), IsOkAndHolds(nsenter::ExitStatus{.signaled = false, .code = 0}));
  ForgetRecordedFacts("old");
  absl::StatusOr<ContainerState> old = container->StateWithoutConfig();
  ASSERT_THAT(old, IsOk());
  EXPECT_FALSE(old->has_poststop_hooks());
  EXPECT_FALSE(old->has_pid_namespace());
  EXPECT_FALSE(old->has_intel_rdt());

  const std::string config_file = absl::StrCat(state_root_, "/old/config.textproto");
  absl::StatusOr<std::string> config = hull::testing::ReadFile(config_file);
  ASSERT_THAT(config, IsOk());
  ASSERT_THAT(hull::testing::WriteFile(config_file, "hostname: 7"), IsOk());
  EXPECT_THAT(container->Delete(false),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("corrupt config file")));
  EXPECT_THAT(destroyed_, IsEmpty());
  ASSERT_THAT(hull::testing::WriteFile(config_file, *config), IsOk());
  ASSERT_THAT(container->Delete(false), IsOk());
  EXPECT_THAT(destroyed_, ElementsAre("old"));
  ExpectGone("old");
}

TEST_F(ContainerTest, PauseAndResume) {
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_THAT(container, IsOk());
  EXPECT_THAT(container->Pause(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is created: cannot pause")));
  ASSERT_THAT(container->Start(), IsOk());
  ASSERT_THAT(container->Pause(), IsOk());
  EXPECT_TRUE(frozen_);
  EXPECT_EQ(StatusOf(container->State()), statemachine::STATE_PAUSED);
  EXPECT_THAT(container->Pause(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is paused: cannot pause")));
  ASSERT_THAT(container->Resume(), IsOk());
  EXPECT_FALSE(frozen_);
  EXPECT_EQ(StatusOf(container->State()), statemachine::STATE_RUNNING);
  // Frozen behind the runtime's back: the state says so.
  frozen_ = true;
  EXPECT_EQ(StatusOf(container->State()), statemachine::STATE_PAUSED);
  frozen_ = false;
  ASSERT_THAT(container->Delete(/*force=*/true), IsOk());
  ExpectGone("c1");
}

TEST_F(ContainerTest, UpdateAppliesAndPersistsTheResourcesButNotTheDeviceRules) {
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_THAT(container, IsOk());
  absl::StatusOr<ContainerState> before = container->State();
  ASSERT_THAT(before, IsOk());
  // As containerd sends them: the container's whole resources, its device
  // rules included.
  config::Resources resources = before->config().linux().resources();
  resources.add_devices()->set_allow(false);
  ASSERT_THAT(container->Update(resources), StatusIs(absl::StatusCode::kInvalidArgument,
                                                     HasSubstr("linux.resources.devices: update "
                                                               "changes no device rules")));
  resources = before->config().linux().resources();
  resources.mutable_pids()->set_limit(7);
  ASSERT_THAT(container->Update(resources), IsOk());
  ASSERT_EQ(applied_.size(), 2u);  // create's, then update's: the refused one applied nothing
  EXPECT_EQ(applied_[1].pids().limit(), 7);
  EXPECT_THAT(applied_[1].devices(), IsEmpty());
  // Without device rules, the container's stay.
  resources.clear_devices();
  resources.mutable_pids()->set_limit(8);
  ASSERT_THAT(container->Update(resources), IsOk());
  absl::StatusOr<ContainerState> state = container->State();
  ASSERT_THAT(state, IsOk());
  EXPECT_EQ(state->config().linux().resources().pids().limit(), 8);
  EXPECT_EQ(state->config().linux().resources().devices_size(),
            before->config().linux().resources().devices_size());
  ASSERT_THAT(container->Delete(/*force=*/true), IsOk());
  ExpectGone("c1");
}

TEST_F(ContainerTest, ProcessesAreTheCgroups) {
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_THAT(container, IsOk());
  EXPECT_THAT(container->Processes(), IsOkAndHolds(ElementsAre(container->init_pid())));
  ASSERT_THAT(container->Delete(/*force=*/true), IsOk());
  ExpectGone("c1");
}

TEST_F(ContainerTest, DeleteOfARunningContainerNeedsForce) {
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_THAT(container, IsOk());
  ASSERT_THAT(container->Start(), IsOk());
  EXPECT_THAT(container->Delete(/*force=*/false),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("is running: cannot delete; allowed:")));
  EXPECT_EQ(StatusOf(container->State()), statemachine::STATE_RUNNING);
  ASSERT_THAT(container->Delete(/*force=*/true), IsOk());
  // The container, then whatever a gone init could have left in its cgroup.
  EXPECT_THAT(signals_, ElementsAre(SIGKILL, SIGKILL));
  EXPECT_THAT(destroyed_, ElementsAre("c1"));
  ExpectGone("c1");
}

// --force kills and deletes through the state alone: a damaged config file
// is not read.
TEST_F(ContainerTest, ForceDeleteOfARunningContainerReadsNoConfig) {
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_THAT(container, IsOk());
  ASSERT_THAT(container->Start(), IsOk());
  ASSERT_THAT(hull::testing::WriteFile(absl::StrCat(state_root_, "/c1/config.textproto"),
                                       "hostname: 7"),
              IsOk());
  ASSERT_THAT(container->Delete(/*force=*/true), IsOk());
  EXPECT_THAT(signals_, ElementsAre(SIGKILL, SIGKILL));
  EXPECT_THAT(destroyed_, ElementsAre("c1"));
  ExpectGone("c1");
}

// A state from an older Hull needs its config to kill: damaged, --force
// removes the container from what can be salvaged, as for a damaged state.
TEST_F(ContainerTest, ForceDeleteOfAnOldStateWithADamagedConfigRemovesWhatIsSalvaged) {
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_THAT(container, IsOk());
  ASSERT_THAT(container->Start(), IsOk());
  ForgetRecordedFacts("c1");
  ASSERT_THAT(hull::testing::WriteFile(absl::StrCat(state_root_, "/c1/config.textproto"),
                                       "hostname: 7"),
              IsOk());
  ASSERT_THAT(container->Delete(/*force=*/true), IsOk());
  EXPECT_THAT(destroyed_, ElementsAre("c1"));
  // Removed without a reap (the salvaged state knows no child).
  EXPECT_THAT(container->Wait(), IsOkAndHolds(nsenter::ExitStatus{.signaled = true, .code = SIGKILL}));
  ExpectGone("c1");
}

TEST_F(ContainerTest, DeleteOfACreatedContainerKillsItsWaitingInit) {
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_THAT(container, IsOk());
  ASSERT_THAT(container->Delete(/*force=*/false), IsOk());
  EXPECT_THAT(signals_, ElementsAre(SIGKILL));
  ExpectGone("c1");
}

TEST_F(ContainerTest, StartTwiceIsRefusedWithWhatTheStateAllows) {
  process_exit_code = 0;
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_THAT(container, IsOk());
  ASSERT_THAT(container->Start(), IsOk());
  EXPECT_THAT(container->Start(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                           ::testing::AnyOf(HasSubstr("is running: cannot start"),
                                                            HasSubstr("is stopped: cannot start"))));
  ASSERT_THAT(container->Wait(), IsOk());
  ASSERT_THAT(container->Delete(false), IsOk());
}

TEST_F(ContainerTest, LoadedContainersCanBeDrivenButNotWaitedFor) {
  absl::StatusOr<Container> created = Create("c1");
  ASSERT_THAT(created, IsOk());
  absl::StatusOr<Container> loaded = runtime().Load("c1");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->init_pid(), 0);
  EXPECT_THAT(loaded->Wait(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                       HasSubstr("only the process that created it")));
  ASSERT_THAT(loaded->Start(), IsOk());
  EXPECT_EQ(StatusOf(created->State()), statemachine::STATE_RUNNING);
  ASSERT_THAT(loaded->Signal(SIGKILL, /*all=*/false), IsOk());
  EXPECT_THAT(created->Wait(), IsOkAndHolds(nsenter::ExitStatus{.signaled = true, .code = SIGKILL}));
  ASSERT_THAT(loaded->Delete(false), IsOk());
  ExpectGone("c1");
}

TEST_F(ContainerTest, ListIsSorted) {
  ASSERT_THAT(Create("b"), IsOk());
  const pid_t b = init_pid_;
  ASSERT_THAT(Create("a"), IsOk());
  const pid_t a = init_pid_;
  EXPECT_THAT(runtime().List(), IsOkAndHolds(ElementsAre("a", "b")));
  for (const auto& [id, pid] : {std::pair{"a", a}, std::pair{"b", b}}) {
    init_pid_ = pid;
    absl::StatusOr<Container> container = runtime().Load(id);
    ASSERT_THAT(container, IsOk());
    ASSERT_THAT(container->Delete(/*force=*/true), IsOk());
  }
  EXPECT_THAT(runtime().List(), IsOkAndHolds(IsEmpty()));
  // The inits were this process's children: reap them.
  EXPECT_EQ(waitpid(a, nullptr, 0), a);
  EXPECT_EQ(waitpid(b, nullptr, 0), b);
}

TEST_F(ContainerTest, AnUnknownContainerDoesNotExist) {
  EXPECT_THAT(runtime().Load("nope"),
              StatusIs(absl::StatusCode::kNotFound, "container does not exist: nope"));
}

TEST_F(ContainerTest, AnInvalidConfigIsRefusedBeforeAnythingIsMade) {
  config::Spec spec = Spec();
  spec.mutable_process()->clear_args();
  EXPECT_THAT(runtime().Create("bad", spec, {.bundle = bundle_}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("process.args")));
  EXPECT_THAT(runtime().Create("bad", Spec(), {.bundle = "relative/bundle"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bundle path must be absolute")));
  EXPECT_THAT(created_ids_, IsEmpty());
  EXPECT_EQ(cloner_.clones(), 0);
  ExpectGone("bad");
}

TEST_F(ContainerTest, AnIdIsTakenOnce) {
  ASSERT_THAT(Create("c1"), IsOk());
  EXPECT_THAT(runtime().Create("c1", Spec(), {.bundle = bundle_}),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("c1")));
  absl::StatusOr<Container> first = runtime().Load("c1");
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(first->Delete(/*force=*/true), IsOk());
  EXPECT_EQ(waitpid(init_pid_, nullptr, 0), init_pid_);
}

TEST_F(ContainerTest, AFailedCgroupLeavesNothing) {
  cgroup_create_ = absl::FailedPreconditionError("memory cgroup: not mounted");
  EXPECT_THAT(Create("c1"),
              StatusIs(absl::StatusCode::kFailedPrecondition, "memory cgroup: not mounted"));
  EXPECT_EQ(cloner_.clones(), 0);
  ExpectGone("c1");
}

TEST_F(ContainerTest, AFailedCloneLeavesNothing) {
  cloner_.FailNextClone(absl::ResourceExhaustedError("clone3: out of pids"));
  EXPECT_THAT(Create("c1"), StatusIs(absl::StatusCode::kResourceExhausted, "clone3: out of pids"));
  EXPECT_THAT(destroyed_, ElementsAre("c1"));
  ExpectGone("c1");
}

TEST_F(ContainerTest, AFailingInitStepIsReportedAndLeavesNothing) {
  steps_ = kFailingSteps;
  EXPECT_THAT(Create("c1"), StatusIs(absl::StatusCode::kPermissionDenied,
                                     "container init failed to prepare the root filesystem: "
                                     "mount denied"));
  EXPECT_EQ(cloner_.clones(), 1);
  EXPECT_THAT(destroyed_, ElementsAre("c1"));
  ExpectGone("c1");
}

TEST_F(ContainerTest, AskedForItsLogTheInitRecordsEachStepAndOutlivesTheLaunchersEnd) {
  std::vector<std::string> records;
  child_log_ = [&records](absl::string_view record) { records.emplace_back(record); };
  process_exit_code = 3;
  absl::StatusOr<Container> container = Create("web");
  ASSERT_THAT(container, IsOk());
  const std::string prefix = absl::StrCat("container \"web\": init ", container->init_pid(), ": ");
  // The init records its next step right after it reports ready: the
  // launcher may read that one too.
  if (records.size() == 4 && records.back() == prefix + "wait for start") records.pop_back();
  EXPECT_THAT(records, ElementsAre(prefix + "close the launcher's fds",
                                   prefix + "wait for the prestart and createRuntime hooks",
                                   prefix + "report ready"));
  // Past "report ready" the init records into a log nobody reads any more:
  // that neither blocks it nor kills it (a pipe would, with SIGPIPE).
  ASSERT_THAT(container->Start(), IsOk());
  EXPECT_THAT(container->Wait(), IsOkAndHolds(nsenter::ExitStatus{.signaled = false, .code = 3}));
  ASSERT_THAT(container->Delete(/*force=*/false), IsOk());
  ExpectGone("web");
}

TEST_F(ContainerTest, AFailingStepIsTheLastRecordAndItsErrorIsReportedOnceByTheCaller) {
  std::vector<std::string> records;
  child_log_ = [&records](absl::string_view record) { records.emplace_back(record); };
  steps_ = kFailingSteps;
  // The init's stderr is the caller's: it must stay silent, the error
  // reaching the caller through the channel.
  UniqueFd stderr_copy(dup(STDERR_FILENO));
  UniqueFd captured(memfd_create("stderr", MFD_CLOEXEC));
  ASSERT_TRUE(stderr_copy.valid() && captured.valid());
  ASSERT_EQ(dup2(captured.get(), STDERR_FILENO), STDERR_FILENO);
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_EQ(dup2(stderr_copy.get(), STDERR_FILENO), STDERR_FILENO);
  EXPECT_THAT(container, StatusIs(absl::StatusCode::kPermissionDenied,
                                  "container init failed to prepare the root filesystem: "
                                  "mount denied"));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[0], HasSubstr("wait for the prestart and createRuntime hooks"));
  EXPECT_THAT(records[1], HasSubstr(": prepare the root filesystem"));
  EXPECT_THAT(records[1], Not(HasSubstr("mount denied")));
  EXPECT_EQ(lseek(captured.get(), 0, SEEK_END), 0) << "the init wrote to stderr";
  ExpectGone("c1");
}

TEST_F(ContainerTest, AMultiThreadedCallerIsRefusedAndNothingIsLeft) {
  absl::Notification done;
  std::thread other([&done] { done.WaitForNotification(); });
  absl::StatusOr<Container> container = Create("c1");
  done.Notify();
  other.join();
  EXPECT_THAT(container, StatusIs(absl::StatusCode::kFailedPrecondition,
                                  HasSubstr("start a hull::runtime::ForkServer")));
  EXPECT_EQ(cloner_.clones(), 0);
  EXPECT_THAT(destroyed_, ElementsAre("c1"));
  ExpectGone("c1");
}

config::Process ExecProcessSpec() {
  config::Process process;
  process.add_args("/bin/true");
  process.set_cwd("/");
  return process;
}

TEST_F(ContainerTest, ExecStartsAProcessThatIsTheCallersChild) {
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_THAT(container, IsOk());
  ASSERT_THAT(container->Start(), IsOk());
  exec_exit_code = 3;
  absl::StatusOr<ExecProcess> process =
      container->Exec(ExecProcessSpec(), {.sub_cgroups = {{"", "sub"}}});
  ASSERT_THAT(process, IsOk());
  EXPECT_GT(process->pid(), 0);
  EXPECT_NE(process->pid(), container->init_pid());
  // Only a parent can wait for a process.
  EXPECT_THAT(process->Wait(), IsOkAndHolds(nsenter::ExitStatus{.signaled = false, .code = 3}));
  EXPECT_THAT(process->Wait(), StatusIs(absl::StatusCode::kFailedPrecondition, _));
  // The exec's cgroups: below the container's, as asked.
  ASSERT_EQ(clone_targets_.size(), 2u);  // the init's, then the exec's
  EXPECT_THAT(clone_targets_[1], ElementsAre(std::pair<const std::string, std::string>("", "sub")));
  EXPECT_EQ(StatusOf(container->State()), statemachine::STATE_RUNNING);
  ASSERT_THAT(container->Delete(/*force=*/true), IsOk());
  ExpectGone("c1");
}

// The library runs each hook at its point with the state the spec gives it:
// here the init is a plain fork, in the caller's pid namespace, so its own
// hooks see it by its host pid too.
TEST_F(ContainerTest, HooksRunAtTheirPointsWithTheirState) {
  steps_ = kStepsWithHooks;
  process_exit_code = 0;
  config::Spec spec = Spec();
  config::Hooks& hooks = *spec.mutable_hooks();
  *hooks.add_prestart() = Recorder("prestart");
  *hooks.add_create_runtime() = Recorder("createRuntime");
  *hooks.add_create_container() = Recorder("createContainer");
  *hooks.add_start_container() = Recorder("startContainer");
  *hooks.add_poststart() = Recorder("poststart");
  *hooks.add_poststop() = Recorder("poststop");
  absl::StatusOr<Container> container = Create("hooked", spec);
  ASSERT_THAT(container, IsOk());
  EXPECT_EQ(Recorded("order"), "prestart\ncreateRuntime\ncreateContainer\n");
  absl::StatusOr<ContainerState> created = container->StateWithoutConfig();
  ASSERT_THAT(created, IsOk());
  EXPECT_TRUE(created->poststart_hooks());
  EXPECT_TRUE(created->poststop_hooks());
  ASSERT_THAT(container->Start(), IsOk());
  EXPECT_EQ(Recorded("order"),
            "prestart\ncreateRuntime\ncreateContainer\nstartContainer\npoststart\n");
  EXPECT_THAT(container->Wait(), IsOkAndHolds(nsenter::ExitStatus{.signaled = false, .code = 0}));
  ASSERT_THAT(container->Delete(/*force=*/false), IsOk());
  EXPECT_EQ(Recorded("order"),
            "prestart\ncreateRuntime\ncreateContainer\nstartContainer\npoststart\npoststop\n");

  const std::string pid = absl::StrCat(container->init_pid());
  const std::string tail = absl::StrCat(R"("bundle":")", bundle_, R"("})");
  const std::string head = R"({"ociVersion":"1.2.0","id":"hooked","status":")";
  EXPECT_EQ(Recorded("prestart.json"), absl::StrCat(head, R"(creating","pid":)", pid, ",", tail));
  EXPECT_EQ(Recorded("createRuntime.json"),
            absl::StrCat(head, R"(creating","pid":)", pid, ",", tail));
  EXPECT_EQ(Recorded("createContainer.json"),
            absl::StrCat(head, R"(creating","pid":)", pid, ",", tail));
  EXPECT_EQ(Recorded("startContainer.json"),
            absl::StrCat(head, R"(created","pid":)", pid, ",", tail));
  EXPECT_EQ(Recorded("poststart.json"), absl::StrCat(head, R"(running","pid":)", pid, ",", tail));
  EXPECT_EQ(Recorded("poststop.json"), absl::StrCat(head, R"(stopped",)", tail));
  ExpectGone("hooked");
}

// A failing createRuntime hook fails create: what was made is undone, and
// the poststop hooks run (the spec goes on to delete).
TEST_F(ContainerTest, AFailingCreateRuntimeHookLeavesNothingAndRunsPoststop) {
  config::Spec spec = Spec();
  *spec.mutable_hooks()->add_create_runtime() = Recorder("createRuntime", "exit 4");
  *spec.mutable_hooks()->add_poststop() = Recorder("poststop");
  EXPECT_THAT(Create("c1", spec),
              StatusIs(absl::StatusCode::kAborted,
                       "error running createRuntime hook #0: error running hook: exit status 4, "
                       "stdout: , stderr: "));
  EXPECT_EQ(Recorded("order"), "createRuntime\npoststop\n");
  EXPECT_THAT(Recorded("poststop.json"), HasSubstr(R"("status":"stopped")"));
  EXPECT_THAT(destroyed_, ElementsAre("c1"));
  ExpectGone("c1");
}

TEST_F(ContainerTest, AFailingStartContainerHookFailsStart) {
  steps_ = kStepsWithHooks;
  config::Spec spec = Spec();
  *spec.mutable_hooks()->add_start_container() = Recorder("startContainer", "echo no >&2; exit 1");
  *spec.mutable_hooks()->add_poststart() = Recorder("poststart");
  absl::StatusOr<Container> container = Create("c1", spec);
  ASSERT_THAT(container, IsOk());
  EXPECT_THAT(container->Start(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "container init failed to run the startContainer hooks: error running "
                       "startContainer hook #0: error running hook: exit status 1, stdout: , "
                       "stderr: no\n"));
  EXPECT_THAT(container->Wait(), IsOkAndHolds(nsenter::ExitStatus{.signaled = false, .code = 1}));
  EXPECT_EQ(StatusOf(container->State()), statemachine::STATE_STOPPED);
  EXPECT_EQ(Recorded("order"), "startContainer\n") << "poststart ran after a failed start";
  ASSERT_THAT(container->Delete(/*force=*/false), IsOk());
  ExpectGone("c1");
}

TEST_F(ContainerTest, AFailingPoststartHookLeavesTheContainerRunning) {
  config::Spec spec = Spec();
  *spec.mutable_hooks()->add_poststart() = Recorder("poststart", "exit 1");
  *spec.mutable_hooks()->add_poststart() = Recorder("poststart-2");
  absl::StatusOr<Container> container = Create("c1", spec);
  ASSERT_THAT(container, IsOk());
  ASSERT_THAT(container->Start(), IsOk());
  EXPECT_EQ(Recorded("order"), "poststart\npoststart-2\n");
  EXPECT_EQ(StatusOf(container->State()), statemachine::STATE_RUNNING);
  ASSERT_THAT(container->Delete(/*force=*/true), IsOk());
  ExpectGone("c1");
}

TEST_F(ContainerTest, ExecIntoACreatedContainerWorks) {
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_THAT(container, IsOk());
  absl::StatusOr<ExecProcess> process = container->Exec(ExecProcessSpec());
  ASSERT_THAT(process, IsOk());
  EXPECT_THAT(process->Wait(), IsOk());
  EXPECT_EQ(StatusOf(container->State()), statemachine::STATE_CREATED);
  ASSERT_THAT(container->Delete(false), IsOk());
  ExpectGone("c1");
}

TEST_F(ContainerTest, AFailingExecIsReportedAndLeavesNoProcess) {
  exec_steps_ = kFailingExecSteps;
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_THAT(container, IsOk());
  EXPECT_THAT(container->Exec(ExecProcessSpec()),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "exec'd process failed to switch to the user: setresuid denied"));
  // Only the init is left of the container's processes: the forked one and
  // the exec'd one are reaped.
  EXPECT_THAT(container->Processes(), IsOkAndHolds(ElementsAre(container->init_pid())));
  ASSERT_THAT(container->Delete(/*force=*/true), IsOk());
  ExpectGone("c1");
}

TEST_F(ContainerTest, ExecIsRefusedInAPausedContainerUnlessAskedAndInAStoppedOne) {
  process_exit_code = 0;
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_THAT(container, IsOk());
  ASSERT_THAT(container->Start(), IsOk());
  // Paused: only with ignore_paused (the fake cgroups freeze nothing).
  process_exit_code = -1;
  ASSERT_THAT(container->Wait(), IsOk());
  EXPECT_THAT(container->Exec(ExecProcessSpec()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is stopped: cannot exec")));
  ASSERT_THAT(container->Delete(false), IsOk());

  absl::StatusOr<Container> paused = Create("c2");
  ASSERT_THAT(paused, IsOk());
  ASSERT_THAT(paused->Start(), IsOk());
  ASSERT_THAT(paused->Pause(), IsOk());
  EXPECT_THAT(paused->Exec(ExecProcessSpec()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("cannot exec in a paused container")));
  absl::StatusOr<ExecProcess> anyway = paused->Exec(ExecProcessSpec(), {.ignore_paused = true});
  ASSERT_THAT(anyway, IsOk());
  EXPECT_THAT(anyway->Wait(), IsOk());
  ASSERT_THAT(paused->Delete(/*force=*/true), IsOk());
  ExpectGone("c2");
}

TEST_F(ContainerTest, AnInvalidExecProcessIsRefusedBeforeAnythingStarts) {
  absl::StatusOr<Container> container = Create("c1");
  ASSERT_THAT(container, IsOk());
  const int clones = cloner_.clones();
  config::Process process = ExecProcessSpec();
  process.clear_args();
  EXPECT_THAT(container->Exec(process),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("process.args")));
  EXPECT_EQ(cloner_.clones(), clones);
  ASSERT_THAT(container->Delete(false), IsOk());
  ExpectGone("c1");
}

}  // namespace
}  // namespace hull::runtime
