#include "statemachine/engine.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/types/span.h"
#include "base/proc_stat.h"
#include "glog/logging.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "statemachine/lifecycle_state.pb.h"
#include "statemachine/process_probe.h"
#include "statemachine/state.pb.h"
#include "statemachine/state_store.h"
#include "statemachine/transitions.h"
#include "testing/mock_actions.h"
#include "testing/mock_process_probe.h"
#include "testing/status_matchers.h"
#include "testing/files.h"

namespace hull::statemachine {

void PrintTo(Action action, std::ostream* os) { *os << ActionName(action); }
void PrintTo(Event event, std::ostream* os) { *os << EventName(event); }

namespace {

using ::hull::testing::MakeTempDir;
using ::hull::testing::DirectoryEntries;
using ::hull::testing::ReadFile;

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::hull::testing::MockActions;
using ::hull::testing::MockProcessProbe;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Gt;
using ::testing::HasSubstr;
using ::testing::InSequence;
using ::testing::IsEmpty;
using ::testing::NiceMock;
using ::testing::Property;
using ::testing::Return;
using ::testing::StrictMock;

constexpr char kId[] = "web";
constexpr uint64_t kStartTime = 4711;

// "running_checkpoint___leave_running": gtest's names are letters, digits and _.
std::string ParamName(State state, Event event) {
  return absl::StrReplaceAll(absl::StrCat(StateName(state), "_", EventName(event)),
                             {{" ", "_"}, {"-", "_"}});
}

bool MakesContainer(Event event) { return event == Event::kCreate || event == Event::kRestore; }

// What the refusal message lists for each state, written out by hand.
std::string AllowedCommands(State state) {
  switch (state) {
    case STATE_CREATING: return "delete";
    case STATE_CREATED: return "start, kill, update, exec, delete";
    case STATE_RUNNING: return "pause, kill, update, exec, checkpoint, checkpoint --leave-running";
    case STATE_PAUSED: return "resume, kill, update, exec, checkpoint, checkpoint --leave-running";
    case STATE_STOPPED: return "kill, delete";
    default: return "?";
  }
}

class EngineTest : public ::testing::Test {
 protected:
  EngineTest() : root_(MakeTempDir("root").value()), store_(root_), engine_(&store_, &probe_) {
    ON_CALL(probe_, IsAlive).WillByDefault(Return(true));
  }

  // Puts container kId on disk in `status`, as an earlier command left it.
  void Seed(State status) {
    ContainerState state;
    state.set_id(kId);
    state.set_bundle("/srv/bundles/web");
    state.set_status(status);
    state.set_pid(getpid());
    state.set_pid_start_time(kStartTime);
    absl::StatusOr<ContainerLock> lock = store_.Create(state);
    ASSERT_THAT(lock, IsOk());
    ASSERT_THAT(store_.Save(*lock, state), IsOk());
  }

  std::string StateFile() const { return ReadFile(store_.StateFilePath(kId)).value_or(""); }

  static ContainerState Initial() {
    ContainerState state;
    state.set_id(kId);
    state.set_bundle("/srv/bundles/web");
    return state;
  }

  absl::StatusOr<ContainerState> Make(Event event, StrictMock<MockActions>& actions) {
    return event == Event::kCreate ? engine_.Create(Initial(), actions)
                                   : engine_.Restore(Initial(), actions);
  }

