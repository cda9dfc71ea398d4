#include "cgroups/hugepage_sizes.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"

namespace hull::cgroups {

absl::StatusOr<std::string> HugePageSizeName(absl::string_view directory_name) {
  absl::string_view size = directory_name;
  uint64_t kilobytes;
  if (!absl::ConsumePrefix(&size, "hugepages-") || !absl::ConsumeSuffix(&size, "kB") ||
      !absl::SimpleAtoi(size, &kilobytes) || kilobytes == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", directory_name, "\" is not a huge page size (hugepages-<n>kB)"));
  }
  if (kilobytes >= (uint64_t{1} << 20)) return absl::StrCat(kilobytes >> 20, "GB");
  if (kilobytes >= (uint64_t{1} << 10)) return absl::StrCat(kilobytes >> 10, "MB");
  return absl::StrCat(kilobytes, "KB");
}

absl::StatusOr<std::vector<std::string>> HugePageSizes(CgroupFs& fs, const std::string& directory) {
  absl::StatusOr<std::vector<std::string>> names = fs.ListDirectories(directory);
  if (absl::IsNotFound(names.status())) return std::vector<std::string>();
  if (!names.ok()) return names.status();
  std::vector<std::string> sizes;
  for (const std::string& name : *names) {
    ASSIGN_OR_RETURN(std::string size, HugePageSizeName(name));
    sizes.push_back(std::move(size));
  }
  return sizes;
}

}  // namespace hull::cgroups
