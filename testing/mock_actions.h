// gmock stand-in for hull::statemachine::Actions.
#ifndef HULL_TESTING_MOCK_ACTIONS_H_
#define HULL_TESTING_MOCK_ACTIONS_H_

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "statemachine/actions.h"
#include "statemachine/state.pb.h"
#include "statemachine/transitions.h"

namespace hull::testing {

class MockActions : public statemachine::Actions {
 public:
  MOCK_METHOD(absl::Status, Run, (statemachine::Action action, statemachine::ContainerState& state),
              (override));
  MOCK_METHOD(absl::Status, Undo,
              (statemachine::Action action, statemachine::ContainerState& state), (override));
};

}  // namespace hull::testing

#endif  // HULL_TESTING_MOCK_ACTIONS_H_
