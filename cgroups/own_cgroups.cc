#include "cgroups/own_cgroups.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace hull::cgroups {

absl::StatusOr<std::vector<OwnCgroup>> ParseOwnCgroups(absl::string_view text) {
  std::vector<OwnCgroup> own;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> fields = absl::StrSplit(line, absl::MaxSplits(':', 2));
    if (fields.size() != 3 || fields[2].empty() || fields[2][0] != '/') {
      return absl::InvalidArgumentError(
          absl::StrCat("malformed /proc/self/cgroup line \"", line, "\""));
    }
    OwnCgroup parsed;
    parsed.controllers = absl::StrSplit(fields[1], ',', absl::SkipEmpty());
    parsed.path = std::string(fields[2]);
    own.push_back(std::move(parsed));
  }
  return own;
}

bool HoldsControllers(const std::vector<std::string>& options,
                      const std::vector<std::string>& controllers) {
  return std::all_of(controllers.begin(), controllers.end(), [&](const std::string& controller) {
    return std::find(options.begin(), options.end(), controller) != options.end();
  });
}

const OwnCgroup* FindOwnCgroup(const std::vector<OwnCgroup>& own, bool cgroup2,
                               const std::vector<std::string>& super_options) {
  for (const OwnCgroup& line : own) {
    if (cgroup2 ? line.controllers.empty()
                : !line.controllers.empty() && HoldsControllers(super_options, line.controllers)) {
      return &line;
    }
  }
  return nullptr;
}

}  // namespace hull::cgroups
