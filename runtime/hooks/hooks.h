// The OCI runtime-spec's hooks (config.json's `hooks`): programs run at
// points of a container's lifecycle, each reading the container's state on
// stdin. Run as runc runs them; the launcher runs prestart, createRuntime,
// poststart and poststop, the container's init createContainer and
// startContainer, in the container's namespaces.
#ifndef HULL_RUNTIME_HOOKS_HOOKS_H_
#define HULL_RUNTIME_HOOKS_HOOKS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"
#include "google/protobuf/repeated_field.h"

namespace hull::hooks {

using HookList = google::protobuf::RepeatedPtrField<config::Hook>;

struct RunOptions {
  // The hook's working directory; empty: the caller's.
  std::string working_directory;
};

// Runs one hook to its end: `hook.path` exec'd with `hook.args` as its argv
// (args[0] is argv[0]; {path} when there are none) and exactly `hook.env` as
// its environment, `state` on its stdin, its stdout and stderr captured. It
// starts with every signal at its default disposition and none blocked, and
// no fd but 0, 1 and 2. With `hook.timeout`, a hook still running after that
// many seconds is killed (SIGKILL to the hook itself, as runc does).
//
// Errors, in runc's words (Go's, for what the hook did):
//   fork/exec /bin/nope: no such file or directory     (the exec failed; code of the errno)
//   error running hook: exit status 1, stdout: ..., stderr: ...            (Aborted)
//   error running hook: signal: killed, stdout: ..., stderr: ...           (Aborted)
//   hook ran past specified timeout of 1.0s, stdout: ..., stderr: ...      (DeadlineExceeded)
// Of a hook's output the error keeps the last 16 KiB of each stream (an
// error crosses the init's channel, whose messages are at most 64 KiB).
//
// Between its clone and its exec the child makes only system calls, so any
// process may call this: a single-threaded init as well as a launcher with
// threads. The hook is the caller's child until it is reaped here.
absl::Status RunHook(const config::Hook& hook, absl::string_view state,
                     const RunOptions& options = {});

// Runs `hooks` in order and stops at the first that fails (prestart,
// createRuntime, createContainer, startContainer: their failure fails the
// operation). Its error is RunHook's, after "error running <kind> hook #<i>: ".
absl::Status RunHooks(absl::string_view kind, const HookList& hooks, absl::string_view state,
                      const RunOptions& options = {});

// Runs every hook of `hooks`, in order, logging each failure (RunHooks'
// words) as a warning: a poststart or poststop hook that fails changes
// nothing else (the spec: "the remaining hooks and lifecycle continue as if
// the hook had succeeded").
void RunHooksWarningOnFailure(absl::string_view kind, const HookList& hooks,
                              absl::string_view state, const RunOptions& options = {});

}  // namespace hull::hooks

#endif  // HULL_RUNTIME_HOOKS_HOOKS_H_
