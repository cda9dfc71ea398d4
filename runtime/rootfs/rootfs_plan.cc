#include "runtime/rootfs/rootfs_plan.h"

#include <sys/mount.h>

#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "config/namespaces.h"
#include "nsenter/id_map.h"
#include "base/container_path.h"
#include "runtime/rootfs/mount_options.h"
#include "runtime/rootfs/shared_mount_namespace.h"
#include "base/status_macros.h"

namespace hull::rootfs {
namespace {

// The only mounts allowed below /proc: files that lxcfs and the like
// emulate (runc's list).
constexpr const char* kProcMountsAllowed[] = {
    "/proc/cpuinfo", "/proc/diskstats",
    "/proc/meminfo", "/proc/stat",
    "/proc/swaps",   "/proc/uptime",
    "/proc/loadavg", "/proc/slabinfo",
    "/proc/net/dev", "/proc/sys/kernel/ns_last_pid",
};

// Marks a bind onto /proc as needing a procfs source.
absl::Status CheckProcDestination(PlannedMount& mount) {
  const std::string& destination = mount.destination;
  if (!IsAtOrBelow(destination, "/proc")) return absl::OkStatus();
  if (destination == "/proc") {
    if (mount.kind == MountKind::kBind) {
      mount.source_must_be_procfs = true;
      return absl::OkStatus();
    }
    if (mount.kind == MountKind::kFilesystem && mount.fstype == "proc") return absl::OkStatus();
    return absl::InvalidArgumentError("only a procfs may be mounted on /proc");
  }
  for (const char* allowed : kProcMountsAllowed) {
    if (destination == allowed) return absl::OkStatus();
  }
  return absl::InvalidArgumentError("the destination is inside /proc");
}

// The maps of the user namespace that carries an id-mapped bind's mapping:
// "idmap" or "ridmap" (recursive), or uidMappings and gidMappings without
// either, which runc takes as "idmap".
absl::StatusOr<std::optional<IdMapping>> PlanIdMapping(const config::Spec& spec,
                                                       const config::Mount& mount,
                                                       const MountOptions& options) {
  if ((options.flags & MS_BIND) == 0) {
    return absl::InvalidArgumentError("id-mapped mounts are only supported for bind mounts");
  }
  if (mount.uid_mappings().empty() != mount.gid_mappings().empty()) {
    return absl::InvalidArgumentError(
        "an id-mapped mount needs both uidMappings and gidMappings, or neither");
  }
  IdMapping mapping;
  mapping.recursive = options.recursive_idmap;
  if (mount.uid_mappings().empty()) {
    // runtime-spec 1.2: "idmap" without mappings takes the container's user
    // namespace's.
    if (!config::HasNamespace(spec, "user")) {
      return absl::InvalidArgumentError(
          "an id-mapped mount needs uidMappings and gidMappings when the container has no user "
          "namespace");
    }
    mapping.container_user_namespace = true;
    return mapping;
  }
  ASSIGN_OR_RETURN(mapping.maps.uid_map, nsenter::FormatIdMap(mount.uid_mappings(), "uidMappings"));
  ASSIGN_OR_RETURN(mapping.maps.gid_map, nsenter::FormatIdMap(mount.gid_mappings(), "gidMappings"));
  return mapping;
}

absl::StatusOr<PlannedMount> PlanMount(const config::Spec& spec, const config::Mount& mount) {
  if (mount.destination().empty()) return absl::InvalidArgumentError("the destination is empty");
  for (const std::string* field : {&mount.destination(), &mount.source(), &mount.type()}) {
    if (absl::StrContains(*field, '\0')) {
      return absl::InvalidArgumentError("a field contains a NUL byte");
    }
  }
  PlannedMount planned;
  // runc takes a relative destination from "/" too.
  planned.destination = CleanContainerPath(mount.destination());
  if (planned.destination == "/") {
    return absl::InvalidArgumentError("the destination is the container's root");
  }

  MountOptions options = ParseMountOptions(mount.options());
  if (options.idmap || !mount.uid_mappings().empty() || !mount.gid_mappings().empty()) {
    ASSIGN_OR_RETURN(planned.id_mapping, PlanIdMapping(spec, mount, options));
    // In a user namespace of the container's (made or joined), the init
    // has no privilege over the source's filesystem: the launcher id-maps.
    planned.tree_from_launcher = config::HasNamespace(spec, "user");
  }
  planned.flags = options.flags & ~(MS_BIND | MS_REC);
  planned.cleared_flags = options.cleared_flags;
  planned.data = std::move(options.data);
  planned.propagation = std::move(options.propagation);
  planned.recursive_attr_set = options.recursive_attr_set;
  planned.recursive_attr_clr = options.recursive_attr_clr;

  if (options.flags & MS_BIND) {
    // The type of a bind mount means nothing (runc ignores it too).
    planned.kind = MountKind::kBind;
    planned.recursive = (options.flags & MS_REC) != 0;
    if (mount.source().empty() || mount.source()[0] != '/') {
      return absl::InvalidArgumentError(absl::StrCat(
          "bind source \"", mount.source(),
          "\" is not an absolute path (ResolveBindSources makes it one against the bundle)"));
    }
    planned.source = mount.source();
  } else if (mount.type() == "cgroup") {
    planned.kind = MountKind::kCgroup;
    planned.source = mount.source();
    planned.cgroup_namespace = config::HasNamespace(spec, "cgroup");
  } else {
    if (mount.type().empty()) return absl::InvalidArgumentError("the filesystem type is missing");
    planned.kind = MountKind::kFilesystem;
    planned.fstype = mount.type();
    planned.source = mount.source().empty() ? mount.type() : mount.source();
    // linux.mountLabel, as runc gives it to each filesystem it mounts but
    // procfs and sysfs, whose files have labels of their own.
    const std::string& label = spec.linux().mount_label();
    if (!label.empty() && planned.fstype != "proc" && planned.fstype != "sysfs") {
      absl::StrAppend(&planned.data, planned.data.empty() ? "" : ",", "context=\"", label, "\"");
    }
    planned.copy_up = options.tmpcopyup;
  }
  if (options.tmpcopyup && planned.fstype != "tmpfs") {
    return absl::InvalidArgumentError("\"tmpcopyup\" applies to a tmpfs only");
  }
  RETURN_IF_ERROR(CheckProcDestination(planned));
  return planned;
}

}  // namespace

void ResolveBindSources(config::Spec& spec, absl::string_view bundle) {
  for (config::Mount& mount : *spec.mutable_mounts()) {
    if (mount.source().empty() || mount.source().front() == '/') continue;
    const MountOptions options =
        ParseMountOptions(mount.options());
    if ((options.flags & MS_BIND) == 0 && mount.type() != "bind") continue;
    mount.set_source(absl::StrCat(bundle, "/", mount.source()));
  }
}

namespace {

// What a sysfs mount becomes where the init may not mount one: /sys bound
// from the host, as `runc spec --rootless` writes it.
absl::StatusOr<PlannedMount> PlanHostSysfsBind(const config::Spec& spec,
                                               const PlannedMount& sysfs) {
  if ((sysfs.flags & MS_RDONLY) == 0) {
    return absl::FailedPreconditionError(
        "a read-write sysfs cannot be mounted in a user namespace without a network namespace "
        "of its own (the kernel asks for CAP_SYS_ADMIN over the network namespace's owner): "
        "make it \"ro\" (the host's /sys is then bound read-only) or add a network namespace");
  }
  config::Mount bind;
  bind.set_destination(sysfs.destination);
  bind.set_type("none");
  bind.set_source("/sys");
  for (const char* option : {"rbind", "nosuid", "noexec", "nodev", "ro"}) bind.add_options(option);
  return PlanMount(spec, bind);
}

}  // namespace

absl::StatusOr<RootfsPlan> PlanRootfs(const config::Spec& spec) {
  return PlanRootfs(spec, PlanHost{});
}

absl::StatusOr<RootfsPlan> PlanRootfs(const config::Spec& spec, const PlanHost& host) {
  const bool in_user_namespace = host.in_user_namespace || config::CreatesNamespace(spec, "user");
  const bool sysfs_needs_bind = in_user_namespace && !config::CreatesNamespace(spec, "network");
  RootfsPlan plan;
  const std::string& propagation = spec.linux().rootfs_propagation();
  if (propagation.empty()) {
    plan.root_propagation = MS_REC | MS_PRIVATE;
  } else {
    plan.root_propagation = PropagationFromName(propagation);
    if (plan.root_propagation == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("linux.rootfsPropagation \"", propagation, "\" is not supported"));
    }
    if (!(plan.root_propagation & MS_PRIVATE)) {
      plan.propagation_after_pivot = plan.root_propagation;
    }
  }

