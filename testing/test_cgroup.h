// A cgroup a root test makes for itself, and the children it forks into it.
// When it goes, the children are killed and reaped and the cgroup removed (a
// failure to remove it is a test failure): tests never leave one behind.
#ifndef HULL_TESTING_TEST_CGROUP_H_
#define HULL_TESTING_TEST_CGROUP_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cgroups/cgroupfs.h"

namespace hull::testing {

class TestCgroup {
 public:
  // Makes the cgroup directory `dir` (it must not exist yet).
  static absl::StatusOr<std::unique_ptr<TestCgroup>> Create(std::string dir);
  ~TestCgroup();

  const std::string& dir() const { return dir_; }

  // Forks a child that runs `body` (its exit code) once it is in the cgroup;
  // -1, with a test failure, when it cannot.
  pid_t Start(const std::function<int()>& body);

  // Reaps the child `pid`; its wait status.
  int Wait(pid_t pid);

 private:
  explicit TestCgroup(std::string dir) : dir_(std::move(dir)) {}

  cgroups::LinuxCgroupFs fs_;
  std::string dir_;
  std::vector<pid_t> children_;
};

}  // namespace hull::testing

#endif  // HULL_TESTING_TEST_CGROUP_H_
