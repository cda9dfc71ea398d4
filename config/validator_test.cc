#include "config/validator.h"

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "config/default_spec.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::config {

void PrintTo(const Violation& violation, std::ostream* os) { *os << ToString(violation); }

namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// One broken rule: a change to a valid config and the violations it causes.
struct Case {
  const char* rule;
  bool rootless;  // which DefaultSpec to start from
  std::function<void(Spec&)> change;
  std::vector<Violation> expected;
};

void RemoveNamespace(Spec& spec, const std::string& type) {
  auto& namespaces = *spec.mutable_linux()->mutable_namespaces();
  for (int i = 0; i < namespaces.size(); ++i) {
    if (namespaces[i].type() == type) {
      namespaces.DeleteSubrange(i, 1);
      return;
    }
  }
}

void AddNamespace(Spec& spec, const std::string& type) {
  spec.mutable_linux()->add_namespaces()->set_type(type);
}

Seccomp& AllowAllSeccomp(Spec& spec) {
  Seccomp& seccomp = *spec.mutable_linux()->mutable_seccomp();
  seccomp.set_default_action("SCMP_ACT_ALLOW");
  return seccomp;
}

Syscall& AddSyscallRule(Spec& spec, const std::string& name, const std::string& action) {
  Syscall& rule = *AllowAllSeccomp(spec).add_syscalls();
  rule.add_names(name);
  rule.set_action(action);
  return rule;
}

