#include "cgroups/v1.h"

#include <signal.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/container_path.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "cgroups/cgroup_tree.h"
#include "cgroups/resource_warnings.h"
#include "cgroups/v1_resources.h"
#include "cgroups/v1_stats.h"

namespace hull::cgroups {
namespace {

constexpr char kFrozen[] = "FROZEN";
constexpr char kThawed[] = "THAWED";

}  // namespace

V1Manager::V1Manager(std::vector<CgroupDirectory> directories, std::unique_ptr<CgroupFs> fs,
                     V1Options options)
    : directories_(std::move(directories)), fs_(std::move(fs)), options_(std::move(options)) {}

// --- Create -----------------------------------------------------------------

absl::Status V1Manager::MakeDirectories(CgroupDirectory& directory,
                                        std::vector<std::string>& made) {
  const bool cpuset = std::find(directory.controllers.begin(), directory.controllers.end(),
                                "cpuset") != directory.controllers.end();
  const size_t made_before = made.size();
  // The parent is usually there (/hull): one mkdir of the container's own
  // directory, and the whole chain only when the kernel says a parent is
  // missing (ENOENT).
  absl::Status status = fs_->MakeDirectory(directory.path);
  if (status.ok()) {
    made.push_back(directory.path);
  } else if (absl::IsNotFound(status)) {
    RETURN_IF_ERROR(MakeDirectoryChain(
        *fs_, directory.mount_point, directory.path,
        [](const std::string&) { return absl::OkStatus(); },
        [](const std::string&, const std::string&) { return absl::OkStatus(); }, made));
  } else if (!absl::IsAlreadyExists(status)) {
    return status;
  }
  const std::string first_made = made.size() > made_before ? made[made_before] : "";
  if (directory.created.empty()) directory.created = first_made;
  return cpuset ? FillEmptyCpusets(directory, first_made) : absl::OkStatus();
}

// A cpuset cgroup starts with no cpus and no mems, and no process can join
// it until they are set (ENOSPC). As runc does, every empty one from the
// hierarchy's root down to the container's gets its parent's: those Hull
// made, and those made by others (a pod's parent, made and left empty).
// Each level's values are read once, and serve as the next level's parent's.
// One this Create made (`first_made` and below) is not read: it is empty, or
// (the parent has cgroup.clone_children) holds its parent's already, and
// then writing them again changes nothing.
absl::Status V1Manager::FillEmptyCpusets(const CgroupDirectory& directory,
                                         absl::string_view first_made) {
  constexpr const char* kFiles[] = {"cpuset.cpus", "cpuset.mems"};
  std::string parent = directory.mount_point;
  // The parent's cpus and mems, once read.
  std::optional<std::string> inherited[2];
  for (absl::string_view name : absl::StrSplit(
           absl::string_view(directory.path).substr(directory.mount_point.size()), '/',
           absl::SkipEmpty())) {
    const std::string current = absl::StrCat(parent, "/", name);
    const bool made_now = !first_made.empty() && IsAtOrBelow(current, first_made);
    for (int i = 0; i < 2; ++i) {
      std::string own;
      if (!made_now) {
        ASSIGN_OR_RETURN(own, fs_->ReadFile(CgroupFile(current, kFiles[i])));
        own = std::string(absl::StripAsciiWhitespace(own));
      }
      if (own.empty()) {
        if (!inherited[i].has_value()) {
          ASSIGN_OR_RETURN(const std::string value, fs_->ReadFile(CgroupFile(parent, kFiles[i])));
          inherited[i] = std::string(absl::StripAsciiWhitespace(value));
        }
        RETURN_IF_ERROR(fs_->WriteFile(CgroupFile(current, kFiles[i]), *inherited[i]));
        own = *inherited[i];
      }
      inherited[i] = std::move(own);
    }
    parent = current;
  }
  return absl::OkStatus();
}

absl::Status V1Manager::Create() {
  std::vector<std::string> made;
  absl::Status status;
  for (CgroupDirectory& directory : directories_) {
    if (!IsAtOrBelow(directory.path, directory.mount_point)) {
      status = absl::InvalidArgumentError(absl::StrCat(
          "cgroup ", directory.path, " is not below its hierarchy at ", directory.mount_point));
      break;
    }
    status = MakeDirectories(directory, made);
    if (!status.ok()) break;
  }
  if (status.ok()) return status;
  // Leave nothing behind: remove what this call made, deepest first.
  for (auto it = made.rbegin(); it != made.rend(); ++it) fs_->RemoveDirectory(*it).IgnoreError();
  for (CgroupDirectory& directory : directories_) {
    if (std::find(made.begin(), made.end(), directory.created) != made.end()) {
      directory.created.clear();
    }
  }
  return status;
}

// --- Resources and statistics (v1_resources.h, v1_stats.h) -------------------

absl::Status V1Manager::Apply(const config::Resources& resources) {
  LogResourceWarnings(resources);
  return ApplyV1Resources(*fs_, directories_, resources);
}

absl::StatusOr<Stats> V1Manager::GetStats() {
  return ReadV1Stats(*fs_, directories_, options_.hugepages_directory);
}

// --- Processes ----------------------------------------------------------------

absl::Status V1Manager::AddProcess(pid_t pid) {
  for (const CgroupDirectory& directory : directories_) {
    const std::string procs = CgroupFile(directory.path, "cgroup.procs");
    // EINVAL can mean the task is still being created (TASK_NEW): runc
    // retries a few times.
    absl::Status status;
    for (int attempt = 0; attempt < 5; ++attempt) {
      status = fs_->WriteFile(procs, absl::StrCat(pid));
      if (!absl::IsInvalidArgument(status)) break;
      absl::SleepFor(absl::Milliseconds(30));
    }
    RETURN_IF_ERROR(status);
  }
  return absl::OkStatus();
}

absl::StatusOr<CloneTargets> V1Manager::OpenCloneTargets(const SubCgroups& below) {
  for (const auto& [controller, path] : below) {
    if (!controller.empty() && FindController(directories_, controller) == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("the container has no cgroup of controller \"", controller, "\""));
    }
  }
  CloneTargets targets{.host_cgroup_mounts = options_.host_cgroup_mounts};
  for (const CgroupDirectory& directory : directories_) {
    // The sub-cgroup named for one of the hierarchy's controllers, else for
    // every hierarchy.
    std::string relative;
    for (const std::string& controller : directory.controllers) {
      if (auto it = below.find(controller); it != below.end()) relative = it->second;
    }
    if (relative.empty()) {
      if (auto it = below.find(""); it != below.end()) relative = it->second;
    }
    ASSIGN_OR_RETURN(const std::string path, CgroupBelow(directory.path, relative));
    if (directory.controllers.empty()) {
      ASSIGN_OR_RETURN(targets.cgroup2_directory, fs_->OpenDirectory(path));
    } else {
      ASSIGN_OR_RETURN(UniqueFd tasks, fs_->OpenForWriting(CgroupFile(path, "tasks")));
      targets.v1_tasks_files.push_back(std::move(tasks));
    }
  }
  return targets;
}

