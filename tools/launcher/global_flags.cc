#include "tools/launcher/global_flags.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "runtime/runtime_options.h"

namespace hull::launcher {
namespace {

// The commands that neither create containers nor touch their cgroups: the
// cgroup flags change nothing they do.
bool IgnoresCgroupFlags(const Command& command) {
  static const auto* const kNames =
      new absl::flat_hash_set<std::string>{"spec", "list", "state", "features", "validate"};
  return kNames->contains(command.name);
}

}  // namespace

const std::vector<FlagSpec>& GlobalFlagSpecs() {
  static const auto* const kFlags = new std::vector<FlagSpec>{
      {.name = "debug", .help = "enable debug logging"},
      {.name = "log", .takes_value = true,
       .help = "set the log file to write hull logs to (default is '/dev/stderr')"},
      {.name = "log-format", .takes_value = true,
       .help = "set the log format ('text' (default), or 'json') (default: \"text\")"},
      {.name = "root", .takes_value = true,
       .help = absl::StrCat("root directory for storage of container state (this should be "
                            "located in tmpfs) (default: \"",
                            runtime::kDefaultStateRoot, "\")")},
      {.name = "criu", .takes_value = true,
       .help = "path to the criu binary used for checkpoint and restore (default: \"criu\")"},
      {.name = "systemd-cgroup",
       .help = "enable systemd cgroup support, expects cgroupsPath to be of form "
               "\"slice:prefix:name\" (not supported yet: refused)"},
      {.name = "rootless", .takes_value = true,
       .help = "ignore cgroup permission errors ('true', 'false', or 'auto') (default: \"auto\"; "
               "'true' is not supported yet: refused)"},
      {.name = "help", .short_name = "h", .help = "show help"},
      {.name = "version", .short_name = "v", .help = "print the version"},
  };
  return *kFlags;
}

absl::StatusOr<GlobalOptions> GlobalOptionsFor(const ParsedFlags& global, const Command& command) {
  const std::string rootless = global.ValueOr("rootless", "auto");
  if (rootless != "true" && rootless != "false" && rootless != "auto") {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid --rootless value \"", rootless, "\": want true, false or auto"));
  }
  if (!IgnoresCgroupFlags(command)) {
    if (global.IsSet("systemd-cgroup")) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--systemd-cgroup is not supported: Hull has no systemd cgroup driver (", command.name,
          " would need one); run without it (cgroupfs, cgroupsPath as a path)"));
    }
    if (rootless == "true") {
      return absl::InvalidArgumentError(absl::StrCat(
          "--rootless true is not supported: Hull does not ignore cgroup permission errors (",
          command.name, " would); use --rootless auto or false"));
    }
  }
  return GlobalOptions{.root = global.ValueOr("root", runtime::kDefaultStateRoot),
                       .debug = global.IsSet("debug"),
                       .criu = global.ValueOr("criu", "criu")};
}

}  // namespace hull::launcher
