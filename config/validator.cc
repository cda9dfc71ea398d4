#include "config/validator.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "config/kernel_names.h"
#include "google/protobuf/map.h"

namespace hull::config {
namespace {

using NameSet = absl::flat_hash_set<absl::string_view>;

// --- Vocabularies -----------------------------------------------------------

const NameSet& KnownNamespaceTypes() {
  static const auto* const kTypes =
      new NameSet{"pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"};
  return *kTypes;
}

const NameSet& KnownSchedulerPolicies() {
  static const auto* const kPolicies =
      new NameSet{"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",      "SCHED_BATCH",
                  "SCHED_ISO",   "SCHED_IDLE", "SCHED_DEADLINE"};
  return *kPolicies;
}

const NameSet& KnownSchedulerFlags() {
  static const auto* const kFlags =
      new NameSet{"SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM",     "SCHED_FLAG_DL_OVERRUN",
                  "SCHED_FLAG_KEEP_POLICY",   "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
                  "SCHED_FLAG_UTIL_CLAMP_MAX"};
  return *kFlags;
}

const NameSet& KnownIoPriorityClasses() {
  static const auto* const kClasses =
      new NameSet{"IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE"};
  return *kClasses;
}

const NameSet& KnownSeccompActions() {
  static const auto* const kActions =
      new NameSet{"SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
                  "SCMP_ACT_TRAP",  "SCMP_ACT_ERRNO",        "SCMP_ACT_TRACE",
                  "SCMP_ACT_ALLOW", "SCMP_ACT_LOG",          "SCMP_ACT_NOTIFY"};
  return *kActions;
}

const NameSet& KnownSeccompOperators() {
  static const auto* const kOperators =
      new NameSet{"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",       "SCMP_CMP_EQ",
                  "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"};
  return *kOperators;
}

const NameSet& KnownSeccompArchitectures() {
  static const auto* const kArchitectures = new NameSet{
      "SCMP_ARCH_X86",     "SCMP_ARCH_X86_64",   "SCMP_ARCH_X32",         "SCMP_ARCH_ARM",
      "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",     "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",
      "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
      "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",  "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",
      "SCMP_ARCH_PARISC",  "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64"};
  return *kArchitectures;
}

const NameSet& KnownSeccompFlags() {
  static const auto* const kFlags =
      new NameSet{"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                  "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
  return *kFlags;
}

// runc's list, plus the recursive forms it also accepts.
const NameSet& KnownRootfsPropagations() {
  static const auto* const kModes = new NameSet{"shared",  "slave",  "private",  "unbindable",
                                                "rshared", "rslave", "rprivate", "runbindable"};
  return *kModes;
}

const NameSet& KnownMemoryPolicyModes() {
  static const auto* const kModes = new NameSet{
      "MPOL_DEFAULT",   "MPOL_BIND",           "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE",
      "MPOL_PREFERRED", "MPOL_PREFERRED_MANY", "MPOL_LOCAL"};
  return *kModes;
}

const NameSet& KnownMemoryPolicyFlags() {
  static const auto* const kFlags =
      new NameSet{"MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES"};
  return *kFlags;
}

// Sysctls that live in the ipc namespace (besides fs.mqueue.*), per runc.
const NameSet& KnownIpcSysctls() {
  static const auto* const kSysctls =
      new NameSet{"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
                  "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"};
  return *kSysctls;
}

// --- Helpers ----------------------------------------------------------------

// A string quoted for a one-line message.
std::string Quote(absl::string_view text) {
  return absl::StrCat("\"", absl::CHexEscape(text), "\"");
}

std::string Field(absl::string_view path, absl::string_view name) {
  return path.empty() ? std::string(name) : absl::StrCat(path, ".", name);
}

std::string Index(absl::string_view path, int index) { return absl::StrCat(path, "[", index, "]"); }

std::string Key(absl::string_view path, absl::string_view key) {
  return absl::StrCat(path, "[", Quote(key), "]");
}

template <typename Value>
std::vector<std::string> SortedKeys(const google::protobuf::Map<std::string, Value>& map) {
  std::vector<std::string> keys;
  keys.reserve(map.size());
  for (const auto& [key, value] : map) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

bool IsAbsolute(absl::string_view path) { return absl::StartsWith(path, "/"); }

// A non-negative decimal without sign or leading zeros (except "0").
bool IsDecimal(absl::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
}

// A cpuset list such as "0-3,5,7-8" (each range ascending).
bool IsCpusetList(absl::string_view list) {
  for (absl::string_view item : absl::StrSplit(list, ',')) {
    std::pair<absl::string_view, absl::string_view> range =
        absl::StrSplit(item, absl::MaxSplits('-', 1));
    uint32_t first;
    if (!IsDecimal(range.first) || !absl::SimpleAtoi(range.first, &first)) return false;
    if (item.find('-') == absl::string_view::npos) continue;
    uint32_t last;
    if (!IsDecimal(range.second) || !absl::SimpleAtoi(range.second, &last) || last < first) {
      return false;
    }
  }
  return true;
}

// SemVer 2.0.0: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD].
bool IsSemVer(absl::string_view version) {
  const auto identifiers_ok = [](absl::string_view part, bool numeric_no_leading_zero) {
    for (absl::string_view id : absl::StrSplit(part, '.')) {
      if (id.empty()) return false;
      for (char c : id) {
        if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
      }
      const bool numeric = std::all_of(id.begin(), id.end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c));
      });
      if (numeric_no_leading_zero && numeric && !IsDecimal(id)) return false;
    }
    return true;
  };
  const size_t plus = version.find('+');
  if (plus != absl::string_view::npos) {
    if (!identifiers_ok(version.substr(plus + 1), false)) return false;
    version = version.substr(0, plus);
  }
  const size_t dash = version.find('-');
  if (dash != absl::string_view::npos) {
    if (!identifiers_ok(version.substr(dash + 1), true)) return false;
    version = version.substr(0, dash);
  }
  std::vector<absl::string_view> core = absl::StrSplit(version, '.');
  return core.size() == 3 && std::all_of(core.begin(), core.end(), IsDecimal);
}

// A name the kernel accepts for a network interface.
bool IsInterfaceName(absl::string_view name) {
  constexpr size_t kIfNameSize = 16;  // IFNAMSIZ, with the terminating NUL
  if (name.empty() || name.size() >= kIfNameSize || name == "." || name == "..") return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    return c == '/' || c == ':' || absl::ascii_isspace(static_cast<unsigned char>(c));
  });
}

