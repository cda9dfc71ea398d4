// Which hull processes seal themselves at their start: those whose command
// starts container processes (create, run, exec) re-execute hull from a
// sealed binary before anything else, so that those processes are clones of
// it with no program start of their own. The other commands (state, start,
// kill, delete, ...) skip that execve.
//
// hull's ELF entry point, `hull_launcher_entry`, does it before libc's start
// (runtime/spawn/sealed_entry.h); main.cc's .preinit_array function
// (ReexecSealedAtStart) records the sealed start, and seals hull when the
// entry point could not.
#ifndef HULL_TOOLS_LAUNCHER_SEALED_START_H_
#define HULL_TOOLS_LAUNCHER_SEALED_START_H_

namespace hull::launcher {

// True when `args` (argv after the program's name, null-terminated) name,
// after the global flags, a command that starts container processes. False
// for a command line the global flags' parser refuses: main reports it.
// It runs at the entry point, before libc's start: no libc call, no table of
// pointers; GlobalFlagSpecs() has the flags it knows.
bool StartsContainerProcesses(const char* const* args);

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_SEALED_START_H_
