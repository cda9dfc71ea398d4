#include "config/json.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "config/runtime_spec_codec.h"
#include "config/json_reader.h"
#include "config/json_writer.h"
#include "google/protobuf/descriptor.h"
#include "base/fd.h"
#include "base/status_macros.h"

namespace hull::config {
namespace {

using ::google::protobuf::FieldDescriptor;

// Fields the spec marks REQUIRED, written even when zero (as runc writes
// them), so that JSON-schema checkers accept Hull's output.
bool IsRequiredByTheSpec(const FieldDescriptor& field) {
  static const auto* const kRequired = new absl::flat_hash_set<std::string>{
      "hull.config.Box.height",
      "hull.config.Box.width",
      "hull.config.User.uid",
      "hull.config.User.gid",
      "hull.config.Rlimit.hard",
      "hull.config.Rlimit.soft",
      "hull.config.IoPriority.priority",
      "hull.config.IdMapping.container_id",
      "hull.config.IdMapping.host_id",
      "hull.config.IdMapping.size",
      "hull.config.DeviceCgroup.allow",
      "hull.config.WeightDevice.major",
      "hull.config.WeightDevice.minor",
      "hull.config.ThrottleDevice.major",
      "hull.config.ThrottleDevice.minor",
      "hull.config.ThrottleDevice.rate",
      "hull.config.HugepageLimit.limit",
      "hull.config.InterfacePriority.priority",
      "hull.config.SeccompArg.index",
      "hull.config.SeccompArg.value",
  };
  return kRequired->contains(field.full_name());
}

// Reads `json` into `message`; errors start with `source`.
template <typename Message>
absl::Status ParseJsonMessage(absl::string_view json, absl::string_view source,
                              Message& message) {
  if (json.size() > kMaxConfigBytes) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: too large (%d bytes; the limit is %d)",
                                                      source, json.size(), kMaxConfigBytes));
  }
  if (json.empty()) return absl::InvalidArgumentError(absl::StrCat(source, ": empty file"));
  JsonReader reader(json, source);
  return reader.ReadDocument([&] { return ReadJsonObject(reader, /*depth=*/0, message); });
}

}  // namespace

absl::StatusOr<Spec> ParseConfigJson(absl::string_view json, absl::string_view source) {
  Spec spec;
  RETURN_IF_ERROR(ParseJsonMessage(json, source, spec));
  return spec;
}

absl::StatusOr<Resources> ParseResourcesJson(absl::string_view json,
                                                  absl::string_view source) {
  Resources resources;
  RETURN_IF_ERROR(ParseJsonMessage(json, source, resources));
  return resources;
}

absl::StatusOr<Process> ParseProcessJson(absl::string_view json, absl::string_view source) {
  Process process;
  RETURN_IF_ERROR(ParseJsonMessage(json, source, process));
  return process;
}

absl::StatusOr<Spec> LoadConfigFile(const std::string& path) {
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    return absl::InvalidArgumentError(absl::StrCat("open ", path, ": ", strerror(errno)));
  }
  // Reads one byte past the limit, so that a larger file (or an endless one
  // such as a FIFO or /dev/zero) is detected without reading all of it.
  std::string text;
  char buffer[64 * 1024];
  while (text.size() <= kMaxConfigBytes) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return absl::InvalidArgumentError(absl::StrCat("read ", path, ": ", strerror(errno)));
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  if (text.size() > kMaxConfigBytes) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: too large (more than %d bytes)", path, kMaxConfigBytes));
  }
  return ParseConfigJson(text, path);
}

absl::StatusOr<std::string> ConfigToJson(const Spec& spec) {
  return MessageToJson(spec, {.compact = false, .always_written = IsRequiredByTheSpec});
}

}  // namespace hull::config