bool HasDotDotComponent(absl::string_view path) {
  for (absl::string_view component : absl::StrSplit(path, '/')) {
    if (component == "..") return true;
  }
  return false;
}

// Namespaces the config asks for, created or joined.
struct Namespaces {
  explicit Namespaces(const Spec& spec) {
    for (const Namespace& ns : spec.linux().namespaces()) {
      types.insert(ns.type());
      if (ns.type() == "user" && ns.path().empty()) creates_user_namespace = true;
    }
  }
  bool Has(absl::string_view type) const { return types.contains(type); }

  absl::flat_hash_set<std::string> types;
  bool creates_user_namespace = false;
};

// Collects violations; each rule below adds to it.
class Report {
 public:
  void Add(std::string path, std::string message) {
    violations_.push_back({std::move(path), std::move(message)});
  }
  // Adds `path: unknown <what> "<name>"` unless `name` is in `known`.
  void CheckKnown(const NameSet& known, absl::string_view name, std::string path,
                  absl::string_view what) {
    if (!known.contains(name))
      Add(std::move(path), absl::StrCat("unknown ", what, " ", Quote(name)));
  }
  void CheckAbsolute(absl::string_view value, std::string path) {
    if (value.empty()) {
      Add(std::move(path), "required");
    } else if (!IsAbsolute(value)) {
      Add(std::move(path), absl::StrCat("must be an absolute path, got ", Quote(value)));
    }
  }
  std::vector<Violation> Release() { return std::move(violations_); }

 private:
  std::vector<Violation> violations_;
};

void CheckIdMappings(const google::protobuf::RepeatedPtrField<IdMapping>& mappings,
                     const std::string& path, Report& report) {
  for (int i = 0; i < mappings.size(); ++i) {
    const IdMapping& mapping = mappings[i];
    if (mapping.size() == 0) {
      report.Add(Field(Index(path, i), "size"), "must be greater than 0");
    } else if (uint64_t{mapping.container_id()} + mapping.size() > (uint64_t{1} << 32) ||
               uint64_t{mapping.host_id()} + mapping.size() > (uint64_t{1} << 32)) {
      report.Add(Index(path, i), "the range goes past the largest 32-bit id");
    }
  }
}

