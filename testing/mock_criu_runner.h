// A gmock of runtime/criu/runner.h: the tests of checkpoint and restore play
// CRIU's part (its answer, the notifications it sends) without CRIU.
#ifndef HULL_TESTING_MOCK_CRIU_RUNNER_H_
#define HULL_TESTING_MOCK_CRIU_RUNNER_H_

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "runtime/criu/rpc.pb.h"
#include "runtime/criu/runner.h"

namespace hull::testing {

class MockCriuRunner : public runtime::criu::Runner {
 public:
  MOCK_METHOD(absl::StatusOr<runtime::criu::criu_resp>, Run,
              (const runtime::criu::criu_req& request, absl::Span<const int> extra_fds,
               const runtime::criu::Callbacks& callbacks),
              (override));
};

}  // namespace hull::testing

#endif  // HULL_TESTING_MOCK_CRIU_RUNNER_H_
