// gmock stand-in for hull::nsenter::ProcessCloner. A mocked Clone returns
// only the parent's side: give it a ClonedProcess with a pid > 0.
#ifndef HULL_TESTING_MOCK_PROCESS_CLONER_H_
#define HULL_TESTING_MOCK_PROCESS_CLONER_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "nsenter/clone.h"
#include "nsenter/pidfd.h"

namespace hull::testing {

class MockProcessCloner : public nsenter::ProcessCloner {
 public:
  MOCK_METHOD(absl::StatusOr<nsenter::ClonedProcess>, Clone, (const nsenter::CloneOptions& options),
              (override));
  MOCK_METHOD(absl::Status, Signal, (int pidfd, int signal), (override));
  MOCK_METHOD(absl::StatusOr<nsenter::ExitStatus>, Wait, (int pidfd), (override));
};

}  // namespace hull::testing

#endif  // HULL_TESTING_MOCK_PROCESS_CLONER_H_
