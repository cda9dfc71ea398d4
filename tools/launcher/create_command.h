// `hull create`: a container from a bundle, its init waiting for `start`.
// `run` creates its container the same way.
#ifndef HULL_TOOLS_LAUNCHER_CREATE_COMMAND_H_
#define HULL_TOOLS_LAUNCHER_CREATE_COMMAND_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/fd.h"
#include "runtime/container.h"
#include "runtime/create_options.h"
#include "tools/launcher/command.h"
#include "tools/launcher/command_line.h"

namespace hull::launcher {

Command CreateCommand();

// The flags of create, which run takes too.
std::vector<FlagSpec> CreateFlags();

// The options --bundle (made absolute), --no-pivot, --no-new-keyring and
// --preserve-fds give.
absl::StatusOr<runtime::CreateOptions> CreateOptionsFromFlags(const ParsedFlags& flags);

// A container CreateFromFlags made and, for a foreground `run` whose process
// has a terminal, the master of its pty, for the caller to relay.
struct CreatedContainer {
  runtime::Container container;
  UniqueFd pty_master;
};

// Creates the container the flags describe (its id is the first positional
// argument) and writes its init's pid to --pid-file; a container whose pid
// file cannot be written is deleted. With process.terminal, the pty master
// is sent to --console-socket when the command will `detach`, else kept.
absl::StatusOr<CreatedContainer> CreateFromFlags(runtime::Runtime& hull, const ParsedFlags& flags,
                                                 bool detach);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_CREATE_COMMAND_H_
