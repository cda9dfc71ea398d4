#include "runtime/system/hostname.h"

#include <unistd.h>

#include <cerrno>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/status_util.h"
#include "config/runtime_spec.pb.h"
#include "base/status_macros.h"

namespace hull::system {

absl::Status LinuxUtsNames::SetHostname(absl::string_view hostname) {
  if (sethostname(hostname.data(), hostname.size()) != 0) {
    return ErrnoStatus("sethostname \"", hostname, "\"");
  }
  return absl::OkStatus();
}

absl::Status LinuxUtsNames::SetDomainname(absl::string_view domainname) {
  if (setdomainname(domainname.data(), domainname.size()) != 0) {
    return ErrnoStatus("setdomainname \"", domainname, "\"");
  }
  return absl::OkStatus();
}

absl::Status SetHostAndDomainName(const config::Spec& spec, UtsNames& uts) {
  if (!spec.hostname().empty()) RETURN_IF_ERROR(uts.SetHostname(spec.hostname()));
  if (!spec.domainname().empty()) RETURN_IF_ERROR(uts.SetDomainname(spec.domainname()));
  return absl::OkStatus();
}

}  // namespace hull::system
