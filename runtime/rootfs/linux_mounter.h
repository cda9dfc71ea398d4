// The Mounter of a real Linux kernel. Every target is an fd resolved
// inside the root (root_directory.h); mounts are made on that fd, never on
// a path the kernel would look up again.
#ifndef HULL_RUNTIME_ROOTFS_LINUX_MOUNTER_H_
#define HULL_RUNTIME_ROOTFS_LINUX_MOUNTER_H_

#include <sys/stat.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "base/fd.h"
#include "base/mountinfo.h"
#include "runtime/rootfs/cgroup_mount.h"
#include "runtime/rootfs/mounter.h"
#include "base/root_directory.h"

namespace hull::rootfs {

class LinuxMounter final : public Mounter {
 public:
  enum class Api {
    // open_tree, move_mount, fsopen/fsconfig/fsmount and mount_setattr
    // (Linux 5.12); mount(2) for the options fsconfig has no word for, and
    // for everything once the kernel answers ENOSYS.
    kMountFds,
    // mount(2) on /proc/self/fd/N of the resolved target, as kernels before
    // 5.2 allow: a flagged bind is a bind then a remount, "ro" on a read-only
    // path covers its top mount only, and the recursive options ("rro",
    // "rnosuid", ...) need mount_setattr all the same.
    kLegacy,
  };

  // `host_cgroup_mounts`: the host's cgroup mounts as the launcher read them
  // (cgroups::CloneTargets), which a cgroup mount on a v1 or hybrid host
  // then takes instead of this process's /proc/self/mountinfo; they must
  // outlive the mounter. Empty: it reads its own.
  explicit LinuxMounter(Api api = Api::kMountFds,
                        absl::Span<const MountInfo> host_cgroup_mounts = {})
      : api_(api), host_cgroup_mounts_(host_cgroup_mounts) {}

  // The trees the launcher prepared (PlanLauncherTrees, bind_tree.h), in
  // the order of the mounts they are for: each Mount of a mount with
  // tree_from_launcher attaches the next one.
  void AdoptLauncherTrees(std::vector<UniqueFd> trees);

  absl::Status SetPropagation(const std::string& path, unsigned long propagation) override;
  absl::Status MakeParentMountPrivate(const std::string& path) override;
  absl::Status BindOntoItself(const std::string& path) override;
  absl::Status Detach(const std::string& path) override;
  bool Exists(const std::string& path) override;

  absl::Status Mount(const std::string& root, const PlannedMount& mount) override;
  absl::Status CreateDevice(const std::string& root, const DeviceNode& device) override;
  absl::Status CreateSymlink(const std::string& root, const std::string& target,
                             const std::string& path) override;
  absl::Status RemountReadOnly(const std::string& root, const std::string& path) override;

  absl::Status PivotRoot(const std::string& rootfs) override;
  absl::Status MoveRoot(const std::string& rootfs) override;

  absl::Status MaskPath(const std::string& path) override;
  absl::Status MakeReadOnly(const std::string& path) override;
  absl::Status BindOpenFile(int file, const std::string& path) override;

 private:
  absl::Status MountCgroup(const std::string& root, const PlannedMount& mount);
  // The parts of a split cgroup mount after its tmpfs at `destination`: by
  // path, one Mount each (either API), or by fd into the new tmpfs (the
  // kMountFds API).
  absl::Status MountCgroupParts(const std::string& root, const std::string& destination,
                                const CgroupMountPlan& plan);
  absl::Status FillCgroupTmpfs(const std::string& root, const std::string& destination,
                               const CgroupMountPlan& plan);
  // `tree` is a detached clone of the source, `configured` when it has the
  // mount's attributes already (the launcher's trees).
  absl::Status AttachBind(const PlannedMount& mount, int target, UniqueFd tree, bool configured);
  absl::Status AttachFilesystem(const RootDirectory& root, const PlannedMount& mount, int target);
  // A tmpfs with tmpcopyup, by either API.
  absl::Status AttachCopiedUp(const RootDirectory& root, const PlannedMount& mount, int target);
  absl::Status LegacyAttachBind(const RootDirectory& root, const PlannedMount& mount, int target);
  absl::Status LegacyAttachFilesystem(const RootDirectory& root, const PlannedMount& mount,
                                      int target);
  // Recursive attributes and propagation of a mount just attached at
  // `mount.destination`; detaches it again when they fail.
  absl::Status FinishLegacyMount(const RootDirectory& root, const PlannedMount& mount);
  // Binds what `source` is open as onto `target`, both fds; `what` names
  // the source in errors.
  absl::Status BindFd(int source, int target, absl::string_view what);
  absl::Status MaskWithDevNull(const RootDirectory& root, int target);
  absl::Status MaskWithTmpfs(int target);

  // The root the rootfs operations resolve in: opened once for a path, not
  // per operation (30 opens of the rootfs per container). Forgotten by every
  // operation that could change the directory the path names: a mount onto
  // the root itself (a symlink in the image may lead there), onto the path
  // (BindOntoItself), a detach, the pivot, and the masks and read-only binds
  // made after it.
  absl::StatusOr<std::shared_ptr<const RootDirectory>> RootAt(const std::string& path);
  void ForgetRoot() { root_.reset(); }
  // Whether `target` (or the file of `st`) is the cached root's directory
  // itself.
  bool IsRoot(int target) const;
  bool IsRoot(const struct stat& st) const;

  Api api_;
  absl::Span<const MountInfo> host_cgroup_mounts_;
  std::deque<UniqueFd> launcher_trees_;
  std::shared_ptr<const RootDirectory> root_;
  struct stat root_stat_ {};
};

}  // namespace hull::rootfs

#endif  // HULL_RUNTIME_ROOTFS_LINUX_MOUNTER_H_
