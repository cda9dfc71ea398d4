#include "runtime/security/capabilities.h"

#include <linux/capability.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "base/status_util.h"
#include "config/runtime_spec.pb.h"
#include "config/kernel_names.h"
#include "base/procfs_files.h"
#include "base/status_macros.h"

namespace hull::security {
namespace {


// A capability mask holds 64 bits.
constexpr int kMaxCapability = 63;

bool Has(uint64_t mask, int capability) { return (mask >> capability & 1) != 0; }

absl::StatusOr<uint64_t> ResolveSet(const google::protobuf::RepeatedPtrField<std::string>& names,
                                    absl::string_view set, int last_cap) {
  uint64_t mask = 0;
  for (const std::string& name : names) {
    absl::StatusOr<int> number = CapabilityNumber(name);
    if (!number.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("process.capabilities.", set, ": ", number.status().message()));
    }
    if (*number <= last_cap) mask |= uint64_t{1} << *number;
  }
  return mask;
}

// capget(2) and capset(2)'s view of the calling thread's three sets: two
// 32-bit words each.
using CapabilityData = __user_cap_data_struct[_LINUX_CAPABILITY_U32S_3];

struct CapFree {
  void operator()(cap_t caps) const { cap_free(caps); }
};

absl::Status SetFlag(cap_t caps, cap_flag_t flag, uint64_t mask) {
  std::vector<cap_value_t> values;
  for (int capability = 0; capability <= kMaxCapability; ++capability) {
    if (Has(mask, capability)) values.push_back(capability);
  }
  if (values.empty()) return absl::OkStatus();
  if (cap_set_flag(caps, flag, static_cast<int>(values.size()), values.data(), CAP_SET) != 0) {
    return ErrnoStatus("cap_set_flag");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> CapabilityNumber(absl::string_view name) {
  absl::optional<int> number = config::CapabilityNumber(name);
  if (!number) return absl::InvalidArgumentError(absl::StrCat("unknown capability \"", name, "\""));
  return *number;
}

std::string CapabilityName(int number) {
  absl::Span<const absl::string_view> names = config::CapabilityNames();
  if (number >= 0 && number < static_cast<int>(names.size())) return std::string(names[number]);
  return absl::StrCat("capability ", number);
}

absl::StatusOr<int> ReadLastCapability(ProcFiles& proc) {
  ASSIGN_OR_RETURN(const std::string text, proc.Read("sys/kernel/cap_last_cap"));
  int last_cap = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &last_cap) || last_cap < 0 ||
      last_cap > kMaxCapability) {
    return absl::DataLossError(
        absl::StrCat("/proc/sys/kernel/cap_last_cap holds \"", absl::CEscape(text), "\""));
  }
  return last_cap;
}

absl::StatusOr<int> ProbeLastCapability() {
  // libcap's constructor asked the kernel already (a binary search of
  // PR_CAPBSET_READ, which refuses exactly the numbers above the last).
  const int last_cap = static_cast<int>(cap_max_bits()) - 1;
  if (last_cap < 0 || last_cap > kMaxCapability) {
    return absl::InternalError(absl::StrCat("libcap's cap_max_bits() is ", last_cap + 1));
  }
  return last_cap;
}

absl::StatusOr<CapabilitySets> ResolveCapabilities(const config::Capabilities& capabilities,
                                                   int last_cap) {
  CapabilitySets sets;
  sets.last_cap = last_cap;
  ASSIGN_OR_RETURN(sets.bounding, ResolveSet(capabilities.bounding(), "bounding", last_cap));
  ASSIGN_OR_RETURN(sets.effective, ResolveSet(capabilities.effective(), "effective", last_cap));
  ASSIGN_OR_RETURN(sets.permitted, ResolveSet(capabilities.permitted(), "permitted", last_cap));
  ASSIGN_OR_RETURN(sets.inheritable,
                   ResolveSet(capabilities.inheritable(), "inheritable", last_cap));
  ASSIGN_OR_RETURN(sets.ambient, ResolveSet(capabilities.ambient(), "ambient", last_cap));
  return sets;
}

absl::StatusOr<bool> LinuxCapabilityControl::InBoundingSet(int capability) {
  const int in_set = cap_get_bound(capability);
  if (in_set < 0) {
    return ErrnoStatus("read bounding set for ", CapabilityName(capability));
  }
  return in_set == 1;
}

absl::Status LinuxCapabilityControl::DropFromBoundingSet(int capability) {
  if (cap_drop_bound(capability) != 0) {
    return ErrnoStatus("drop ", CapabilityName(capability), " from the bounding set");
  }
  return absl::OkStatus();
}

absl::Status LinuxCapabilityControl::SetProcessSets(uint64_t effective, uint64_t permitted,
                                                    uint64_t inheritable) {
  std::unique_ptr<struct _cap_struct, CapFree> caps(cap_init());
  if (caps == nullptr) return ErrnoStatus("cap_init");
  RETURN_IF_ERROR(SetFlag(caps.get(), CAP_EFFECTIVE, effective));
  RETURN_IF_ERROR(SetFlag(caps.get(), CAP_PERMITTED, permitted));
  RETURN_IF_ERROR(SetFlag(caps.get(), CAP_INHERITABLE, inheritable));
  if (cap_set_proc(caps.get()) != 0) {
    return ErrnoStatus(absl::StrFormat("set capabilities (effective %#x, permitted %#x, inheritable %#x)",
                               effective, permitted, inheritable));
  }
  return absl::OkStatus();
}

absl::Status LinuxCapabilityControl::ClearAmbient() {
  // One call, where libcap's cap_reset_ambient asks for each capability
  // whether it is raised first.
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) {
    return ErrnoStatus("clear the ambient set");
  }
  return absl::OkStatus();
}