const std::vector<Case>& Cases() {
  static const auto* const kCases = new std::vector<Case>{
      // --- top level ---
      {"ociVersion required",
       false,
       [](Spec& s) { s.clear_oci_version(); },
       {{"ociVersion", "required"}}},
      {"ociVersion is SemVer",
       false,
       [](Spec& s) { s.set_oci_version("1.2"); },
       {{"ociVersion", "\"1.2\" is not a SemVer 2.0.0 version"}}},
      {"root.path required", false, [](Spec& s) { s.clear_root(); }, {{"root.path", "required"}}},
      {"hostname needs uts",
       false,
       [](Spec& s) { RemoveNamespace(s, "uts"); },
       {{"hostname", "setting it needs a uts namespace"}}},
      {"domainname needs uts",
       false,
       [](Spec& s) {
         s.clear_hostname();
         s.set_domainname("example.com");
         RemoveNamespace(s, "uts");
       },
       {{"domainname", "setting it needs a uts namespace"}}},
      // --- process ---
      {"args required",
       false,
       [](Spec& s) { s.mutable_process()->clear_args(); },
       {{"process.args", "required (at least the program)"}}},
      {"cwd required",
       false,
       [](Spec& s) { s.mutable_process()->clear_cwd(); },
       {{"process.cwd", "required"}}},
      {"cwd absolute",
       false,
       [](Spec& s) { s.mutable_process()->set_cwd("tmp"); },
       {{"process.cwd", "must be an absolute path, got \"tmp\""}}},
      {"env is NAME=value",
       false,
       [](Spec& s) { s.mutable_process()->add_env("FOO"); },
       {{"process.env[2]", "\"FOO\" is not NAME=value"}}},
      {"umask at most 0777",
       false,
       [](Spec& s) { s.mutable_process()->mutable_user()->set_umask(01000); },
       {{"process.user.umask", "01000 is not a permission mask (at most 0777)"}}},
      {"oomScoreAdj range",
       false,
       [](Spec& s) { s.mutable_process()->set_oom_score_adj(1001); },
       {{"process.oomScoreAdj", "1001 is outside [-1000, 1000]"}}},
      {"capability known",
       false,
       [](Spec& s) {
         s.mutable_process()->mutable_capabilities()->add_inheritable("CAP_FOO");
         s.mutable_process()->mutable_capabilities()->set_ambient(1, "CAP_KILLL");
       },
       {{"process.capabilities.inheritable[0]", "unknown capability \"CAP_FOO\""},
        {"process.capabilities.ambient[1]", "unknown capability \"CAP_KILLL\""}}},
      {"rlimit type known",
       false,
       [](Spec& s) { s.mutable_process()->add_rlimits()->set_type("RLIMIT_FOO"); },
       {{"process.rlimits[1].type", "unknown rlimit \"RLIMIT_FOO\""}}},
      {"rlimit soft <= hard",
       false,
       [](Spec& s) { s.mutable_process()->mutable_rlimits(0)->set_soft(2048); },
       {{"process.rlimits[0]", "soft limit 2048 is above hard limit 1024"}}},
      {"rlimit type unique",
       false,
       [](Spec& s) { *s.mutable_process()->add_rlimits() = s.process().rlimits(0); },
       {{"process.rlimits[1].type", "duplicate rlimit \"RLIMIT_NOFILE\""}}},
      {"scheduler policy required",
       false,
       [](Spec& s) { s.mutable_process()->mutable_scheduler(); },
       {{"process.scheduler.policy", "required"}}},
      {"scheduler constraints",
       false,
       [](Spec& s) {
         Scheduler& scheduler = *s.mutable_process()->mutable_scheduler();
         scheduler.set_policy("SCHED_BATCH");
         scheduler.set_nice(20);
         scheduler.set_priority(3);
         scheduler.set_runtime(1000);
         scheduler.add_flags("SCHED_FLAG_FAST");
       },
       {{"process.scheduler.nice", "20 is outside [-20, 19]"},
        {"process.scheduler.priority", "only SCHED_FIFO and SCHED_RR take a priority"},
        {"process.scheduler", "runtime, deadline and period are for SCHED_DEADLINE only"},
        {"process.scheduler.flags[0]", "unknown scheduler flag \"SCHED_FLAG_FAST\""}}},
      {"scheduler policy known",
       false,
       [](Spec& s) { s.mutable_process()->mutable_scheduler()->set_policy("SCHED_FAST"); },
       {{"process.scheduler.policy", "unknown scheduling policy \"SCHED_FAST\""}}},
      {"ioPriority",
       false,
       [](Spec& s) {
         s.mutable_process()->mutable_io_priority()->set_class_("IOPRIO_CLASS_NONE");
         s.mutable_process()->mutable_io_priority()->set_priority(8);
       },
       {{"process.ioPriority.class", "unknown I/O priority class \"IOPRIO_CLASS_NONE\""},
        {"process.ioPriority.priority", "8 is outside [0, 7]"}}},
      // --- mounts and hooks ---
      {"mount destination absolute",
       false,
       [](Spec& s) { s.mutable_mounts(0)->set_destination("proc"); },
       {{"mounts[0].destination", "must be an absolute path, got \"proc\""}}},
      {"id-mapped mount needs both maps",
       false,
       [](Spec& s) {
         IdMapping& mapping = *s.mutable_mounts(1)->add_uid_mappings();
         mapping.set_host_id(1000);
       },
       {{"mounts[1]", "an id-mapped mount needs both uidMappings and gidMappings"},
        {"mounts[1].uidMappings[0].size", "must be greater than 0"}}},
      {"hook path absolute, timeout positive",
       false,
       [](Spec& s) {
         s.mutable_hooks()->add_create_runtime()->set_path("/bin/ok");
         Hook& hook = *s.mutable_hooks()->add_create_runtime();
         hook.set_path("hook.sh");
         hook.set_timeout(0);
         s.mutable_hooks()->add_poststop();
       },
       {{"hooks.createRuntime[1].path", "must be an absolute path, got \"hook.sh\""},
        {"hooks.createRuntime[1].timeout", "must be greater than zero, got 0"},
        {"hooks.poststop[0].path", "required"}}},
      // --- namespaces and id mappings ---
      {"namespace type known",
       false,
       [](Spec& s) { AddNamespace(s, "foo"); },
       {{"linux.namespaces[5].type", "unknown namespace type \"foo\""}}},
      {"namespace type unique",
       false,
       [](Spec& s) { AddNamespace(s, "pid"); },
       {{"linux.namespaces[5].type", "duplicate namespace type \"pid\""}}},
      {"namespace path absolute",
       false,
       [](Spec& s) { s.mutable_linux()->mutable_namespaces(1)->set_path("netns"); },
       {{"linux.namespaces[1].path", "must be an absolute path, got \"netns\""}}},
      {"new user namespace needs mappings",
       false,
       [](Spec& s) { AddNamespace(s, "user"); },
       {{"linux.uidMappings", "required with a new user namespace"},
        {"linux.gidMappings", "required with a new user namespace"}}},
      {"joined user namespace needs no mappings",
       false,
       [](Spec& s) {
         AddNamespace(s, "user");
         s.mutable_linux()->mutable_namespaces(5)->set_path("/proc/1/ns/user");
       },
       {}},
      {"mappings need a user namespace",
       true,
       [](Spec& s) { RemoveNamespace(s, "user"); },
       {{"linux.uidMappings", "given without a user namespace"},
        {"linux.gidMappings", "given without a user namespace"}}},
      {"mapping size and range",
       true,
       [](Spec& s) {
         s.mutable_linux()->mutable_uid_mappings(0)->set_size(0);
         s.mutable_linux()->mutable_gid_mappings(0)->set_host_id(4294967295u);
         s.mutable_linux()->mutable_gid_mappings(0)->set_size(2);
       },
       {{"linux.uidMappings[0].size", "must be greater than 0"},
        {"linux.gidMappings[0]", "the range goes past the largest 32-bit id"}}},
      {"timeOffsets",
       false,
       [](Spec& s) {
         (*s.mutable_linux()->mutable_time_offsets())["realtime"].set_secs(1);
         (*s.mutable_linux()->mutable_time_offsets())["boottime"].set_nanosecs(1000000000);
       },
       {{"linux.timeOffsets", "given without a time namespace"},
        {"linux.timeOffsets[\"boottime\"].nanosecs", "must be less than 1000000000"},
        {"linux.timeOffsets[\"realtime\"]",
         "unknown clock (only \"monotonic\" and \"boottime\" have offsets)"}}},
      // --- devices, cgroups ---
      {"devices",
       false,
       [](Spec& s) {
         Device& fifo = *s.mutable_linux()->add_devices();
         fifo.set_type("p");
         fifo.set_path("/dev/fifo");
         Device& tty = *s.mutable_linux()->add_devices();
         tty.set_type("c");
         tty.set_path("dev/tty9");
         tty.set_major(4);
         Device& odd = *s.mutable_linux()->add_devices();
         odd.set_type("x");
         odd.set_path("/dev/odd");
       },
       {{"linux.devices[1].minor", "required for a device of type \"c\""},
        {"linux.devices[1].path", "must be an absolute path, got \"dev/tty9\""},
        {"linux.devices[2].type", "unknown device type \"x\" (c, b, u or p)"}}},
      {"cgroupsPath systemd form",
       false,
       [](Spec& s) { s.mutable_linux()->set_cgroups_path("machine:hull"); },
       {{"linux.cgroupsPath",
         "\"machine:hull\" is neither a path nor systemd's \"slice:prefix:name\""}}},
      {"cgroupsPath no ..",
       false,
       [](Spec& s) { s.mutable_linux()->set_cgroups_path("/hull/../../escape"); },
       {{"linux.cgroupsPath", "must not contain \"..\" components"}}},
      {"cgroupsPath accepted forms",
       false,
       [](Spec& s) {
         s.mutable_linux()->set_cgroups_path("system.slice:hull:c1");
         Spec relative = s;
         relative.mutable_linux()->set_cgroups_path("hull/c1");
         Spec absolute = s;
         absolute.mutable_linux()->set_cgroups_path("/hull/c1");
         EXPECT_THAT(FindViolations(relative), IsEmpty());
         EXPECT_THAT(FindViolations(absolute), IsEmpty());
       },
       {}},
      {"device rules",
       false,
       [](Spec& s) {
         DeviceCgroup& rule = *s.mutable_linux()->mutable_resources()->add_devices();
         rule.set_type("x");
         rule.set_access("rwx");
         s.mutable_linux()->mutable_resources()->add_devices()->set_access("rr");
       },
       {{"linux.resources.devices[1].type", "unknown device type \"x\" (a, c or b)"},
        {"linux.resources.devices[1].access", "\"rwx\" is not a combination of r, w and m"},
        {"linux.resources.devices[2].access", "\"rr\" is not a combination of r, w and m"}}},
      {"memory",
       false,
       [](Spec& s) {
         Memory& memory = *s.mutable_linux()->mutable_resources()->mutable_memory();
         memory.set_limit(2000);
         memory.set_swap(1000);
         memory.set_kernel(-2);
         memory.set_swappiness(101);
       },
       {{"linux.resources.memory.kernel", "-2 is neither bytes nor -1 (unlimited)"},
        {"linux.resources.memory.swap",
         "1000 is below the memory limit 2000 (swap counts memory plus swap)"},
        {"linux.resources.memory.swappiness", "101 is outside [0, 100]"}}},
      {"cpu",
       false,
       [](Spec& s) {
         Cpu& cpu = *s.mutable_linux()->mutable_resources()->mutable_cpu();
         cpu.set_quota(50000);  // without a period
         cpu.set_burst(60000);
         cpu.set_cpus("0-");
         cpu.set_mems("3-1");
         cpu.set_idle(2);
       },
       {{"linux.resources.cpu.quota", "a quota needs a period (linux.resources.cpu.period)"},
        {"linux.resources.cpu.burst", "60000 is above the quota 50000"},
        {"linux.resources.cpu.cpus", "\"0-\" is not a CPU list such as \"0-3,5\""},
        {"linux.resources.cpu.mems", "\"3-1\" is not a node list such as \"0-3,5\""},
        {"linux.resources.cpu.idle", "2 is neither 0 nor 1"}}},
      {"blockIO",
       false,
       [](Spec& s) {
         BlockIo& block_io = *s.mutable_linux()->mutable_resources()->mutable_block_io();
         block_io.set_weight(5);
         block_io.set_leaf_weight(1001);
         block_io.add_weight_device()->set_major(8);
       },
       {{"linux.resources.blockIO.weight", "5 is outside [10, 1000]"},
        {"linux.resources.blockIO.leafWeight", "1001 is outside [10, 1000]"},
        {"linux.resources.blockIO.weightDevice[0]", "needs weight, leafWeight or both"}}},
      {"hugepage page size",
       false,
       [](Spec& s) {
         s.mutable_linux()->mutable_resources()->add_hugepage_limits()->set_page_size("2M");
       },
       {{"linux.resources.hugepageLimits[0].pageSize",
         "\"2M\" is not a page size such as \"2MB\""}}},
      {"rdma entry needs a limit",
       false,
       [](Spec& s) { (*s.mutable_linux()->mutable_resources()->mutable_rdma())["mlx5_1"]; },
       {{"linux.resources.rdma[\"mlx5_1\"]", "needs hcaHandles, hcaObjects or both"}}},
      {"unified keys are file names",
       false,
       [](Spec& s) {
         auto& unified = *s.mutable_linux()->mutable_resources()->mutable_unified();
         unified["memory.max"] = "1G";
         unified["../../release_agent"] = "/evil";
         unified["memorymax"] = "1G";
       },
       {{"linux.resources.unified[\"../../release_agent\"]",
         "not a cgroup file name such as \"memory.max\""},
        {"linux.resources.unified[\"memorymax\"]",
         "not a cgroup file name such as \"memory.max\""}}},
      {"rootfsPropagation",
       false,
       [](Spec& s) { s.mutable_linux()->set_rootfs_propagation("everywhere"); },
       {{"linux.rootfsPropagation", "unknown propagation \"everywhere\""}}},
      // --- seccomp ---
      {"seccomp filter",
       false,
       [](Spec& s) {
         Seccomp& seccomp = *s.mutable_linux()->mutable_seccomp();
         seccomp.set_default_action("SCMP_ACT_NOTIFY");
         seccomp.add_architectures("SCMP_ARCH_Z80");
         seccomp.add_flags("SECCOMP_FILTER_FLAG_FAST");
         seccomp.set_listener_metadata("x");
       },
       {{"linux.seccomp.defaultAction", "SCMP_ACT_NOTIFY cannot be the default action"},
        {"linux.seccomp.architectures[0]", "unknown seccomp architecture \"SCMP_ARCH_Z80\""},
        {"linux.seccomp.flags[0]", "unknown seccomp flag \"SECCOMP_FILTER_FLAG_FAST\""},
        {"linux.seccomp.listenerMetadata", "given without listenerPath"}}},
      {"seccomp default action and errno",
       false,
       [](Spec& s) {
         Seccomp& seccomp = *s.mutable_linux()->mutable_seccomp();
         seccomp.set_default_action("SCMP_ACT_DENY");
         seccomp.set_default_errno_ret(1);
         seccomp.set_listener_path("agent.sock");
       },
       {{"linux.seccomp.defaultAction", "unknown seccomp action \"SCMP_ACT_DENY\""},
        {"linux.seccomp.defaultErrnoRet", "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno"},
        {"linux.seccomp.listenerPath", "must be an absolute path, got \"agent.sock\""}}},
      {"seccomp rules",
       false,
       [](Spec& s) {
         AllowAllSeccomp(s).add_syscalls()->set_action("SCMP_ACT_ERRNO");
         Syscall& rule = AddSyscallRule(s, "", "SCMP_ACT_LOG");
         rule.set_errno_ret(1);
         SeccompArg& arg = *rule.add_args();
         arg.set_index(6);
         arg.set_op("SCMP_CMP_IN");
         AddSyscallRule(s, "write", "SCMP_ACT_NOTIFY");
         AddSyscallRule(s, "read", "SCMP_ACT_BLOCK");
       },
       {{"linux.seccomp.syscalls[0].names", "required (at least one syscall)"},
        {"linux.seccomp.syscalls[1].names[0]", "empty syscall name"},
        {"linux.seccomp.syscalls[1].errnoRet",
         "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno"},
        {"linux.seccomp.syscalls[1].args[0].index", "6 is not a syscall argument (0 to 5)"},
        {"linux.seccomp.syscalls[1].args[0].op", "unknown seccomp operator \"SCMP_CMP_IN\""},
        {"linux.seccomp.syscalls[2].names[0]",
         "SCMP_ACT_NOTIFY cannot be used for write (the runtime needs it)"},
        {"linux.seccomp.syscalls[3].action", "unknown seccomp action \"SCMP_ACT_BLOCK\""}}},
      // --- sysctl ---
      {"sysctl needs the matching namespace",
       false,
       [](Spec& s) {
         RemoveNamespace(s, "ipc");
         RemoveNamespace(s, "network");
         RemoveNamespace(s, "uts");
         s.clear_hostname();
         auto& sysctl = *s.mutable_linux()->mutable_sysctl();
         sysctl["kernel.shmmax"] = "1";
         sysctl["fs.mqueue.msg_max"] = "1";
         sysctl["net.ipv4.ip_forward"] = "1";
         sysctl["kernel.domainname"] = "example.com";
       },
       {{"linux.sysctl[\"fs.mqueue.msg_max\"]", "needs an ipc namespace"},
        {"linux.sysctl[\"kernel.domainname\"]", "needs a uts namespace"},
        {"linux.sysctl[\"kernel.shmmax\"]", "needs an ipc namespace"},
        {"linux.sysctl[\"net.ipv4.ip_forward\"]", "needs a network namespace"}}},
      {"sysctl namespaced or refused",
       false,
       [](Spec& s) {
         auto& sysctl = *s.mutable_linux()->mutable_sysctl();
         sysctl["kernel.msgmax"] = "1";
         sysctl["net/ipv4/conf/eth0.100/rp_filter"] = "1";  // '/' form, runc converts it
         sysctl["kernel.domainname"] = "example.com";
         sysctl["kernel.hostname"] = "h";
         sysctl["vm.swappiness"] = "0";
         sysctl["net/../../../proc/sysrq-trigger"] = "c";
       },
       {{"linux.sysctl[\"kernel.hostname\"]",
         "conflicts with the \"hostname\" field; set that instead"},
        {"linux.sysctl[\"net/../../../proc/sysrq-trigger\"]", "not a sysctl name"},
        {"linux.sysctl[\"vm.swappiness\"]", "not namespaced, so it would change the host"}}},
      // --- paths, LSM, misc ---
      {"masked and readonly paths",
       false,
       [](Spec& s) {
         RemoveNamespace(s, "mount");
         s.mutable_linux()->set_masked_paths(0, "proc/acpi");
       },
       {{"linux.maskedPaths", "needs a mount namespace"},
        {"linux.maskedPaths[0]", "must be an absolute path, got \"proc/acpi\""},
        {"linux.readonlyPaths", "needs a mount namespace"}}},
      {"intelRdt",
       false,
       [](Spec& s) {
         s.mutable_linux()->mutable_intel_rdt()->set_clos_id("../x");
         s.mutable_linux()->mutable_intel_rdt()->set_mem_bw_schema("L3:0=ff");
       },
       {{"linux.intelRdt.closID", "\"../x\" is not a directory name"},
        {"linux.intelRdt.memBwSchema", "must start with \"MB:\" and be one line"}}},
      {"personality",
       false,
       [](Spec& s) {
         s.mutable_linux()->mutable_personality()->set_domain("LINUX64");
         s.mutable_linux()->mutable_personality()->add_flags("ADDR_NO_RANDOMIZE");
       },
       {{"linux.personality.domain", "unknown domain \"LINUX64\" (LINUX or LINUX32)"},
        {"linux.personality.flags[0]",
         "unknown flag \"ADDR_NO_RANDOMIZE\" (the spec defines none)"}}},
      {"memoryPolicy",
       false,
       [](Spec& s) {
         MemoryPolicy& policy = *s.mutable_linux()->mutable_memory_policy();
         policy.set_mode("MPOL_RANDOM");
         policy.set_nodes("0,,1");
         policy.add_flags("MPOL_F_FAST");
       },
       {{"linux.memoryPolicy.mode", "unknown memory policy mode \"MPOL_RANDOM\""},
        {"linux.memoryPolicy.nodes", "\"0,,1\" is not a node list such as \"0-3,5\""},
        {"linux.memoryPolicy.flags[0]", "unknown memory policy flag \"MPOL_F_FAST\""}}},
      {"netDevices",
       false,
       [](Spec& s) {
         RemoveNamespace(s, "network");
         auto& devices = *s.mutable_linux()->mutable_net_devices();
         devices["eth0"].set_name("a/b");
         devices["name-longer-than-15"];
       },
       {{"linux.netDevices", "given without a network namespace"},
        {"linux.netDevices[\"eth0\"].name", "\"a/b\" is not a network interface name"},
        {"linux.netDevices[\"name-longer-than-15\"]", "not a network interface name"}}},
  };
  return *kCases;
}

