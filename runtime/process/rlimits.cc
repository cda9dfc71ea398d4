#include "runtime/process/rlimits.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "base/status_util.h"
#include "config/runtime_spec.pb.h"
#include "config/kernel_names.h"
#include "base/status_macros.h"

namespace hull::process {
namespace {

std::string Value(uint64_t value) {
  return value == RLIM_INFINITY ? std::string("unlimited") : absl::StrCat(value);
}

std::string ResourceName(int resource) {
  absl::optional<absl::string_view> name = config::RlimitName(resource);
  return name ? std::string(*name) : absl::StrCat("resource ", resource);
}

}  // namespace

absl::StatusOr<int> RlimitResource(absl::string_view type) {
  if (absl::optional<int> resource = config::RlimitResource(type)) return *resource;
  return absl::InvalidArgumentError(absl::StrCat("unknown rlimit type \"", type, "\""));
}

absl::StatusOr<Limit> LinuxResourceLimits::Get(int resource) {
  struct rlimit limit;
  if (getrlimit(static_cast<__rlimit_resource>(resource), &limit) != 0) {
    return ErrnoStatus("getrlimit ", ResourceName(resource));
  }
  return Limit{limit.rlim_cur, limit.rlim_max};
}

absl::Status LinuxResourceLimits::Set(int resource, const Limit& limit) {
  const struct rlimit value = {limit.soft, limit.hard};
  if (setrlimit(static_cast<__rlimit_resource>(resource), &value) != 0) {
    return ErrnoStatus(absl::StrFormat("setrlimit %s to soft %s, hard %s", ResourceName(resource),
                               Value(limit.soft), Value(limit.hard)));
  }
  return absl::OkStatus();
}

absl::Status ApplyRlimits(const config::Process& process, ResourceLimits& limits) {
  for (const config::Rlimit& rlimit : process.rlimits()) {
    ASSIGN_OR_RETURN(const int resource, RlimitResource(rlimit.type()));
    const absl::Status status = limits.Set(resource, Limit{rlimit.soft(), rlimit.hard()});
    if (status.ok()) continue;
    std::string message(status.message());
    if (rlimit.soft() > rlimit.hard()) {
      absl::StrAppend(&message, " (the soft limit is above the hard limit)");
    } else if (status.code() == absl::StatusCode::kPermissionDenied) {
      if (absl::StatusOr<Limit> current = limits.Get(resource); current.ok()) {
        absl::StrAppend(&message, " (current soft ", Value(current->soft), ", hard ",
                        Value(current->hard), "; raising a hard limit needs CAP_SYS_RESOURCE)");
      }
    }
    return absl::Status(status.code(), message);
  }
  return absl::OkStatus();
}

}  // namespace hull::process