  const std::string root_;
  StateStore store_;
  NiceMock<MockProcessProbe> probe_;
  Engine engine_;
};

class EveryPairTest : public EngineTest,
                      public ::testing::WithParamInterface<std::tuple<State, Event>> {};

TEST_P(EveryPairTest, AllowedRunsItsActionsInOrderRefusedChangesNothing) {
  const auto [from, event] = GetParam();
  const Transition* transition = FindTransition(from, event);
  StrictMock<MockActions> actions;

  if (MakesContainer(event)) {
    if (transition != nullptr) {
      InSequence in_order;
      for (Action action : transition->actions.span()) {
        EXPECT_CALL(actions, Run(action, _)).WillOnce(Return(absl::OkStatus()));
      }
      absl::StatusOr<ContainerState> made = Make(event, actions);
      ASSERT_THAT(made, IsOk());
      EXPECT_EQ(made->status(), transition->to);
      EXPECT_THAT(made->created_unix_nanos(), Gt(0));
      absl::StatusOr<ContainerState> stored = store_.Load(kId);
      ASSERT_THAT(stored, IsOk());
      EXPECT_EQ(stored->status(), transition->to);
      EXPECT_EQ(stored->bundle(), "/srv/bundles/web");
      return;
    }
    Seed(from);
    const std::string before = StateFile();
    EXPECT_THAT(Make(event, actions),
                StatusIs(absl::StatusCode::kAlreadyExists, "container with id exists: web"));
    EXPECT_THAT(engine_.Fire(kId, event, actions),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("Engine::Create")));
    EXPECT_EQ(StateFile(), before);
    return;
  }

  Seed(from);
  const std::string before = StateFile();
  if (event == Event::kExited) {
    EXPECT_THAT(engine_.Fire(kId, event, actions),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("observed")));
    // Observed instead: a dead init applies the row, if there is one.
    EXPECT_CALL(probe_, IsAlive(getpid(), kStartTime)).WillRepeatedly(Return(false));
    absl::StatusOr<ContainerState> observed = engine_.Get(kId);
    ASSERT_THAT(observed, IsOk());
    EXPECT_EQ(observed->status(), transition != nullptr ? *transition->to : from);
    EXPECT_EQ(StateFile(), before);
    return;
  }

  if (transition == nullptr) {
    EXPECT_THAT(engine_.Fire(kId, event, actions),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         ::testing::EndsWith(absl::StrCat("container \"web\" is ", StateName(from),
                                                          ": cannot ", EventName(event),
                                                          "; allowed: ", AllowedCommands(from)))));
    EXPECT_EQ(StateFile(), before);
    return;
  }

  {
    InSequence in_order;
    for (Action action : transition->actions.span()) {
      EXPECT_CALL(actions, Run(action, _)).WillOnce(Return(absl::OkStatus()));
    }
  }
  absl::StatusOr<ContainerState> fired = engine_.Fire(kId, event, actions);
  ASSERT_THAT(fired, IsOk());
  if (transition->to.has_value()) {
    EXPECT_EQ(fired->status(), *transition->to);
    absl::StatusOr<ContainerState> stored = store_.Load(kId);
    ASSERT_THAT(stored, IsOk());
    EXPECT_EQ(stored->status(), *transition->to);
  } else {
    EXPECT_THAT(store_.Load(kId), StatusIs(absl::StatusCode::kNotFound, HasSubstr("web")));
    EXPECT_THAT(DirectoryEntries(root_), IsEmpty());
  }
}

INSTANTIATE_TEST_SUITE_P(AllStatesAndEvents, EveryPairTest,
                         ::testing::Combine(::testing::ValuesIn(kAllStates),
                                            ::testing::ValuesIn(kAllEvents)),
                         [](const ::testing::TestParamInfo<std::tuple<State, Event>>& info) {
                           return ParamName(std::get<0>(info.param), std::get<1>(info.param));
                         });

// (row, position of the failing action) for every action of every row.
std::vector<std::tuple<const Transition*, size_t>> FailurePoints() {
  std::vector<std::tuple<const Transition*, size_t>> points;
  for (const Transition& transition : Transitions()) {
    for (size_t i = 0; i < transition.actions.span().size(); ++i)
      points.emplace_back(&transition, i);
  }
  return points;
}

class CompensationTest
    : public EngineTest,
      public ::testing::WithParamInterface<std::tuple<const Transition*, size_t>> {};

