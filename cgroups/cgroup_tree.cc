#include "cgroups/cgroup_tree.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cgroups/stat_files.h"
#include "base/container_path.h"
#include "base/status_macros.h"

namespace hull::cgroups {
namespace {

absl::Status CollectProcesses(CgroupFs& fs, const std::string& cgroup, bool top,
                              std::vector<pid_t>& pids) {
  const std::string procs = absl::StrCat(cgroup, "/cgroup.procs");
  const absl::StatusOr<std::string> contents = fs.ReadFile(procs);
  if (!top && absl::IsNotFound(contents.status())) return absl::OkStatus();
  if (!contents.ok()) return contents.status();
  ASSIGN_OR_RETURN(const std::vector<uint64_t> values, ParseUintList(*contents, procs));
  for (const uint64_t pid : values) {
    if (pid == 0) return absl::DataLossError(absl::StrCat("malformed ", procs, ": \"0\""));
    pids.push_back(static_cast<pid_t>(pid));
  }
  ASSIGN_OR_RETURN(const std::vector<std::string> children, fs.ListDirectories(cgroup));
  for (const std::string& child : children) {
    RETURN_IF_ERROR(CollectProcesses(fs, absl::StrCat(cgroup, "/", child), false, pids));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<pid_t>> ProcessesBelow(CgroupFs& fs, const std::string& cgroup) {
  std::vector<pid_t> pids;
  RETURN_IF_ERROR(CollectProcesses(fs, cgroup, /*top=*/true, pids));
  return pids;
}

absl::Status RemoveCgroupTree(CgroupFs& fs, const std::string& cgroup, int busy_retries) {
  // A container's cgroup seldom has children: rmdir first, and list them only
  // when the kernel refuses (EBUSY: it has children, or is still busy).
  absl::Status removed = fs.RemoveDirectory(cgroup);
  if (absl::IsFailedPrecondition(removed)) {
    const absl::StatusOr<std::vector<std::string>> children = fs.ListDirectories(cgroup);
    if (absl::IsNotFound(children.status())) return absl::OkStatus();
    if (!children.ok()) return children.status();
    if (!children->empty()) {
      for (const std::string& child : *children) {
        RETURN_IF_ERROR(RemoveCgroupTree(fs, absl::StrCat(cgroup, "/", child), busy_retries));
      }
      // Refused for its children: this is the first attempt.
      removed = fs.RemoveDirectory(cgroup);
    }
  }
  absl::Duration delay = absl::Milliseconds(10);
  for (int retry = 0;; ++retry) {
    if (removed.ok() || absl::IsNotFound(removed)) return absl::OkStatus();
    if (!absl::IsFailedPrecondition(removed) || retry >= busy_retries) return removed;
    absl::SleepFor(delay);
    delay *= 2;
    removed = fs.RemoveDirectory(cgroup);
  }
}

absl::Status RemoveCreatedParents(CgroupFs& fs, const std::string& cgroup,
                                  const std::string& topmost) {
  for (std::string parent = cgroup; parent != topmost;) {
    parent = SplitLast(parent).first;
    if (!IsAtOrBelow(parent, topmost)) break;
    const absl::Status removed = fs.RemoveDirectory(parent);
    if (absl::IsFailedPrecondition(removed)) break;
    if (!removed.ok() && !absl::IsNotFound(removed)) return removed;
  }
  return absl::OkStatus();
}

std::string TopmostMissing(CgroupFs& fs, const std::string& cgroup) {
  if (fs.Exists(cgroup)) return "";
  std::string missing = cgroup;
  while (true) {
    std::string parent = SplitLast(missing).first;
    if (parent.empty() || parent == missing || fs.Exists(parent)) return missing;
    missing = std::move(parent);
  }
}

}  // namespace hull::cgroups
