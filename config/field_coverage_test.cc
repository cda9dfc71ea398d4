// Every field of the runtime-spec schema (runtime_spec.proto, walked through
// its descriptors) is either applied, by a module this table names and a
// test that proves it, or refused by the validator with a violation naming
// it. A field added to the schema without an entry here fails the test:
// nothing a config asks for may be accepted and then ignored.

#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "config/default_spec.h"
#include "config/host_support.h"
#include "config/runtime_spec.pb.h"
#include "config/validator.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/reflection.h"
#include "gtest/gtest.h"

namespace hull::config {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;

enum class Fate {
  // Applied by `where`.
  kApplied,
  // Kept for what the runtime reports back (`hull state`), as the spec asks.
  kReported,
  // Refused by the validator on every host: `where` is the violation's path.
  kRefused,
  // Refused on a host without the security module that enforces it (applied
  // by `where`'s module elsewhere); the violation's path is the field's.
  kNeedsSecurityModule,
  // linux.seccomp: applied by the seccomp work, which lands separately.
  kSeccomp,
};

struct Entry {
  Fate fate;
  // kApplied, kReported, kNeedsSecurityModule: the module that applies the
  // field and the test that proves it. kRefused: the violation's path.
  const char* where;
};

// Field paths use the spec's JSON names; "[]" is an element of a list, "{}"
// the value of a map entry.
const absl::flat_hash_map<std::string, Entry>& Table() {
  // Where the fields of one area are applied and proven.
  constexpr char kProcess[] = "runtime/init/container_init.cc; testing/integration/process_test.cc";
  constexpr char kUser[] =
      "runtime/user/exec_user.cc, identity.cc; testing/integration/process_test.cc";
  constexpr char kCapabilities[] =
      "runtime/security/capabilities.cc; testing/integration/process_test.cc";
  constexpr char kRlimits[] = "runtime/process/rlimits.cc; testing/integration/process_test.cc";
  constexpr char kScheduler[] =
      "runtime/process/scheduler.cc; testing/integration/process_kernel_attributes_test.cc";
  constexpr char kIoPriority[] =
      "runtime/process/io_priority.cc; testing/integration/process_kernel_attributes_test.cc";
  // Refused by name at create on a host without resctrl (this one).
  constexpr char kIntelRdt[] = "cgroups/resctrl.cc, runtime/intel_rdt.cc; cgroups/resctrl_test.cc";
  constexpr char kNetDevices[] =
      "runtime/network/net_devices.cc; testing/integration/net_devices_test.cc";
  constexpr char kCpuAffinity[] =
      "runtime/process/cpu_affinity.cc; testing/integration/process_kernel_attributes_test.cc";
  constexpr char kPersonality[] =
      "runtime/system/personality.cc; testing/integration/process_kernel_attributes_test.cc";
  constexpr char kMemoryPolicy[] =
      "runtime/system/memory_policy.cc; testing/integration/process_kernel_attributes_test.cc";
  constexpr char kExecLabels[] =
      "runtime/security/exec_labels.cc; runtime/security/exec_labels_test.cc";
  constexpr char kMountLabel[] =
      "runtime/rootfs/rootfs_plan.cc; runtime/rootfs/rootfs_plan_test.cc";
  constexpr char kRootfs[] = "runtime/rootfs/; testing/integration/mounts_test.cc";
  constexpr char kIdMappedMounts[] =
      "runtime/rootfs/bind_tree.cc (the init's trees, or the launcher's with a user namespace); "
      "testing/integration/idmapped_mount_test.cc";
  constexpr char kHooks[] = "runtime/hooks/hooks.cc; testing/integration/hooks_test.cc";
  constexpr char kNamespaces[] =
      "nsenter/ (plan, clone3, setns, id maps, time offsets); "
      "testing/integration/namespaces_test.cc";
  constexpr char kSystem[] = "runtime/system/; testing/integration/process_test.cc";
  constexpr char kCgroups[] =
      "cgroups/v1_resources.cc, cgroups/v2_conversion.cc (refusing what the host's cgroup "
      "version lacks); cgroups/*_test.cc, testing/integration/cgroups_test.cc";
  constexpr char kSeccomp[] = "the seccomp work (runtime/security), which lands separately";
  using F = Fate;
  static const auto* const kTable = new absl::flat_hash_map<std::string, Entry>{
      {"ociVersion", {F::kReported, "validator (supported versions); runtime/oci_state.cc"}},
      {"process.terminal", {F::kApplied, "runtime/console/; testing/integration/terminal_test.cc"}},
      {"process.consoleSize.height",
       {F::kApplied, "runtime/console/window_size.cc; testing/integration/terminal_test.cc"}},
      {"process.consoleSize.width",
       {F::kApplied, "runtime/console/window_size.cc; testing/integration/terminal_test.cc"}},
      {"process.user.uid", {F::kApplied, kUser}},
      {"process.user.gid", {F::kApplied, kUser}},
      {"process.user.umask", {F::kApplied, "runtime/process/umask.cc; process_test.cc"}},
      {"process.user.additionalGids[]", {F::kApplied, kUser}},
      {"process.user.username", {F::kRefused, "process.user.username"}},
      {"process.args[]", {F::kApplied, kProcess}},
      {"process.commandLine", {F::kRefused, "process.commandLine"}},
      {"process.env[]", {F::kApplied, "runtime/process/environment.cc; process_test.cc"}},
      {"process.cwd", {F::kApplied, "runtime/process/working_directory.cc; process_test.cc"}},
      {"process.capabilities.bounding[]", {F::kApplied, kCapabilities}},
      {"process.capabilities.effective[]", {F::kApplied, kCapabilities}},
      {"process.capabilities.inheritable[]", {F::kApplied, kCapabilities}},
      {"process.capabilities.permitted[]", {F::kApplied, kCapabilities}},
      {"process.capabilities.ambient[]", {F::kApplied, kCapabilities}},
      {"process.rlimits[].type", {F::kApplied, kRlimits}},
      {"process.rlimits[].hard", {F::kApplied, kRlimits}},
      {"process.rlimits[].soft", {F::kApplied, kRlimits}},
      {"process.noNewPrivileges",
       {F::kApplied, "runtime/security/no_new_privileges.cc; process_test.cc"}},
      {"process.apparmorProfile", {F::kNeedsSecurityModule, kExecLabels}},
      {"process.oomScoreAdj", {F::kApplied, "runtime/process/oom_score_adj.cc; process_test.cc"}},
      {"process.scheduler.policy", {F::kApplied, kScheduler}},
      {"process.scheduler.nice", {F::kApplied, kScheduler}},
      {"process.scheduler.priority", {F::kApplied, kScheduler}},
      {"process.scheduler.flags[]", {F::kApplied, kScheduler}},
      {"process.scheduler.runtime", {F::kApplied, kScheduler}},
      {"process.scheduler.deadline", {F::kApplied, kScheduler}},
      {"process.scheduler.period", {F::kApplied, kScheduler}},
      {"process.selinuxLabel", {F::kNeedsSecurityModule, kExecLabels}},
      {"process.ioPriority.class", {F::kApplied, kIoPriority}},
      {"process.ioPriority.priority", {F::kApplied, kIoPriority}},
      {"process.execCPUAffinity.initial", {F::kApplied, kCpuAffinity}},
      {"process.execCPUAffinity.final", {F::kApplied, kCpuAffinity}},
      {"root.path", {F::kApplied, kRootfs}},
      {"root.readonly", {F::kApplied, kRootfs}},
      {"hostname", {F::kApplied, "runtime/system/hostname.cc; mounts_test.cc, process_test.cc"}},
      {"domainname", {F::kApplied, "runtime/system/hostname.cc; mounts_test.cc"}},
      {"mounts[].destination", {F::kApplied, kRootfs}},
      {"mounts[].type", {F::kApplied, kRootfs}},
      {"mounts[].source", {F::kApplied, kRootfs}},
      {"mounts[].options[]", {F::kApplied, kRootfs}},
      {"mounts[].uidMappings[].containerID", {F::kApplied, kIdMappedMounts}},
      {"mounts[].uidMappings[].hostID", {F::kApplied, kIdMappedMounts}},
      {"mounts[].uidMappings[].size", {F::kApplied, kIdMappedMounts}},
      {"mounts[].gidMappings[].containerID", {F::kApplied, kIdMappedMounts}},
      {"mounts[].gidMappings[].hostID", {F::kApplied, kIdMappedMounts}},
      {"mounts[].gidMappings[].size", {F::kApplied, kIdMappedMounts}},
      {"annotations{}", {F::kReported, "runtime/oci_state.cc (hull state); oci_state_test.cc"}},
      {"linux.uidMappings[].containerID", {F::kApplied, kNamespaces}},
      {"linux.uidMappings[].hostID", {F::kApplied, kNamespaces}},
      {"linux.uidMappings[].size", {F::kApplied, kNamespaces}},
      {"linux.gidMappings[].containerID", {F::kApplied, kNamespaces}},
      {"linux.gidMappings[].hostID", {F::kApplied, kNamespaces}},
      {"linux.gidMappings[].size", {F::kApplied, kNamespaces}},
      {"linux.sysctl{}", {F::kApplied, kSystem}},
      {"linux.cgroupsPath", {F::kApplied, "cgroups/cgroup_path.cc; cgroups_test.cc"}},
      {"linux.namespaces[].type", {F::kApplied, kNamespaces}},
      {"linux.namespaces[].path", {F::kApplied, kNamespaces}},
      {"linux.devices[].path", {F::kApplied, "runtime/rootfs/devices.cc; mounts_test.cc"}},
      {"linux.devices[].type", {F::kApplied, "runtime/rootfs/devices.cc; mounts_test.cc"}},
      {"linux.devices[].major", {F::kApplied, "runtime/rootfs/devices.cc; mounts_test.cc"}},
      {"linux.devices[].minor", {F::kApplied, "runtime/rootfs/devices.cc; mounts_test.cc"}},
      {"linux.devices[].fileMode", {F::kApplied, "runtime/rootfs/devices.cc; mounts_test.cc"}},
      {"linux.devices[].uid", {F::kApplied, "runtime/rootfs/devices.cc; mounts_test.cc"}},
      {"linux.devices[].gid", {F::kApplied, "runtime/rootfs/devices.cc; mounts_test.cc"}},
      {"linux.rootfsPropagation", {F::kApplied, kRootfs}},
      {"linux.maskedPaths[]", {F::kApplied, "runtime/rootfs/path_restrictions.cc; mounts_test.cc"}},
      {"linux.readonlyPaths[]",
       {F::kApplied, "runtime/rootfs/path_restrictions.cc; mounts_test.cc"}},
      {"linux.mountLabel", {F::kNeedsSecurityModule, kMountLabel}},
      {"linux.intelRdt.closID", {F::kApplied, kIntelRdt}},
      {"linux.intelRdt.l3CacheSchema", {F::kApplied, kIntelRdt}},
      {"linux.intelRdt.memBwSchema", {F::kApplied, kIntelRdt}},
      {"linux.intelRdt.schemata", {F::kApplied, kIntelRdt}},
      {"linux.intelRdt.enableCMT", {F::kRefused, "linux.intelRdt.enableCMT"}},
      {"linux.intelRdt.enableMBM", {F::kRefused, "linux.intelRdt.enableMBM"}},
      {"linux.intelRdt.enableMonitoring", {F::kApplied, kIntelRdt}},
      {"linux.personality.domain", {F::kApplied, kPersonality}},
      {"linux.personality.flags[]", {F::kRefused, "linux.personality.flags[0]"}},
      {"linux.timeOffsets{}.secs", {F::kApplied, kNamespaces}},
      {"linux.timeOffsets{}.nanosecs", {F::kApplied, kNamespaces}},
      {"linux.memoryPolicy.mode", {F::kApplied, kMemoryPolicy}},
      {"linux.memoryPolicy.nodes", {F::kApplied, kMemoryPolicy}},
      {"linux.memoryPolicy.flags[]", {F::kApplied, kMemoryPolicy}},
      {"linux.netDevices{}.name", {F::kApplied, kNetDevices}},
      {"solaris", {F::kRefused, "solaris"}},
      {"windows", {F::kRefused, "windows"}},
      {"vm", {F::kRefused, "vm"}},
      {"zos", {F::kRefused, "zos"}},
      {"hooks.prestart[].path", {F::kApplied, kHooks}},
      {"hooks.prestart[].args[]", {F::kApplied, kHooks}},
      {"hooks.prestart[].env[]", {F::kApplied, kHooks}},
      {"hooks.prestart[].timeout", {F::kApplied, kHooks}},
      {"hooks.createRuntime[].path", {F::kApplied, kHooks}},
      {"hooks.createRuntime[].args[]", {F::kApplied, kHooks}},
      {"hooks.createRuntime[].env[]", {F::kApplied, kHooks}},
      {"hooks.createRuntime[].timeout", {F::kApplied, kHooks}},
      {"hooks.createContainer[].path", {F::kApplied, kHooks}},
      {"hooks.createContainer[].args[]", {F::kApplied, kHooks}},
      {"hooks.createContainer[].env[]", {F::kApplied, kHooks}},
      {"hooks.createContainer[].timeout", {F::kApplied, kHooks}},
      {"hooks.startContainer[].path", {F::kApplied, kHooks}},
      {"hooks.startContainer[].args[]", {F::kApplied, kHooks}},
      {"hooks.startContainer[].env[]", {F::kApplied, kHooks}},
      {"hooks.startContainer[].timeout", {F::kApplied, kHooks}},
      {"hooks.poststart[].path", {F::kApplied, kHooks}},
      {"hooks.poststart[].args[]", {F::kApplied, kHooks}},
      {"hooks.poststart[].env[]", {F::kApplied, kHooks}},
      {"hooks.poststart[].timeout", {F::kApplied, kHooks}},
      {"hooks.poststop[].path", {F::kApplied, kHooks}},
      {"hooks.poststop[].args[]", {F::kApplied, kHooks}},
      {"hooks.poststop[].env[]", {F::kApplied, kHooks}},
      {"hooks.poststop[].timeout", {F::kApplied, kHooks}},
      {"linux.resources.devices[].allow", {F::kApplied, kCgroups}},
      {"linux.resources.devices[].type", {F::kApplied, kCgroups}},
      {"linux.resources.devices[].major", {F::kApplied, kCgroups}},
      {"linux.resources.devices[].minor", {F::kApplied, kCgroups}},
      {"linux.resources.devices[].access", {F::kApplied, kCgroups}},
      {"linux.resources.memory.limit", {F::kApplied, kCgroups}},
      {"linux.resources.memory.reservation", {F::kApplied, kCgroups}},
      {"linux.resources.memory.swap", {F::kApplied, kCgroups}},
      {"linux.resources.memory.kernel", {F::kApplied, kCgroups}},
      {"linux.resources.memory.kernelTCP", {F::kApplied, kCgroups}},
      {"linux.resources.memory.swappiness", {F::kApplied, kCgroups}},
      {"linux.resources.memory.disableOOMKiller", {F::kApplied, kCgroups}},
      {"linux.resources.memory.useHierarchy", {F::kApplied, kCgroups}},
      {"linux.resources.memory.checkBeforeUpdate", {F::kApplied, kCgroups}},
      {"linux.resources.cpu.shares", {F::kApplied, kCgroups}},
      {"linux.resources.cpu.quota", {F::kApplied, kCgroups}},
      {"linux.resources.cpu.burst", {F::kApplied, kCgroups}},
      {"linux.resources.cpu.period", {F::kApplied, kCgroups}},
      {"linux.resources.cpu.realtimeRuntime", {F::kApplied, kCgroups}},
      {"linux.resources.cpu.realtimePeriod", {F::kApplied, kCgroups}},
      {"linux.resources.cpu.cpus", {F::kApplied, kCgroups}},
      {"linux.resources.cpu.mems", {F::kApplied, kCgroups}},
      {"linux.resources.cpu.idle", {F::kApplied, kCgroups}},
      {"linux.resources.pids.limit", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.weight", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.leafWeight", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.weightDevice[].major", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.weightDevice[].minor", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.weightDevice[].weight", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.weightDevice[].leafWeight", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.throttleReadBpsDevice[].major", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.throttleReadBpsDevice[].minor", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.throttleReadBpsDevice[].rate", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.throttleWriteBpsDevice[].major", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.throttleWriteBpsDevice[].minor", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.throttleWriteBpsDevice[].rate", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.throttleReadIOPSDevice[].major", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.throttleReadIOPSDevice[].minor", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.throttleReadIOPSDevice[].rate", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.throttleWriteIOPSDevice[].major", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.throttleWriteIOPSDevice[].minor", {F::kApplied, kCgroups}},
      {"linux.resources.blockIO.throttleWriteIOPSDevice[].rate", {F::kApplied, kCgroups}},
      {"linux.resources.hugepageLimits[].pageSize", {F::kApplied, kCgroups}},
      {"linux.resources.hugepageLimits[].limit", {F::kApplied, kCgroups}},
      {"linux.resources.network.classID", {F::kApplied, kCgroups}},
      {"linux.resources.network.priorities[].name", {F::kApplied, kCgroups}},
      {"linux.resources.network.priorities[].priority", {F::kApplied, kCgroups}},
      {"linux.resources.rdma{}.hcaHandles", {F::kApplied, kCgroups}},
      {"linux.resources.rdma{}.hcaObjects", {F::kApplied, kCgroups}},
      {"linux.resources.unified{}", {F::kApplied, kCgroups}},
      {"linux.seccomp.defaultAction", {F::kSeccomp, kSeccomp}},
      {"linux.seccomp.defaultErrnoRet", {F::kSeccomp, kSeccomp}},
      {"linux.seccomp.architectures[]", {F::kSeccomp, kSeccomp}},
      {"linux.seccomp.flags[]", {F::kSeccomp, kSeccomp}},
      {"linux.seccomp.listenerPath", {F::kSeccomp, kSeccomp}},
      {"linux.seccomp.listenerMetadata", {F::kSeccomp, kSeccomp}},
      {"linux.seccomp.syscalls[].names[]", {F::kSeccomp, kSeccomp}},
      {"linux.seccomp.syscalls[].action", {F::kSeccomp, kSeccomp}},
      {"linux.seccomp.syscalls[].errnoRet", {F::kSeccomp, kSeccomp}},
      {"linux.seccomp.syscalls[].args[].index", {F::kSeccomp, kSeccomp}},
      {"linux.seccomp.syscalls[].args[].value", {F::kSeccomp, kSeccomp}},
      {"linux.seccomp.syscalls[].args[].valueTwo", {F::kSeccomp, kSeccomp}},
      {"linux.seccomp.syscalls[].args[].op", {F::kSeccomp, kSeccomp}},
  };
  return *kTable;
}

// Every leaf field (not a message, or a message without fields, which is
// there or not) and every map under `descriptor`, by path.
void Walk(const Descriptor* descriptor, const std::string& prefix,
          std::vector<std::string>& paths) {
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    std::string path = prefix.empty() ? field->json_name()
                                      : absl::StrCat(prefix, ".", field->json_name());
    if (field->is_map()) {
      const FieldDescriptor* value = field->message_type()->map_value();
      if (value->type() == FieldDescriptor::TYPE_MESSAGE) {
        Walk(value->message_type(), path + "{}", paths);
      } else {
        paths.push_back(path + "{}");
      }
    } else if (field->type() == FieldDescriptor::TYPE_MESSAGE &&
               field->message_type()->field_count() > 0) {
      Walk(field->message_type(), field->is_repeated() ? path + "[]" : path, paths);
    } else {
      paths.push_back(field->is_repeated() ? path + "[]" : path);
    }
  }
}

std::vector<std::string> SchemaPaths() {
  std::vector<std::string> paths;
  Walk(Spec::descriptor(), "", paths);
  return paths;
}

// Sets the field at `path` in `message` to a value other than its default,
// making the messages, list elements and map entries on the way.
void SetField(Message& message, absl::string_view path) {
  const size_t dot = path.find('.');
  absl::string_view head = path.substr(0, dot);
  const absl::string_view rest = dot == absl::string_view::npos ? "" : path.substr(dot + 1);
  // A list's element or a map's value: the field is the list or the map.
  if (!absl::ConsumeSuffix(&head, "[]")) absl::ConsumeSuffix(&head, "{}");
  const Descriptor* descriptor = message.GetDescriptor();
  const Reflection* reflection = message.GetReflection();
  const FieldDescriptor* field = nullptr;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    if (descriptor->field(i)->json_name() == head) field = descriptor->field(i);
  }
  ASSERT_NE(field, nullptr) << head;
  if (field->is_map()) {
    Message* entry = reflection->AddMessage(&message, field);
    const FieldDescriptor* key = entry->GetDescriptor()->map_key();
    entry->GetReflection()->SetString(entry, key, "x");
    const FieldDescriptor* value = entry->GetDescriptor()->map_value();
    if (value->type() == FieldDescriptor::TYPE_MESSAGE) {
      SetField(*entry->GetReflection()->MutableMessage(entry, value), rest);
    } else {
      entry->GetReflection()->SetString(entry, value, "x");
    }
    return;
  }
  if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
    Message* child = nullptr;
    if (field->is_repeated()) {
      child = reflection->FieldSize(message, field) > 0
                  ? reflection->MutableRepeatedMessage(&message, field, 0)
                  : reflection->AddMessage(&message, field);
    } else {
      child = reflection->MutableMessage(&message, field);
    }
    // A message without fields is set by being there.
    if (!rest.empty()) SetField(*child, rest);
    return;
  }
  ASSERT_TRUE(rest.empty()) << path;
  const bool repeated = field->is_repeated();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      repeated ? reflection->AddString(&message, field, "x")
               : reflection->SetString(&message, field, "x");
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      repeated ? reflection->AddBool(&message, field, true)
               : reflection->SetBool(&message, field, true);
      break;
    case FieldDescriptor::CPPTYPE_INT32:
      repeated ? reflection->AddInt32(&message, field, 1)
               : reflection->SetInt32(&message, field, 1);
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      repeated ? reflection->AddInt64(&message, field, 1)
               : reflection->SetInt64(&message, field, 1);
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      repeated ? reflection->AddUInt32(&message, field, 1)
               : reflection->SetUInt32(&message, field, 1);
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      repeated ? reflection->AddUInt64(&message, field, 1)
               : reflection->SetUInt64(&message, field, 1);
      break;
    default:
      FAIL() << path << ": a field type the walk does not know";
  }
}

