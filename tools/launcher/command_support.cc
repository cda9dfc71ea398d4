#include "tools/launcher/command_support.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "base/file_io.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "glog/logging.h"

namespace hull::launcher {

runtime::RuntimeOptions RuntimeOptionsFor(const GlobalOptions& global) {
  runtime::RuntimeOptions options{.state_root = global.root,
                                  .systemd_cgroup = global.systemd_cgroup,
                                  .rootless_cgroups = global.rootless_cgroups,
                                  .in_user_namespace = global.in_user_namespace,
                                  .criu_path = global.criu};
  if (global.debug) options.child_log = [](absl::string_view record) { VLOG(1) << record; };
  return options;
}

absl::StatusOr<LoadedContainer> LoadContainer(const GlobalOptions& global, const std::string& id) {
  auto hull = std::make_unique<runtime::Runtime>(RuntimeOptionsFor(global));
  ASSIGN_OR_RETURN(runtime::Container container, hull->Load(id));
  return LoadedContainer{.runtime = std::move(hull), .container = std::move(container)};
}

std::string BundleConfigPath(absl::string_view bundle) {
  return absl::StrCat(bundle, "/config.json");
}

absl::StatusOr<std::string> ResolveBundle(const ParsedFlags& flags) {
  const std::string bundle = flags.ValueOr("bundle", ".");
  char resolved[PATH_MAX];
  if (::realpath(bundle.c_str(), resolved) == nullptr) {
    return absl::NotFoundError(absl::StrCat("bundle \"", bundle, "\": ", strerror(errno)));
  }
  return std::string(resolved);
}

absl::Status WritePidFile(const std::string& path, pid_t pid) {
  const std::string temporary = absl::StrCat(path, ".hull-tmp");
  UniqueFd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  const std::string text = absl::StrCat(pid);
  if (!fd.valid() || ::write(fd.get(), text.data(), text.size()) != ssize_t(text.size()) ||
      ::rename(temporary.c_str(), path.c_str()) != 0) {
    const absl::Status failed = ErrnoStatus("write pid file ", path);
    ::unlink(temporary.c_str());
    return failed;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFileOrStdin(const std::string& path) {
  if (path == "-") return ReadAll(STDIN_FILENO, "stdin");
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("open ", path);
  return ReadAll(fd.get(), path);
}

FlagSpec FormatFlag() {
  return {.name = "format", .short_name = "f", .takes_value = true,
          .help = "table (default) or json"};
}

absl::StatusOr<bool> WantsJson(const ParsedFlags& flags) {
  const std::string format = flags.ValueOr("format", "table");
  if (format != "table" && format != "json") {
    return absl::InvalidArgumentError(absl::StrCat("invalid format option: \"", format, "\""));
  }
  return format == "json";
}

}  // namespace hull::launcher
