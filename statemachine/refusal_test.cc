#include "statemachine/refusal.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::statemachine {
namespace {

using ::hull::testing::StatusIs;

ContainerState InState(State status) {
  ContainerState state;
  state.set_id("web");
  state.set_status(status);
  return state;
}

// containerd maps a kill's "container not running" to "process already
// finished"; scripts match the others.
TEST(RefusalTest, StartsWithRuncsWordsThenHullsDetail) {
  EXPECT_THAT(Refusal(InState(STATE_STOPPED), Event::kPause),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "container not running: container \"web\" is stopped: cannot pause; "
                       "allowed: kill, delete"));
  EXPECT_THAT(Refusal(InState(STATE_CREATED), Event::kPause),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::StartsWith("container not running: container \"web\" is "
                                             "created: cannot pause; allowed: ")));
  EXPECT_THAT(Refusal(InState(STATE_RUNNING), Event::kResume),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::StartsWith("container not paused: container \"web\" is running")));
  EXPECT_THAT(Refusal(InState(STATE_STOPPED), Event::kExec),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::StartsWith("cannot exec in a stopped container: ")));
  EXPECT_THAT(Refusal(InState(STATE_STOPPED), Event::kStart),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::StartsWith("cannot start a container that has stopped: ")));
  EXPECT_THAT(Refusal(InState(STATE_RUNNING), Event::kStart),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::StartsWith("cannot start an already running container: ")));
  EXPECT_THAT(Refusal(InState(STATE_RUNNING), Event::kDelete),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::StartsWith("cannot delete container that is not stopped: "
                                             "container \"web\" is running: cannot delete")));
}

TEST(RefusalTest, OnlyHullsDetailWhereRuncHasNoWords) {
  EXPECT_EQ(RuncRefusalWords(STATE_CREATED, Event::kStart), "");
  EXPECT_EQ(RuncRefusalWords(STATE_RUNNING, Event::kExec), "");
}

}  // namespace
}  // namespace hull::statemachine
