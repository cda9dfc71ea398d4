// The fixture of the rootless suites: an ordinary user, made for the suite
// with useradd and subordinate ids (usermod), removed after it (checking that
// /etc/passwd, /etc/subuid and /etc/subgid no longer name it), who runs its
// own copy of hull with its own $XDG_RUNTIME_DIR, on bundles it owns.
#ifndef HULL_TESTING_INTEGRATION_ROOTLESS_FIXTURE_H_
#define HULL_TESTING_INTEGRATION_ROOTLESS_FIXTURE_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "config/runtime_spec.pb.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {

// Subordinate ids the suite's user gets (far from what useradd hands out,
// and from the other suites').
inline constexpr uint32_t kSubFirst = 540000000;
inline constexpr uint32_t kSubCount = 1000;

class RootlessTest : public HullTest {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;
  void TearDown() override;

  // $XDG_RUNTIME_DIR/hull, and a container's directory there.
  std::string StateRoot() const { return runtime_dir_ + "/hull"; }
  std::string StateDir(const std::string& id) const { return StateRoot() + "/" + id; }

  // A new container id, deleted (by root) after the test if it is left.
  std::string NewRootlessId();

  // `hull ARGS...` run by the user (its copy of hull), with its
  // $XDG_RUNTIME_DIR and no --root.
  HullResult AsUser(const std::vector<std::string>& args);
  // `binary ARGS...` run by the user, likewise (runc, to compare).
  HullResult RunAsUser(const std::string& binary, const std::vector<std::string>& args);

  // `hull spec --rootless`'s config, as the user would have written it, with
  // `args` and no terminal.
  config::Spec RootlessSpec(const std::vector<std::string>& args) const;

  // A bundle for `spec` that the user owns, as its own would be (the rootfs
  // stays root's, readable by all).
  absl::StatusOr<Bundle*> UserBundle(const config::Spec& spec);

  // Subordinate ids mapped from container id 1 (`first`: where the host
  // range starts).
  static void MapSubordinateIds(config::Spec& spec, uint32_t first);

  // That nothing of `id` is left: no state, no process, no cgroup /hull/ID.
  void ExpectNothingOf(const std::string& id);

  static std::string* user_;
  static uid_t uid_;
  static gid_t gid_;
  // Every user may traverse it: the user's hull, runtime directory, bundles.
  std::string dir_;
  std::string hull_;
  std::string runtime_dir_;
  std::vector<std::string> ids_;
};

}  // namespace hull::testing

#endif  // HULL_TESTING_INTEGRATION_ROOTLESS_FIXTURE_H_
