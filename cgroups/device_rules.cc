#include "cgroups/device_rules.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"

namespace hull::cgroups {
namespace {

config::DeviceCgroup Allow(absl::string_view type, absl::optional<int64_t> major,
                           absl::optional<int64_t> minor, absl::string_view access) {
  config::DeviceCgroup rule;
  rule.set_allow(true);
  rule.set_type(std::string(type));
  if (major.has_value()) rule.set_major(*major);
  if (minor.has_value()) rule.set_minor(*minor);
  rule.set_access(std::string(access));
  return rule;
}

}  // namespace

std::vector<config::DeviceCgroup> DefaultDeviceRules() {
  constexpr absl::nullopt_t kAny = absl::nullopt;
  return {
      Allow("c", kAny, kAny, "m"),  // mknod of any device
      Allow("b", kAny, kAny, "m"),
      Allow("c", 1, 3, "rwm"),      // /dev/null
      Allow("c", 1, 8, "rwm"),      // /dev/random
      Allow("c", 1, 7, "rwm"),      // /dev/full
      Allow("c", 5, 0, "rwm"),      // /dev/tty
      Allow("c", 1, 5, "rwm"),      // /dev/zero
      Allow("c", 1, 9, "rwm"),      // /dev/urandom
      Allow("c", 136, kAny, "rwm"), // /dev/pts/*
      Allow("c", 5, 2, "rwm"),      // /dev/ptmx
      Allow("c", 10, 200, "rwm"),   // /dev/net/tun
  };
}

std::string DeviceRulePath(int index) {
  return absl::StrCat("linux.resources.devices[", index, "]");
}

absl::Status ValidateDeviceRule(const config::DeviceCgroup& rule, int index) {
  if (rule.type() != "" && rule.type() != "a" && rule.type() != "b" && rule.type() != "c") {
    return absl::InvalidArgumentError(absl::StrCat(DeviceRulePath(index), ".type: \"", rule.type(),
                                                   "\" is not \"a\", \"b\" or \"c\""));
  }
  if (rule.access().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(DeviceRulePath(index), ".access: empty"));
  }
  // As runc's permission sets, other letters are ignored (with a warning,
  // resource_warnings.h); an access with none of r, w, m means nothing.
  if (rule.access().find_first_of("rwm") == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        DeviceRulePath(index), ".access: \"", rule.access(), "\" has none of \"r\", \"w\", \"m\""));
  }
  // -1 is how runc spells "any", as an absent number does.
  if ((rule.has_major() && rule.major() < -1) || (rule.has_minor() && rule.minor() < -1)) {
    return absl::InvalidArgumentError(
        absl::StrCat(DeviceRulePath(index), ": negative device number"));
  }
  return absl::OkStatus();
}

std::string DeviceRuleText(const config::DeviceCgroup& rule) {
  auto number = [](bool has, int64_t value) {
    return has && value >= 0 ? absl::StrCat(value) : std::string("*");
  };
  const std::string type = rule.type().empty() ? "a" : rule.type();
  // The letters the kernel knows, once each, in its order.
  std::string access;
  for (const char letter : {'r', 'w', 'm'}) {
    if (rule.access().find(letter) != std::string::npos) access.push_back(letter);
  }
  return absl::StrCat(type, " ", number(rule.has_major(), rule.major()), ":",
                      number(rule.has_minor(), rule.minor()), " ", access);
}

}  // namespace hull::cgroups