// --- Rules, in the order of the spec's sections -----------------------------

void CheckOciVersion(const Spec& spec, Report& report) {
  if (spec.oci_version().empty()) {
    report.Add("ociVersion", "required");
  } else if (!IsSemVer(spec.oci_version())) {
    report.Add("ociVersion",
               absl::StrCat(Quote(spec.oci_version()), " is not a SemVer 2.0.0 version"));
  }
}

void CheckRoot(const Spec& spec, Report& report) {
  if (spec.root().path().empty()) report.Add("root.path", "required");
}

void CheckProcessBasics(const Spec& spec, Report& report) {
  if (!spec.has_process()) return;
  const Process& process = spec.process();
  if (process.args().empty()) report.Add("process.args", "required (at least the program)");
  report.CheckAbsolute(process.cwd(), "process.cwd");
  for (int i = 0; i < process.env_size(); ++i) {
    const absl::string_view entry = process.env(i);
    const size_t equals = entry.find('=');
    if (equals == absl::string_view::npos || equals == 0) {
      report.Add(Index("process.env", i), absl::StrCat(Quote(entry), " is not NAME=value"));
    }
  }
  if (process.user().has_umask() && process.user().umask() > 0777) {
    report.Add("process.user.umask", absl::StrFormat("0%o is not a permission mask (at most 0777)",
                                                     process.user().umask()));
  }
  if (process.has_oom_score_adj() &&
      (process.oom_score_adj() < -1000 || process.oom_score_adj() > 1000)) {
    report.Add("process.oomScoreAdj",
               absl::StrCat(process.oom_score_adj(), " is outside [-1000, 1000]"));
  }
}

void CheckCapabilities(const Spec& spec, Report& report) {
  const Capabilities& caps = spec.process().capabilities();
  const std::pair<const char*, const google::protobuf::RepeatedPtrField<std::string>*> sets[] = {
      {"bounding", &caps.bounding()},       {"effective", &caps.effective()},
      {"inheritable", &caps.inheritable()}, {"permitted", &caps.permitted()},
      {"ambient", &caps.ambient()},
  };
  for (const auto& [name, set] : sets) {
    for (int i = 0; i < set->size(); ++i) {
      if (!CapabilityNumber((*set)[i])) {
        report.Add(Index(Field("process.capabilities", name), i),
                   absl::StrCat("unknown capability ", Quote((*set)[i])));
      }
    }
  }
}

void CheckRlimits(const Spec& spec, Report& report) {
  absl::flat_hash_set<std::string> seen;
  const auto& rlimits = spec.process().rlimits();
  for (int i = 0; i < rlimits.size(); ++i) {
    const Rlimit& rlimit = rlimits[i];
    const std::string path = Index("process.rlimits", i);
    if (!RlimitResource(rlimit.type())) {
      report.Add(Field(path, "type"), absl::StrCat("unknown rlimit ", Quote(rlimit.type())));
    }
    if (!seen.insert(rlimit.type()).second) {
      report.Add(Field(path, "type"), absl::StrCat("duplicate rlimit ", Quote(rlimit.type())));
    }
    if (rlimit.soft() > rlimit.hard()) {
      report.Add(
          path, absl::StrCat("soft limit ", rlimit.soft(), " is above hard limit ", rlimit.hard()));
    }
  }
}

