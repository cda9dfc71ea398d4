#include "nsenter/namespace.h"

#include <sched.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"
#include "base/status_macros.h"

namespace hull::nsenter {
namespace {

struct TypeNames {
  NamespaceType type;
  absl::string_view oci_name;
  absl::string_view proc_name;
  uint64_t clone_flag;
};

// In the order the child joins namespaces (see NamespacePlan::joins); pid is
// joined by the parent and sits where runc puts it.
constexpr std::array<TypeNames, 8> kTypes = {{
    {NamespaceType::kUser, "user", "user", CLONE_NEWUSER},
    {NamespaceType::kIpc, "ipc", "ipc", CLONE_NEWIPC},
    {NamespaceType::kUts, "uts", "uts", CLONE_NEWUTS},
    {NamespaceType::kNetwork, "network", "net", CLONE_NEWNET},
    {NamespaceType::kPid, "pid", "pid", CLONE_NEWPID},
    {NamespaceType::kMount, "mount", "mnt", CLONE_NEWNS},
    {NamespaceType::kCgroup, "cgroup", "cgroup", CLONE_NEWCGROUP},
    {NamespaceType::kTime, "time", "time", CLONE_NEWTIME},
}};

const TypeNames& NamesOf(NamespaceType type) {
  for (const TypeNames& names : kTypes) {
    if (names.type == type) return names;
  }
  return kTypes[0];  // unreachable: kTypes lists every enumerator
}

int JoinRank(NamespaceType type) {
  for (size_t i = 0; i < kTypes.size(); ++i) {
    if (kTypes[i].type == type) return static_cast<int>(i);
  }
  return static_cast<int>(kTypes.size());
}

}  // namespace

std::vector<NamespaceType> AllNamespaceTypes() {
  std::vector<NamespaceType> types;
  for (const TypeNames& names : kTypes) types.push_back(names.type);
  return types;
}

absl::StatusOr<NamespaceType> NamespaceTypeFromOciName(absl::string_view name) {
  for (const TypeNames& names : kTypes) {
    if (names.oci_name == name) return names.type;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown namespace type \"", name,
                   "\" (known: mount, uts, ipc, pid, network, cgroup, user, time)"));
}

absl::string_view OciName(NamespaceType type) { return NamesOf(type).oci_name; }

uint64_t CloneFlag(NamespaceType type) { return NamesOf(type).clone_flag; }

absl::StatusOr<NamespaceType> NamespaceTypeFromCloneFlag(uint64_t flag) {
  for (const TypeNames& names : kTypes) {
    if (names.clone_flag == flag) return names.type;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("0x", absl::Hex(flag), " is not a CLONE_NEW* namespace flag"));
}

absl::string_view ProcNsName(NamespaceType type) { return NamesOf(type).proc_name; }

absl::StatusOr<NamespacePlan> PlanNamespaces(const config::Linux& linux) {
  NamespacePlan plan;
  uint64_t seen = 0;
  bool creates_user = false;
  bool joins_user = false;
  for (const config::Namespace& ns : linux.namespaces()) {
    ASSIGN_OR_RETURN(const NamespaceType type, NamespaceTypeFromOciName(ns.type()));
    if (seen & CloneFlag(type)) {
      return absl::InvalidArgumentError(
          absl::StrCat("namespace type \"", ns.type(), "\" is given more than once"));
    }
    seen |= CloneFlag(type);
    if (!ns.path().empty()) {
      if (ns.path()[0] != '/') {
        return absl::InvalidArgumentError(absl::StrCat("path \"", ns.path(), "\" of the ",
                                                       ns.type(), " namespace is not absolute"));
      }
      if (type == NamespaceType::kPid) {
        plan.pid_namespace_for_clone = ns.path();
      } else {
        plan.joins.push_back({type, ns.path()});
      }
      joins_user |= type == NamespaceType::kUser;
      continue;
    }
    switch (type) {
      case NamespaceType::kCgroup:
        plan.unshare_cgroup = true;
        break;
      case NamespaceType::kTime:
        plan.unshare_time = true;
        break;
      default:
        plan.clone_flags |= CloneFlag(type);
        creates_user |= type == NamespaceType::kUser;
    }
  }
  std::stable_sort(plan.joins.begin(), plan.joins.end(),
                   [](const NamespaceJoin& a, const NamespaceJoin& b) {
                     return JoinRank(a.type) < JoinRank(b.type);
                   });
  if (creates_user) {
    plan.joins_before_clone = std::move(plan.joins);
    plan.joins.clear();
  } else if (joins_user && plan.clone_flags != 0) {
    // The user namespace ranks first.
    plan.joins_before_clone.push_back(std::move(plan.joins.front()));
    plan.joins.erase(plan.joins.begin());
  }
  return plan;
}

std::string DescribeNamespacePlan(const NamespacePlan& plan) {
  std::vector<absl::string_view> created;
  for (const TypeNames& names : kTypes) {
    if (plan.clone_flags & names.clone_flag) created.push_back(names.oci_name);
  }
  std::string description =
      absl::StrCat("clone new: ", created.empty() ? "none" : absl::StrJoin(created, ", "));
  std::vector<absl::string_view> unshared;
  if (plan.unshare_cgroup) unshared.push_back("cgroup");
  if (plan.unshare_time) unshared.push_back("time");
  if (!unshared.empty()) {
    absl::StrAppend(&description, "; the init unshares: ", absl::StrJoin(unshared, ", "));
  }
  if (!plan.pid_namespace_for_clone.empty()) {
    absl::StrAppend(&description, "; clone in the pid namespace ", plan.pid_namespace_for_clone);
  }
  const auto format_join = [](std::string* out, const NamespaceJoin& join) {
    absl::StrAppend(out, OciName(join.type), " ", join.path);
  };
  if (!plan.joins_before_clone.empty()) {
    absl::StrAppend(&description, "; an intermediate process joins before the clone: ",
                    absl::StrJoin(plan.joins_before_clone, ", ", format_join));
  }
  if (!plan.joins.empty()) {
    absl::StrAppend(&description, "; the init joins: ",
                    absl::StrJoin(plan.joins, ", ", format_join));
  }
  return description;
}

}  // namespace hull::nsenter
