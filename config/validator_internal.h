// What the validator's rules share: the report they add violations to, the
// way they name a JSON path, and the value checks used by several sections.
// Internal to //config:validator.
#ifndef HULL_CONFIG_VALIDATOR_INTERNAL_H_
#define HULL_CONFIG_VALIDATOR_INTERNAL_H_

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "config/host_support.h"
#include "config/runtime_spec.pb.h"
#include "config/validator.h"
#include "google/protobuf/map.h"
#include "google/protobuf/repeated_field.h"

namespace hull::config::validator_internal {

using NameSet = absl::flat_hash_set<absl::string_view>;

// A string quoted for a one-line message.
std::string Quote(absl::string_view text);

// JSON paths: Field("process", "cwd") is "process.cwd" (`name` alone for an
// empty `path`), Index("process.env", 2) "process.env[2]",
// Key("linux.sysctl", "vm.x") "linux.sysctl[\"vm.x\"]".
std::string Field(absl::string_view path, absl::string_view name);
std::string Index(absl::string_view path, int index);
std::string Key(absl::string_view path, absl::string_view key);

// A map's keys in order: rules report map entries sorted.
template <typename Value>
std::vector<std::string> SortedKeys(const google::protobuf::Map<std::string, Value>& map) {
  std::vector<std::string> keys;
  keys.reserve(map.size());
  for (const auto& [key, value] : map) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

bool IsAbsolute(absl::string_view path);

// A non-negative decimal without sign or leading zeros (except "0").
bool IsDecimal(absl::string_view text);

// A cpuset list such as "0-3,5,7-8" (each range ascending).
bool IsCpusetList(absl::string_view list);

// Collects violations; each rule adds to it. Rules that depend on the host
// read what it supports from here, and only for a field that needs it.
class Report {
 public:
  explicit Report(const HostSupport& host) : host_(&host) {}
  // The running kernel's support, detected at the first host() call: the
  // probe reads sysfs (whose lock parallel creates of network namespaces
  // hold) and procfs, and most configs need nothing of it.
  Report() = default;
  const HostSupport& host() const { return host_ != nullptr ? *host_ : DetectedHostSupport(); }
  void Add(std::string path, std::string message) {
    violations_.push_back({std::move(path), std::move(message)});
  }
  // Adds `path: unknown <what> "<name>"` unless `name` is in `known`.
  void CheckKnown(const NameSet& known, absl::string_view name, std::string path,
                  absl::string_view what);
  // Adds `path: required` for an empty `value`, or a violation when it is
  // not an absolute path.
  void CheckAbsolute(absl::string_view value, std::string path);
  std::vector<Violation> Release() { return std::move(violations_); }

 private:
  const HostSupport* host_ = nullptr;
  std::vector<Violation> violations_;
};

// The id mappings of a user namespace or of an id-mapped mount.
void CheckIdMappings(const google::protobuf::RepeatedPtrField<IdMapping>& mappings,
                     const std::string& path, Report& report);

}  // namespace hull::config::validator_internal

#endif  // HULL_CONFIG_VALIDATOR_INTERNAL_H_
