#include "runtime/rootfs/rootfs.h"

#include <sys/mount.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "runtime/rootfs/rootfs_plan.h"
#include "base/status_macros.h"

namespace hull::rootfs {
namespace {

// The links every /dev gets besides the device nodes (runc's).
constexpr std::pair<const char*, const char*> kDevLinks[] = {
    {"/proc/self/fd", "/dev/fd"},
    {"/proc/self/fd/0", "/dev/stdin"},
    {"/proc/self/fd/1", "/dev/stdout"},
    {"/proc/self/fd/2", "/dev/stderr"},
};

absl::Status MountInside(const RootfsPlan& plan, const std::string& rootfs, Mounter& mounter) {
  for (const PlannedMount& mount : plan.mounts) {
    RETURN_IF_ERROR(mounter.Mount(rootfs, mount));
  }
  if (!plan.setup_dev) return absl::OkStatus();
  for (const DeviceNode& device : plan.devices) {
    RETURN_IF_ERROR(mounter.CreateDevice(rootfs, device));
  }
  RETURN_IF_ERROR(mounter.CreateSymlink(rootfs, "pts/ptmx", "/dev/ptmx"));
  for (const auto& [target, path] : kDevLinks) {
    RETURN_IF_ERROR(mounter.CreateSymlink(rootfs, target, path));
  }
  // The kernel may be built without /proc/kcore.
  if (mounter.Exists("/proc/kcore")) {
    RETURN_IF_ERROR(mounter.CreateSymlink(rootfs, "/proc/kcore", "/dev/core"));
  }
  return absl::OkStatus();
}

// Whether `propagation` of "/" leaves no mount of the namespace shared:
// recursive private, slave or unbindable.
bool LeavesNothingShared(unsigned long propagation) {
  return (propagation & MS_REC) != 0 &&
         (propagation & (MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)) != 0;
}

}  // namespace

absl::Status MountRootfs(const config::Spec& spec, const std::string& rootfs, Mounter& mounter,
                         const PlanHost& host) {
  if (rootfs.empty() || rootfs[0] != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("the rootfs \"", rootfs, "\" is not an absolute path"));
  }
  ASSIGN_OR_RETURN(const RootfsPlan plan, PlanRootfs(spec, host));
  RETURN_IF_ERROR(mounter.SetPropagation("/", plan.root_propagation));
  // The parent mount of the rootfs is shared only where "/" left it so
  // (looking costs a read of mountinfo).
  if (!LeavesNothingShared(plan.root_propagation)) {
    RETURN_IF_ERROR(mounter.MakeParentMountPrivate(rootfs));
  }
  RETURN_IF_ERROR(mounter.BindOntoItself(rootfs));
  absl::Status status = MountInside(plan, rootfs, mounter);
  if (!status.ok()) {
    // Every mount made sits on the rootfs bind: one detach undoes them all.
    absl::Status detached = mounter.Detach(rootfs);
    if (!detached.ok()) {
      return absl::Status(
          status.code(),
          absl::StrCat(status.message(), " (and undoing it: ", detached.message(), ")"));
    }
  }
  return status;
}

absl::Status PivotRoot(const config::Spec& spec, const std::string& rootfs, bool no_pivot,
                       Mounter& mounter) {
  ASSIGN_OR_RETURN(const RootfsPlan plan, PlanRootfs(spec));
  RETURN_IF_ERROR(no_pivot ? mounter.MoveRoot(rootfs) : mounter.PivotRoot(rootfs));
  if (plan.propagation_after_pivot != 0) {
    RETURN_IF_ERROR(mounter.SetPropagation("/", plan.propagation_after_pivot));
  }
  return absl::OkStatus();
}

absl::Status FinishRootfs(const config::Spec& spec, Mounter& mounter) {
  ASSIGN_OR_RETURN(const RootfsPlan plan, PlanRootfs(spec));
  if (plan.dev_read_only) RETURN_IF_ERROR(mounter.RemountReadOnly("/", "/dev"));
  if (plan.root_read_only) RETURN_IF_ERROR(mounter.RemountReadOnly("/", "/"));
  return absl::OkStatus();
}

}  // namespace hull::rootfs