absl::Status LinuxCapabilityControl::RaiseAmbient(int capability) {
  if (cap_set_ambient(capability, CAP_SET) != 0) {
    const int error = errno;
    absl::Status status = absl::ErrnoToStatus(
        error, absl::StrCat("raise ambient capability ", CapabilityName(capability)));
    if (error != EPERM) return status;
    return absl::Status(status.code(), absl::StrCat(status.message(),
                                                    " (it must be permitted and inheritable too)"));
  }
  return absl::OkStatus();
}

absl::Status DropBoundingSet(const CapabilitySets& sets, CapabilityControl& control) {
  for (int capability = 0; capability <= sets.last_cap; ++capability) {
    if (Has(sets.bounding, capability)) continue;
    // Dropped as runc does, one by one: dropping what is not there does
    // nothing, so only a refused drop asks whether it was there. A process
    // without CAP_SETPCAP can still run this when nothing is left to drop.
    const absl::Status dropped = control.DropFromBoundingSet(capability);
    if (dropped.ok() || !absl::IsPermissionDenied(dropped)) {
      RETURN_IF_ERROR(dropped);
      continue;
    }
    ASSIGN_OR_RETURN(const bool present, control.InBoundingSet(capability));
    if (present) return dropped;
  }
  return absl::OkStatus();
}

absl::Status ApplyCapabilities(const CapabilitySets& sets, CapabilityControl& control) {
  RETURN_IF_ERROR(control.SetProcessSets(sets.effective, sets.permitted, sets.inheritable));
  RETURN_IF_ERROR(control.ClearAmbient());
  // The kernel raises an ambient capability only when it is permitted and
  // inheritable too. runc's default config lists ambient capabilities
  // without inheritable ones and runc then only warns: skip those likewise.
  const uint64_t raisable = sets.ambient & sets.permitted & sets.inheritable;
  for (int capability = 0; capability <= sets.last_cap; ++capability) {
    if (Has(raisable, capability)) RETURN_IF_ERROR(control.RaiseAmbient(capability));
  }
  return absl::OkStatus();
}

absl::Status KeepCapabilitiesAcrossExec() {
  __user_cap_header_struct header{.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  CapabilityData data = {};
  if (syscall(SYS_capget, &header, data) != 0) return ErrnoStatus("capget");
  for (__user_cap_data_struct& word : data) word.inheritable = word.permitted;
  if (syscall(SYS_capset, &header, data) != 0) return ErrnoStatus("capset (inheritable = permitted)");
  for (int capability = 0; capability < 32 * _LINUX_CAPABILITY_U32S_3; ++capability) {
    if ((data[capability / 32].permitted & (1u << (capability % 32))) == 0) continue;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, capability, 0, 0) != 0) {
      return ErrnoStatus("raise ambient capability ", CapabilityName(capability));
    }
  }
  return absl::OkStatus();
}

}  // namespace hull::security
