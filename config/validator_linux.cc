// The rules of linux but its resources, cgroupsPath and seccomp: namespaces, id
// mappings, time offsets, devices, rootfsPropagation, sysctls, masked and
// read-only paths, intelRdt, personality, memoryPolicy, netDevices.

#include "config/validator_rules.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "config/namespaces.h"
#include "config/process_kernel_names.h"
#include "config/sysctl_name.h"
#include "config/validator_internal.h"
#include "google/protobuf/repeated_field.h"

namespace hull::config::validator_internal {
namespace {

const NameSet& KnownNamespaceTypes() {
  static const auto* const kTypes =
      new NameSet{"pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"};
  return *kTypes;
}

// runc's list, plus the recursive forms it also accepts.
const NameSet& KnownRootfsPropagations() {
  static const auto* const kModes = new NameSet{"shared",  "slave",  "private",  "unbindable",
                                                "rshared", "rslave", "rprivate", "runbindable"};
  return *kModes;
}

// Sysctls that live in the ipc namespace (besides fs.mqueue.*), per runc.
const NameSet& KnownIpcSysctls() {
  static const auto* const kSysctls =
      new NameSet{"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
                  "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"};
  return *kSysctls;
}

// A name the kernel accepts for a network interface.
bool IsInterfaceName(absl::string_view name) {
  constexpr size_t kIfNameSize = 16;  // IFNAMSIZ, with the terminating NUL
  if (name.empty() || name.size() >= kIfNameSize || name == "." || name == "..") return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    return c == '/' || c == ':' || absl::ascii_isspace(static_cast<unsigned char>(c));
  });
}

}  // namespace

void CheckNamespaces(const Spec& spec, Report& report) {
  absl::flat_hash_set<std::string> seen;
  const auto& namespaces = spec.linux().namespaces();
  for (int i = 0; i < namespaces.size(); ++i) {
    const Namespace& ns = namespaces[i];
    const std::string path = Index("linux.namespaces", i);
    report.CheckKnown(KnownNamespaceTypes(), ns.type(), Field(path, "type"), "namespace type");
    if (!seen.insert(ns.type()).second) {
      report.Add(Field(path, "type"), absl::StrCat("duplicate namespace type ", Quote(ns.type())));
    }
    if (!ns.path().empty() && !IsAbsolute(ns.path())) {
      report.Add(Field(path, "path"),
                 absl::StrCat("must be an absolute path, got ", Quote(ns.path())));
    }
  }
}

// A new user namespace needs mappings; mappings need a user namespace
// (runc: "User namespace mappings specified, but USER namespace isn't
// enabled in the config").
void CheckUserNamespaceMappings(const Spec& spec, Report& report) {
  const bool has_user_namespace = HasNamespace(spec, "user");
  const bool creates_user_namespace = CreatesNamespace(spec, "user");
  const Linux& linux = spec.linux();
  const std::pair<const char*, const google::protobuf::RepeatedPtrField<IdMapping>*> maps[] = {
      {"linux.uidMappings", &linux.uid_mappings()},
      {"linux.gidMappings", &linux.gid_mappings()},
  };
  for (const auto& [path, mappings] : maps) {
    if (creates_user_namespace && mappings->empty()) {
      report.Add(path, "required with a new user namespace");
    } else if (!has_user_namespace && !mappings->empty()) {
      report.Add(path, "given without a user namespace");
    }
    CheckIdMappings(*mappings, path, report);
  }
}

void CheckTimeOffsets(const Spec& spec, Report& report) {
  const auto& offsets = spec.linux().time_offsets();
  if (offsets.empty()) return;
  if (!HasNamespace(spec, "time")) {
    report.Add("linux.timeOffsets", "given without a time namespace");
  }
  for (const std::string& clock : SortedKeys(offsets)) {
    const std::string path = Key("linux.timeOffsets", clock);
    if (clock != "monotonic" && clock != "boottime") {
      report.Add(path, "unknown clock (only \"monotonic\" and \"boottime\" have offsets)");
    }
    if (offsets.at(clock).nanosecs() >= 1'000'000'000) {
      report.Add(Field(path, "nanosecs"), "must be less than 1000000000");
    }
  }
}