  plan.setup_dev = true;
  for (int i = 0; i < spec.mounts_size(); ++i) {
    const config::Mount& mount = spec.mounts(i);
    absl::StatusOr<PlannedMount> planned = PlanMount(spec, mount);
    if (planned.ok() && sysfs_needs_bind && planned->kind == MountKind::kFilesystem &&
        planned->fstype == "sysfs") {
      planned = PlanHostSysfsBind(spec, *planned);
    }
    if (planned.ok() && planned->kind == MountKind::kCgroup) {
      planned->in_user_namespace = in_user_namespace;
    }
    if (!planned.ok()) {
      return absl::Status(planned.status().code(),
                          absl::StrCat("mounts[", i, "] (\"", mount.destination(),
                                       "\"): ", planned.status().message()));
    }
    if (planned->destination == "/dev") {
      if (planned->kind == MountKind::kBind) {
        plan.setup_dev = false;
      } else {
        plan.dev_read_only = (planned->flags & MS_RDONLY) != 0;
        planned->flags &= ~MS_RDONLY;
      }
    }
    plan.mounts.push_back(*std::move(planned));
  }
  if (plan.setup_dev) {
    ASSIGN_OR_RETURN(plan.devices, PlanDevices(spec, host.in_user_namespace));
  }
  plan.root_read_only = spec.root().readonly();
  return plan;
}

absl::StatusOr<std::vector<PlannedMount>> PlanLauncherTrees(const config::Spec& spec) {
  std::vector<PlannedMount> trees;
  if (!HasOwnMountNamespace(spec)) return trees;
  ASSIGN_OR_RETURN(RootfsPlan plan, PlanRootfs(spec));
  for (PlannedMount& mount : plan.mounts) {
    if (mount.tree_from_launcher) trees.push_back(std::move(mount));
  }
  return trees;
}

bool JoinsUserNamespaceWithLauncherTrees(const config::Spec& spec) {
  if (!config::HasNamespace(spec, "user") || config::CreatesNamespace(spec, "user")) return false;
  const absl::StatusOr<std::vector<PlannedMount>> trees = PlanLauncherTrees(spec);
  return trees.ok() && !trees->empty();
}

std::vector<std::string> SupportedMountOptions() {
  std::vector<std::string> supported;
  for (const std::string& option : KnownMountOptionNames()) {
    config::Mount mount;
    mount.set_destination("/mnt");
    mount.set_type("tmpfs");
    mount.set_source("tmpfs");
    mount.add_options(option);
    if (PlanMount(config::Spec(), mount).status().code() != absl::StatusCode::kUnimplemented) {
      supported.push_back(option);
    }
  }
  return supported;
}

}  // namespace hull::rootfs
