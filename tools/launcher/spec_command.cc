#include "tools/launcher/spec_command.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "config/default_spec.h"
#include "config/json.h"
#include "tools/launcher/command_support.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunSpec(const GlobalOptions&, const ParsedFlags& flags) {
  ASSIGN_OR_RETURN(std::string json,
                   config::ConfigToJson(config::DefaultSpec(flags.IsSet("rootless"))));
  json.push_back('\n');
  const std::string path = BundleConfigPath(flags.ValueOr("bundle", "."));
  // O_EXCL: never overwrite a config the user already has.
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (!fd.valid()) {
    if (errno == EEXIST) {
      return absl::AlreadyExistsError(absl::StrCat("File ", path, " exists. Remove it first"));
    }
    return absl::InvalidArgumentError(absl::StrCat("create ", path, ": ", strerror(errno)));
  }
  if (::write(fd.get(), json.data(), json.size()) != static_cast<ssize_t>(json.size()) ||
      ::fsync(fd.get()) != 0) {
    int error = errno;
    ::unlink(path.c_str());
    return absl::InternalError(absl::StrCat("write ", path, ": ", strerror(error)));
  }
  return 0;
}

}  // namespace

Command SpecCommand() {
  return {
      .name = "spec",
      .summary = "create a new specification file (config.json)",
      .flags = {{.name = "bundle", .short_name = "b", .takes_value = true,
                 .help = "path to the root of the bundle directory"},
                {.name = "rootless", .help = "generate a configuration for a rootless container"}},
      .run = RunSpec,
  };
}

}  // namespace hull::launcher
