// What `--rootless` and the caller's privilege decide, as runc decides them:
// whether containers get rootless cgroups (runc's
// shouldUseRootlessCgroupManager, cgroupfs driver) and where their state
// lives by default (runc's shouldHonorXDGRuntimeDir: $XDG_RUNTIME_DIR/runc
// for an unprivileged user, /run/runc for root).
#ifndef HULL_TOOLS_LAUNCHER_ROOTLESS_OPTIONS_H_
#define HULL_TOOLS_LAUNCHER_ROOTLESS_OPTIONS_H_

#include <sys/types.h>

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull::launcher {

// Who runs hull, as far as these decisions go.
struct Invoker {
  uid_t euid = 0;
  // In a user namespace other than the initial one.
  bool in_user_namespace = false;
  std::optional<std::string> xdg_runtime_dir;  // $XDG_RUNTIME_DIR
  std::optional<std::string> user;             // $USER
};

// The calling process: geteuid, /proc/self/uid_map, its environment.
absl::StatusOr<Invoker> CurrentInvoker();

// `--rootless` ("true", "false" or "auto"): whether containers get rootless
// cgroups. auto: yes for an unprivileged user and for root in a user
// namespace, no for the host's root. Any other value is InvalidArgument.
absl::StatusOr<bool> RootlessCgroupsFor(absl::string_view flag, const Invoker& invoker);

// The state root without --root: "$XDG_RUNTIME_DIR/hull" when
// $XDG_RUNTIME_DIR is set and the invoker is not the host's root (euid != 0,
// or root in a user namespace whose $USER is not "root"), else /run/hull.
std::string DefaultStateRoot(const Invoker& invoker);

// Whether DefaultStateRoot is the user's runtime directory's.
bool UsesUserRuntimeDirectory(const Invoker& invoker);

// Makes `root` (0700) with the sticky bit, as runc does its
// $XDG_RUNTIME_DIR/runc: systemd's periodic cleanup of the runtime
// directory then leaves it alone.
absl::Status PrepareUserStateRoot(const std::string& root);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_ROOTLESS_OPTIONS_H_
