// LinuxActions' checkpoint and restore: the container's process tree dumped
// and restored by CRIU (runtime/criu/), as runc does it.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "base/file_io.h"
#include "base/proc_stat.h"
#include "base/root_directory.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "cgroups/layout.h"
#include "nsenter/pidfd.h"
#include "runtime/console/console_socket.h"
#include "runtime/criu/descriptors.h"
#include "runtime/criu/requests.h"
#include "runtime/linux_actions.h"
#include "runtime/rootfs/rootfs_plan.h"

namespace hull::runtime {
namespace {

using statemachine::Action;
using statemachine::ContainerState;

// How much of the end of CRIU's log an error reads, and how many of its
// lines it quotes: its "Error (file:line): ..." lines name the failure,
// which the last lines of a failed dump often do not.
constexpr off_t kLogTailBytes = 16384;
constexpr size_t kQuotedLines = 4;

// The directory at `path`, made (with its parents, 0700) when `create`.
absl::StatusOr<UniqueFd> OpenDirectory(const std::string& path, bool create,
                                       absl::string_view what) {
  if (path.empty()) return absl::InvalidArgumentError(absl::StrCat("no ", what, " given"));
  if (create) {
    for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
      const std::string prefix = path.substr(0, slash);
      if (mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
        return ErrnoStatus("mkdir ", what, " \"", prefix, "\"");
      }
      if (slash == std::string::npos) break;
    }
  }
  const int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open ", what, " \"", path, "\"");
  return UniqueFd(fd);
}

// `failure` of CRIU, with where its log is and how it ends.
absl::Status WithCriuLog(const absl::Status& failure, int log_dir, const std::string& log_dir_path,
                         const char* log) {
  const std::string path = absl::StrCat(log_dir_path, "/", log);
  UniqueFd file(openat(log_dir, log, O_RDONLY | O_CLOEXEC));
  if (!file.valid()) {
    return absl::Status(failure.code(),
                        absl::StrCat(failure.message(), " (criu wrote no log at ", path, ")"));
  }
  const off_t size = lseek(file.get(), 0, SEEK_END);
  lseek(file.get(), size > kLogTailBytes ? size - kLogTailBytes : 0, SEEK_SET);
  absl::StatusOr<std::string> tail = ReadAll(file.get(), path, kLogTailBytes);
  std::string lines;
  if (tail.ok()) {
    std::vector<absl::string_view> all = absl::StrSplit(*tail, '\n', absl::SkipEmpty());
    // The first line read may be cut.
    if (size > kLogTailBytes && !all.empty()) all.erase(all.begin());
    std::vector<absl::string_view> errors;
    for (absl::string_view line : all) {
      if (absl::StrContains(line, "Error (")) errors.push_back(line);
    }
    std::vector<absl::string_view>& quoted = errors.empty() ? all : errors;
    const size_t first = quoted.size() > kQuotedLines ? quoted.size() - kQuotedLines : 0;
    for (size_t i = first; i < quoted.size(); ++i) absl::StrAppend(&lines, "\n  ", quoted[i]);
  }
  return absl::Status(failure.code(),
                      absl::StrCat(failure.message(), "; see ", path, lines.empty() ? "" : ":", lines));
}

// What /proc/<pid>/fd/0, 1 and 2 point to.
absl::StatusOr<std::vector<std::string>> StdioOf(pid_t pid) {
  std::vector<std::string> descriptors;
  for (int fd = 0; fd < 3; ++fd) {
    const std::string link = absl::StrCat("/proc/", pid, "/fd/", fd);
    char target[4096];
    const ssize_t n = readlink(link.c_str(), target, sizeof(target));
    if (n < 0) {
      // A closed fd is restored closed; runc records /dev/null for it.
      if (errno == ENOENT) {
        descriptors.push_back("/dev/null");
        continue;
      }
      return ErrnoStatus("readlink \"", link, "\"");
    }
    descriptors.emplace_back(target, n);
  }
  return descriptors;
}

