#include "runtime/features/features.h"

#include <seccomp.h>

#include <string>

#include "config/default_spec.h"
#include "config/runtime_spec.pb.h"
#include "config/validator.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::runtime {
namespace {

using ::hull::testing::IsOk;
using ::testing::Contains;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;

HostSupport AllOfIt() {
  return {.last_capability = 40,
          .proc_namespaces = {"mnt", "uts", "ipc", "pid", "net", "cgroup", "user", "time"},
          .apparmor = true,
          .selinux = true};
}

TEST(FeaturesTest, VersionsAndTheSixHooks) {
  const Features features = FeaturesOf(AllOfIt());
  EXPECT_EQ(features.oci_version_min(), "1.0.0");
  EXPECT_EQ(features.oci_version_max(), "1.2.0");
  EXPECT_THAT(features.hooks(), ElementsAre("prestart", "createRuntime", "createContainer",
                                            "startContainer", "poststart", "poststop"));
}

TEST(FeaturesTest, MountOptionsAreTheHonouredOnes) {
  const Features features = FeaturesOf(AllOfIt());
  EXPECT_THAT(features.mount_options(), Contains("rbind"));
  EXPECT_THAT(features.mount_options(), Contains("rro"));
  EXPECT_THAT(features.mount_options(), Contains("tmpcopyup"));
  EXPECT_THAT(features.mount_options(), Contains("idmap"));
  EXPECT_THAT(features.mount_options(), Contains("ridmap"));
}

TEST(FeaturesTest, NamespacesAreThoseTheHostHas) {
  EXPECT_THAT(FeaturesOf(AllOfIt()).linux().namespaces(),
              ElementsAre("cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"));
  HostSupport old_kernel = AllOfIt();
  old_kernel.proc_namespaces.erase("time");
  old_kernel.proc_namespaces.erase("cgroup");
  EXPECT_THAT(FeaturesOf(old_kernel).linux().namespaces(),
              ElementsAre("ipc", "mount", "network", "pid", "user", "uts"));
}

TEST(FeaturesTest, CapabilitiesStopAtTheKernelsLast) {
  const Features all = FeaturesOf(AllOfIt());
  ASSERT_EQ(all.linux().capabilities_size(), 41);
  EXPECT_EQ(all.linux().capabilities(0), "CAP_CHOWN");
  EXPECT_EQ(all.linux().capabilities(40), "CAP_CHECKPOINT_RESTORE");
  HostSupport host = AllOfIt();
  host.last_capability = 37;  // Linux 5.4: up to CAP_AUDIT_READ
  const Features older = FeaturesOf(host);
  ASSERT_EQ(older.linux().capabilities_size(), 38);
  EXPECT_EQ(older.linux().capabilities(37), "CAP_AUDIT_READ");
}

TEST(FeaturesTest, CgroupDriversIdMappedMountsAndNetDevicesWhateverTheHost) {
  const LinuxFeatures linux = FeaturesOf(AllOfIt()).linux();
  EXPECT_TRUE(linux.cgroup().v1());
  EXPECT_TRUE(linux.cgroup().v2());
  EXPECT_FALSE(linux.cgroup().systemd());
  EXPECT_FALSE(linux.cgroup().systemd_user());
  EXPECT_TRUE(linux.mount_extensions().idmap().enabled());
  EXPECT_TRUE(linux.net_devices().enabled());
}

TEST(FeaturesTest, TheLibseccompVersionIsAnnotatedAsRuncDoes) {
  const Features features = FeaturesOf(AllOfIt());
  EXPECT_THAT(features.annotations().at("io.github.seccomp.libseccomp.version"),
              ::testing::MatchesRegex("[0-9]+\\.[0-9]+\\.[0-9]+"));
}

TEST(FeaturesTest, SystemdDriverWhereSystemdIsTheInit) {
  HostSupport with_systemd = AllOfIt();
  with_systemd.systemd = true;
  EXPECT_TRUE(FeaturesOf(with_systemd).linux().cgroup().systemd());
  EXPECT_TRUE(FeaturesOf(with_systemd).linux().cgroup().systemd_user());
}

TEST(FeaturesTest, IntelRdtIsEnabledWhereResctrlIsMounted) {
  EXPECT_FALSE(FeaturesOf(AllOfIt()).linux().intel_rdt().enabled());
  HostSupport with_resctrl = AllOfIt();
  with_resctrl.resctrl = true;
  EXPECT_TRUE(FeaturesOf(with_resctrl).linux().intel_rdt().enabled());
}

TEST(FeaturesTest, SecurityModulesAreEnabledWhereTheHostHasThem) {
  const LinuxFeatures all = FeaturesOf(AllOfIt()).linux();
  EXPECT_TRUE(all.apparmor().enabled());
  EXPECT_TRUE(all.selinux().enabled());
  HostSupport apparmor_only = AllOfIt();
  apparmor_only.selinux = false;
  const LinuxFeatures some = FeaturesOf(apparmor_only).linux();
  EXPECT_TRUE(some.apparmor().enabled());
  ASSERT_TRUE(some.selinux().has_enabled());
  EXPECT_FALSE(some.selinux().enabled());
  HostSupport neither = AllOfIt();
  neither.apparmor = false;
  neither.selinux = false;
  const LinuxFeatures none = FeaturesOf(neither).linux();
  EXPECT_FALSE(none.apparmor().enabled());
  EXPECT_FALSE(none.selinux().enabled());
}

TEST(FeaturesTest, SeccompListsWhatTheConfigMayUse) {
  const SeccompFeatures seccomp = FeaturesOf(AllOfIt()).linux().seccomp();
  EXPECT_TRUE(seccomp.enabled());
  EXPECT_THAT(seccomp.actions(),
              UnorderedElementsAre("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
                                   "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
                                   "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG",
                                   "SCMP_ACT_NOTIFY"));
  EXPECT_THAT(seccomp.operators(),
              UnorderedElementsAre("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
                                   "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"));
  EXPECT_THAT(seccomp.archs(), Contains("SCMP_ARCH_X86_64"));
  EXPECT_THAT(seccomp.archs(), Contains("SCMP_ARCH_AARCH64"));
  EXPECT_THAT(seccomp.archs(), Contains("SCMP_ARCH_RISCV64"));
  EXPECT_THAT(seccomp.archs(), Each(StartsWith("SCMP_ARCH_")));
  EXPECT_THAT(seccomp.known_flags(),
              UnorderedElementsAre("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                                   "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                                   "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"));
  // Built with libseccomp 2.5: WAIT_KILLABLE_RECV is known and refused.
  if (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR < 6) {
    EXPECT_THAT(seccomp.supported_flags(),
                UnorderedElementsAre("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                                     "SECCOMP_FILTER_FLAG_SPEC_ALLOW"));
  } else {
    EXPECT_THAT(seccomp.supported_flags(), ElementsAreArray(seccomp.known_flags()));
  }
}

// A name the features list is one the validator accepts: the lists are the
// validator's own.
TEST(FeaturesTest, SeccompNamesPassTheValidator) {
  const SeccompFeatures seccomp = FeaturesOf(AllOfIt()).linux().seccomp();
  config::Spec spec = config::DefaultSpec(/*rootless=*/false);
  config::Seccomp& profile = *spec.mutable_linux()->mutable_seccomp();
  profile.set_default_action("SCMP_ACT_ALLOW");
  for (const std::string& arch : seccomp.archs()) profile.add_architectures(arch);
  for (const std::string& flag : seccomp.supported_flags()) profile.add_flags(flag);
  profile.set_listener_path("/run/agent.sock");
  for (const std::string& action : seccomp.actions()) {
    config::Syscall& rule = *profile.add_syscalls();
    rule.add_names("getcwd");
    rule.set_action(action);
  }
  for (const std::string& op : seccomp.operators()) {
    config::Syscall& rule = *profile.add_syscalls();
    rule.add_names("getpid");
    rule.set_action("SCMP_ACT_ERRNO");
    config::SeccompArg& arg = *rule.add_args();
    arg.set_index(0);
    arg.set_op(op);
  }
  EXPECT_THAT(config::FindViolations(spec), IsEmpty());
}

TEST(FeaturesTest, JsonWritesOffFeaturesAsFalse) {
  absl::StatusOr<std::string> json = FeaturesToJson(FeaturesOf(AllOfIt()));
  ASSERT_THAT(json, IsOk());
  EXPECT_THAT(*json, HasSubstr("\"ociVersionMin\": \"1.0.0\""));
  EXPECT_THAT(*json, HasSubstr("\"mountOptions\": ["));
  EXPECT_THAT(*json, HasSubstr("\"systemdUser\": false"));
  EXPECT_THAT(*json, HasSubstr("\"intelRdt\": {\n      \"enabled\": false\n    }"));
  EXPECT_THAT(*json, HasSubstr("\"mountExtensions\": {\n      \"idmap\": {\n        \"enabled\": true"));
}

TEST(ProbeHostTest, ThisHostHasTheBasics) {
  absl::StatusOr<HostSupport> host = ProbeHost();
  ASSERT_THAT(host, IsOk());
  EXPECT_GE(host->last_capability, 36);
  for (const char* name : {"mnt", "uts", "ipc", "pid", "net"}) {
    EXPECT_TRUE(host->proc_namespaces.contains(name)) << name;
  }
}

}  // namespace
}  // namespace hull::runtime
