// process.apparmorProfile and process.selinuxLabel: the labels the Linux
// security modules give the process at its execve. Both are written to the
// calling thread's /proc attr files, which take effect at the next execve,
// through ProcFiles: a file that is not on procfs (a planted bind mount or
// file, CVE-2019-16884) is refused, never written.
//
// The validator refuses either field on a host without its module, so these
// run only where the kernel enforces them.
#ifndef HULL_RUNTIME_SECURITY_EXEC_LABELS_H_
#define HULL_RUNTIME_SECURITY_EXEC_LABELS_H_

#include "absl/status/status.h"
#include "base/procfs_files.h"
#include "config/runtime_spec.pb.h"

namespace hull::security {

// "exec <profile>" to thread-self/attr/apparmor/exec, or, on kernels without
// the per-module directory (before 5.8), to thread-self/attr/exec, as runc
// does. Nothing without a profile.
absl::Status SetAppArmorExecProfile(const config::Process& process, ProcFiles& proc);

// The label to thread-self/attr/exec. Nothing without a label.
absl::Status SetSelinuxExecLabel(const config::Process& process, ProcFiles& proc);

}  // namespace hull::security

#endif  // HULL_RUNTIME_SECURITY_EXEC_LABELS_H_
