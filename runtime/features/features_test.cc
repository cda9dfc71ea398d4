#include "runtime/features/features.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::runtime {
namespace {

using ::hull::testing::IsOk;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

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
  EXPECT_THAT(features.mount_options(), Not(Contains("idmap")));
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

TEST(FeaturesTest, WhatHullDoesNotApplyIsOffWhateverTheHost) {
  const LinuxFeatures linux = FeaturesOf(AllOfIt()).linux();
  EXPECT_TRUE(linux.cgroup().v1());
  EXPECT_TRUE(linux.cgroup().v2());
  EXPECT_FALSE(linux.cgroup().systemd());
  EXPECT_FALSE(linux.cgroup().systemd_user());
  EXPECT_FALSE(linux.apparmor().enabled());
  EXPECT_FALSE(linux.selinux().enabled());
  EXPECT_FALSE(linux.intel_rdt().enabled());
  EXPECT_FALSE(linux.mount_extensions().idmap().enabled());
  EXPECT_TRUE(linux.seccomp().has_enabled());
}

TEST(FeaturesTest, JsonWritesOffFeaturesAsFalse) {
  absl::StatusOr<std::string> json = FeaturesToJson(FeaturesOf(AllOfIt()));
  ASSERT_THAT(json, IsOk());
  EXPECT_THAT(*json, HasSubstr("\"ociVersionMin\": \"1.0.0\""));
  EXPECT_THAT(*json, HasSubstr("\"mountOptions\": ["));
  EXPECT_THAT(*json, HasSubstr("\"systemdUser\": false"));
  EXPECT_THAT(*json, HasSubstr("\"intelRdt\": {\n      \"enabled\": false\n    }"));
  EXPECT_THAT(*json, HasSubstr("\"mountExtensions\": {\n      \"idmap\": {\n        \"enabled\": false"));
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