TEST_P(CompensationTest, FailedActionUndoesTheEarlierOnesInReverse) {
  const auto [transition, failing] = GetParam();
  const absl::Span<const Action> steps = transition->actions.span();
  StrictMock<MockActions> actions;
  {
    InSequence in_order;
    for (size_t i = 0; i < failing; ++i) {
      EXPECT_CALL(actions, Run(steps[i], _)).WillOnce(Return(absl::OkStatus()));
    }
    EXPECT_CALL(actions, Run(steps[failing], _))
        .WillOnce(Return(absl::UnavailableError("cgroupfs is busy")));
    for (size_t i = failing; i-- > 0;) {
      EXPECT_CALL(actions, Undo(steps[i], _)).WillOnce(Return(absl::OkStatus()));
    }
  }
  if (MakesContainer(transition->event)) {
    EXPECT_THAT(Make(transition->event, actions),
                StatusIs(absl::StatusCode::kUnavailable, "cgroupfs is busy"));
    EXPECT_THAT(DirectoryEntries(root_), IsEmpty());
    return;
  }
  Seed(transition->from);
  const std::string before = StateFile();
  EXPECT_THAT(engine_.Fire(kId, transition->event, actions),
              StatusIs(absl::StatusCode::kUnavailable, "cgroupfs is busy"));
  EXPECT_EQ(StateFile(), before);
  EXPECT_THAT(DirectoryEntries(root_ + "/" + kId),
              ::testing::UnorderedElementsAre(kConfigFileName, kStateFileName));
}

INSTANTIATE_TEST_SUITE_P(
    EveryActionOfEveryRow, CompensationTest, ::testing::ValuesIn(FailurePoints()),
    [](const ::testing::TestParamInfo<std::tuple<const Transition*, size_t>>& info) {
      const Transition& transition = *std::get<0>(info.param);
      return absl::StrCat(ParamName(transition.from, transition.event), "_", ActionName(transition.actions.span()[std::get<1>(info.param)]), "Fails");
    });

TEST_F(EngineTest, FailedSaveUndoesEveryAction) {
  Seed(STATE_RUNNING);
  const std::string before = StateFile();
  // The temporary state file cannot be made where a directory is.
  ASSERT_EQ(mkdir((root_ + "/web/.state.textproto.tmp").c_str(), 0700), 0);
  StrictMock<MockActions> actions;
  {
    InSequence in_order;
    EXPECT_CALL(actions, Run(Action::kFreeze, _)).WillOnce(Return(absl::OkStatus()));
    EXPECT_CALL(actions, Undo(Action::kFreeze, _)).WillOnce(Return(absl::OkStatus()));
  }
  EXPECT_THAT(engine_.Fire(kId, Event::kPause, actions),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(".state.textproto.tmp")));
  EXPECT_EQ(StateFile(), before);
}

TEST_F(EngineTest, UndoFailuresAreReportedWithTheActionsError) {
  StrictMock<MockActions> actions;
  {
    InSequence in_order;
    EXPECT_CALL(actions, Run(Action::kCreateCgroup, _)).WillOnce(Return(absl::OkStatus()));
    EXPECT_CALL(actions, Run(Action::kCreateExecFifo, _)).WillOnce(Return(absl::OkStatus()));
    EXPECT_CALL(actions, Run(Action::kCloneInit, _))
        .WillOnce(Return(absl::ResourceExhaustedError("clone3: no pids left")));
    EXPECT_CALL(actions, Undo(Action::kCreateExecFifo, _)).WillOnce(Return(absl::OkStatus()));
    EXPECT_CALL(actions, Undo(Action::kCreateCgroup, _))
        .WillOnce(Return(absl::InternalError("rmdir: busy")));
  }
  EXPECT_THAT(engine_.Create(Initial(), actions),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       AllOf(HasSubstr("clone3: no pids left"),
                             HasSubstr("undoing CreateCgroup failed too: rmdir: busy"))));
  EXPECT_THAT(DirectoryEntries(root_), IsEmpty());
}

