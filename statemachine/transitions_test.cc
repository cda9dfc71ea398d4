#include "statemachine/transitions.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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
  EXPECT_EQ(AllowedNames(STATE_RUNNING), "pause, kill, exited, update, exec, checkpoint");
  EXPECT_EQ(AllowedNames(STATE_PAUSED), "resume, kill, exited, update, checkpoint");
  EXPECT_EQ(AllowedNames(STATE_STOPPED), "delete");
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

TEST(TransitionsTest, RowsNameTheirActionsInOrder) {
  const Transition* create = FindTransition(STATE_CREATING, Event::kCreate);
  ASSERT_THAT(create, NotNull());
  EXPECT_EQ(create->to, STATE_CREATED);
  EXPECT_THAT(create->actions.span(),
              ElementsAre(Action::kCreateCgroup, Action::kCreateExecFifo, Action::kCloneInit,
                          Action::kRunPrestartHooks, Action::kRunCreateRuntimeHooks,
                          Action::kAwaitInitReady));
  const Transition* start = FindTransition(STATE_CREATED, Event::kStart);
  ASSERT_THAT(start, NotNull());
  EXPECT_EQ(start->to, STATE_RUNNING);
  EXPECT_THAT(start->actions.span(),
              ElementsAre(Action::kReleaseExecFifo, Action::kRunPoststartHooks));
  const Transition* delete_stopped = FindTransition(STATE_STOPPED, Event::kDelete);
  ASSERT_THAT(delete_stopped, NotNull());
  EXPECT_THAT(delete_stopped->actions.span(),
              ElementsAre(Action::kKillAll, Action::kDestroy, Action::kRunPoststopHooks));
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
                                  "exec", "checkpoint", "restore", "delete"));
  EXPECT_EQ(ActionName(Action::kCloneInit), "CloneInit");
  EXPECT_EQ(ActionName(Action::kRunPoststopHooks), "RunPoststopHooks");
}

}  // namespace
}  // namespace hull::statemachine
