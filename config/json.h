// Reading and writing config.json, the OCI runtime configuration.
#ifndef HULL_CONFIG_JSON_H_
#define HULL_CONFIG_JSON_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"

namespace hull::config {

// Larger inputs are refused before parsing (runc's own configs are < 10 KiB).
inline constexpr size_t kMaxConfigBytes = size_t{16} << 20;

// Parses the text of a config.json. Unknown fields are ignored, as the spec
// requires; anything malformed (syntax, duplicate keys, a value of the wrong
// type or out of range, too large, too deeply nested) is InvalidArgument with
// a message that starts with `source` (the file name) and, where it helps,
// the line, column and JSON path. Never crashes on bad input.
absl::StatusOr<Spec> ParseConfigJson(absl::string_view json, absl::string_view source);

// Parses a linux.resources object on its own (what `update -r` reads), with
// the same checks as ParseConfigJson.
absl::StatusOr<Resources> ParseResourcesJson(absl::string_view json,
                                                  absl::string_view source);

// Parses an OCI process object on its own (what `exec --process` reads), with
// the same checks as ParseConfigJson.
absl::StatusOr<Process> ParseProcessJson(absl::string_view json, absl::string_view source);

// Reads and parses the file at `path`; file errors name the path and errno.
absl::StatusOr<Spec> LoadConfigFile(const std::string& path);

// Writes `spec` as config.json text: the spec's JSON names, 64-bit integers
// as JSON numbers, fields in schema order, map keys sorted, 2-space indent,
// no trailing newline. InvalidArgument if a string is not valid UTF-8.
absl::StatusOr<std::string> ConfigToJson(const Spec& spec);

}  // namespace hull::config

#endif  // HULL_CONFIG_JSON_H_