TEST(FindViolationsTest, DefaultSpecsAreValid) {
  EXPECT_THAT(FindViolations(DefaultSpec(false)), IsEmpty());
  EXPECT_THAT(FindViolations(DefaultSpec(true)), IsEmpty());
}

TEST(FindViolationsTest, EachRuleReportsPathAndMessage) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.rule);
    Spec spec = DefaultSpec(c.rootless);
    c.change(spec);
    EXPECT_EQ(FindViolations(spec), c.expected);
  }
}

TEST(FindViolationsTest, ReportsEveryViolationAtOnce) {
  Spec spec = DefaultSpec(false);
  spec.clear_oci_version();
  spec.mutable_process()->set_cwd("relative");
  spec.mutable_linux()->mutable_namespaces(2)->set_type("foo");
  spec.mutable_linux()->mutable_resources()->mutable_cpu()->set_cpus("3-1");
  EXPECT_THAT(FindViolations(spec),
              ElementsAre(Violation{"ociVersion", "required"},
                          Violation{"process.cwd", "must be an absolute path, got \"relative\""},
                          Violation{"linux.namespaces[2].type", "unknown namespace type \"foo\""},
                          Violation{"linux.resources.cpu.cpus",
                                    "\"3-1\" is not a CPU list such as \"0-3,5\""}));
  EXPECT_THAT(ValidateSpec(spec),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "ociVersion: required\n"
                       "process.cwd: must be an absolute path, got \"relative\"\n"
                       "linux.namespaces[2].type: unknown namespace type \"foo\"\n"
                       "linux.resources.cpu.cpus: \"3-1\" is not a CPU list such as \"0-3,5\""));
}

TEST(FindViolationsTest, AcceptsTheListsAndVersionsRuncWrites) {
  Spec spec = DefaultSpec(false);
  for (const char* version : {"1.0.2-dev", "1.2.0", "1.0.0-rc.1+build.5"}) {
    spec.set_oci_version(version);
    EXPECT_THAT(FindViolations(spec), IsEmpty()) << version;
  }
  for (const char* list : {"0", "0-3", "0-3,5,7-8", "3-3"}) {
    spec.mutable_linux()->mutable_resources()->mutable_cpu()->set_cpus(list);
    EXPECT_THAT(FindViolations(spec), IsEmpty()) << list;
  }
  for (const char* list : {",", "0,", "-1", "a", "01", "0 - 3", "4294967296"}) {
    spec.mutable_linux()->mutable_resources()->mutable_cpu()->set_cpus(list);
    EXPECT_THAT(FindViolations(spec), ::testing::SizeIs(1)) << list;
  }
}

TEST(ValidateSpecTest, OkForAValidSpec) { EXPECT_THAT(ValidateSpec(DefaultSpec(false)), IsOk()); }

}  // namespace
}  // namespace hull::config