std::vector<std::string> ViolationPaths(const Spec& spec, const HostSupport& host) {
  std::vector<std::string> paths;
  for (const Violation& violation : FindViolations(spec, host)) paths.push_back(violation.path);
  return paths;
}

constexpr HostSupport kEveryModule{.apparmor = true, .selinux = true};

TEST(FieldCoverageTest, EveryFieldOfTheSchemaHasAnEntry) {
  std::vector<std::string> missing;
  for (const std::string& path : SchemaPaths()) {
    if (!Table().contains(path)) missing.push_back(path);
  }
  EXPECT_THAT(missing, ::testing::IsEmpty())
      << "fields with no entry (apply each, or refuse it in the validator, then add it):\n"
      << absl::StrJoin(missing, "\n");
}

TEST(FieldCoverageTest, EveryEntryIsAFieldOfTheSchema) {
  const std::vector<std::string> paths = SchemaPaths();
  for (const auto& [path, entry] : Table()) {
    EXPECT_THAT(paths, ::testing::Contains(path)) << "stale entry";
  }
}

// Each refused field, set alone in a valid config, is refused by name.
TEST(FieldCoverageTest, RefusedFieldsAreRefusedByName) {
  for (const auto& [path, entry] : Table()) {
    if (entry.fate != Fate::kRefused && entry.fate != Fate::kNeedsSecurityModule) continue;
    SCOPED_TRACE(path);
    Spec spec = DefaultSpec(/*rootless=*/false);
    SetField(spec, path);
    if (entry.fate == Fate::kRefused) {
      EXPECT_THAT(ViolationPaths(spec, kEveryModule), ::testing::Contains(entry.where));
    } else {
      EXPECT_THAT(ViolationPaths(spec, HostSupport{}), ::testing::Contains(path));
      EXPECT_THAT(ViolationPaths(spec, kEveryModule), ::testing::IsEmpty());
    }
  }
}

// What this host refuses, `hull validate` and `create` alike refuse
// (both call ValidateSpec, which checks for this host's modules).
TEST(FieldCoverageTest, ThisHostRefusesTheLabelsItCannotEnforce) {
  const HostSupport& host = DetectedHostSupport();
  Spec spec = DefaultSpec(/*rootless=*/false);
  spec.mutable_process()->set_apparmor_profile("x");
  spec.mutable_process()->set_selinux_label("x");
  spec.mutable_linux()->set_mount_label("x");
  const std::vector<std::string> refused = ViolationPaths(spec, host);
  EXPECT_EQ(absl::c_linear_search(refused, "process.apparmorProfile"), !host.apparmor);
  EXPECT_EQ(absl::c_linear_search(refused, "process.selinuxLabel"), !host.selinux);
  EXPECT_EQ(absl::c_linear_search(refused, "linux.mountLabel"), !host.selinux);
  EXPECT_EQ(FindViolations(spec), FindViolations(spec, host));
}

}  // namespace
}  // namespace hull::config
