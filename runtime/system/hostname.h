// The container's hostname and NIS domain name (in its uts namespace).
#ifndef HULL_RUNTIME_SYSTEM_HOSTNAME_H_
#define HULL_RUNTIME_SYSTEM_HOSTNAME_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"

namespace hull::system {

// sethostname(2) and setdomainname(2).
class UtsNames {
 public:
  virtual ~UtsNames() = default;
  virtual absl::Status SetHostname(absl::string_view hostname) = 0;
  virtual absl::Status SetDomainname(absl::string_view domainname) = 0;
};

class LinuxUtsNames final : public UtsNames {
 public:
  absl::Status SetHostname(absl::string_view hostname) override;
  absl::Status SetDomainname(absl::string_view domainname) override;
};

// Sets `spec.hostname` and `spec.domainname`, each only when it is not empty.
absl::Status SetHostAndDomainName(const config::Spec& spec, UtsNames& uts);

}  // namespace hull::system

#endif  // HULL_RUNTIME_SYSTEM_HOSTNAME_H_