void CheckDevices(const Spec& spec, Report& report) {
  const auto& devices = spec.linux().devices();
  for (int i = 0; i < devices.size(); ++i) {
    const Device& device = devices[i];
    const std::string path = Index("linux.devices", i);
    const absl::string_view type = device.type();
    if (type != "c" && type != "b" && type != "u" && type != "p") {
      report.Add(Field(path, "type"),
                 absl::StrCat("unknown device type ", Quote(type), " (c, b, u or p)"));
    } else if (type != "p") {
      const std::string needed = absl::StrCat("required for a device of type ", Quote(type));
      if (!device.has_major()) report.Add(Field(path, "major"), needed);
      if (!device.has_minor()) report.Add(Field(path, "minor"), needed);
    }
    report.CheckAbsolute(device.path(), Field(path, "path"));
  }
}

void CheckRootfsPropagation(const Spec& spec, Report& report) {
  const absl::string_view propagation = spec.linux().rootfs_propagation();
  if (!propagation.empty()) {
    report.CheckKnown(KnownRootfsPropagations(), propagation, "linux.rootfsPropagation",
                      "propagation");
  }
}

// Only sysctls that belong to a namespace of the container may be set; the
// rest would change the host (runc's libcontainer/configs/validate).
void CheckSysctls(const Spec& spec, Report& report) {
  for (const std::string& key : SortedKeys(spec.linux().sysctl())) {
    const std::string path = Key("linux.sysctl", key);
    const absl::StatusOr<std::string> name = DottedSysctlName(key);
    if (!name.ok()) {
      report.Add(path, "not a sysctl name");
    } else if (KnownIpcSysctls().contains(*name) || absl::StartsWith(*name, "fs.mqueue.")) {
      if (!HasNamespace(spec, "ipc")) report.Add(path, "needs an ipc namespace");
    } else if (absl::StartsWith(*name, "net.")) {
      if (!HasNamespace(spec, "network")) report.Add(path, "needs a network namespace");
    } else if (*name == "kernel.domainname") {
      if (!HasNamespace(spec, "uts")) report.Add(path, "needs a uts namespace");
    } else if (*name == "kernel.hostname") {
      report.Add(path, "conflicts with the \"hostname\" field; set that instead");
    } else {
      report.Add(path, "not namespaced, so it would change the host");
    }
  }
}

// runc masks and remounts these inside the container's mount namespace.
void CheckMaskedAndReadonlyPaths(const Spec& spec, Report& report) {
  const Linux& linux = spec.linux();
  const std::pair<const char*, const google::protobuf::RepeatedPtrField<std::string>*> lists[] = {
      {"linux.maskedPaths", &linux.masked_paths()},
      {"linux.readonlyPaths", &linux.readonly_paths()},
  };
  const bool has_mount_namespace = HasNamespace(spec, "mount");
  for (const auto& [path, list] : lists) {
    if (!list->empty() && !has_mount_namespace) {
      report.Add(path, "needs a mount namespace");
    }
    for (int i = 0; i < list->size(); ++i) report.CheckAbsolute((*list)[i], Index(path, i));
  }
}

void CheckIntelRdt(const Spec& spec, Report& report) {
  if (!spec.linux().has_intel_rdt()) return;
  const IntelRdt& rdt = spec.linux().intel_rdt();
  const absl::string_view clos_id = rdt.clos_id();
  if (clos_id == "." || clos_id == ".." || absl::StrContains(clos_id, "/")) {
    report.Add("linux.intelRdt.closID", absl::StrCat(Quote(clos_id), " is not a directory name"));
  }
  const absl::string_view mem_bw = rdt.mem_bw_schema();
  if (!mem_bw.empty() && (!absl::StartsWith(mem_bw, "MB:") || absl::StrContains(mem_bw, "\n"))) {
    report.Add("linux.intelRdt.memBwSchema", "must start with \"MB:\" and be one line");
  }
}

