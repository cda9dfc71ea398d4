// process.oomScoreAdj: how readily the OOM killer picks the container's
// processes.
#ifndef HULL_RUNTIME_PROCESS_OOM_SCORE_ADJ_H_
#define HULL_RUNTIME_PROCESS_OOM_SCORE_ADJ_H_

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "base/procfs_files.h"

namespace hull::process {

// Writes `process.oom_score_adj`, when set, to /proc/self/oom_score_adj.
// Lowering it below the lowest value the process has had needs
// CAP_SYS_RESOURCE; the error says so.
absl::Status SetOomScoreAdj(const config::Process& process, ProcFiles& proc);

}  // namespace hull::process

#endif  // HULL_RUNTIME_PROCESS_OOM_SCORE_ADJ_H_