// Collects the debug lines (VLOG(1)) logged while it lives.
class DebugLines : public google::LogSink {
 public:
  DebugLines() : verbosity_(FLAGS_v) {
    FLAGS_v = 1;
    google::AddLogSink(this);
  }
  ~DebugLines() override {
    google::RemoveLogSink(this);
    FLAGS_v = verbosity_;
  }
  void send(google::LogSeverity, const char*, const char*, int, const struct ::tm*,
            const char* message, size_t message_len) override {
    lines.emplace_back(message, message_len);
  }

  std::vector<std::string> lines;

 private:
  const int verbosity_;
};

TEST_F(EngineTest, DebugLogNamesTheTransitionAndEachStepButLeavesTheErrorToTheCaller) {
  StrictMock<MockActions> actions;
  EXPECT_CALL(actions, Run(Action::kCreateCgroup, _)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(actions, Run(Action::kCreateExecFifo, _)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(actions, Run(Action::kCloneInit, _))
      .WillOnce(Return(absl::ResourceExhaustedError("clone3: no pids left")));
  EXPECT_CALL(actions, Undo(_, _)).WillRepeatedly(Return(absl::OkStatus()));
  DebugLines debug;
  EXPECT_THAT(engine_.Create(Initial(), actions),
              StatusIs(absl::StatusCode::kResourceExhausted, "clone3: no pids left"));
  EXPECT_THAT(debug.lines, ElementsAre("container \"web\": create: creating -> created",
                                       "container \"web\": create: CreateCgroup",
                                       "container \"web\": create: CreateExecFifo",
                                       "container \"web\": create: CloneInit",
                                       "container \"web\": create: CloneInit failed",
                                       "container \"web\": create: undo CreateExecFifo",
                                       "container \"web\": create: undo CreateCgroup"));
}

TEST_F(EngineTest, DebugLogOfACommandEndsWithTheNewState) {
  Seed(STATE_CREATED);
  StrictMock<MockActions> actions;
  EXPECT_CALL(actions, Run(_, _)).WillRepeatedly(Return(absl::OkStatus()));
  DebugLines debug;
  ASSERT_THAT(engine_.Fire(kId, Event::kStart, actions), IsOk());
  EXPECT_THAT(debug.lines, ElementsAre("container \"web\": start: created -> running",
                                       "container \"web\": start: ReleaseExecFifo",
                                       "container \"web\": start: RunPoststartHooks",
                                       "container \"web\": start: done: running"));
}

TEST_F(EngineTest, ActionsRecordWhatTheyMadeInThePersistedState) {
  StrictMock<MockActions> actions;
  EXPECT_CALL(actions, Run(_, _)).WillRepeatedly(Return(absl::OkStatus()));
  EXPECT_CALL(actions, Run(Action::kCloneInit, _)).WillOnce([](Action, ContainerState& state) {
    state.set_pid(1234);
    state.set_pid_start_time(99);
    return absl::OkStatus();
  });
  ASSERT_THAT(engine_.Create(Initial(), actions), IsOk());
  absl::StatusOr<ContainerState> stored = store_.Load(kId);
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->pid(), 1234);
  EXPECT_EQ(stored->pid_start_time(), 99u);
  EXPECT_EQ(stored->status(), STATE_CREATED);
}

TEST_F(EngineTest, UnknownAndBadIds) {
  StrictMock<MockActions> actions;
  EXPECT_THAT(engine_.Fire("nope", Event::kStart, actions),
              StatusIs(absl::StatusCode::kNotFound, "container does not exist: nope"));
  EXPECT_THAT(engine_.Get("nope"),
              StatusIs(absl::StatusCode::kNotFound, "container does not exist: nope"));
  EXPECT_THAT(engine_.Fire("../x", Event::kStart, actions),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"../x\"")));
  ContainerState bad = Initial();
  bad.set_id("a b");
  EXPECT_THAT(engine_.Create(bad, actions),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"a b\"")));
}

TEST_F(EngineTest, ProbeErrorsAreReturned) {
  Seed(STATE_RUNNING);
  EXPECT_CALL(probe_, IsAlive).WillOnce(Return(absl::PermissionDeniedError("open /proc/1/stat")));
  StrictMock<MockActions> actions;
  EXPECT_THAT(engine_.Fire(kId, Event::kPause, actions),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("/proc/1/stat")));
}

