// gmock stand-in for hull::statemachine::ProcessProbe.
#ifndef HULL_TESTING_MOCK_PROCESS_PROBE_H_
#define HULL_TESTING_MOCK_PROCESS_PROBE_H_

#include <sys/types.h>

#include <cstdint>

#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "statemachine/process_probe.h"

namespace hull::testing {

class MockProcessProbe : public statemachine::ProcessProbe {
 public:
  MOCK_METHOD(absl::StatusOr<bool>, IsAlive, (pid_t pid, uint64_t start_time), (override));
};

}  // namespace hull::testing

#endif  // HULL_TESTING_MOCK_PROCESS_PROBE_H_
