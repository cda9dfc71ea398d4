// Fields Hull cannot honour: the security labels on a host without their
// security module, and what Hull does not implement (yet). Each is refused
// with the field's path, never accepted and ignored.

#include <string>

#include "absl/strings/match.h"
#include "config/validator_internal.h"
#include "config/validator_rules.h"

namespace hull::config::validator_internal {

// runc refuses an AppArmor profile without AppArmor, and ignores SELinux
// labels without SELinux; Hull refuses both.
void CheckSecurityLabels(const Spec& spec, Report& report) {
  if (!spec.process().apparmor_profile().empty() && !report.host().apparmor) {
    report.Add("process.apparmorProfile",
               "apparmor profile specified but AppArmor is not enabled on this system");
  }
  constexpr char kNoSelinux[] = "SELinux label specified but SELinux is not enabled on this system";
  if (!spec.process().selinux_label().empty() && !report.host().selinux) {
    report.Add("process.selinuxLabel", kNoSelinux);
  }
  if (!spec.linux().mount_label().empty() && !report.host().selinux) {
    report.Add("linux.mountLabel", kNoSelinux);
  }
}

void CheckUnimplemented(const Spec& spec, Report& report) {
  if (spec.has_solaris()) report.Add("solaris", "Solaris only: Hull runs Linux containers");
  if (spec.has_windows()) report.Add("windows", "Windows only: Hull runs Linux containers");
  if (spec.has_vm()) {
    report.Add("vm", "for a runtime that runs the container in a virtual machine: Hull runs it "
                     "in namespaces of the host's kernel");
  }
  if (spec.has_zos()) report.Add("zos", "z/OS only: Hull runs Linux containers");
  const Process& process = spec.process();
  if (!process.command_line().empty()) {
    report.Add("process.commandLine", "Windows only: a Linux process takes process.args");
  }
  if (!process.user().username().empty()) {
    report.Add("process.user.username", "Windows only: a Linux process takes uid and gid");
  }
  // linux.intelRdt is honoured through resctrl (cgroups/resctrl.h), which
  // refuses it by name on a host without; runc's older monitoring switches
  // are not.
  if (spec.linux().intel_rdt().enable_cmt()) {
    report.Add("linux.intelRdt.enableCMT", "is not supported; use enableMonitoring");
  }
  if (spec.linux().intel_rdt().enable_mbm()) {
    report.Add("linux.intelRdt.enableMBM", "is not supported; use enableMonitoring");
  }
}

}  // namespace hull::config::validator_internal
