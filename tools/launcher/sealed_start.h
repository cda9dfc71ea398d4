// Which hull processes seal themselves at their start: those whose command
// starts container processes (create, run, exec) re-execute hull from a
// sealed binary before anything else (runtime/spawn/sealed_reexec.h), so
// that those processes are clones of it with no program start of their own.
// The other commands (state, start, kill, delete, ...) skip that execve.
#ifndef HULL_TOOLS_LAUNCHER_SEALED_START_H_
#define HULL_TOOLS_LAUNCHER_SEALED_START_H_

#include <string>

#include "absl/types/span.h"

namespace hull::launcher {

// True when `args` (argv after the program's name) name, after the global
// flags, a command that starts container processes. False for a command
// line the global flags' parser refuses: main reports it.
bool StartsContainerProcesses(absl::Span<const std::string> args);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_SEALED_START_H_
