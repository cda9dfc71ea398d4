// The eight Linux namespace types, their OCI, clone-flag and /proc names, and
// the plan of which namespaces a container's init creates and which it joins.
#ifndef HULL_NSENTER_NAMESPACE_H_
#define HULL_NSENTER_NAMESPACE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"

namespace hull::nsenter {

enum class NamespaceType { kMount, kUts, kIpc, kPid, kNetwork, kCgroup, kUser, kTime };

// Every type Hull creates and joins.
std::vector<NamespaceType> AllNamespaceTypes();

// The type named by an OCI config ("mount", "uts", "ipc", "pid", "network",
// "cgroup", "user", "time"); InvalidArgument for any other name.
absl::StatusOr<NamespaceType> NamespaceTypeFromOciName(absl::string_view name);

// The OCI config name of `type` ("mount", "network", ...).
absl::string_view OciName(NamespaceType type);

// The CLONE_NEW* flag of `type`.
uint64_t CloneFlag(NamespaceType type);

// The type whose CLONE_NEW* flag is `flag` (as NS_GET_NSTYPE answers);
// InvalidArgument for anything else.
absl::StatusOr<NamespaceType> NamespaceTypeFromCloneFlag(uint64_t flag);

// The name of the type's file under /proc/<pid>/ns/ ("mnt", "net", ...).
absl::string_view ProcNsName(NamespaceType type);

// An existing namespace to join.
struct NamespaceJoin {
  NamespaceType type;
  std::string path;  // e.g. /proc/<pid>/ns/net or a bind-mounted nsfs file

  bool operator==(const NamespaceJoin&) const = default;
};

// How the container's init gets its namespaces. clone3 creates namespaces
// owned by the caller's user namespace or, with CLONE_NEWUSER, by the new one;
// the child then joins existing ones. Two kinds of new namespace are created by
// the child itself, after the clone and the joins:
// - cgroup: its root is the creator's cgroup at the time of creation, so the
//   child unshares it once the parent has placed it in the container's cgroup
//   (clone3 creates namespaces before CLONE_INTO_CGROUP moves the child);
// - time: offsets can be written only before the first process enters the
//   namespace, and a clone3(CLONE_NEWTIME) child is in it from birth.
struct NamespacePlan {
  // CLONE_NEW* flags for clone3: the namespaces the child is born in.
  uint64_t clone_flags = 0;
  // A pid namespace to join, or empty. setns(CLONE_NEWPID) moves only the
  // caller's future children, so the parent joins it right before the clone
  // and returns to its own (/proc/self/ns/pid) right after.
  std::string pid_namespace_for_clone;
  // Namespaces the child joins with setns right after the clone, in this
  // order: the user namespace first (joining it grants the capabilities over
  // the namespaces it owns), then ipc, uts, network, mount, cgroup, time, as
  // runc does (open every path before joining: joining the mount namespace
  // changes how paths resolve).
  std::vector<NamespaceJoin> joins;
  // Namespaces an intermediate process joins before it clones the child (as
  // runc's nsexec stage 1 does), in the order of `joins`; the child is born
  // in them. When clone3 creates namespaces, a joined user namespace must
  // own them, so it is joined first; when clone3 creates a user namespace,
  // the child has no capability over namespaces owned outside it, so every
  // other join comes first.
  std::vector<NamespaceJoin> joins_before_clone;
  // The child unshares a new cgroup namespace once it is in its cgroup.
  bool unshare_cgroup = false;
  // The child creates a new time namespace with the config's offsets
  // (EnterNewTimeNamespace in time_offsets.h).
  bool unshare_time = false;

  bool operator==(const NamespacePlan&) const = default;
};

// The plan for `linux.namespaces`. InvalidArgument for an unknown or repeated
// type or a relative path. The combinations that one clone cannot give take
// joins_before_clone: joining a user namespace while clone3 creates
// namespaces, and creating a user namespace while joining others.
absl::StatusOr<NamespacePlan> PlanNamespaces(const config::Linux& linux);

// The plan in one line, for debug logs: "clone new: uts, mount; the init
// unshares: cgroup; clone in the pid namespace /proc/10/ns/pid; the init
// joins: ipc /proc/10/ns/ipc".
std::string DescribeNamespacePlan(const NamespacePlan& plan);

}  // namespace hull::nsenter

#endif  // HULL_NSENTER_NAMESPACE_H_