TEST_F(EngineTest, CorruptStateIsReportedNotActedOn) {
  Seed(STATE_RUNNING);
  std::ofstream(store_.StateFilePath(kId), std::ios::trunc) << "id: \"web\"\nstatus: STATE_RUNN";
  StrictMock<MockActions> actions;
  EXPECT_THAT(engine_.Fire(kId, Event::kPause, actions),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(store_.StateFilePath(kId))));
}

// Actions that say none of them reads the config.
class ConfigFreeActions : public MockActions {
 public:
  bool ReadsConfig(Action /*action*/, const ContainerState& /*state*/) const override {
    return false;
  }
};

TEST_F(EngineTest, ARowWhoseActionsReadNoConfigLeavesTheConfigFileUnread) {
  Seed(STATE_RUNNING);
  // Damaged: a row that read it would fail.
  std::ofstream(store_.ConfigFilePath(kId), std::ios::trunc) << "hostname: 7";
  StrictMock<ConfigFreeActions> config_free;
  EXPECT_CALL(config_free, Run(Action::kFreeze, _))
      .WillOnce([](Action, ContainerState& state) {
        EXPECT_FALSE(state.has_config());
        return absl::OkStatus();
      });
  absl::StatusOr<ContainerState> paused = engine_.Fire(kId, Event::kPause, config_free);
  ASSERT_THAT(paused, IsOk());
  EXPECT_EQ(paused->status(), STATE_PAUSED);
  EXPECT_EQ(ReadFile(store_.ConfigFilePath(kId)).value_or(""), "hostname: 7");

  // Actions that read it (the default) get the error, and nothing runs.
  StrictMock<MockActions> actions;
  EXPECT_THAT(engine_.Fire(kId, Event::kResume, actions),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("corrupt config file " + store_.ConfigFilePath(kId))));
}

// The delete row, as LinuxActions has it for a state that records what
// delete needs: the container goes without its config file being read.
TEST_F(EngineTest, ADeleteWhoseActionsReadNoConfigRemovesTheContainerLeavingItsConfigUnread) {
  Seed(STATE_STOPPED);
  std::ofstream(store_.ConfigFilePath(kId), std::ios::trunc) << "hostname: 7";
  StrictMock<ConfigFreeActions> config_free;
  ::testing::InSequence in_order;
  for (const Action action : {Action::kKillAll, Action::kDestroy, Action::kRunPoststopHooks}) {
    EXPECT_CALL(config_free, Run(action, _)).WillOnce([](Action, ContainerState& state) {
      EXPECT_FALSE(state.has_config());
      return absl::OkStatus();
    });
  }
  ASSERT_THAT(engine_.Fire(kId, Event::kDelete, config_free), IsOk());
  EXPECT_THAT(store_.Exists(kId), StatusIs(absl::StatusCode::kNotFound, HasSubstr(kId)));
}

// A freeze probe that answers from a flag.
class FakeFreezeProbe : public FreezeProbe {
 public:
  absl::StatusOr<bool> IsFrozen(const ContainerState&) override { return frozen; }
  bool frozen = false;
};

class FreezeReconcileTest : public EngineTest {
 protected:
  FreezeReconcileTest() : frozen_engine_(&store_, &probe_, &freeze_) {}

  FakeFreezeProbe freeze_;
  Engine frozen_engine_;
};

TEST_F(FreezeReconcileTest, AFrozenRunningContainerIsPaused) {
  Seed(STATE_RUNNING);
  freeze_.frozen = true;
  EXPECT_THAT(frozen_engine_.Get(kId), IsOkAndHolds(Property(&ContainerState::status, STATE_PAUSED)));
}

TEST_F(FreezeReconcileTest, AThawedPausedContainerIsRunning) {
  Seed(STATE_PAUSED);
  freeze_.frozen = false;
  EXPECT_THAT(frozen_engine_.Get(kId), IsOkAndHolds(Property(&ContainerState::status, STATE_RUNNING)));
}

