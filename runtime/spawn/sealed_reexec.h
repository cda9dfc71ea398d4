// A container's processes never run the launcher's binary as the launcher
// has it on disk (the CVE-2019-5736 class: a process of a container that
// opens /proc/<pid>/exe of another container's init, or of a process `exec`
// starts in it, must not get a handle it can write the host's binary
// through). Right after the clone, the process re-executes its binary
// through a read-only detached mount of it: /proc/<pid>/exe is then a file
// on a read-only mount, its environment is empty and its memory holds none
// of the launcher's; the context crosses the execve packed (init_request.h).
//
// Every program that creates containers calls ContainerProcessMain first
// thing in main():
//
//   int main(int argc, char** argv) {
//     hull::runtime::ContainerProcessMain(argc, argv);
//     ...
//   }
//
// A program may instead be sealed from its start, as crun is: it re-executes
// itself through such a mount before its C++ initializers run
// (ReexecSealedAtStart, from a .preinit_array function). Its container
// processes are then clones that need no second program start: their
// /proc/<pid>/exe is the sealed binary already, the clone forgets the
// program's environment, and it is non-dumpable until it execs the user's
// process. (The `hull` CLI does so for create, run and exec, from its ELF
// entry point before libc's start: sealed_entry.h.)
//
//   __attribute__((section(".preinit_array"), used))
//   void (*const kSealAtStart)(int, char**, char**) =
//       &hull::runtime::ReexecSealedAtStart;
#ifndef HULL_RUNTIME_SPAWN_SEALED_REEXEC_H_
#define HULL_RUNTIME_SPAWN_SEALED_REEXEC_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/fd.h"
#include "runtime/init/container_init.h"

namespace hull::runtime {

// When argv is a container process's re-execution, runs the container's
// init (or exec'd process) and never returns. Otherwise returns at once,
// having recorded that the program calls it.
void ContainerProcessMain(int argc, char** argv);

// FailedPrecondition, saying what to do, unless the program has called
// ContainerProcessMain.
absl::Status RequireContainerProcessMain();

// An O_PATH fd on a read-only, nosuid, nodev detached mount of this
// process's binary (open_tree of /proc/self/exe): what the clone re-executes.
// Without the privilege to clone a mount (a rootless hull), on a sealed
// memfd copy of it instead (no write, shrink or growth possible).
absl::StatusOr<UniqueFd> OpenSealedExe();

// Re-executes this program, with `argv` and `envp`, from OpenSealedExe()'s
// binary, unless it runs from a sealed one already: the kernel started it by
// execveat of an fd (AT_EXECFN "/dev/fd/<n>", as this call does) on a file
// of a read-only mount, or on a memfd sealed as OpenSealedExe seals its
// copy. Then it records that it does (StartedSealed) and where `envp`'s
// strings are. Returns when the re-execution fails too, and the program goes
// on unsealed: its clones re-execute then, as without this call.
// Its signature is a .preinit_array function's: a program may register it
// as it is.
void ReexecSealedAtStart(int argc, char** argv, char** envp);

// True when ReexecSealedAtStart found this process running from a sealed
// binary: a clone of it needs no re-execution.
bool StartedSealed();

// In a clone of a program StartedSealed: zeroes the strings of the
// program's environment (what /proc/<pid>/environ shows) and empties
// `environ`. Nothing of a container may read the launcher's environment.
void ForgetStartEnvironment();

// The clone's first step when context.sealed_exe_fd is valid: execveat of
// the sealed binary, with an empty environment, carrying the context. Returns
// only on failure.
extern const InitStep kReexecSealedStep;

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_SPAWN_SEALED_REEXEC_H_
