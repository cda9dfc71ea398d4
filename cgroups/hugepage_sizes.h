// The huge page sizes the kernel supports, named as the hugetlb controller's
// files name them ("2MB" in hugetlb.2MB.max), for the hugetlb statistics.
#ifndef HULL_CGROUPS_HUGEPAGE_SIZES_H_
#define HULL_CGROUPS_HUGEPAGE_SIZES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cgroups/cgroupfs.h"

namespace hull::cgroups {

inline constexpr absl::string_view kHugepagesDirectory = "/sys/kernel/mm/hugepages";

// "hugepages-2048kB" -> "2MB", "hugepages-1048576kB" -> "1GB",
// "hugepages-64kB" -> "64KB" (the kernel's hugetlb_cgroup naming; pure).
// InvalidArgument for any other name.
absl::StatusOr<std::string> HugePageSizeName(absl::string_view directory_name);

// The sizes listed in `directory` (kHugepagesDirectory on a real host), in
// its order; none when it does not exist (a kernel without hugetlbfs).
absl::StatusOr<std::vector<std::string>> HugePageSizes(CgroupFs& fs, const std::string& directory);

}  // namespace hull::cgroups

#endif  // HULL_CGROUPS_HUGEPAGE_SIZES_H_
