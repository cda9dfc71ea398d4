// The environment of the container's process: process.env as the config
// gives it, plus HOME and PATH when it has none.
#ifndef HULL_RUNTIME_PROCESS_ENVIRONMENT_H_
#define HULL_RUNTIME_PROCESS_ENVIRONMENT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "google/protobuf/repeated_field.h"

namespace hull::process {

// The PATH a process gets when the config sets none (Docker's and
// containerd's default).
inline constexpr char kDefaultPath[] =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// `env` checked as runc checks it ("NAME=value", a name that is not empty,
// no NUL byte), a later entry for a name replacing the earlier one in its
// place; then, as runc does, HOME=`home` (the user's home directory from
// /etc/passwd) when HOME is missing or empty, and PATH=kDefaultPath when
// PATH is missing.
absl::StatusOr<std::vector<std::string>> BuildEnvironment(
    const google::protobuf::RepeatedPtrField<std::string>& env, absl::string_view home);

// The value of `name` in `env` ("NAME=value" entries); nullopt when absent.
absl::optional<absl::string_view> FindVariable(const std::vector<std::string>& env,
                                               absl::string_view name);

}  // namespace hull::process

#endif  // HULL_RUNTIME_PROCESS_ENVIRONMENT_H_
