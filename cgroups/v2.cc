#include "cgroups/v2.h"

#include <linux/bpf.h>
#include <signal.h>
#include <sys/types.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cgroups/cgroup_tree.h"
#include "cgroups/device_filter.h"
#include "cgroups/hugepage_sizes.h"
#include "cgroups/resource_warnings.h"
#include "cgroups/stat_files.h"
#include "cgroups/v2_conversion.h"
#include "cgroups/v2_stats.h"
#include "base/status_macros.h"
#include "base/wall_clock.h"
#include "base/fields.h"

namespace hull::cgroups {
namespace {


bool Contains(const std::vector<absl::string_view>& words, absl::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}


// Calls `attempt` until it returns something other than FailedPrecondition
// (a state the kernel has not reached yet: not frozen, still busy) or
// `timeout` has passed, and returns its last status. Sleeps 1 ms between
// attempts, doubling up to 10 ms: most states are reached at once.
absl::Status Retry(absl::Duration timeout, const std::function<absl::Status()>& attempt) {
  // WallClockNow, not absl::Now: see base/wall_clock.h.
  const absl::Time deadline = WallClockNow() + timeout;
  absl::Duration pause = absl::Milliseconds(1);
  for (;;) {
    absl::Status status = attempt();
    if (!absl::IsFailedPrecondition(status) || WallClockNow() >= deadline) return status;
    absl::SleepFor(pause);
    pause = std::min(pause * 2, absl::Milliseconds(10));
  }
}

}  // namespace

V2Manager::V2Manager(std::string mount_point, std::string directory, std::string created,
                     std::unique_ptr<CgroupFs> fs,
                     std::unique_ptr<DeviceFilterLoader> device_filter, V2Options options)
    : fs_(std::move(fs)),
      device_filter_(std::move(device_filter)),
      mount_point_(std::move(mount_point)),
      directory_(std::move(directory)),
      created_(std::move(created)),
      options_(std::move(options)) {}

std::string V2Manager::File(absl::string_view name) const {
  return absl::StrCat(directory_, "/", name);
}

absl::Status V2Manager::Create() {
  if (!absl::StartsWith(directory_, mount_point_ + "/")) {
    return absl::InvalidArgumentError(
        absl::StrCat("cgroup ", directory_, " is not below the cgroup2 mount ", mount_point_));
  }
  std::vector<std::string> made;
  const absl::Status status = MakeDirectoryChain(
      *fs_, mount_point_, directory_,
      [this](const std::string& parent) { return EnableControllers(parent); },
      [](const std::string&, const std::string&) { return absl::OkStatus(); }, made);
  if (status.ok()) {
    created_ = made.empty() ? "" : made.front();
    return absl::OkStatus();
  }
  for (auto it = made.rbegin(); it != made.rend(); ++it) {
    const absl::Status removed = fs_->RemoveDirectory(*it);
    if (!removed.ok()) {
      return absl::Status(status.code(),
                          absl::StrCat(status.message(), "; and undoing: ", removed.message()));
    }
  }
  return status;
}

absl::Status V2Manager::EnableControllers(const std::string& cgroup) {
  ASSIGN_OR_RETURN(const std::string available,
                   fs_->ReadFile(absl::StrCat(cgroup, "/cgroup.controllers")));
  const std::string subtree_control = absl::StrCat(cgroup, "/cgroup.subtree_control");
  ASSIGN_OR_RETURN(const std::string enabled, fs_->ReadFile(subtree_control));
  const std::vector<absl::string_view> on = SplitFields(enabled);
  std::string missing;  // "+cpu +memory ..."
  for (const absl::string_view controller : SplitFields(available)) {
    if (Contains(on, controller)) continue;
    absl::StrAppend(&missing, missing.empty() ? "+" : " +", controller);
  }
  if (missing.empty() || fs_->WriteFile(subtree_control, missing).ok()) return absl::OkStatus();
  // One refused controller fails the whole write: enable the others one by
  // one. The refused ones stay off; Apply names them if a resource needs them.
  for (const absl::string_view controller : SplitFields(missing)) {
    fs_->WriteFile(subtree_control, controller).IgnoreError();
  }
  return absl::OkStatus();
}

absl::Status V2Manager::Apply(const config::Resources& resources) {
  LogResourceWarnings(resources);
  // Everything is checked before the first change.
  ASSIGN_OR_RETURN(const std::vector<V2Write> writes, ConvertToV2(resources));
  RETURN_IF_ERROR(CheckControllers(resources, writes));
  std::vector<bpf_insn> device_filter;
  if (!resources.devices().empty()) {
    ASSIGN_OR_RETURN(device_filter, BuildDeviceFilter(resources.devices()));
  }
  if (resources.memory().check_before_update()) {
    // Best effort, as runc: without a readable memory.current (no memory
    // controller yet) there is nothing to compare.
    const std::string current = File("memory.current");
    const absl::StatusOr<std::string> usage = fs_->ReadFile(current);
    if (usage.ok()) {
      ASSIGN_OR_RETURN(const uint64_t bytes, ParseUint(*usage, current));
      RETURN_IF_ERROR(CheckMemoryBeforeUpdate(resources.memory(), bytes));
    }
  }

  if (!device_filter.empty()) {
    ASSIGN_OR_RETURN(const UniqueFd directory, fs_->OpenDirectory(directory_));
    RETURN_IF_ERROR(device_filter_->Install(directory.get(), device_filter));
  }
  for (const V2Write& write : writes) RETURN_IF_ERROR(Write(write));
  return absl::OkStatus();
}

absl::Status V2Manager::CheckControllers(const config::Resources& resources,
                                         const std::vector<V2Write>& writes) {
  const std::string path = File("cgroup.controllers");
  ASSIGN_OR_RETURN(const std::string contents, fs_->ReadFile(path));
  const std::vector<absl::string_view> available = SplitFields(contents);
  for (const V2Write& write : writes) {
    const absl::string_view controller = ControllerOf(write.file);
    if (controller == "cgroup" || Contains(available, controller)) continue;
    if (resources.unified().count(write.file) > 0) {
      return absl::FailedPreconditionError(absl::StrCat("unified resource \"", write.file,
                                                        "\" can't be set: controller \"",
                                                        controller, "\" not available"));
    }
    return absl::FailedPreconditionError(
        absl::StrCat("linux.resources: controller \"", controller, "\" (", write.file,
                     ") not available in ", directory_, ": cgroup.controllers is \"",
                     absl::StripAsciiWhitespace(contents), "\""));
  }
  return absl::OkStatus();
}

absl::Status V2Manager::Write(const V2Write& write) {
  for (const absl::string_view line : absl::StrSplit(write.value, '\n', absl::SkipEmpty())) {
    const absl::Status status = fs_->WriteFile(File(write.file), line);
    if (status.ok()) continue;
    if (absl::IsNotFound(status) && !write.fallback_file.empty()) {
      return fs_->WriteFile(File(write.fallback_file), write.fallback_value);
    }
    if (absl::IsNotFound(status) && write.optional) return absl::OkStatus();
    if (absl::IsInvalidArgument(status) && write.repeated_later) return absl::OkStatus();
    return status;
  }
  return absl::OkStatus();
}

absl::Status V2Manager::AddProcess(pid_t pid) {
  return fs_->WriteFile(File("cgroup.procs"), absl::StrCat(pid));
}

absl::StatusOr<CloneTargets> V2Manager::OpenCloneTargets(const SubCgroups& below) {
  std::string relative;
  for (const auto& [controller, path] : below) {
    if (!controller.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "a sub-cgroup per controller (\"", controller, ":", path, "\") needs cgroup v1"));
    }
    relative = path;
  }
  ASSIGN_OR_RETURN(const std::string path, CgroupBelow(directory_, relative));
  CloneTargets targets;
  ASSIGN_OR_RETURN(targets.cgroup2_directory, fs_->OpenDirectory(path));
  return targets;
}

