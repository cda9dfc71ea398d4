// process.cwd: the directory the container's process starts in.
#ifndef HULL_RUNTIME_PROCESS_WORKING_DIRECTORY_H_
#define HULL_RUNTIME_PROCESS_WORKING_DIRECTORY_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull::process {

// Creates `cwd` and its missing parents (mode 0755; nothing when it exists),
// as runc does: `docker run -w /new` relies on it. Called after pivot_root,
// so that the path resolves inside the container's root, and before the root
// turns read-only.
absl::Status CreateWorkingDirectory(absl::string_view cwd);

// chdir(cwd) (nothing for an empty cwd), then checks that the directory is
// inside the process's root: a cwd reaching the host through a leaked fd
// ("/proc/self/fd/7", CVE-2024-21626) is refused. A missing directory is
// NotFound: `cwd "/nope" does not exist in the container`.
absl::Status EnterWorkingDirectory(absl::string_view cwd);

// As runc does, the init tries the cwd first while still root, since root
// may enter what the user may not, and again after the user switch only if
// root was refused (EACCES: a directory that only the user may enter, such
// as one on a root-squashing NFS): this is the first attempt. True when
// entered; false when permission was denied, to retry with
// EnterWorkingDirectory after the switch.
absl::StatusOr<bool> TryEnterWorkingDirectory(absl::string_view cwd);

}  // namespace hull::process

#endif  // HULL_RUNTIME_PROCESS_WORKING_DIRECTORY_H_