// sched_setattr(2) constraints, as runc checks them.
void CheckScheduler(const Spec& spec, Report& report) {
  if (!spec.process().has_scheduler()) return;
  const Scheduler& scheduler = spec.process().scheduler();
  const std::string path = "process.scheduler";
  if (scheduler.policy().empty()) {
    report.Add(Field(path, "policy"), "required");
  } else {
    report.CheckKnown(KnownSchedulerPolicies(), scheduler.policy(), Field(path, "policy"),
                      "scheduling policy");
  }
  if (scheduler.nice() < -20 || scheduler.nice() > 19) {
    report.Add(Field(path, "nice"), absl::StrCat(scheduler.nice(), " is outside [-20, 19]"));
  }
  if (scheduler.priority() != 0 && scheduler.policy() != "SCHED_FIFO" &&
      scheduler.policy() != "SCHED_RR") {
    report.Add(Field(path, "priority"), "only SCHED_FIFO and SCHED_RR take a priority");
  }
  if (scheduler.policy() != "SCHED_DEADLINE" &&
      (scheduler.runtime() != 0 || scheduler.deadline() != 0 || scheduler.period() != 0)) {
    report.Add(path, "runtime, deadline and period are for SCHED_DEADLINE only");
  }
  for (int i = 0; i < scheduler.flags_size(); ++i) {
    report.CheckKnown(KnownSchedulerFlags(), scheduler.flags(i), Index(Field(path, "flags"), i),
                      "scheduler flag");
  }
}

void CheckIoPriority(const Spec& spec, Report& report) {
  if (!spec.process().has_io_priority()) return;
  const IoPriority& io_priority = spec.process().io_priority();
  report.CheckKnown(KnownIoPriorityClasses(), io_priority.class_(), "process.ioPriority.class",
                    "I/O priority class");
  if (io_priority.priority() < 0 || io_priority.priority() > 7) {
    report.Add("process.ioPriority.priority",
               absl::StrCat(io_priority.priority(), " is outside [0, 7]"));
  }
}

void CheckHostnames(const Spec& spec, Report& report) {
  const Namespaces namespaces(spec);
  if (!spec.hostname().empty() && !namespaces.Has("uts")) {
    report.Add("hostname", "setting it needs a uts namespace");
  }
  if (!spec.domainname().empty() && !namespaces.Has("uts")) {
    report.Add("domainname", "setting it needs a uts namespace");
  }
}

void CheckMounts(const Spec& spec, Report& report) {
  for (int i = 0; i < spec.mounts_size(); ++i) {
    const Mount& mount = spec.mounts(i);
    const std::string path = Index("mounts", i);
    report.CheckAbsolute(mount.destination(), Field(path, "destination"));
    if (mount.uid_mappings().empty() != mount.gid_mappings().empty()) {
      report.Add(path, "an id-mapped mount needs both uidMappings and gidMappings");
    }
    CheckIdMappings(mount.uid_mappings(), Field(path, "uidMappings"), report);
    CheckIdMappings(mount.gid_mappings(), Field(path, "gidMappings"), report);
  }
}

void CheckHooks(const Spec& spec, Report& report) {
  const Hooks& hooks = spec.hooks();
  const std::pair<const char*, const google::protobuf::RepeatedPtrField<Hook>*> lists[] = {
      {"prestart", &hooks.prestart()},
      {"createRuntime", &hooks.create_runtime()},
      {"createContainer", &hooks.create_container()},
      {"startContainer", &hooks.start_container()},
      {"poststart", &hooks.poststart()},
      {"poststop", &hooks.poststop()},
  };
  for (const auto& [name, list] : lists) {
    for (int i = 0; i < list->size(); ++i) {
      const Hook& hook = (*list)[i];
      const std::string path = Index(Field("hooks", name), i);
      report.CheckAbsolute(hook.path(), Field(path, "path"));
      if (hook.has_timeout() && hook.timeout() <= 0) {
        report.Add(Field(path, "timeout"),
                   absl::StrCat("must be greater than zero, got ", hook.timeout()));
      }
    }
  }
}

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
  const Namespaces namespaces(spec);
  const Linux& linux = spec.linux();
  const std::pair<const char*, const google::protobuf::RepeatedPtrField<IdMapping>*> maps[] = {
      {"linux.uidMappings", &linux.uid_mappings()},
      {"linux.gidMappings", &linux.gid_mappings()},
  };
  for (const auto& [path, mappings] : maps) {
    if (namespaces.creates_user_namespace && mappings->empty()) {
      report.Add(path, "required with a new user namespace");
    } else if (!namespaces.Has("user") && !mappings->empty()) {
      report.Add(path, "given without a user namespace");
    }
    CheckIdMappings(*mappings, path, report);
  }
}