absl::StatusOr<std::vector<pid_t>> V1Manager::Processes() {
  const CgroupDirectory* directory = nullptr;
  for (const char* controller : {"freezer", "pids", "memory", "devices", "cpu"}) {
    if ((directory = FindController(directories_, controller)) != nullptr) break;
  }
  if (directory == nullptr && !directories_.empty()) directory = &directories_.front();
  if (directory == nullptr) return std::vector<pid_t>();

  return ProcessesBelow(*fs_, directory->path);
}

absl::Status V1Manager::Signal(int signal) {
  // Freezing is what keeps a fork bomb from outrunning the kills; when it
  // fails (Freeze thaws again) the processes are still killed, as by runc.
  const bool frozen =
      signal == SIGKILL && FindController(directories_, "freezer") != nullptr && Freeze().ok();
  absl::Status status;
  absl::StatusOr<std::vector<pid_t>> pids = Processes();
  if (!pids.ok()) {
    status = pids.status();
  } else {
    for (pid_t pid : *pids) {
      absl::Status killed = fs_->Kill(pid, signal);
      // A process may exit between the listing and the kill.
      if (!killed.ok() && !absl::IsNotFound(killed) && status.ok()) status = killed;
    }
  }
  if (frozen) {
    absl::Status thawed = Thaw();
    if (status.ok()) status = thawed;
  }
  return status;
}

// --- Freezer ------------------------------------------------------------------

absl::Status V1Manager::WriteFreezerState(absl::string_view directory, absl::string_view state) {
  return fs_->WriteFile(CgroupFile(directory, "freezer.state"), state);
}