absl::Status V2Manager::SetFrozen(bool frozen) {
  RETURN_IF_ERROR(fs_->WriteFile(File("cgroup.freeze"), frozen ? "1" : "0"));
  const std::string events = File("cgroup.events");
  const absl::Status reached = Retry(options_.freeze_timeout, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(const std::string contents, fs_->ReadFile(events));
    ASSIGN_OR_RETURN(const auto values, ParseKeyValues(contents, events));
    const auto it = values.find("frozen");
    if (it != values.end() && it->second == (frozen ? 1 : 0)) return absl::OkStatus();
    return absl::FailedPreconditionError("not yet");
  });
  if (!absl::IsFailedPrecondition(reached)) return reached;
  return absl::DeadlineExceededError(absl::StrCat(
      "timeout of ", absl::FormatDuration(options_.freeze_timeout), " reached waiting for ",
      events, " to say \"frozen ", frozen ? 1 : 0, "\""));
}

absl::Status V2Manager::Freeze() {
  const absl::Status status = SetFrozen(true);
  if (!absl::IsDeadlineExceeded(status)) return status;
  // Not left half frozen.
  const absl::Status thawed = fs_->WriteFile(File("cgroup.freeze"), "0");
  if (thawed.ok()) return status;
  return absl::Status(status.code(),
                      absl::StrCat(status.message(), "; and thawing: ", thawed.message()));
}