absl::Status WriteDescriptors(int images, const std::string& images_path,
                              const std::vector<std::string>& descriptors) {
  const std::string json = criu::FormatDescriptors(descriptors);
  const std::string path = absl::StrCat(images_path, "/", criu::kDescriptorsFile);
  UniqueFd file(openat(images, criu::kDescriptorsFile,
                       O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!file.valid()) return ErrnoStatus("open \"", path, "\"");
  if (write(file.get(), json.data(), json.size()) != static_cast<ssize_t>(json.size())) {
    return ErrnoStatus("write \"", path, "\"");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ReadDescriptors(int images, const std::string& images_path) {
  const std::string path = absl::StrCat(images_path, "/", criu::kDescriptorsFile);
  UniqueFd file(openat(images, criu::kDescriptorsFile, O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!file.valid()) {
    return ErrnoStatus("not a checkpoint image directory: open \"", path, "\"");
  }
  ASSIGN_OR_RETURN(const std::string json, ReadAll(file.get(), path));
  absl::StatusOr<std::vector<std::string>> descriptors = criu::ParseDescriptors(json);
  if (!descriptors.ok()) return Annotate(descriptors.status(), path);
  return descriptors;
}

// The masked paths of the container that are files, not directories: Hull
// binds /dev/null over those, which CRIU must treat as external.
std::vector<std::string> MaskedFiles(const ContainerState& state) {
  std::vector<std::string> files;
  for (const std::string& path : state.config().linux().masked_paths()) {
    struct stat st;
    const std::string seen = absl::StrCat("/proc/", state.pid(), "/root", path);
    if (stat(seen.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) files.push_back(path);
  }
  return files;
}

// Where the image and log directories are: options' paths, the log's by
// default in the images'.
struct CriuDirectories {
  UniqueFd images;
  UniqueFd work;  // invalid: the images'
  std::string log_path;
  int log_dir() const { return work.valid() ? work.get() : images.get(); }
};

absl::StatusOr<CriuDirectories> OpenCriuDirectories(const CriuCommonOptions& options,
                                                    bool create_images) {
  CriuDirectories dirs;
  ASSIGN_OR_RETURN(dirs.images,
                   OpenDirectory(options.image_path, create_images, "image directory"));
  dirs.log_path = options.image_path;
  if (!options.work_path.empty()) {
    ASSIGN_OR_RETURN(dirs.work, OpenDirectory(options.work_path, true, "work directory"));
    dirs.log_path = options.work_path;
  }
  return dirs;
}

// The container's cgroups as /proc/<pid>/cgroup names them (CRIU's
// cg_root): each directory below its hierarchy's mount point.
absl::StatusOr<std::map<std::string, std::string>> CgroupsInHierarchies(
    const std::map<std::string, std::string>& paths) {
  ASSIGN_OR_RETURN(const cgroups::Layout layout, cgroups::DetectLayout());
  std::map<std::string, std::string> in_hierarchies;
  for (const auto& [controller, path] : paths) {
    const cgroups::Hierarchy* hierarchy =
        controller.empty() ? (layout.unified ? &*layout.unified : nullptr)
                           : layout.FindV1(controller);
    if (hierarchy == nullptr || !absl::StartsWith(path, hierarchy->mount_point)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the container's cgroup \"", path, "\" is in no mounted hierarchy of ",
          controller.empty() ? "cgroup2" : controller));
    }
    std::string below = path.substr(hierarchy->mount_point.size());
    if (hierarchy->mount_root != "/") below = absl::StrCat(hierarchy->mount_root, below);
    in_hierarchies[controller] = below.empty() ? "/" : below;
  }
  return in_hierarchies;
}

// As runc before a restore: the config's mountpoints exist in the root CRIU
// restores into (a new bundle's root may lack what the init made in the old
// one): a file for a bind of a file, a directory otherwise, made inside the
// root by openat2 (never through a symlink out of it).
absl::Status CreateMountpoints(const ContainerState& state) {
  const config::Spec& spec = state.config();
  ASSIGN_OR_RETURN(const rootfs::RootfsPlan plan, rootfs::PlanRootfs(spec));
  std::string root_path = spec.root().path();
  if (!root_path.empty() && root_path.front() != '/') {
    root_path = absl::StrCat(state.bundle(), "/", root_path);
  }
  ASSIGN_OR_RETURN(const RootDirectory root, RootDirectory::Open(root_path));
  for (const rootfs::PlannedMount& mount : plan.mounts) {
    NodeType type = NodeType::kDirectory;
    struct stat st;
    if (mount.kind == rootfs::MountKind::kBind && stat(mount.source.c_str(), &st) == 0 &&
        !S_ISDIR(st.st_mode)) {
      type = NodeType::kFile;
    }
    absl::StatusOr<UniqueFd> made = root.ResolveOrCreate(mount.destination, type);
    if (!made.ok()) {
      return Annotate(made.status(), absl::StrCat("restore: the mountpoint ", mount.destination));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status LinuxActions::Checkpoint(const ContainerState& state) {
  ASSIGN_OR_RETURN(const CheckpointOptions* options,
                   Parameters<CheckpointOptions>(Action::kCheckpoint));
  // Checked before anything is made.
  const int status_fd = options->status_fd;
  if (status_fd >= 0) {
    const int flags = fcntl(status_fd, F_GETFL);
    if (flags < 0) return ErrnoStatus("--status-fd ", status_fd);
    if ((flags & O_ACCMODE) == O_RDONLY) {
      return absl::InvalidArgumentError(absl::StrCat("--status-fd ", status_fd, ": not writable"));
    }
  }
  ASSIGN_OR_RETURN(CriuDirectories dirs, OpenCriuDirectories(*options, /*create_images=*/true));
  ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
  criu::DumpInputs inputs{.spec = &state.config(),
                          .bundle = state.bundle(),
                          .pid = state.pid(),
                          .images_dir_fd = dirs.images.get(),
                          .work_dir_fd = dirs.work.valid() ? dirs.work.get() : -1,
                          .masked_files = MaskedFiles(state)};
  // CRIU freezes the tree through the container's cgroup (runc's freezer
  // path): the v1 freezer hierarchy's, or the unified one.
  const std::map<std::string, std::string> paths = cgroups->Paths();
  if (auto freezer = paths.find("freezer"); freezer != paths.end()) {
    inputs.freeze_cgroup = freezer->second;
  } else if (auto unified = paths.find(""); unified != paths.end()) {
    inputs.freeze_cgroup = unified->second;
  }
  for (const config::Namespace& ns : state.config().linux().namespaces()) {
    if (ns.path().empty() || (ns.type() != "network" && ns.type() != "pid")) continue;
    struct stat st;
    if (stat(ns.path().c_str(), &st) != 0) {
      return ErrnoStatus("stat the ", ns.type(), " namespace \"", ns.path(), "\"");
    }
    inputs.external_namespace_inodes[ns.type()] = st.st_ino;
  }
  ASSIGN_OR_RETURN(const criu::criu_req request, criu::DumpRequest(inputs, *options));
  ASSIGN_OR_RETURN(const std::vector<std::string> stdio, StdioOf(state.pid()));
  RETURN_IF_ERROR(WriteDescriptors(dirs.images.get(), options->image_path, stdio));
  criu::Callbacks callbacks{.notify = [status_fd](criu::Notification& notification) {
    // A lazy dump's page server is up: the \0 runc writes.
    if (notification.script != "status-ready" || status_fd < 0) return absl::OkStatus();
    if (write(status_fd, "", 1) != 1) return ErrnoStatus("write to --status-fd ", status_fd);
    return absl::OkStatus();
  }};
  absl::StatusOr<criu::criu_resp> response =
      environment_.criu->Run(request, /*extra_fds=*/{}, callbacks);
  if (!response.ok()) {
    return WithCriuLog(response.status(), dirs.log_dir(), dirs.log_path, criu::kDumpLog);
  }
  return absl::OkStatus();
}

absl::Status LinuxActions::Restore(ContainerState& state,
                                   const std::function<absl::Status(pid_t init)>& setup_namespaces) {
  ASSIGN_OR_RETURN(const RestoreOptions* options, Parameters<RestoreOptions>(Action::kRestore));
  const config::Spec& spec = state.config();
  if (spec.process().terminal() != (options->console_socket >= 0)) {
    return absl::InvalidArgumentError(
        spec.process().terminal()
            ? "process.terminal is true: the restored pty's master needs a console socket"
            : "a console socket is given, but process.terminal is false");
  }
  if (!spec.linux().net_devices().empty()) {
    // CRIU makes the restored network namespace from its images.
    return absl::UnimplementedError(
        "linux.netDevices: a restored container's network namespace is CRIU's, from the "
        "checkpoint; Hull moves no device into it");
  }
  ASSIGN_OR_RETURN(CriuDirectories dirs, OpenCriuDirectories(*options, /*create_images=*/false));
  ASSIGN_OR_RETURN(cgroups::Manager * cgroups, Cgroups(state));
  criu::RestoreInputs inputs{.spec = &spec,
                             .images_dir_fd = dirs.images.get(),
                             .work_dir_fd = dirs.work.valid() ? dirs.work.get() : -1};
  ASSIGN_OR_RETURN(inputs.cgroup_paths, CgroupsInHierarchies(cgroups->Paths()));
  ASSIGN_OR_RETURN(inputs.descriptors, ReadDescriptors(dirs.images.get(), options->image_path));
  std::vector<UniqueFd> namespaces;
  for (const config::Namespace& ns : spec.linux().namespaces()) {
    if (ns.path().empty() || (ns.type() != "network" && ns.type() != "pid")) continue;
    UniqueFd fd(open(ns.path().c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return ErrnoStatus("open the ", ns.type(), " namespace \"", ns.path(), "\"");
    inputs.external_namespace_fds[ns.type()] = fd.get();
    namespaces.push_back(std::move(fd));
  }
  ASSIGN_OR_RETURN(const criu::RestorePlan plan, criu::RestoreRequest(inputs, *options));
  RETURN_IF_ERROR(CreateMountpoints(state));

  criu::Callbacks callbacks{
      // The tree CRIU restores is born in the container's cgroups.
      .started = [&](pid_t criu) { return cgroups->AddProcess(criu); },
      .notify = [&](criu::Notification& notification) -> absl::Status {
        if (notification.script == "setup-namespaces") return setup_namespaces(notification.pid);
        if (notification.script == "post-restore") {
          // Saved before CRIU lets it run: a launcher killed from here on
          // leaves delete the init to kill.
          ASSIGN_OR_RETURN(const ProcStat stat, ReadProcStat(notification.pid));
          state.set_pid(notification.pid);
          state.set_pid_start_time(stat.start_time);
          return SaveProgress(state);
        }
        if (notification.script == "orphan-pts-master") {
          if (!notification.fd.valid()) {
            return absl::InternalError("criu sent orphan-pts-master without the pty's master");
          }
          return console::SendPtyMaster(options->console_socket, notification.fd.get());
        }
        return absl::OkStatus();
      }};
  absl::StatusOr<criu::criu_resp> response =
      environment_.criu->Run(plan.request, plan.extra_fds, callbacks);
  if (!response.ok()) {
    return WithCriuLog(response.status(), dirs.log_dir(), dirs.log_path, criu::kRestoreLog);
  }
  const pid_t pid = response->restore().pid();
  // The restored init is this process's child (rst_sibling): from here on
  // Undo kills it through its pidfd.
  absl::StatusOr<UniqueFd> pidfd = nsenter::PidfdOpen(pid);
  if (!pidfd.ok()) {
    kill(pid, SIGKILL);
    return Annotate(pidfd.status(), "the restored init");
  }
  init_pidfd_ = *std::move(pidfd);
  ASSIGN_OR_RETURN(const ProcStat stat, ReadProcStat(pid));
  state.set_pid(pid);
  state.set_pid_start_time(stat.start_time);
  return absl::OkStatus();
}

}  // namespace hull::runtime