TEST_F(FreezeReconcileTest, ADeadInitIsStoppedWhateverTheFreezer) {
  Seed(STATE_PAUSED);
  freeze_.frozen = true;
  ON_CALL(probe_, IsAlive).WillByDefault(Return(false));
  EXPECT_THAT(frozen_engine_.Get(kId), IsOkAndHolds(Property(&ContainerState::status, STATE_STOPPED)));
}

TEST_F(FreezeReconcileTest, CreatedContainersAreNotAskedAbout) {
  Seed(STATE_CREATED);
  freeze_.frozen = true;
  EXPECT_THAT(frozen_engine_.Get(kId), IsOkAndHolds(Property(&ContainerState::status, STATE_CREATED)));
}

// Reconciliation against the real kernel.
class ReconcileTest : public ::testing::Test {
 protected:
  ReconcileTest() : root_(MakeTempDir("root").value()), store_(root_), engine_(&store_, &probe_) {}

  void Seed(State status, pid_t pid, uint64_t start_time) {
    ContainerState state;
    state.set_id(kId);
    state.set_status(status);
    state.set_pid(pid);
    state.set_pid_start_time(start_time);
    ASSERT_THAT(store_.Create(state).status(), IsOk());
  }

  static uint64_t OwnStartTime() { return ReadProcStat(getpid())->start_time; }

  static pid_t DeadPid() {
    const pid_t child = fork();
    if (child == 0) _exit(0);
    waitpid(child, nullptr, 0);
    return child;
  }

  const std::string root_;
  StateStore store_;
  LinuxProcessProbe probe_;
  Engine engine_;
};

TEST_F(ReconcileTest, LiveInitKeepsTheState) {
  Seed(STATE_RUNNING, getpid(), OwnStartTime());
  EXPECT_THAT(engine_.Get(kId), ::hull::testing::IsOkAndHolds(
                                    ::testing::Property(&ContainerState::status, STATE_RUNNING)));
}

TEST_F(ReconcileTest, DeadInitMeansStopped) {
  for (State status : {STATE_CREATED, STATE_RUNNING, STATE_PAUSED}) {
    Seed(status, DeadPid(), OwnStartTime());
    const std::string before = ReadFile(store_.StateFilePath(kId)).value_or("");
    absl::StatusOr<ContainerState> state = engine_.Get(kId);
    ASSERT_THAT(state, IsOk());
    EXPECT_EQ(state->status(), STATE_STOPPED) << StateName(status);
    EXPECT_EQ(ReadFile(store_.StateFilePath(kId)).value_or(""), before) << "Get changed the file";
    ASSERT_THAT(store_.Remove(*store_.Lock(kId)), IsOk());
  }
}

TEST_F(ReconcileTest, PidWithAnotherStartTimeMeansStopped) {
  Seed(STATE_RUNNING, getpid(), OwnStartTime() + 1);
  StrictMock<MockActions> actions;
  EXPECT_THAT(engine_.Fire(kId, Event::kStart, actions),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "cannot start a container that has stopped: container \"web\" is "
                       "stopped: cannot start; allowed: kill, delete"));
  {
    InSequence in_order;
    EXPECT_CALL(actions, Run(Action::kKillAll, _)).WillOnce(Return(absl::OkStatus()));
    EXPECT_CALL(actions, Run(Action::kDestroy, _)).WillOnce(Return(absl::OkStatus()));
    EXPECT_CALL(actions, Run(Action::kRunPoststopHooks, _)).WillOnce(Return(absl::OkStatus()));
  }
  EXPECT_THAT(engine_.Fire(kId, Event::kDelete, actions), IsOk());
  EXPECT_THAT(engine_.Get(kId), StatusIs(absl::StatusCode::kNotFound, HasSubstr("web")));
}

}  // namespace
}  // namespace hull::statemachine

