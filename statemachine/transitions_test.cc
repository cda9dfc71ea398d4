#include "statemachine/transitions.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hull::statemachine {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::IsNull;
using ::testing::NotNull;

std::string AllowedNames(State state) {
  return absl::StrJoin(AllowedEvents(state), ", ", [](std::string* out, Event event) {
    absl::StrAppend(out, EventName(event));
  });
}

// runc's rules, written out independently of the table.
TEST(TransitionsTest, EachStateAllowsWhatRuncAllows) {
  EXPECT_EQ(AllowedNames(STATE_CREATING), "create, restore, delete");
  EXPECT_EQ(AllowedNames(STATE_CREATED), "start, kill, exited, update, exec, delete");
  EXPECT_EQ(AllowedNames(STATE_RUNNING), "pause, kill, exited, update, exec, checkpoint, checkpoint --leave-running");
  // runc execs in a paused container with --ignore-paused (the action checks it).
  EXPECT_EQ(AllowedNames(STATE_PAUSED), "resume, kill, exited, update, exec, checkpoint, checkpoint --leave-running");
  // kill --all reaches what a stopped init left behind.
  EXPECT_EQ(AllowedNames(STATE_STOPPED), "kill, delete");
  EXPECT_THAT(AllowedEvents(STATE_UNSPECIFIED), IsEmpty());
}

TEST(TransitionsTest, NoPairHasTwoRows) {
  std::set<std::pair<State, Event>> seen;
  for (const Transition& transition : Transitions()) {
    EXPECT_TRUE(seen.insert({transition.from, transition.event}).second)
        << StateName(transition.from) << " " << EventName(transition.event);
  }
}

TEST(TransitionsTest, ExitedRowsStopWithoutActions) {
  // Reconciliation applies these rows on a read-only Get: they must not act.
  for (State state : {STATE_CREATED, STATE_RUNNING, STATE_PAUSED}) {
    const Transition* exited = FindTransition(state, Event::kExited);
    ASSERT_THAT(exited, NotNull()) << StateName(state);
    EXPECT_EQ(exited->to, STATE_STOPPED);
    EXPECT_THAT(exited->actions.span(), IsEmpty());
  }
}

TEST(TransitionsTest, OnlyDeleteRemovesTheContainer) {
  for (const Transition& transition : Transitions()) {
    EXPECT_EQ(transition.to.has_value(), transition.event != Event::kDelete)
        << StateName(transition.from) << " " << EventName(transition.event);
  }
}

TEST(TransitionsTest, KillUpdateAndExecKeepTheState) {
  for (const Transition& transition : Transitions()) {
    if (transition.event == Event::kKill || transition.event == Event::kUpdate ||
        transition.event == Event::kExec) {
      EXPECT_EQ(transition.to, transition.from) << EventName(transition.event);
    }
  }
}

// Where `action` runs in `row`: its index, or the row's length when the row
// does not run it.
size_t Position(const Transition& row, Action action) {
  const absl::Span<const Action> actions = row.actions.span();
  return static_cast<size_t>(std::find(actions.begin(), actions.end(), action) - actions.begin());
}

// The order the runtime spec's lifecycle asks for (runtime.md), and what the
// init needs before it is cloned, rather than the table restated.
TEST(TransitionsTest, RowsRunTheirActionsInTheLifecyclesOrder) {
  const Transition* create = FindTransition(STATE_CREATING, Event::kCreate);
  ASSERT_THAT(create, NotNull());
  EXPECT_EQ(create->to, STATE_CREATED);
  // The init is born in its cgroup and waits on the exec fifo: both exist
  // before it is cloned.
  EXPECT_LT(Position(*create, Action::kCreateCgroup), Position(*create, Action::kCloneInit));
  EXPECT_LT(Position(*create, Action::kCreateExecFifo), Position(*create, Action::kCloneInit));
  // The prestart hooks, then the createRuntime hooks, run once the
  // container's environment exists; create returns once the init is ready.
  EXPECT_LT(Position(*create, Action::kCloneInit), Position(*create, Action::kRunPrestartHooks));
  EXPECT_LT(Position(*create, Action::kRunPrestartHooks),
            Position(*create, Action::kRunCreateRuntimeHooks));
  EXPECT_EQ(Position(*create, Action::kAwaitInitReady), create->actions.span().size() - 1);

  // The poststart hooks run after the user's process is started.
  const Transition* start = FindTransition(STATE_CREATED, Event::kStart);
  ASSERT_THAT(start, NotNull());
  EXPECT_EQ(start->to, STATE_RUNNING);
  EXPECT_LT(Position(*start, Action::kReleaseExecFifo),
            Position(*start, Action::kRunPoststartHooks));

  // The poststop hooks run after the container is deleted, and its cgroups
  // go once nothing runs in them.
  for (const State state : {STATE_CREATING, STATE_CREATED, STATE_STOPPED}) {
    const Transition* deleted = FindTransition(state, Event::kDelete);
    ASSERT_THAT(deleted, NotNull()) << StateName(state);
    EXPECT_LT(Position(*deleted, Action::kKillAll), Position(*deleted, Action::kDestroy))
        << StateName(state);
    EXPECT_LT(Position(*deleted, Action::kDestroy), Position(*deleted, Action::kRunPoststopHooks))
        << StateName(state);
  }
}

TEST(TransitionsTest, RefusedPairsHaveNoRow) {
  EXPECT_THAT(FindTransition(STATE_PAUSED, Event::kStart), IsNull());
  EXPECT_THAT(FindTransition(STATE_RUNNING, Event::kDelete), IsNull());
  EXPECT_THAT(FindTransition(STATE_STOPPED, Event::kStart), IsNull());
}

TEST(TransitionsTest, NamesAreRuncsSpelling) {
  std::vector<std::string> states, events;
  for (State state : kAllStates) states.emplace_back(StateName(state));
  for (Event event : kAllEvents) events.emplace_back(EventName(event));
  EXPECT_THAT(states, ElementsAre("creating", "created", "running", "paused", "stopped"));
  EXPECT_THAT(events, ElementsAre("create", "start", "pause", "resume", "kill", "exited", "update",
                                  "exec", "checkpoint", "checkpoint --leave-running", "restore",
                                  "delete"));
  EXPECT_EQ(ActionName(Action::kCloneInit), "CloneInit");
  EXPECT_EQ(ActionName(Action::kRunPoststopHooks), "RunPoststopHooks");
}

}  // namespace
}  // namespace hull::statemachine
