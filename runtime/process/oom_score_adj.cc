#include "runtime/process/oom_score_adj.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "config/runtime_spec.pb.h"
#include "base/procfs_files.h"

namespace hull::process {

absl::Status SetOomScoreAdj(const config::Process& process, ProcFiles& proc) {
  if (!process.has_oom_score_adj()) return absl::OkStatus();
  const absl::Status status =
      proc.Write("self/oom_score_adj", absl::StrCat(process.oom_score_adj()));
  if (status.code() != absl::StatusCode::kPermissionDenied) return status;
  return absl::Status(status.code(), absl::StrCat(status.message(), " (setting oom_score_adj to ",
                                                  process.oom_score_adj(),
                                                  " lowers it, which needs CAP_SYS_RESOURCE)"));
}

}  // namespace hull::process
