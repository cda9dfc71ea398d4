// What several `hull` verbs do with their arguments, once: load the container
// a verb names, find a bundle and its config.json, write a pid file, read an
// input given as a path or `-`, and pick the output format.
#ifndef HULL_TOOLS_LAUNCHER_COMMAND_SUPPORT_H_
#define HULL_TOOLS_LAUNCHER_COMMAND_SUPPORT_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/container.h"
#include "runtime/runtime_options.h"
#include "tools/launcher/command.h"
#include "tools/launcher/command_line.h"

namespace hull::launcher {

// A container and the runtime it was loaded from, which outlives it (members
// are destroyed in reverse order).
struct LoadedContainer {
  std::unique_ptr<runtime::Runtime> runtime;
  runtime::Container container;
};

// The runtime's options for the global flags: its state under --root and,
// with --debug, the steps of the inits it clones in the log.
runtime::RuntimeOptions RuntimeOptionsFor(const GlobalOptions& global);

// Container `id` under --root; NotFound "container does not exist: ID".
absl::StatusOr<LoadedContainer> LoadContainer(const GlobalOptions& global, const std::string& id);

// <bundle>/config.json
std::string BundleConfigPath(absl::string_view bundle);

// --bundle (default: the current directory) made absolute, symlinks
// resolved; NotFound naming it when it does not resolve.
absl::StatusOr<std::string> ResolveBundle(const ParsedFlags& flags);

// Writes `pid` to `path` as runc does: into a temporary file beside it,
// renamed over `path`, so that a reader finds the old file or the whole pid.
absl::Status WritePidFile(const std::string& path, pid_t pid);

// The contents of the file `path`, or of stdin when `path` is "-".
absl::StatusOr<std::string> ReadFileOrStdin(const std::string& path);

// --format, -f: the output of list and ps.
FlagSpec FormatFlag();

// Whether --format asks for "json" rather than "table" (the default);
// InvalidArgument for any other format.
absl::StatusOr<bool> WantsJson(const ParsedFlags& flags);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_COMMAND_SUPPORT_H_
