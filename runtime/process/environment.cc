#include "runtime/process/environment.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "google/protobuf/repeated_field.h"

namespace hull::process {
namespace {

// The index of the entry for `name`, or -1.
int IndexOf(const std::vector<std::string>& env, absl::string_view name) {
  for (size_t i = 0; i < env.size(); ++i) {
    if (absl::StartsWith(env[i], name) && env[i].size() > name.size() &&
        env[i][name.size()] == '=') {
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> BuildEnvironment(
    const google::protobuf::RepeatedPtrField<std::string>& env, absl::string_view home) {
  std::vector<std::string> result;
  for (const std::string& entry : env) {
    const size_t equals = entry.find('=');
    if (equals == std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid environment variable \"", entry, "\": missing '='"));
    }
    const absl::string_view name = absl::string_view(entry).substr(0, equals);
    if (name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid environment variable \"", entry, "\": name cannot be empty"));
    }
    if (absl::StrContains(entry, '\0')) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid environment variable \"", name, "\": contains a NUL byte"));
    }
    if (const int index = IndexOf(result, name); index >= 0) {
      result[index] = entry;
    } else {
      result.push_back(entry);
    }
  }
  const absl::optional<absl::string_view> current_home = FindVariable(result, "HOME");
  if (!current_home.has_value() || current_home->empty()) {
    const std::string entry = absl::StrCat("HOME=", home);
    if (const int index = IndexOf(result, "HOME"); index >= 0) {
      result[index] = entry;
    } else {
      result.push_back(entry);
    }
  }
  if (!FindVariable(result, "PATH").has_value()) {
    result.push_back(absl::StrCat("PATH=", kDefaultPath));
  }
  return result;
}

absl::optional<absl::string_view> FindVariable(const std::vector<std::string>& env,
                                               absl::string_view name) {
  const int index = IndexOf(env, name);
  if (index < 0) return absl::nullopt;
  return absl::string_view(env[index]).substr(name.size() + 1);
}

}  // namespace hull::process