namespace hull::statemachine {
namespace {

// Actions that record a pid at kCloneInit and save their progress there, and
// read back, at each later action, what a crash at that moment would leave.
class ProgressSavingActions : public Actions {
 public:
  explicit ProgressSavingActions(const StateStore& store) : store_(store) {}

  absl::Status Run(Action action, ContainerState& state) override {
    if (action == Action::kCloneInit) {
      state.set_pid(4242);
      state.set_status(STATE_RUNNING);  // saved as creating all the same
      return SaveProgress(state);
    }
    absl::StatusOr<ContainerState> on_disk = store_.Load(state.id());
    if (!on_disk.ok()) return on_disk.status();
    seen_.push_back(*on_disk);
    return absl::OkStatus();
  }
  absl::Status Undo(Action, ContainerState&) override { return absl::OkStatus(); }

  const std::vector<ContainerState>& seen() const { return seen_; }

 private:
  const StateStore& store_;
  std::vector<ContainerState> seen_;
};

TEST_F(EngineTest, CreateActionsSaveTheirProgressAsCreating) {
  ProgressSavingActions actions(store_);
  ASSERT_THAT(engine_.Create(Initial(), actions), IsOk());
  const absl::Span<const Action> create = FindTransition(STATE_CREATING, Event::kCreate)->actions.span();
  const auto clone = std::find(create.begin(), create.end(), Action::kCloneInit);
  ASSERT_NE(clone, create.end());
  // Every action before the clone saw no pid on disk, every one after it the
  // saved one, as creating.
  ASSERT_EQ(actions.seen().size(), create.size() - 1);
  for (size_t i = 0; i < actions.seen().size(); ++i) {
    const bool after_clone = create.begin() + i >= clone;
    EXPECT_EQ(actions.seen()[i].pid(), after_clone ? 4242 : 0) << i;
    EXPECT_EQ(actions.seen()[i].status(), STATE_CREATING) << i;
  }
}

TEST_F(EngineTest, ProgressIsNotSavedOutsideCreate) {
  Seed(STATE_CREATED);
  const std::string before = StateFile();
  ProgressSavingActions actions(store_);
  // kill's kSignal is no clone: nothing saved; and a clone run by a command
  // (not a create) has no saver.
  ContainerState state = store_.Load(kId).value();
  EXPECT_THAT(actions.Run(Action::kCloneInit, state), IsOk());
  EXPECT_EQ(StateFile(), before);
}

}  // namespace
}  // namespace hull::statemachine

namespace hull::statemachine {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::MockActions;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::InSequence;
using ::testing::Property;
using ::testing::Return;
using ::testing::StrictMock;

// A damaged state: delete's actions of `creating` run on what is salvaged,
// not the hooks, and the directory goes even when an action fails.
TEST_F(EngineTest, RemoveDamagedRunsTheDeleteActionsButTheHooksOnWhatIsSalvaged) {
  Seed(STATE_RUNNING);
  const std::string file = store_.StateFilePath(kId);
  std::string text = StateFile();
  ASSERT_THAT(hull::testing::WriteFile(file, text + "\ngarbage {{{"), IsOk());
  StrictMock<MockActions> actions;
  {
    InSequence in_order;
    EXPECT_CALL(actions, Run(Action::kKillAll, Property(&ContainerState::pid, getpid())))
        .WillOnce(Return(absl::InternalError("the init would not die")));
    EXPECT_CALL(actions, Run(Action::kDestroy, _)).WillOnce(Return(absl::OkStatus()));
  }
  EXPECT_THAT(engine_.RemoveDamaged(kId, actions), IsOk());
  EXPECT_THAT(store_.Load(kId), StatusIs(absl::StatusCode::kNotFound, HasSubstr("web")));
}

TEST_F(EngineTest, RemoveDamagedRefusesAReadableState) {
  Seed(STATE_STOPPED);
  StrictMock<MockActions> actions;
  EXPECT_THAT(engine_.RemoveDamaged(kId, actions),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is readable")));
  EXPECT_THAT(store_.Load(kId), IsOk());
}

}  // namespace
}  // namespace hull::statemachine
