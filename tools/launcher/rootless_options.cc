#include "tools/launcher/rootless_options.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "base/procfs_files.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "nsenter/user_namespace_probe.h"
#include "runtime/runtime_options.h"

namespace hull::launcher {
namespace {

std::optional<std::string> Environment(const char* name) {
  const char* value = getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

}  // namespace

absl::StatusOr<Invoker> CurrentInvoker() {
  LinuxProcFiles proc("/proc");
  ASSIGN_OR_RETURN(const bool in_user_namespace, nsenter::RunningInUserNamespace(proc));
  return Invoker{.euid = geteuid(),
                 .in_user_namespace = in_user_namespace,
                 .xdg_runtime_dir = Environment("XDG_RUNTIME_DIR"),
                 .user = Environment("USER")};
}

absl::StatusOr<bool> RootlessCgroupsFor(absl::string_view flag, const Invoker& invoker) {
  if (flag == "true") return true;
  if (flag == "false") return false;
  if (flag != "auto") {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid --rootless value \"", flag, "\": want true, false or auto"));
  }
  // runc: with the cgroupfs driver, root in a user namespace cannot know
  // whether it may use the cgroupsPath, and takes the rootless manager.
  return invoker.euid != 0 || invoker.in_user_namespace;
}

bool UsesUserRuntimeDirectory(const Invoker& invoker) {
  if (!invoker.xdg_runtime_dir.has_value() || invoker.xdg_runtime_dir->empty()) return false;
  if (invoker.euid != 0) return true;
  // The host's root keeps /run/hull, whatever its $XDG_RUNTIME_DIR
  // (/run/user/0).
  if (!invoker.in_user_namespace) return false;
  return !invoker.user.has_value() || *invoker.user != "root";
}

std::string DefaultStateRoot(const Invoker& invoker) {
  if (!UsesUserRuntimeDirectory(invoker)) return runtime::kDefaultStateRoot;
  return absl::StrCat(*invoker.xdg_runtime_dir, "/hull");
}

absl::Status PrepareUserStateRoot(const std::string& root) {
  if (mkdir(root.c_str(), 0700) != 0 && errno != EEXIST) return ErrnoStatus("mkdir ", root);
  if (chmod(root.c_str(), 0700 | S_ISVTX) != 0) return ErrnoStatus("chmod ", root);
  return absl::OkStatus();
}

}  // namespace hull::launcher
