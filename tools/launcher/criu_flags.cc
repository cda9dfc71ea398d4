#include "tools/launcher/criu_flags.h"

#include <limits.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_util.h"

namespace hull::launcher {

std::vector<FlagSpec> CriuCommonFlags() {
  return {
      {.name = "image-path", .takes_value = true,
       .help = "path for the criu image files (default: ./checkpoint)"},
      {.name = "work-path", .takes_value = true,
       .help = "path for saving work files and logs (default: the image path)"},
      {.name = "tcp-established", .help = "allow open tcp connections"},
      {.name = "ext-unix-sk", .help = "allow external unix sockets"},
      {.name = "shell-job", .help = "allow shell jobs"},
      {.name = "file-locks", .help = "handle file locks, for safety"},
      {.name = "manage-cgroups-mode", .takes_value = true,
       .help = "cgroups mode: 'soft' (default), 'full', 'strict' and 'ignore'"},
      {.name = "empty-ns", .takes_value = true,
       .help = "create a namespace, but don't restore its properties (network, which is always "
               "made empty, as with runc)"},
      {.name = "auto-dedup", .help = "enable auto deduplication of memory images"},
      {.name = "lazy-pages", .help = "use userfaultfd to lazily restore memory pages"},
  };
}

absl::Status CriuCommonOptionsFromFlags(const ParsedFlags& flags,
                                        runtime::CriuCommonOptions& options) {
  options.image_path = flags.ValueOr("image-path", "");
  if (options.image_path.empty()) {
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd)) == nullptr) return ErrnoStatus("getcwd");
    options.image_path = absl::StrCat(cwd, "/checkpoint");
  }
  options.work_path = flags.ValueOr("work-path", "");
  options.tcp_established = flags.IsSet("tcp-established");
  options.ext_unix_sk = flags.IsSet("ext-unix-sk");
  options.shell_job = flags.IsSet("shell-job");
  options.file_locks = flags.IsSet("file-locks");
  options.auto_dedup = flags.IsSet("auto-dedup");
  options.lazy_pages = flags.IsSet("lazy-pages");
  options.manage_cgroups_mode = flags.ValueOr("manage-cgroups-mode", "");
  // As runc's CLI: the runtime manages no network devices, so CRIU neither
  // dumps the network namespace's configuration (interfaces, routes,
  // iptables) nor restores it; --empty-ns can only name it again.
  options.empty_ns = CLONE_NEWNET;
  if (auto ns = flags.Value("empty-ns")) {
    if (*ns != "network") {
      return absl::InvalidArgumentError(
          absl::StrCat("--empty-ns ", *ns, ": only the network namespace may be made empty"));
    }
  }
  return absl::OkStatus();
}

}  // namespace hull::launcher
