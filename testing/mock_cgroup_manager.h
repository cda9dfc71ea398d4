// gmock stand-ins for a container's cgroups (cgroups::Manager) and for the
// factory the runtime gets them from, so that the library can be tested
// without cgroups or root.
#ifndef HULL_TESTING_MOCK_CGROUP_MANAGER_H_
#define HULL_TESTING_MOCK_CGROUP_MANAGER_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cgroups/factory.h"
#include "cgroups/manager.h"
#include "cgroups/stats.pb.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"

namespace hull::testing {

class MockManager : public cgroups::Manager {
 public:
  MOCK_METHOD(absl::Status, Create, (), (override));
  MOCK_METHOD(absl::Status, Apply, (const config::Resources& resources), (override));
  MOCK_METHOD(absl::Status, AddProcess, (pid_t pid), (override));
  MOCK_METHOD(absl::StatusOr<cgroups::CloneTargets>, OpenCloneTargets,
              (const cgroups::SubCgroups& below), (override));
  MOCK_METHOD(absl::Status, Freeze, (), (override));
  MOCK_METHOD(absl::Status, Thaw, (), (override));
  MOCK_METHOD(absl::StatusOr<bool>, IsFrozen, (), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<pid_t>>, Processes, (), (override));
  MOCK_METHOD(absl::Status, Signal, (int signal), (override));
  MOCK_METHOD(absl::StatusOr<cgroups::Stats>, GetStats, (), (override));
  MOCK_METHOD(absl::Status, Destroy, (), (override));
  MOCK_METHOD((std::map<std::string, std::string>), Paths, (), (const, override));
  MOCK_METHOD((std::map<std::string, std::string>), CreatedPaths, (), (const, override));
};

class MockManagerFactory : public cgroups::ManagerFactory {
 public:
  MOCK_METHOD(absl::StatusOr<std::unique_ptr<cgroups::Manager>>, New,
              (const std::string& cgroups_path, absl::string_view container_id,
               const cgroups::Annotations& annotations),
              (override));
  MOCK_METHOD(absl::StatusOr<std::unique_ptr<cgroups::Manager>>, Restore,
              ((const std::map<std::string, std::string>& paths),
               (const std::map<std::string, std::string>& created_paths)),
              (override));
};

}  // namespace hull::testing

#endif  // HULL_TESTING_MOCK_CGROUP_MANAGER_H_
