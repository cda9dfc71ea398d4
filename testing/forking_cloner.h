// A ProcessCloner for tests that run without root: it ignores the namespace
// flags and the cgroup and forks, so that the child (an init running the
// steps a test gives it) needs nothing a plain process lacks. It counts its
// clones and can be told to fail the next one.
#ifndef HULL_TESTING_FORKING_CLONER_H_
#define HULL_TESTING_FORKING_CLONER_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nsenter/clone.h"

namespace hull::testing {

class ForkingCloner final : public nsenter::ProcessCloner {
 public:
  absl::StatusOr<nsenter::ClonedProcess> Clone(const nsenter::CloneOptions& options) override;

  // The next Clone returns `status` instead of forking.
  void FailNextClone(absl::Status status) { next_failure_ = std::move(status); }

  // Clone returns to the parent only once the child has exited (a zombie
  // until reaped): what the parent does next finds its init dead.
  void ReturnAfterTheChildExits() { return_after_exit_ = true; }

  int clones() const { return clones_; }
  // The options of the last Clone.
  const nsenter::CloneOptions& last_options() const { return last_options_; }

 private:
  absl::Status next_failure_;
  bool return_after_exit_ = false;
  int clones_ = 0;
  nsenter::CloneOptions last_options_;
};

}  // namespace hull::testing

#endif  // HULL_TESTING_FORKING_CLONER_H_
