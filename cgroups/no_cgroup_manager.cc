#include "cgroups/no_cgroup_manager.h"

#include "absl/strings/str_cat.h"

namespace hull::cgroups {
namespace {

absl::Status NoCgroup(absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat(
      "the container has no cgroup (rootless, without a delegated cgroup v2 subtree): ", what,
      " needs one"));
}

}  // namespace

absl::Status NoCgroupManager::Apply(const config::Resources& resources) {
  // Device rules only restrict; without a cgroup the container is already
  // kept to the devices its user may open (runc ignores them rootless too).
  config::Resources limits = resources;
  limits.clear_devices();
  if (limits.ByteSizeLong() == 0) return absl::OkStatus();
  return NoCgroup("linux.resources");
}

absl::StatusOr<CloneTargets> NoCgroupManager::OpenCloneTargets(const SubCgroups& below) {
  if (!below.empty()) return NoCgroup("a sub-cgroup (exec --cgroup)");
  return CloneTargets();
}

absl::Status NoCgroupManager::Freeze() { return NoCgroup("pause (the cgroup freezer)"); }

absl::StatusOr<Stats> NoCgroupManager::GetStats() { return NoCgroup("stats"); }

}  // namespace hull::cgroups
