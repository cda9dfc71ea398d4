#include "cgroups/systemd/unit_name.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"

namespace hull::cgroups::systemd {
namespace {

constexpr absl::string_view kSliceSuffix = ".slice";

absl::Status InvalidSlice(absl::string_view slice) {
  return absl::InvalidArgumentError(absl::StrCat(
      "invalid slice name \"", slice,
      "\": want parts joined by '-' and \".slice\" (\"machine.slice\", \"a-b.slice\")"));
}

}  // namespace

absl::StatusOr<ContainerUnit> ContainerUnitFor(absl::string_view cgroups_path,
                                               absl::string_view container_id,
                                               absl::string_view default_slice) {
  if (cgroups_path.empty()) {
    if (container_id.empty() || absl::StrContains(container_id, '/')) {
      return absl::InvalidArgumentError(
          absl::StrCat("container id \"", container_id, "\" cannot name a systemd unit"));
    }
    return ContainerUnit{.slice = std::string(default_slice),
                         .scope = absl::StrCat(kDefaultScopePrefix, "-", container_id, ".scope")};
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(cgroups_path, ':');
  if (parts.size() != 3 || absl::StrContains(cgroups_path, '/')) {
    return absl::InvalidArgumentError(absl::StrCat(
        "linux.cgroupsPath \"", cgroups_path,
        "\": --systemd-cgroup expects the form \"slice:prefix:name\" (\"system.slice:hull:web\")"));
  }
  const absl::string_view slice = parts[0], prefix = parts[1], name = parts[2];
  if (name.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("linux.cgroupsPath \"", cgroups_path, "\": the name (third part) is empty"));
  }
  if (absl::EndsWith(name, kSliceSuffix)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "linux.cgroupsPath \"", cgroups_path,
        "\": a container that is a slice (a name ending in \".slice\") is not supported; Hull "
        "makes a scope"));
  }
  ContainerUnit unit{
      .slice = slice.empty() ? std::string(default_slice) : std::string(slice),
      .scope =
          prefix.empty() ? absl::StrCat(name, ".scope") : absl::StrCat(prefix, "-", name, ".scope"),
  };
  RETURN_IF_ERROR(ExpandSlice(unit.slice).status());
  return unit;
}

absl::StatusOr<std::string> ExpandSlice(absl::string_view slice) {
  absl::string_view name = slice;
  if (!absl::ConsumeSuffix(&name, kSliceSuffix) || name.empty() || absl::StrContains(name, '/')) {
    return InvalidSlice(slice);
  }
  if (name == "-") return std::string("/");
  std::string path, prefix;
  for (absl::string_view component : absl::StrSplit(name, '-')) {
    if (component.empty()) return InvalidSlice(slice);  // "-a.slice", "a--b.slice"
    absl::StrAppend(&path, "/", prefix, component, kSliceSuffix);
    absl::StrAppend(&prefix, component, "-");
  }
  return path;
}

absl::StatusOr<std::string> UnitCgroup(const ContainerUnit& unit) {
  ASSIGN_OR_RETURN(const std::string slice, ExpandSlice(unit.slice));
  return slice == "/" ? absl::StrCat("/", unit.scope) : absl::StrCat(slice, "/", unit.scope);
}

}  // namespace hull::cgroups::systemd