void CheckTimeOffsets(const Spec& spec, Report& report) {
  const auto& offsets = spec.linux().time_offsets();
  if (offsets.empty()) return;
  if (!Namespaces(spec).Has("time")) {
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

// cgroupfs takes a path; systemd takes "slice:prefix:name".
void CheckCgroupsPath(const Spec& spec, Report& report) {
  const absl::string_view cgroups_path = spec.linux().cgroups_path();
  if (cgroups_path.find(':') != absl::string_view::npos) {
    const std::vector<absl::string_view> parts = absl::StrSplit(cgroups_path, ':');
    const bool well_formed = parts.size() == 3 && !parts[2].empty() &&
                             (parts[0].empty() || absl::EndsWith(parts[0], ".slice")) &&
                             std::none_of(parts.begin(), parts.end(), [](absl::string_view part) {
                               return absl::StrContains(part, "/");
                             });
    if (!well_formed) {
      report.Add("linux.cgroupsPath",
                 absl::StrCat(Quote(cgroups_path),
                              " is neither a path nor systemd's \"slice:prefix:name\""));
    }
  }
  if (HasDotDotComponent(cgroups_path)) {
    report.Add("linux.cgroupsPath", "must not contain \"..\" components");
  }
}

void CheckDeviceRules(const Spec& spec, Report& report) {
  const auto& rules = spec.linux().resources().devices();
  for (int i = 0; i < rules.size(); ++i) {
    const DeviceCgroup& rule = rules[i];
    const std::string path = Index("linux.resources.devices", i);
    const absl::string_view type = rule.type();
    if (!type.empty() && type != "a" && type != "c" && type != "b") {
      report.Add(Field(path, "type"),
                 absl::StrCat("unknown device type ", Quote(type), " (a, c or b)"));
    }
    const absl::string_view access = rule.access();
    absl::flat_hash_set<char> letters(access.begin(), access.end());
    const bool only_rwm = std::all_of(access.begin(), access.end(),
                                      [](char c) { return c == 'r' || c == 'w' || c == 'm'; });
    if (!only_rwm || letters.size() != access.size()) {
      report.Add(Field(path, "access"),
                 absl::StrCat(Quote(access), " is not a combination of r, w and m"));
    }
  }
}

void CheckMemory(const Spec& spec, Report& report) {
  if (!spec.linux().resources().has_memory()) return;
  const Memory& memory = spec.linux().resources().memory();
  const std::string path = "linux.resources.memory";
  const auto check_limit = [&](bool present, int64_t limit, absl::string_view name) {
    if (present && limit < -1) {
      report.Add(Field(path, name), absl::StrCat(limit, " is neither bytes nor -1 (unlimited)"));
    }
  };
  check_limit(memory.has_limit(), memory.limit(), "limit");
  check_limit(memory.has_reservation(), memory.reservation(), "reservation");
  check_limit(memory.has_swap(), memory.swap(), "swap");
  check_limit(memory.has_kernel(), memory.kernel(), "kernel");
  check_limit(memory.has_kernel_tcp(), memory.kernel_tcp(), "kernelTCP");
  if (memory.has_swap() && memory.has_limit() && memory.swap() > 0 && memory.limit() > 0 &&
      memory.swap() < memory.limit()) {
    report.Add(Field(path, "swap"),
               absl::StrCat(memory.swap(), " is below the memory limit ", memory.limit(),
                            " (swap counts memory plus swap)"));
  }
  if (memory.has_swappiness() && memory.swappiness() > 100) {
    report.Add(Field(path, "swappiness"),
               absl::StrCat(memory.swappiness(), " is outside [0, 100]"));
  }
}

void CheckCpu(const Spec& spec, Report& report) {
  if (!spec.linux().resources().has_cpu()) return;
  const Cpu& cpu = spec.linux().resources().cpu();
  const std::string path = "linux.resources.cpu";
  // The quota counts microseconds of each period: without one it is
  // ambiguous (the kernel's default differs between cgroup v1 and v2).
  if (cpu.has_quota() && cpu.quota() > 0 && !cpu.has_period()) {
    report.Add(Field(path, "quota"), "a quota needs a period (linux.resources.cpu.period)");
  }
  if (cpu.has_burst() && cpu.has_quota() && cpu.quota() > 0 &&
      cpu.burst() > static_cast<uint64_t>(cpu.quota())) {
    report.Add(Field(path, "burst"),
               absl::StrCat(cpu.burst(), " is above the quota ", cpu.quota()));
  }
  if (!cpu.cpus().empty() && !IsCpusetList(cpu.cpus())) {
    report.Add(Field(path, "cpus"),
               absl::StrCat(Quote(cpu.cpus()), " is not a CPU list such as \"0-3,5\""));
  }
  if (!cpu.mems().empty() && !IsCpusetList(cpu.mems())) {
    report.Add(Field(path, "mems"),
               absl::StrCat(Quote(cpu.mems()), " is not a node list such as \"0-3,5\""));
  }
  if (cpu.has_idle() && cpu.idle() != 0 && cpu.idle() != 1) {
    report.Add(Field(path, "idle"), absl::StrCat(cpu.idle(), " is neither 0 nor 1"));
  }
}

void CheckBlockIo(const Spec& spec, Report& report) {
  if (!spec.linux().resources().has_block_io()) return;
  const BlockIo& block_io = spec.linux().resources().block_io();
  const std::string path = "linux.resources.blockIO";
  const auto check_weight = [&](bool present, uint32_t weight, const std::string& weight_path) {
    if (present && (weight < 10 || weight > 1000)) {
      report.Add(weight_path, absl::StrCat(weight, " is outside [10, 1000]"));
    }
  };
  check_weight(block_io.has_weight(), block_io.weight(), Field(path, "weight"));
  check_weight(block_io.has_leaf_weight(), block_io.leaf_weight(), Field(path, "leafWeight"));
  for (int i = 0; i < block_io.weight_device_size(); ++i) {
    const WeightDevice& device = block_io.weight_device(i);
    const std::string device_path = Index(Field(path, "weightDevice"), i);
    if (!device.has_weight() && !device.has_leaf_weight()) {
      report.Add(device_path, "needs weight, leafWeight or both");
    }
    check_weight(device.has_weight(), device.weight(), Field(device_path, "weight"));
    check_weight(device.has_leaf_weight(), device.leaf_weight(), Field(device_path, "leafWeight"));
  }
}

// "<size><unit-prefix>B": 64KB, 2MB, 1GB.
void CheckHugepageLimits(const Spec& spec, Report& report) {
  const auto& limits = spec.linux().resources().hugepage_limits();
  for (int i = 0; i < limits.size(); ++i) {
    const absl::string_view size = limits[i].page_size();
    const bool well_formed = size.size() > 2 && absl::EndsWith(size, "B") &&
                             absl::StrContains("KMGTP", size[size.size() - 2]) &&
                             IsDecimal(size.substr(0, size.size() - 2));
    if (!well_formed) {
      report.Add(Field(Index("linux.resources.hugepageLimits", i), "pageSize"),
                 absl::StrCat(Quote(size), " is not a page size such as \"2MB\""));
    }
  }
}

void CheckRdma(const Spec& spec, Report& report) {
  const auto& rdma = spec.linux().resources().rdma();
  for (const std::string& device : SortedKeys(rdma)) {
    const Rdma& limits = rdma.at(device);
    if (!limits.has_hca_handles() && !limits.has_hca_objects()) {
      report.Add(Key("linux.resources.rdma", device), "needs hcaHandles, hcaObjects or both");
    }
  }
}

// Keys name files written in the container's cgroup directory.
void CheckUnified(const Spec& spec, Report& report) {
  for (const std::string& file : SortedKeys(spec.linux().resources().unified())) {
    const size_t dot = file.find('.');
    if (absl::StrContains(file, "/") || dot == std::string::npos || dot == 0 ||
        dot + 1 == file.size()) {
      report.Add(Key("linux.resources.unified", file),
                 "not a cgroup file name such as \"memory.max\"");
    }
  }
}

void CheckRootfsPropagation(const Spec& spec, Report& report) {
  const absl::string_view propagation = spec.linux().rootfs_propagation();
  if (!propagation.empty()) {
    report.CheckKnown(KnownRootfsPropagations(), propagation, "linux.rootfsPropagation",
                      "propagation");
  }
}

bool TakesErrno(absl::string_view action) {
  return action == "SCMP_ACT_ERRNO" || action == "SCMP_ACT_TRACE";
}

void CheckSeccompRule(const Syscall& rule, const std::string& path, Report& report) {
  if (rule.names().empty()) report.Add(Field(path, "names"), "required (at least one syscall)");
  for (int j = 0; j < rule.names_size(); ++j) {
    if (rule.names(j).empty()) report.Add(Index(Field(path, "names"), j), "empty syscall name");
    if (rule.names(j) == "write" && rule.action() == "SCMP_ACT_NOTIFY") {
      report.Add(Index(Field(path, "names"), j),
                 "SCMP_ACT_NOTIFY cannot be used for write (the runtime needs it)");
    }
  }
  report.CheckKnown(KnownSeccompActions(), rule.action(), Field(path, "action"), "seccomp action");
  if (rule.has_errno_ret() && !TakesErrno(rule.action())) {
    report.Add(Field(path, "errnoRet"), "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno");
  }
  for (int j = 0; j < rule.args_size(); ++j) {
    const SeccompArg& arg = rule.args(j);
    const std::string arg_path = Index(Field(path, "args"), j);
    if (arg.index() >= 6) {
      report.Add(Field(arg_path, "index"),
                 absl::StrCat(arg.index(), " is not a syscall argument (0 to 5)"));
    }
    report.CheckKnown(KnownSeccompOperators(), arg.op(), Field(arg_path, "op"), "seccomp operator");
  }
}

void CheckSeccomp(const Spec& spec, Report& report) {
  if (!spec.linux().has_seccomp()) return;
  const Seccomp& seccomp = spec.linux().seccomp();
  const std::string path = "linux.seccomp";
  report.CheckKnown(KnownSeccompActions(), seccomp.default_action(), Field(path, "defaultAction"),
                    "seccomp action");
  if (seccomp.default_action() == "SCMP_ACT_NOTIFY") {
    report.Add(Field(path, "defaultAction"), "SCMP_ACT_NOTIFY cannot be the default action");
  }
  if (seccomp.has_default_errno_ret() && !TakesErrno(seccomp.default_action())) {
    report.Add(Field(path, "defaultErrnoRet"),
               "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno");
  }
  for (int i = 0; i < seccomp.architectures_size(); ++i) {
    report.CheckKnown(KnownSeccompArchitectures(), seccomp.architectures(i),
                      Index(Field(path, "architectures"), i), "seccomp architecture");
  }
  for (int i = 0; i < seccomp.flags_size(); ++i) {
    report.CheckKnown(KnownSeccompFlags(), seccomp.flags(i), Index(Field(path, "flags"), i),
                      "seccomp flag");
  }
  if (!seccomp.listener_metadata().empty() && seccomp.listener_path().empty()) {
    report.Add(Field(path, "listenerMetadata"), "given without listenerPath");
  }
  if (!seccomp.listener_path().empty() && !IsAbsolute(seccomp.listener_path())) {
    report.Add(Field(path, "listenerPath"),
               absl::StrCat("must be an absolute path, got ", Quote(seccomp.listener_path())));
  }
  for (int i = 0; i < seccomp.syscalls_size(); ++i) {
    CheckSeccompRule(seccomp.syscalls(i), Index(Field(path, "syscalls"), i), report);
  }
}

// sysctl(8) accepts '/' as the separator when the name starts with one;
// runc converts such names to the dotted form before checking them.
std::string DottedSysctlName(absl::string_view name) {
  const size_t first = name.find_first_of("./");
  std::string dotted(name);
  if (first == absl::string_view::npos || name[first] == '.') return dotted;
  for (char& c : dotted) {
    if (c == '.') {
      c = '/';
    } else if (c == '/') {
      c = '.';
    }
  }
  return dotted;
}

// A dotted name's components become directories under /proc/sys ('/' inside
// a component becoming '.'), so none may be empty, "/" or "//" ("." or "..").
bool IsSafeSysctlName(absl::string_view dotted_name) {
  for (absl::string_view component : absl::StrSplit(dotted_name, '.')) {
    if (component.empty() || component == "/" || component == "//") return false;
  }
  return true;
}

// Only sysctls that belong to a namespace of the container may be set; the
// rest would change the host (runc's libcontainer/configs/validate).
void CheckSysctls(const Spec& spec, Report& report) {
  const Namespaces namespaces(spec);
  for (const std::string& key : SortedKeys(spec.linux().sysctl())) {
    const std::string path = Key("linux.sysctl", key);
    const std::string name = DottedSysctlName(key);
    if (!IsSafeSysctlName(name)) {
      report.Add(path, "not a sysctl name");
    } else if (KnownIpcSysctls().contains(name) || absl::StartsWith(name, "fs.mqueue.")) {
      if (!namespaces.Has("ipc")) report.Add(path, "needs an ipc namespace");
    } else if (absl::StartsWith(name, "net.")) {
      if (!namespaces.Has("network")) report.Add(path, "needs a network namespace");
    } else if (name == "kernel.domainname") {
      if (!namespaces.Has("uts")) report.Add(path, "needs a uts namespace");
    } else if (name == "kernel.hostname") {
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
  const bool has_mount_namespace = Namespaces(spec).Has("mount");
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
  if (personality.domain() != "LINUX" && personality.domain() != "LINUX32") {
    report.Add("linux.personality.domain",
               absl::StrCat("unknown domain ", Quote(personality.domain()), " (LINUX or LINUX32)"));
  }
  for (int i = 0; i < personality.flags_size(); ++i) {
    report.Add(
        Index("linux.personality.flags", i),
        absl::StrCat("unknown flag ", Quote(personality.flags(i)), " (the spec defines none)"));
  }
}

void CheckMemoryPolicy(const Spec& spec, Report& report) {
  if (!spec.linux().has_memory_policy()) return;
  const MemoryPolicy& policy = spec.linux().memory_policy();
  report.CheckKnown(KnownMemoryPolicyModes(), policy.mode(), "linux.memoryPolicy.mode",
                    "memory policy mode");
  if (!policy.nodes().empty() && !IsCpusetList(policy.nodes())) {
    report.Add("linux.memoryPolicy.nodes",
               absl::StrCat(Quote(policy.nodes()), " is not a node list such as \"0-3,5\""));
  }
  for (int i = 0; i < policy.flags_size(); ++i) {
    report.CheckKnown(KnownMemoryPolicyFlags(), policy.flags(i),
                      Index("linux.memoryPolicy.flags", i), "memory policy flag");
  }
}

void CheckNetDevices(const Spec& spec, Report& report) {
  const auto& devices = spec.linux().net_devices();
  if (devices.empty()) return;
  if (!Namespaces(spec).Has("network")) {
    report.Add("linux.netDevices", "given without a network namespace");
  }
  for (const std::string& host_name : SortedKeys(devices)) {
    const std::string path = Key("linux.netDevices", host_name);
    if (!IsInterfaceName(host_name)) report.Add(path, "not a network interface name");
    const std::string& name = devices.at(host_name).name();
    if (!name.empty() && !IsInterfaceName(name)) {
      report.Add(Field(path, "name"),
                 absl::StrCat(Quote(name), " is not a network interface name"));
    }
  }
}

using Rule = void (*)(const Spec&, Report&);

constexpr Rule kRules[] = {
    CheckOciVersion,
    CheckRoot,
    CheckProcessBasics,
    CheckCapabilities,
    CheckRlimits,
    CheckScheduler,
    CheckIoPriority,
    CheckHostnames,
    CheckMounts,
    CheckHooks,
    CheckNamespaces,
    CheckUserNamespaceMappings,
    CheckTimeOffsets,
    CheckDevices,
    CheckCgroupsPath,
    CheckDeviceRules,
    CheckMemory,
    CheckCpu,
    CheckBlockIo,
    CheckHugepageLimits,
    CheckRdma,
    CheckUnified,
    CheckRootfsPropagation,
    CheckSeccomp,
    CheckSysctls,
    CheckMaskedAndReadonlyPaths,
    CheckIntelRdt,
    CheckPersonality,
    CheckMemoryPolicy,
    CheckNetDevices,
};

}  // namespace

std::string ToString(const Violation& violation) {
  return absl::StrCat(violation.path, ": ", violation.message);
}

std::vector<Violation> FindViolations(const Spec& spec) {
  Report report;
  for (const Rule rule : kRules) rule(spec, report);
  return report.Release();
}

absl::Status ValidateSpec(const Spec& spec) {
  const std::vector<Violation> violations = FindViolations(spec);
  if (violations.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(
      violations, "\n",
      [](std::string* out, const Violation& violation) { out->append(ToString(violation)); }));
}

}  // namespace hull::config