absl::Status V2Manager::Thaw() { return SetFrozen(false); }

absl::StatusOr<bool> V2Manager::IsFrozen() {
  const std::string path = File("cgroup.freeze");
  const absl::StatusOr<std::string> contents = fs_->ReadFile(path);
  // A kernel without the v2 freezer (< 5.2) never freezes.
  if (absl::IsNotFound(contents.status())) return false;
  if (!contents.ok()) return contents.status();
  ASSIGN_OR_RETURN(const uint64_t freeze, ParseUint(*contents, path));
  return freeze == 1;
}

absl::StatusOr<std::vector<pid_t>> V2Manager::Processes() {
  return ProcessesBelow(*fs_, directory_);
}

absl::Status V2Manager::Signal(int signal) {
  if (signal == SIGKILL && fs_->Exists(File("cgroup.kill"))) {
    return fs_->WriteFile(File("cgroup.kill"), "1");
  }
  ASSIGN_OR_RETURN(const bool was_frozen, IsFrozen());
  // A freeze that fails (a task stuck in the kernel) does not spare the
  // others the signal; its error is reported after.
  const absl::Status frozen = was_frozen ? absl::OkStatus() : Freeze();
  absl::Status status;
  const absl::StatusOr<std::vector<pid_t>> pids = Processes();
  status.Update(pids.status());
  for (const pid_t pid : pids.ok() ? *pids : std::vector<pid_t>()) {
    const absl::Status killed = fs_->Kill(pid, signal);
    // Gone already: nothing to signal.
    if (!absl::IsNotFound(killed)) status.Update(killed);
  }
  if (!was_frozen && frozen.ok()) status.Update(Thaw());
  status.Update(frozen);
  return status;
}

absl::StatusOr<Stats> V2Manager::GetStats() {
  ASSIGN_OR_RETURN(const std::vector<std::string> sizes,
                   HugePageSizes(*fs_, options_.hugepages_directory));
  return ReadV2Stats(*fs_, directory_, sizes);
}

absl::Status V2Manager::Destroy() {
  if (created_.empty()) return absl::OkStatus();
  if (created_ != directory_ && !absl::StartsWith(directory_, created_ + "/")) {
    return absl::InvalidArgumentError(
        absl::StrCat("cgroup ", created_, " (created) does not contain ", directory_));
  }
  RETURN_IF_ERROR(Retry(options_.exit_timeout, [&]() -> absl::Status {
    absl::StatusOr<std::vector<pid_t>> pids = Processes();
    // Removed by an earlier Destroy that failed further up.
    if (absl::IsNotFound(pids.status())) return absl::OkStatus();
    if (!pids.ok()) return pids.status();
    if (!pids->empty()) return absl::FailedPreconditionError("container's cgroup is not empty");
    return RemoveCgroupTree(*fs_, directory_, /*busy_retries=*/0);
  }));
  RETURN_IF_ERROR(RemoveCreatedParents(*fs_, directory_, created_));
  created_.clear();
  return absl::OkStatus();
}

std::map<std::string, std::string> V2Manager::Paths() const { return {{"", directory_}}; }

std::map<std::string, std::string> V2Manager::CreatedPaths() const {
  if (created_.empty()) return {};
  return {{"", created_}};
}

}  // namespace hull::cgroups
