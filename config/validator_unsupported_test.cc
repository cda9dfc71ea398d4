// The validator's refusals of what Hull cannot honour.

#include "config/validator.h"

#include "config/validator_test_cases.h"
#include "gtest/gtest.h"

namespace hull::config {
namespace {

using ::hull::config::validator_test::ExpectEachCase;

void SetSecurityLabels(Spec& spec) {
  spec.mutable_process()->set_apparmor_profile("hull-default");
  spec.mutable_process()->set_selinux_label("system_u:system_r:container_t:s0");
  spec.mutable_linux()->set_mount_label("system_u:object_r:container_file_t:s0");
}

TEST(UnsupportedRulesTest, EachRefusalNamesTheField) {
  ExpectEachCase({
      {"labels without their security module",
       false,
       SetSecurityLabels,
       {{"process.apparmorProfile",
         "apparmor profile specified but AppArmor is not enabled on this system"},
        {"process.selinuxLabel",
         "SELinux label specified but SELinux is not enabled on this system"},
        {"linux.mountLabel", "SELinux label specified but SELinux is not enabled on this system"}},
       HostSupport{}},
      {"labels with their security module", false, SetSecurityLabels, {}},
      {"AppArmor alone",
       false,
       SetSecurityLabels,
       {{"process.selinuxLabel",
         "SELinux label specified but SELinux is not enabled on this system"},
        {"linux.mountLabel", "SELinux label specified but SELinux is not enabled on this system"}},
       HostSupport{.apparmor = true}},
      {"Windows fields",
       false,
       [](Spec& s) {
         s.mutable_process()->set_command_line("cmd.exe /c dir");
         s.mutable_process()->mutable_user()->set_username("ContainerUser");
       },
       {{"process.commandLine", "Windows only: a Linux process takes process.args"},
        {"process.user.username", "Windows only: a Linux process takes uid and gid"}}},
      {"runc's older intelRdt monitoring switches",
       false,
       [](Spec& s) {
         s.mutable_linux()->mutable_intel_rdt()->set_enable_cmt(true);
         s.mutable_linux()->mutable_intel_rdt()->set_enable_mbm(true);
       },
       {{"linux.intelRdt.enableCMT", "is not supported; use enableMonitoring"},
        {"linux.intelRdt.enableMBM", "is not supported; use enableMonitoring"}}},
  });
}

}  // namespace
}  // namespace hull::config
