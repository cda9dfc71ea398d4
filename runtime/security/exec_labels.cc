#include "runtime/security/exec_labels.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_util.h"

namespace hull::security {

absl::Status SetAppArmorExecProfile(const config::Process& process, ProcFiles& proc) {
  const std::string& profile = process.apparmor_profile();
  if (profile.empty()) return absl::OkStatus();
  const std::string command = absl::StrCat("exec ", profile);
  absl::Status written = proc.Write("thread-self/attr/apparmor/exec", command);
  if (absl::IsNotFound(written)) written = proc.Write("thread-self/attr/exec", command);
  return Annotate(written, absl::StrCat("process.apparmorProfile \"", profile, "\""));
}

absl::Status SetSelinuxExecLabel(const config::Process& process, ProcFiles& proc) {
  const std::string& label = process.selinux_label();
  if (label.empty()) return absl::OkStatus();
  return Annotate(proc.Write("thread-self/attr/exec", label),
                  absl::StrCat("process.selinuxLabel \"", label, "\""));
}

}  // namespace hull::security
