#include "runtime/rootfs/linux_mounter.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "base/procfs_files.h"
#include "runtime/rootfs/bind_tree.h"
#include "runtime/rootfs/cgroup_mount.h"
#include "runtime/rootfs/copy_up.h"
#include "base/container_path.h"
#include "runtime/rootfs/mount_options.h"
#include "base/mountinfo.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull::rootfs {
namespace {

// Flags fsconfig(2) has no word for: such a filesystem is made with mount(2).
constexpr unsigned long kFlagsOnlyMountTakes = MS_SILENT | MS_I_VERSION | MS_REMOUNT;

// Superblock flags and their fsconfig(2) names.
constexpr std::pair<unsigned long, const char*> kSuperblockFlags[] = {
    {MS_SYNCHRONOUS, "sync"},
    {MS_DIRSYNC, "dirsync"},
    {MS_MANDLOCK, "mand"},
    {MS_LAZYTIME, "lazytime"},
};

// ST_NOSYMFOLLOW (Linux 5.10), which glibc 2.36 does not name yet.
constexpr unsigned long kStatvfsNoSymfollow = 0x2000;

// statvfs(3) flags and the mount(2) flags a bind remount must repeat to
// keep them.
constexpr std::pair<unsigned long, unsigned long> kStatvfsFlags[] = {
    {ST_RDONLY, MS_RDONLY},     {ST_NOSUID, MS_NOSUID},
    {ST_NODEV, MS_NODEV},       {ST_NOEXEC, MS_NOEXEC},
    {ST_NOATIME, MS_NOATIME},   {ST_NODIRATIME, MS_NODIRATIME},
    {ST_RELATIME, MS_RELATIME}, {kStatvfsNoSymfollow, MS_NOSYMFOLLOW},
};

constexpr unsigned long kAtimeFlags = MS_NOATIME | MS_RELATIME | MS_STRICTATIME;
constexpr unsigned long kPerMountFlags =
    MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NODIRATIME | MS_NOSYMFOLLOW | kAtimeFlags;

std::string FdPath(int fd) { return absl::StrCat("/proc/self/fd/", fd); }

absl::Status MoveMount(int from, int to) {
  if (move_mount(from, "", to, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0) {
    return ErrnoStatus("move_mount");
  }
  return absl::OkStatus();
}

// The mount(2) flags that keep what statvfs reports for `fd`.
absl::StatusOr<unsigned long> CurrentFlags(int fd) {
  struct statvfs fs;
  if (fstatvfs(fd, &fs) != 0) return ErrnoStatus("statvfs");
  unsigned long flags = 0;
  for (const auto& [st_flag, ms_flag] : kStatvfsFlags) {
    if (fs.f_flag & st_flag) flags |= ms_flag;
  }
  return flags;
}

// A bind remount of the mount at `fd` with `set` and without `cleared`,
// keeping its other per-mount flags (a remount sets all of them at once).
absl::Status LegacyRemount(int fd, unsigned long set, unsigned long cleared) {
  ASSIGN_OR_RETURN(unsigned long current, CurrentFlags(fd));
  if (set & kAtimeFlags) current &= ~kAtimeFlags;
  const unsigned long flags = ((current | set) & ~cleared) & kPerMountFlags;
  if (mount(nullptr, FdPath(fd).c_str(), nullptr, MS_BIND | MS_REMOUNT | flags, nullptr) != 0) {
    return ErrnoStatus("remount");
  }
  return absl::OkStatus();
}

// The messages a filesystem context logged, for an error.
std::string FilesystemLog(int fs) {
  std::string log;
  char line[512];
  while (true) {
    const ssize_t n = read(fs, line, sizeof(line));
    if (n <= 0) break;
    absl::StrAppend(&log, log.empty() ? " (" : "; ", absl::string_view(line, n));
  }
  return log.empty() ? log : absl::StrCat(log, ")");
}

absl::StatusOr<std::string> ReadOwnFile(absl::string_view name) {
  return LinuxProcFiles("/proc").Read(absl::StrCat("self/", name));
}

// umask(2) for the life of the object.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : previous_(umask(mask)) {}
  ~ScopedUmask() { umask(previous_); }
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t previous_;
};

// A path of masked_paths or readonly_paths, after the pivot: the entry
// itself (never a symlink) and its stat in `st`, or no fd when it does not
// exist. Under /proc the directory holding it must be procfs.
absl::StatusOr<UniqueFd> OpenRestrictedPath(const RootDirectory& root, const std::string& path,
                                            struct stat& st) {
  absl::StatusOr<RootDirectory::Entry> entry = root.ResolveParent(path, /*create=*/false);
  if (absl::IsNotFound(entry.status())) return UniqueFd();
  if (!entry.ok()) return entry.status();
  UniqueFd target(
      openat(entry->parent.get(), entry->name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (!target.valid() && errno == ENOENT) return UniqueFd();
  if (!target.valid()) return ErrnoStatus("open \"", path, "\"");
  if (path == "/proc") {
    RETURN_IF_ERROR(RequireProcfs(target.get(), "\"/proc\""));
  } else if (IsAtOrBelow(path, "/proc")) {
    RETURN_IF_ERROR(
        RequireProcfs(entry->parent.get(), absl::StrCat("the directory of \"", path, "\"")));
  }
  if (fstat(target.get(), &st) != 0) return ErrnoStatus("stat \"", path, "\"");
  if (S_ISLNK(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat("\"", path, "\" is a symlink"));
  }
  return target;
}

}  // namespace

absl::Status LinuxMounter::SetPropagation(const std::string& path, unsigned long propagation) {
  if (mount(nullptr, path.c_str(), nullptr, propagation, nullptr) != 0) {
    return ErrnoStatus("make \"", path, "\" ", PropagationName(propagation));
  }
  return absl::OkStatus();
}

absl::Status LinuxMounter::MakeParentMountPrivate(const std::string& path) {
  struct statx st;
  if (statx(AT_FDCWD, path.c_str(), 0, STATX_MNT_ID, &st) != 0) {
    return ErrnoStatus("statx \"", path, "\"");
  }
  ASSIGN_OR_RETURN(std::string text, ReadOwnFile("mountinfo"));
  ASSIGN_OR_RETURN(std::vector<MountInfo> mounts, ParseMountInfo(text));
  for (const MountInfo& mount : mounts) {
    if (static_cast<uint64_t>(mount.id) != st.stx_mnt_id) continue;
    if (mount.Propagation().find("shared") == std::string::npos) return absl::OkStatus();
    return SetPropagation(mount.mount_point, MS_PRIVATE);
  }
  return absl::NotFoundError(
      absl::StrCat("the mount holding \"", path, "\" is not in /proc/self/mountinfo"));
}

absl::StatusOr<std::shared_ptr<const RootDirectory>> LinuxMounter::RootAt(
    const std::string& path) {
  if (root_ != nullptr && root_->path() == path) return root_;
  ForgetRoot();
  ASSIGN_OR_RETURN(RootDirectory root, RootDirectory::Open(path));
  if (fstat(root.fd(), &root_stat_) != 0) return ErrnoStatus("stat \"", path, "\"");
  root_ = std::make_shared<const RootDirectory>(std::move(root));
  return root_;
}

bool LinuxMounter::IsRoot(int target) const {
  struct stat st;
  // Unknown counts as the root: the cache is only ever dropped for nothing.
  if (fstat(target, &st) != 0) return true;
  return IsRoot(st);
}

bool LinuxMounter::IsRoot(const struct stat& st) const {
  return st.st_dev == root_stat_.st_dev && st.st_ino == root_stat_.st_ino;
}

absl::Status LinuxMounter::BindOntoItself(const std::string& path) {
  ForgetRoot();
  if (mount(path.c_str(), path.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
    return ErrnoStatus("bind \"", path, "\" onto itself");
  }
  return absl::OkStatus();
}

absl::Status LinuxMounter::Detach(const std::string& path) {
  ForgetRoot();
  if (umount2(path.c_str(), MNT_DETACH) != 0) return ErrnoStatus("unmount \"", path, "\"");
  return absl::OkStatus();
}

bool LinuxMounter::Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

void LinuxMounter::AdoptLauncherTrees(std::vector<UniqueFd> trees) {
  for (UniqueFd& tree : trees) launcher_trees_.push_back(std::move(tree));
}

absl::Status LinuxMounter::Mount(const std::string& root_path, const PlannedMount& mount) {
  if (mount.kind == MountKind::kCgroup) return MountCgroup(root_path, mount);
  ASSIGN_OR_RETURN(const std::shared_ptr<const RootDirectory> cached_root, RootAt(root_path));
  const RootDirectory& root = *cached_root;
  const std::string context =
      absl::StrCat("mount \"", mount.source, "\"",
                   mount.kind == MountKind::kBind ? "" : absl::StrCat(" (", mount.fstype, ")"),
                   " on ", root.Describe(mount.destination));

  NodeType type = NodeType::kDirectory;
  // A bind's source, cloned before anything is created (a missing source
  // leaves no trace; the clone is freed with its fd), or the launcher's tree
  // of it: its path may not be searchable by the container's root.
  UniqueFd source_tree;
  bool source_tree_configured = false;
  if (mount.tree_from_launcher) {
    if (launcher_trees_.empty()) {
      return absl::InternalError(absl::StrCat(context, ": the launcher passed no tree for it"));
    }
    source_tree = std::move(launcher_trees_.front());
    launcher_trees_.pop_front();
    source_tree_configured = true;
  }
  if (mount.kind == MountKind::kBind) {
    if (!source_tree.valid() && api_ != Api::kLegacy) {
      source_tree.Reset(
          open_tree(AT_FDCWD, mount.source.c_str(),
                    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (mount.recursive ? AT_RECURSIVE : 0)));
      if (!source_tree.valid() && errno != ENOSYS) {
        return Annotate(ErrnoStatus("mount source \"", mount.source, "\""), context);
      }
      if (!source_tree.valid()) api_ = Api::kLegacy;
    }
    struct stat st;
    if (source_tree.valid() ? fstat(source_tree.get(), &st) != 0
                            : stat(mount.source.c_str(), &st) != 0) {
      return Annotate(ErrnoStatus("mount source \"", mount.source, "\""), context);
    }
    if (!S_ISDIR(st.st_mode)) type = NodeType::kFile;
    if (mount.source_must_be_procfs && source_tree.valid()) {
      RETURN_IF_ERROR(Annotate(RequireProcfs(source_tree.get(), "the source"), context));
    } else if (mount.source_must_be_procfs) {
      UniqueFd source(open(mount.source.c_str(), O_PATH | O_CLOEXEC));
      if (!source.valid()) return Annotate(ErrnoStatus("open the source"), context);
      RETURN_IF_ERROR(Annotate(RequireProcfs(source.get(), "the source"), context));
    }
  }
  // procfs and sysfs go on an ordinary directory, as runc requires: a
  // symlink there in the image would move them elsewhere in the rootfs.
  if (mount.kind == MountKind::kFilesystem && (mount.fstype == "proc" || mount.fstype == "sysfs")) {
    absl::StatusOr<UniqueFd> plain = root.ResolveWithoutSymlinks(mount.destination);
    if (absl::IsFailedPrecondition(plain.status())) {
      return absl::FailedPreconditionError(
          absl::StrCat(context, ": it is a symlink or passes through one; procfs and sysfs must "
                                "be mounted on an ordinary directory"));
    }
  }
  ASSIGN_OR_RETURN(UniqueFd target, root.ResolveOrCreate(mount.destination, type));
  // What is mounted on the root itself hides the directory the cache holds.
  if (IsRoot(target.get())) ForgetRoot();
  // A symlink in the image must not turn "/data" into a mount inside the
  // container's procfs; rootfs_plan.h allows the few real /proc targets.
  if (!IsAtOrBelow(mount.destination, "/proc") && IsOnProcfs(target.get())) {
    return absl::FailedPreconditionError(
        absl::StrCat(context, ": the destination resolves into procfs"));
  }
  if (mount.kind == MountKind::kBind) {
    return Annotate(!source_tree.valid() ? LegacyAttachBind(root, mount, target.get())
                                         : AttachBind(mount, target.get(), std::move(source_tree),
                                                      source_tree_configured),
                    context);
  }
  if (mount.copy_up) return Annotate(AttachCopiedUp(root, mount, target.get()), context);
  return Annotate(api_ == Api::kLegacy ? LegacyAttachFilesystem(root, mount, target.get())
                                       : AttachFilesystem(root, mount, target.get()),
                  context);
}

// runc's order: the tmpfs is mounted writable, filled from the directory it
// hides (still open as `target`), then made read-only if asked.
absl::Status LinuxMounter::AttachCopiedUp(const RootDirectory& root, const PlannedMount& mount,
                                          int target) {
  PlannedMount writable = mount;
  writable.flags &= ~MS_RDONLY;
  RETURN_IF_ERROR(api_ == Api::kLegacy ? LegacyAttachFilesystem(root, writable, target)
                                       : AttachFilesystem(root, writable, target));
  ASSIGN_OR_RETURN(UniqueFd mounted, root.Resolve(mount.destination));
  absl::Status status = Annotate(CopyDirectoryContents(target, mounted.get()), "tmpcopyup");
  if (status.ok() && (mount.flags & MS_RDONLY)) {
    status = LegacyRemount(mounted.get(), MS_RDONLY, 0);
  }
  if (!status.ok()) umount2(FdPath(mounted.get()).c_str(), MNT_DETACH);
  return status;
}

// The detached copy is configured whole before it is attached, so a
// failure before move_mount leaves nothing (closing the fd frees it).
absl::Status LinuxMounter::AttachBind(const PlannedMount& mount, int target, UniqueFd tree,
                                      bool configured) {
  if (!configured) {
    RETURN_IF_ERROR(ConfigureBindTree(tree.get(), mount, /*container_user_namespace=*/-1));
  }
  RETURN_IF_ERROR(MoveMount(tree.get(), target));
  for (unsigned long propagation : mount.propagation) {
    absl::Status status = SetMountAttributes(tree.get(), (propagation & MS_REC) ? AT_RECURSIVE : 0,
                                             0, 0, propagation & ~MS_REC);
    if (!status.ok()) {
      umount2(FdPath(tree.get()).c_str(), MNT_DETACH);
      return status;
    }
  }
  return absl::OkStatus();
}

absl::Status LinuxMounter::AttachFilesystem(const RootDirectory& root, const PlannedMount& mount,
                                            int target) {
  if (mount.flags & kFlagsOnlyMountTakes) return LegacyAttachFilesystem(root, mount, target);
  UniqueFd fs(fsopen(mount.fstype.c_str(), FSOPEN_CLOEXEC));
  if (!fs.valid() && errno == ENOSYS) {
    api_ = Api::kLegacy;
    return LegacyAttachFilesystem(root, mount, target);
  }
  if (!fs.valid()) return ErrnoStatus("fsopen");
  auto configure = [&](unsigned int command, const char* key, const char* value) -> absl::Status {
    if (fsconfig(fs.get(), command, key, value, 0) == 0) return absl::OkStatus();
    const int error = errno;
    const std::string log = FilesystemLog(fs.get());
    return absl::ErrnoToStatus(
        error, absl::StrCat("fsconfig", key == nullptr ? "" : absl::StrCat(" \"", key, "\""), log));
  };
  if (!mount.source.empty()) {
    RETURN_IF_ERROR(configure(FSCONFIG_SET_STRING, "source", mount.source.c_str()));
  }
  for (absl::string_view option : absl::StrSplit(mount.data, ',', absl::SkipEmpty())) {
    const size_t equals = option.find('=');
    const std::string key(option.substr(0, equals));
    if (equals == absl::string_view::npos) {
      RETURN_IF_ERROR(configure(FSCONFIG_SET_FLAG, key.c_str(), nullptr));
    } else {
      const std::string value(option.substr(equals + 1));
      RETURN_IF_ERROR(configure(FSCONFIG_SET_STRING, key.c_str(), value.c_str()));
    }
  }
  for (const auto& [flag, name] : kSuperblockFlags) {
    if (mount.flags & flag) RETURN_IF_ERROR(configure(FSCONFIG_SET_FLAG, name, nullptr));
  }
  RETURN_IF_ERROR(configure(FSCONFIG_CMD_CREATE, nullptr, nullptr));
  // Read-only is the mount's, not the superblock's: a superblock may be
  // shared with the host (sysfs without a network namespace).
  const MountAttributes attributes = MountAttributesFromFlags(mount.flags, 0);
  UniqueFd mounted(fsmount(fs.get(), FSMOUNT_CLOEXEC, static_cast<unsigned int>(attributes.set)));
  if (!mounted.valid()) return ErrnoStatus("fsmount", FilesystemLog(fs.get()));
  if (mount.recursive_attr_set != 0 || mount.recursive_attr_clr != 0) {
    RETURN_IF_ERROR(SetMountAttributes(mounted.get(), AT_RECURSIVE, mount.recursive_attr_set,
                                       mount.recursive_attr_clr));
  }
  RETURN_IF_ERROR(MoveMount(mounted.get(), target));
  for (unsigned long propagation : mount.propagation) {
    absl::Status status = SetMountAttributes(
        mounted.get(), (propagation & MS_REC) ? AT_RECURSIVE : 0, 0, 0, propagation & ~MS_REC);
    if (!status.ok()) {
      umount2(FdPath(mounted.get()).c_str(), MNT_DETACH);
      return status;
    }
  }
  return absl::OkStatus();
}

absl::Status LinuxMounter::LegacyAttachBind(const RootDirectory& root, const PlannedMount& mount,
                                            int target) {
  if (mount.id_mapping.has_value()) {
    return absl::FailedPreconditionError(
        "an id-mapped mount needs open_tree and mount_setattr (Linux 5.12), which this kernel "
        "lacks");
  }
  if (::mount(mount.source.c_str(), FdPath(target).c_str(), nullptr,
              MS_BIND | (mount.recursive ? MS_REC : 0), nullptr) != 0) {
    return ErrnoStatus("bind");
  }
  // A bind takes no flags: the kernel wants a remount for them.
  if ((mount.flags | mount.cleared_flags) & kPerMountFlags) {
    absl::StatusOr<UniqueFd> mounted = root.Resolve(mount.destination);
    absl::Status status = mounted.status();
    if (status.ok()) status = LegacyRemount(mounted->get(), mount.flags, mount.cleared_flags);
    if (!status.ok()) {
      if (mounted.ok()) umount2(FdPath(mounted->get()).c_str(), MNT_DETACH);
      return status;
    }
  }
  return FinishLegacyMount(root, mount);
}

absl::Status LinuxMounter::LegacyAttachFilesystem(const RootDirectory& root,
                                                  const PlannedMount& mount, int target) {
  if (::mount(mount.source.c_str(), FdPath(target).c_str(), mount.fstype.c_str(), mount.flags,
              mount.data.c_str()) != 0) {
    return ErrnoStatus("mount");
  }
  return FinishLegacyMount(root, mount);
}

absl::Status LinuxMounter::FinishLegacyMount(const RootDirectory& root, const PlannedMount& mount) {
  if (mount.recursive_attr_set == 0 && mount.recursive_attr_clr == 0 && mount.propagation.empty()) {
    return absl::OkStatus();
  }
  // The fd of the target still names the directory under the new mount.
  ASSIGN_OR_RETURN(UniqueFd mounted, root.Resolve(mount.destination));
  const std::string path = FdPath(mounted.get());
  absl::Status status;
  if (mount.recursive_attr_set != 0 || mount.recursive_attr_clr != 0) {
    status = SetMountAttributes(mounted.get(), AT_RECURSIVE, mount.recursive_attr_set,
                                mount.recursive_attr_clr);
  }
  for (unsigned long propagation : mount.propagation) {
    if (!status.ok()) break;
    if (::mount(nullptr, path.c_str(), nullptr, propagation, nullptr) != 0) {
      status = ErrnoStatus("make it ", PropagationName(propagation));
    }
  }
  if (!status.ok()) umount2(path.c_str(), MNT_DETACH);
  return status;
}

absl::Status LinuxMounter::MountCgroup(const std::string& root, const PlannedMount& mount) {
  absl::StatusOr<CgroupMountPlan> plan;
  // A cgroup v2 host is told by statfs, as runc tells it; only a v1 or hybrid
  // host's plan needs the mount table (the launcher's, which this mount
  // namespace copies, when it passed it) and the init's own cgroups.
  struct statfs cgroup_root;
  if (statfs(kHostCgroupRoot, &cgroup_root) == 0 &&
      cgroup_root.f_type == CGROUP2_SUPER_MAGIC) {
    plan = PlanUnifiedCgroupMount(mount);
  } else {
    std::vector<MountInfo> own_mounts;
    absl::Span<const MountInfo> host_mounts = host_cgroup_mounts_;
    if (host_mounts.empty()) {
      ASSIGN_OR_RETURN(std::string mountinfo, ReadOwnFile("mountinfo"));
      ASSIGN_OR_RETURN(own_mounts, ParseMountInfo(mountinfo));
      host_mounts = own_mounts;
    }
    ASSIGN_OR_RETURN(std::string own_cgroups, ReadOwnFile("cgroup"));
    plan = PlanSplitCgroupMount(mount, host_mounts, own_cgroups);
  }
  if (!plan.ok()) {
    return Annotate(plan.status(), absl::StrCat("mount cgroups on \"", mount.destination, "\""));
  }
  // Everything sits on the first mount: detaching it undoes the rest.
  RETURN_IF_ERROR(Mount(root, plan->mounts.front()));
  const absl::Status status = plan->mounts.size() > 1 && api_ == Api::kMountFds
                                  ? FillCgroupTmpfs(root, mount.destination, *plan)
                                  : MountCgroupParts(root, mount.destination, *plan);
  if (!status.ok()) {
    absl::StatusOr<std::shared_ptr<const RootDirectory>> directory = RootAt(root);
    absl::StatusOr<UniqueFd> mounted =
        directory.ok() ? (*directory)->Resolve(mount.destination) : directory.status();
    if (mounted.ok()) umount2(FdPath(mounted->get()).c_str(), MNT_DETACH);
  }
  return status;
}

absl::Status LinuxMounter::MountCgroupParts(const std::string& root, const std::string& destination,
                                            const CgroupMountPlan& plan) {
  for (size_t i = 1; i < plan.mounts.size(); ++i) RETURN_IF_ERROR(Mount(root, plan.mounts[i]));
  for (const CgroupMountPlan::Symlink& symlink : plan.symlinks) {
    RETURN_IF_ERROR(CreateSymlink(root, symlink.target, symlink.path));
  }
  if (plan.read_only_tmpfs) return RemountReadOnly(root, destination);
  return absl::OkStatus();
}

// The tmpfs was just made, and nothing else can reach it: each hierarchy's
// directory is made and mounted on by fd, without resolving its path in the
// rootfs again or checking what is there (about half the system calls of a
// Mount each, for ten or so hierarchies).
absl::Status LinuxMounter::FillCgroupTmpfs(const std::string& root_path,
                                           const std::string& destination,
                                           const CgroupMountPlan& plan) {
  ASSIGN_OR_RETURN(const std::shared_ptr<const RootDirectory> cached_root, RootAt(root_path));
  ASSIGN_OR_RETURN(const UniqueFd tmpfs, cached_root->Resolve(destination));
  // The name of `path` in the tmpfs: every part of the plan is one level below.
  const auto name_in_tmpfs = [&](const std::string& path) -> absl::StatusOr<std::string> {
    if (path.size() <= destination.size() + 1 || !absl::StartsWith(path, destination) ||
        path[destination.size()] != '/' || path.find('/', destination.size() + 1) != path.npos) {
      return absl::InternalError(absl::StrCat("cgroup mount part \"", path,
                                              "\" is not an entry of \"", destination, "\""));
    }
    return path.substr(destination.size() + 1);
  };
  for (size_t i = 1; i < plan.mounts.size(); ++i) {
    const PlannedMount& part = plan.mounts[i];
    ASSIGN_OR_RETURN(const std::string name, name_in_tmpfs(part.destination));
    const auto context = [&] {
      return absl::StrCat("mount \"", part.source, "\" on \"", part.destination, "\"");
    };
    UniqueFd tree;
    if (part.kind == MountKind::kBind) {
      const unsigned int recursive = part.recursive ? AT_RECURSIVE : 0;
      tree.Reset(open_tree(AT_FDCWD, part.source.c_str(),
                           OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | recursive));
      if (!tree.valid()) return Annotate(ErrnoStatus("open_tree"), context());
    }
    if (mkdirat(tmpfs.get(), name.c_str(), 0755) != 0) {
      return Annotate(ErrnoStatus("mkdir"), context());
    }
    UniqueFd target(
        openat(tmpfs.get(), name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!target.valid()) return Annotate(ErrnoStatus("open the new directory"), context());
    RETURN_IF_ERROR(Annotate(
        part.kind == MountKind::kBind
            ? AttachBind(part, target.get(), std::move(tree), /*configured=*/false)
            : AttachFilesystem(*cached_root, part, target.get()),
        context()));
  }
  for (const CgroupMountPlan::Symlink& symlink : plan.symlinks) {
    ASSIGN_OR_RETURN(const std::string name, name_in_tmpfs(symlink.path));
    if (symlinkat(symlink.target.c_str(), tmpfs.get(), name.c_str()) != 0) {
      return ErrnoStatus("symlink \"", symlink.path, "\" -> \"", symlink.target, "\"");
    }
  }
  if (!plan.read_only_tmpfs) return absl::OkStatus();
  return Annotate(SetMountAttributes(tmpfs.get(), 0, MOUNT_ATTR_RDONLY, 0),
                  absl::StrCat("remount \"", destination, "\" read-only"));
}

absl::Status LinuxMounter::CreateDevice(const std::string& root_path, const DeviceNode& device) {
  ASSIGN_OR_RETURN(const std::shared_ptr<const RootDirectory> cached_root, RootAt(root_path));
  const RootDirectory& root = *cached_root;
  ASSIGN_OR_RETURN(RootDirectory::Entry entry, root.ResolveParent(device.path, /*create=*/true));
  const std::string context = absl::StrCat("create device ", root.Describe(device.path));
  if (!device.bind_from_host) {
    ScopedUmask umask(0);
    if (mknodat(entry.parent.get(), entry.name.c_str(), device.type | device.permissions,
                makedev(device.major, device.minor)) == 0) {
      if (fchownat(entry.parent.get(), entry.name.c_str(), device.uid, device.gid,
                   AT_SYMLINK_NOFOLLOW) != 0) {
        return ErrnoStatus(context, ": chown");
      }
      return absl::OkStatus();
    }
    // An image's own /dev may have the node already (runc keeps it too).
    if (errno == EEXIST) return absl::OkStatus();
    if (errno != EPERM) return ErrnoStatus(context, ": mknod");
  }
  // Inside a user namespace: the host's node, bound onto an empty file.
  UniqueFd file(openat(entry.parent.get(), entry.name.c_str(),
                       O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0));
  if (!file.valid()) return ErrnoStatus(context, ": create the bind target");
  PlannedMount bind{.kind = MountKind::kBind, .destination = device.path, .source = device.path};
  return Mount(root_path, bind);
}

absl::Status LinuxMounter::CreateSymlink(const std::string& root_path, const std::string& target,
                                         const std::string& path) {
  ASSIGN_OR_RETURN(const std::shared_ptr<const RootDirectory> cached_root, RootAt(root_path));
  const RootDirectory& root = *cached_root;
  ASSIGN_OR_RETURN(RootDirectory::Entry entry, root.ResolveParent(path, /*create=*/true));
  const std::string context = absl::StrCat("symlink ", root.Describe(path), " -> \"", target, "\"");
  if (unlinkat(entry.parent.get(), entry.name.c_str(), 0) != 0 && errno != ENOENT) {
    return ErrnoStatus(context, ": remove what is there");
  }
  if (symlinkat(target.c_str(), entry.parent.get(), entry.name.c_str()) != 0) {
    return ErrnoStatus(context);
  }
  return absl::OkStatus();
}

absl::Status LinuxMounter::RemountReadOnly(const std::string& root_path, const std::string& path) {
  ASSIGN_OR_RETURN(const std::shared_ptr<const RootDirectory> cached_root, RootAt(root_path));
  const RootDirectory& root = *cached_root;
  ASSIGN_OR_RETURN(UniqueFd mounted, root.Resolve(path));
  const std::string context = absl::StrCat("remount ", root.Describe(path), " read-only");
  if (api_ == Api::kMountFds) {
    absl::Status status = SetMountAttributes(mounted.get(), 0, MOUNT_ATTR_RDONLY, 0);
    if (status.ok() || !absl::IsUnimplemented(status)) return Annotate(status, context);
    api_ = Api::kLegacy;
  }
  return Annotate(LegacyRemount(mounted.get(), MS_RDONLY, 0), context);
}

absl::Status LinuxMounter::PivotRoot(const std::string& rootfs) {
  ForgetRoot();
  UniqueFd old_root(open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC));
  if (!old_root.valid()) return ErrnoStatus("open \"/\"");
  UniqueFd new_root(open(rootfs.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
  if (!new_root.valid()) return ErrnoStatus("open \"", rootfs, "\"");
  if (fchdir(new_root.get()) != 0) return ErrnoStatus("chdir \"", rootfs, "\"");
  // pivot_root(".", ".") stacks the old root on the new one, so no
  // directory for it is needed in the image; it is then detached.
  if (syscall(SYS_pivot_root, ".", ".") != 0) {
    return ErrnoStatus("pivot_root into \"", rootfs, "\"");
  }
  if (fchdir(old_root.get()) != 0) return ErrnoStatus("chdir to the old root");
  // rslave first, so that the unmount does not propagate to the host.
  if (mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr) != 0) {
    return ErrnoStatus("make the old root rslave");
  }
  if (umount2(".", MNT_DETACH) != 0) return ErrnoStatus("detach the old root");
  if (chdir("/") != 0) return ErrnoStatus("chdir \"/\"");
  return absl::OkStatus();
}

namespace {

// Without pivot_root the host's mounts stay in the container's mount
// namespace, under its root. A procfs or sysfs among them, fully visible,
// would let the container mount a fresh, unmasked one from a new user
// namespace (the kernel allows that while a full one is visible): detach
// them, or, where the kernel refuses (a mount locked by the user namespace),
// cover them with an empty tmpfs, as runc does.
absl::Status HideHostProcAndSys(const std::string& rootfs) {
  ASSIGN_OR_RETURN(const std::string text, ReadOwnFile("mountinfo"));
  ASSIGN_OR_RETURN(const std::vector<MountInfo> mounts, ParseMountInfo(text));
  for (auto mount = mounts.rbegin(); mount != mounts.rend(); ++mount) {
    if (mount->fstype != "proc" && mount->fstype != "sysfs") continue;
    if (IsAtOrBelow(mount->mount_point, rootfs)) continue;
    const char* path = mount->mount_point.c_str();
    // rslave first, so that the unmount does not propagate to the host.
    if (::mount(nullptr, path, nullptr, MS_SLAVE | MS_REC, nullptr) != 0 && errno != ENOENT) {
      return ErrnoStatus("make \"", mount->mount_point, "\" rslave");
    }
    if (umount2(path, MNT_DETACH) == 0 || errno == ENOENT) continue;
    if (errno != EINVAL && errno != EPERM) {
      return ErrnoStatus("detach the host's \"", mount->mount_point, "\"");
    }
    if (::mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0") != 0) {
      return ErrnoStatus("cover the host's \"", mount->mount_point, "\" with a tmpfs");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status LinuxMounter::MoveRoot(const std::string& rootfs) {
  ForgetRoot();
  RETURN_IF_ERROR(HideHostProcAndSys(rootfs));
  if (chdir(rootfs.c_str()) != 0) return ErrnoStatus("chdir \"", rootfs, "\"");
  if (mount(rootfs.c_str(), "/", nullptr, MS_MOVE, nullptr) != 0) {
    return ErrnoStatus("move \"", rootfs, "\" onto \"/\"");
  }
  if (chroot(".") != 0) return ErrnoStatus("chroot \"", rootfs, "\"");
  if (chdir("/") != 0) return ErrnoStatus("chdir \"/\"");
  return absl::OkStatus();
}

absl::Status LinuxMounter::MaskPath(const std::string& path) {
  ASSIGN_OR_RETURN(const std::shared_ptr<const RootDirectory> cached_root, RootAt("/"));
  const RootDirectory& root = *cached_root;
  const std::string clean = CleanContainerPath(path);
  const std::string context = absl::StrCat("mask \"", clean, "\"");
  struct stat st;
  absl::StatusOr<UniqueFd> target = OpenRestrictedPath(root, clean, st);
  if (!target.ok()) return Annotate(target.status(), context);
  if (!target->valid()) return absl::OkStatus();
  // What is mounted on the root itself hides the directory the cache holds.
  if (IsRoot(st)) ForgetRoot();
  return Annotate(
      S_ISDIR(st.st_mode) ? MaskWithTmpfs(target->get()) : MaskWithDevNull(root, target->get()),
      context);
}

absl::Status LinuxMounter::MaskWithDevNull(const RootDirectory& root, int target) {
  // The container's /dev/null, which the image may have replaced by a
  // symlink to a file the mask would then expose (CVE-2025-31133).
  ASSIGN_OR_RETURN(UniqueFd null, root.Resolve("/dev/null"));
  struct stat st;
  if (fstat(null.get(), &st) != 0) return ErrnoStatus("stat \"/dev/null\"");
  if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
    return absl::FailedPreconditionError("\"/dev/null\" is not the null device");
  }
  return BindFd(null.get(), target, "\"/dev/null\"");
}

absl::Status LinuxMounter::BindFd(int source, int target, absl::string_view what) {
  if (api_ == Api::kMountFds) {
    UniqueFd tree(open_tree(source, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH));
    if (tree.valid()) return MoveMount(tree.get(), target);
    if (errno != ENOSYS) return ErrnoStatus("open_tree ", what);
    api_ = Api::kLegacy;
  }
  if (mount(FdPath(source).c_str(), FdPath(target).c_str(), nullptr, MS_BIND, nullptr) != 0) {
    return ErrnoStatus("bind ", what);
  }
  return absl::OkStatus();
}

absl::Status LinuxMounter::MaskWithTmpfs(int target) {
  if (api_ == Api::kMountFds) {
    UniqueFd fs(fsopen("tmpfs", FSOPEN_CLOEXEC));
    if (fs.valid()) {
      if (fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) {
        return ErrnoStatus("create a tmpfs", FilesystemLog(fs.get()));
      }
      UniqueFd mounted(fsmount(fs.get(), FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY));
      if (!mounted.valid()) return ErrnoStatus("fsmount a tmpfs");
      return MoveMount(mounted.get(), target);
    }
    if (errno != ENOSYS) return ErrnoStatus("fsopen tmpfs");
    api_ = Api::kLegacy;
  }
  if (mount("tmpfs", FdPath(target).c_str(), "tmpfs", MS_RDONLY, nullptr) != 0) {
    return ErrnoStatus("mount a tmpfs");
  }
  return absl::OkStatus();
}

absl::Status LinuxMounter::MakeReadOnly(const std::string& path) {
  ASSIGN_OR_RETURN(const std::shared_ptr<const RootDirectory> cached_root, RootAt("/"));
  const RootDirectory& root = *cached_root;
  const std::string clean = CleanContainerPath(path);
  const std::string context = absl::StrCat("make \"", clean, "\" read-only");
  struct stat st;
  absl::StatusOr<UniqueFd> target = OpenRestrictedPath(root, clean, st);
  if (!target.ok()) return Annotate(target.status(), context);
  if (!target->valid()) return absl::OkStatus();
  if (IsRoot(st)) ForgetRoot();
  if (api_ == Api::kMountFds) {
    UniqueFd tree(open_tree(target->get(), "",
                            OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH));
    if (tree.valid()) {
      RETURN_IF_ERROR(
          Annotate(SetMountAttributes(tree.get(), AT_RECURSIVE, MOUNT_ATTR_RDONLY, 0), context));
      return Annotate(MoveMount(tree.get(), target->get()), context);
    }
    if (errno != ENOSYS) return ErrnoStatus(context, ": open_tree");
    api_ = Api::kLegacy;
  }
  const std::string target_path = FdPath(target->get());
  if (mount(target_path.c_str(), target_path.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
    return ErrnoStatus(context, ": bind");
  }
  absl::StatusOr<UniqueFd> mounted = root.Resolve(clean);
  absl::Status status = mounted.status();
  if (status.ok()) status = LegacyRemount(mounted->get(), MS_RDONLY, 0);
  if (!status.ok() && mounted.ok()) umount2(FdPath(mounted->get()).c_str(), MNT_DETACH);
  return Annotate(status, context);
}

absl::Status LinuxMounter::BindOpenFile(int file, const std::string& path) {
  ForgetRoot();
  ASSIGN_OR_RETURN(RootDirectory root, RootDirectory::Open("/"));
  const std::string clean = CleanContainerPath(path);
  const std::string context = absl::StrCat("bind over \"", clean, "\"");
  ASSIGN_OR_RETURN(RootDirectory::Entry entry, root.ResolveParent(clean, /*create=*/true));
  const int parent = entry.parent.get();
  const char* name = entry.name.c_str();
  // O_PATH: a device node there (an image's /dev/console) is not opened.
  UniqueFd target(openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (!target.valid() && errno == ENOENT) {
    const UniqueFd created(
        openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666));
    if (!created.valid() && errno != EEXIST) {
      return ErrnoStatus(context, ": create the mount target");
    }
    target.Reset(openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC));
  }
  if (!target.valid()) return ErrnoStatus(context, ": open the mount target");
  struct stat st;
  if (fstat(target.get(), &st) != 0) return ErrnoStatus(context, ": stat the mount target");
  if (S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(context, ": it is a ", S_ISLNK(st.st_mode) ? "symlink" : "directory"));
  }
  return Annotate(BindFd(file, target.get(), absl::StrCat("fd ", file)), context);
}

}  // namespace hull::rootfs
