// The program of the container's process: found in the container's PATH
// before the init waits for `start` (so that a missing program fails
// `create`, as with runc), and exec'd at the end.
//
// Errors carry runc's words (Go's exec.LookPath and os.PathError), which
// clients such as containerd, podman and Docker map to exit codes 127 ("not
// found", "no such file or directory") and 126 ("permission denied").
#ifndef HULL_RUNTIME_PROCESS_EXECUTABLE_H_
#define HULL_RUNTIME_PROCESS_EXECUTABLE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull::process {

// Go's text for an errno, as runc prints it: strerror's with a lower-case
// first letter ("no such file or directory").
std::string GoErrnoText(int error);

// The path to exec for `file`, as Go's exec.LookPath finds it: a name with
// a '/' is checked as it is; any other name in each directory of
// `path_variable` (the process's PATH; an empty entry means "."). A file
// qualifies when it exists, is not a directory and the caller may execute it
// (faccessat with AT_EACCESS, as the container's user). Errors:
//   exec: "foo": executable file not found in $PATH        (NotFound)
//   exec: "/nope": stat /nope: no such file or directory   (NotFound)
//   exec: "/bin/x": permission denied                      (PermissionDenied)
//   exec: "/bin": is a directory                           (FailedPrecondition)
//   exec: "foo": cannot run executable found relative to current directory
absl::StatusOr<std::string> FindExecutable(absl::string_view file, absl::string_view path_variable);

// execve(executable, args, env). Returns only on failure, in runc's words:
// `exec /bin/x: exec format error`.
absl::Status Execute(const std::string& executable, const std::vector<std::string>& args,
                     const std::vector<std::string>& env);

}  // namespace hull::process

#endif  // HULL_RUNTIME_PROCESS_EXECUTABLE_H_