absl::Status V1Manager::Freeze() {
  ASSIGN_OR_RETURN(std::string dir, RequireController(directories_, "freezer", "pause"));
  const std::string state_file = CgroupFile(dir, "freezer.state");
  // Tasks forking while the cgroup freezes can keep it FREEZING; thawing
  // for a moment now and then lets the freeze catch them (runc's loop).
  constexpr int kAttempts = 1000;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt % 50 == 49) {
      WriteFreezerState(dir, kThawed).IgnoreError();
      absl::SleepFor(absl::Milliseconds(10));
    }
    absl::Status status = WriteFreezerState(dir, kFrozen);
    if (!status.ok()) {
      WriteFreezerState(dir, kThawed).IgnoreError();
      return status;
    }
    if (attempt % 25 == 24) absl::SleepFor(absl::Microseconds(10));
    absl::StatusOr<std::string> state = fs_->ReadFile(state_file);
    if (!state.ok()) {
      WriteFreezerState(dir, kThawed).IgnoreError();
      return state.status();
    }
    const absl::string_view current = absl::StripAsciiWhitespace(*state);
    if (current == kFrozen) return absl::OkStatus();
    if (current != "FREEZING") {
      WriteFreezerState(dir, kThawed).IgnoreError();
      return absl::InternalError(
          absl::StrCat("freeze ", dir, ": unexpected freezer.state \"", current, "\""));
    }
  }
  WriteFreezerState(dir, kThawed).IgnoreError();
  return absl::DeadlineExceededError(
      absl::StrCat("freeze ", dir, ": still FREEZING after ", kAttempts, " attempts; thawed"));
}

absl::Status V1Manager::Thaw() {
  ASSIGN_OR_RETURN(std::string dir, RequireController(directories_, "freezer", "resume"));
  const std::string state_file = CgroupFile(dir, "freezer.state");
  for (int attempt = 0; attempt < 1000; ++attempt) {
    RETURN_IF_ERROR(WriteFreezerState(dir, kThawed));
    ASSIGN_OR_RETURN(std::string state, fs_->ReadFile(state_file));
    if (absl::StripAsciiWhitespace(state) == kThawed) return absl::OkStatus();
    absl::SleepFor(absl::Milliseconds(1));
  }
  return absl::DeadlineExceededError(absl::StrCat("thaw ", dir, ": not THAWED after 1000 attempts"));
}

absl::StatusOr<bool> V1Manager::IsFrozen() {
  const CgroupDirectory* freezer = FindController(directories_, "freezer");
  if (freezer == nullptr) return false;
  ASSIGN_OR_RETURN(std::string state, fs_->ReadFile(CgroupFile(freezer->path, "freezer.state")));
  return absl::StripAsciiWhitespace(state) == kFrozen;
}

// --- Destroy ------------------------------------------------------------------

absl::Status V1Manager::Destroy() {
  // Only the cgroups Create made go, and they must be empty. Those the
  // container found (cgroupsPath) stay, with whatever other processes they
  // hold.
  const CgroupDirectory* made = nullptr;
  for (const char* controller : {"freezer", "pids", "memory", "devices", "cpu"}) {
    made = FindController(directories_, controller);
    if (made != nullptr && !made->created.empty()) break;
    made = nullptr;
  }
  for (const CgroupDirectory& directory : directories_) {
    if (made == nullptr && !directory.created.empty()) made = &directory;
  }
  if (made == nullptr) return absl::OkStatus();
  absl::StatusOr<std::vector<pid_t>> pids = ProcessesBelow(*fs_, made->path);
  // NotFound: already removed (a Destroy retried after a partial failure).
  if (!pids.ok() && !absl::IsNotFound(pids.status())) return pids.status();
  if (pids.ok() && !pids->empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("container's cgroup is not empty: ", pids->size(), " process(es) remain"));
  }
  for (CgroupDirectory& directory : directories_) {
    if (directory.created.empty()) continue;  // not ours to remove
    RETURN_IF_ERROR(RemoveCgroupTree(*fs_, directory.path, /*busy_retries=*/5));
    RETURN_IF_ERROR(RemoveCreatedParents(*fs_, directory.path, directory.created));
    directory.created.clear();
  }
  return absl::OkStatus();
}

std::map<std::string, std::string> V1Manager::Paths() const {
  std::map<std::string, std::string> paths;
  for (const CgroupDirectory& directory : directories_) {
    if (directory.controllers.empty()) paths[""] = directory.path;
    for (const std::string& controller : directory.controllers) paths[controller] = directory.path;
  }
  return paths;
}

std::map<std::string, std::string> V1Manager::CreatedPaths() const {
  std::map<std::string, std::string> created;
  for (const CgroupDirectory& directory : directories_) {
    if (directory.created.empty()) continue;
    if (directory.controllers.empty()) created[""] = directory.created;
    for (const std::string& controller : directory.controllers) {
      created[controller] = directory.created;
    }
  }
  return created;
}

}  // namespace hull::cgroups