void CheckPersonality(const Spec& spec, Report& report) {
  if (!spec.linux().has_personality()) return;
  const Personality& personality = spec.linux().personality();
  if (!PersonalityDomain(personality.domain())) {
    report.Add("linux.personality.domain",
               absl::StrCat("unknown domain ", Quote(personality.domain()), " (LINUX or LINUX32)"));
  }
  for (int i = 0; i < personality.flags_size(); ++i) {
    report.Add(
        Index("linux.personality.flags", i),
        absl::StrCat("unknown flag ", Quote(personality.flags(i)), " (the spec defines none)"));
  }
}

// What set_mempolicy(2) accepts (runc's rules): the default and local modes
// take no nodes, the modes that spread or bind memory need some.
void CheckMemoryPolicy(const Spec& spec, Report& report) {
  if (!spec.linux().has_memory_policy()) return;
  const MemoryPolicy& policy = spec.linux().memory_policy();
  const absl::string_view mode = policy.mode();
  if (!MemoryPolicyMode(mode)) {
    report.Add("linux.memoryPolicy.mode", absl::StrCat("unknown memory policy mode ", Quote(mode)));
  }
  if (!policy.nodes().empty() && !IsCpusetList(policy.nodes())) {
    report.Add("linux.memoryPolicy.nodes",
               absl::StrCat(Quote(policy.nodes()), " is not a node list such as \"0-3,5\""));
  } else if (!policy.nodes().empty() && (mode == "MPOL_DEFAULT" || mode == "MPOL_LOCAL")) {
    report.Add("linux.memoryPolicy.nodes", absl::StrCat(mode, " takes no nodes"));
  } else if (policy.nodes().empty() && mode != "MPOL_DEFAULT" && mode != "MPOL_LOCAL" &&
             mode != "MPOL_PREFERRED" && MemoryPolicyMode(mode)) {
    report.Add("linux.memoryPolicy.nodes", absl::StrCat("required with ", mode));
  }
  bool static_nodes = false;
  bool relative_nodes = false;
  for (int i = 0; i < policy.flags_size(); ++i) {
    if (!MemoryPolicyFlag(policy.flags(i))) {
      report.Add(Index("linux.memoryPolicy.flags", i),
                 absl::StrCat("unknown memory policy flag ", Quote(policy.flags(i))));
    }
    static_nodes |= policy.flags(i) == "MPOL_F_STATIC_NODES";
    relative_nodes |= policy.flags(i) == "MPOL_F_RELATIVE_NODES";
  }
  if (static_nodes && relative_nodes) {
    report.Add("linux.memoryPolicy.flags",
               "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other");
  }
}

void CheckNetDevices(const Spec& spec, Report& report) {
  const auto& devices = spec.linux().net_devices();
  if (devices.empty()) return;
  if (!HasNamespace(spec, "network")) {
    report.Add("linux.netDevices", "given without a network namespace");
  }
  // Names in the container, but for templates: two devices cannot both take one.
  absl::flat_hash_map<std::string, std::string> taken_by;
  for (const std::string& host_name : SortedKeys(devices)) {
    const std::string path = Key("linux.netDevices", host_name);
    if (!IsInterfaceName(host_name) || absl::StrContains(host_name, '%')) {
      report.Add(path, "not a network interface name");
      continue;
    }
    const std::string& name = devices.at(host_name).name();
    if (!name.empty() && !IsInterfaceName(name)) {
      report.Add(Field(path, "name"),
                 absl::StrCat(Quote(name), " is not a network interface name"));
      continue;
    }
    // As the kernel's: one "%d", which the first free number replaces.
    const size_t percent = name.find('%');
    if (percent != std::string::npos &&
        (name.compare(percent, 2, "%d") != 0 || name.find('%', percent + 1) != std::string::npos)) {
      report.Add(Field(path, "name"),
                 absl::StrCat(Quote(name), ": a template takes one \"%d\" and no other '%'"));
      continue;
    }
    if (percent != std::string::npos) continue;
    const std::string& in_container = name.empty() ? host_name : name;
    auto [it, inserted] = taken_by.emplace(in_container, host_name);
    if (!inserted) {
      report.Add(path, absl::StrCat("is named ", Quote(in_container), " in the container, as ",
                                    Quote(it->second), " is"));
    }
  }
}

}  // namespace hull::config::validator_internal
