#include "tools/launcher/global_flags.h"

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "base/status_macros.h"
#include "runtime/runtime_options.h"
#include "tools/launcher/rootless_options.h"

namespace hull::launcher {

// --root's help names the default.
static_assert(std::string_view(runtime::kDefaultStateRoot) == "/run/hull");

const std::vector<FlagSpec>& GlobalFlagSpecs() {
  static const auto* const kFlags = new std::vector<FlagSpec>{
      {.name = "debug", .help = "enable debug logging"},
      {.name = "log", .takes_value = true,
       .help = "set the log file to write hull logs to (default is '/dev/stderr')"},
      {.name = "log-format", .takes_value = true,
       .help = "set the log format ('text' (default), or 'json') (default: \"text\")"},
      {.name = "root", .takes_value = true,
       .help = "root directory for storage of container state (this should be located in "
               "tmpfs) (default: \"/run/hull\")"},
      {.name = "criu", .takes_value = true,
       .help = "path to the criu binary used for checkpoint and restore (default: \"criu\")"},
      {.name = "systemd-cgroup",
       .help = "enable systemd cgroup support, expects cgroupsPath to be of form "
               "\"slice:prefix:name\" (for e.g. \"system.slice:hull:1234\")"},
      {.name = "rootless", .takes_value = true,
       .help = "ignore cgroup permission errors ('true', 'false', or 'auto') (default: \"auto\")"},
      {.name = "help", .short_name = "h", .help = "show help"},
      {.name = "version", .short_name = "v", .help = "print the version"},
  };
  return *kFlags;
}

absl::StatusOr<GlobalOptions> GlobalOptionsFor(const ParsedFlags& global) {
  ASSIGN_OR_RETURN(const Invoker invoker, CurrentInvoker());
  return GlobalOptionsFor(global, invoker);
}

absl::StatusOr<GlobalOptions> GlobalOptionsFor(const ParsedFlags& global, const Invoker& invoker) {
  ASSIGN_OR_RETURN(const bool rootless_cgroups,
                   RootlessCgroupsFor(global.ValueOr("rootless", "auto"), invoker));
  const absl::optional<std::string> root = global.Value("root");
  const bool default_root = !root.has_value();
  return GlobalOptions{.root = default_root ? DefaultStateRoot(invoker) : *root,
                       .debug = global.IsSet("debug"),
                       .systemd_cgroup = global.IsSet("systemd-cgroup"),
                       .rootless_cgroups = rootless_cgroups,
                       .in_user_namespace = invoker.in_user_namespace,
                       .root_in_user_runtime_dir = default_root && UsesUserRuntimeDirectory(invoker),
                       .criu = global.ValueOr("criu", "criu")};
}

}  // namespace hull::launcher
