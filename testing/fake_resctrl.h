// A fake resctrl tree (/sys/fs/resctrl) on a plain directory, and the
// cgroups::CgroupFs that gives it resctrl's behaviour (cgroups/resctrl.h).
#ifndef HULL_TESTING_FAKE_RESCTRL_H_
#define HULL_TESTING_FAKE_RESCTRL_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/fd.h"
#include "cgroups/cgroupfs.h"

namespace hull::testing {

// Lays out at `root` the root group of a host with L3 CAT (cbm_mask fff,
// min_cbm_bits 2, 16 closids), MBA (min_bandwidth 10) and L3 monitoring.
void MakeFakeResctrlRoot(const std::string& root);

// The real syscalls, plus what the kernel does on resctrl itself: a new
// control group gets its `tasks`, `schemata` and mon_groups/, a new
// monitoring group its mon_data/ (llc_occupancy 4096, mbm_total_bytes 100,
// mbm_local_bytes 60) and `tasks`, and rmdir removes a group with all it
// holds. A write replaces a file's contents (a control file takes each
// write whole).
class FakeResctrlFs final : public cgroups::CgroupFs {
 public:
  absl::StatusOr<std::string> ReadFile(const std::string& path) override;
  absl::Status WriteFile(const std::string& path, absl::string_view value) override;
  bool Exists(const std::string& path) override;
  absl::Status MakeDirectory(const std::string& path) override;
  absl::Status RemoveDirectory(const std::string& path) override;
  absl::StatusOr<std::vector<std::string>> ListDirectories(const std::string& path) override;
  absl::StatusOr<UniqueFd> OpenDirectory(const std::string& path) override;
  absl::StatusOr<UniqueFd> OpenForWriting(const std::string& path) override;
  absl::Status Kill(pid_t pid, int signal) override;

 private:
  cgroups::LinuxCgroupFs real_;
};

}  // namespace hull::testing

#endif  // HULL_TESTING_FAKE_RESCTRL_H_
