// A program's ELF entry point that seals it before libc's start runs.
//
// ReexecSealedAtStart (sealed_reexec.h) re-executes a program from a sealed
// binary from a .preinit_array function: after libc's start, which the
// first image then runs for nothing (glibc's static start alone reads the
// CPU's cache sizes with about a hundred cpuid instructions, each a VM exit
// under a hypervisor). HULL_SEALED_ENTRY_POINT defines an entry point that
// runs first instead, ahead of libc's _start: when the command line asks
// for it, it execveat()s the program from a read-only detached mount of its
// binary with raw system calls, and otherwise jumps to _start with the
// process's initial stack untouched.
//
// Its code runs before a static position-independent binary is relocated
// and before libc has set up anything (no TLS, no IFUNCs resolved): it
// calls no libc function, reads no pointer stored in data, and is built
// without stack protector or sanitizers. The command-line predicate a
// program passes runs under the same rules, and the file that uses the
// macro and the predicate's are built with the same options
// (sealed_entry.bzl's SEALED_ENTRY_COPTS).
//
// A program keeps ReexecSealedAtStart in its .preinit_array too: it records
// the sealed start in the re-executed image (StartedSealed), and seals the
// program when the entry point could not (without the privilege for a
// detached mount, it makes a sealed memfd copy).
//
//   bool SealsCommandLine(const char* const* args);  // argv[1..], null-terminated
//   HULL_SEALED_ENTRY_POINT(program_entry, SealsCommandLine);
//   // linked with -Wl,-e,program_entry
#ifndef HULL_RUNTIME_SPAWN_SEALED_ENTRY_H_
#define HULL_RUNTIME_SPAWN_SEALED_ENTRY_H_

namespace hull::runtime {

// What OpenReadOnlyExeMount returns: an fd, or the errno of the call that
// failed (named for messages).
struct ExeMount {
  int fd = -1;
  int error = 0;
  const char* failed_call = nullptr;
};

// An O_PATH, close-on-exec fd on a read-only, nosuid, nodev detached mount
// of this process's binary (open_tree of /proc/self/exe, then
// mount_setattr). Raw system calls only: callable before libc's start.
ExeMount OpenReadOnlyExeMount();

// True when `executed`, the kernel's AT_EXECFN, says that the process was
// started by execveat of an fd ("/dev/fd/<n>"). Callable before libc's start.
bool ExecutedThroughAnFd(const char* executed);

// The entry point's work. `stack` is the process's initial stack (argc,
// argv, envp, auxv). Unless the kernel started the process by execveat of
// an fd (its AT_EXECFN is "/dev/fd/<n>", as after this call's own
// re-execution), and when `seals(argv + 1)` is true, re-executes the
// program from OpenReadOnlyExeMount()'s binary with the same argv and
// environment. Returns otherwise, and when that fails.
void SealBeforeLibcStart(long* stack, bool (*seals)(const char* const* args));

}  // namespace hull::runtime

#if !defined(__x86_64__)
#error "HULL_SEALED_ENTRY_POINT is written for x86-64 only"
#endif

// Defines `entry`, an ELF entry point that calls SealBeforeLibcStart with
// `seals`, then restores the initial stack pointer and %rdx (the function a
// dynamic loader asks _start to register with atexit) and jumps to libc's
// _start.
#define HULL_SEALED_ENTRY_POINT(entry, seals)                                               \
  extern "C" __attribute__((visibility("hidden"), used)) void entry##_seal(long* stack) { \
    ::hull::runtime::SealBeforeLibcStart(stack, seals);                                   \
  }                                                                                       \
  asm(".text\n"                                                                           \
      ".globl " #entry "\n"                                                               \
      ".type " #entry ", @function\n"                                                     \
      ".p2align 4\n" #entry ":\n"                                                         \
      ".cfi_startproc\n"                                                                  \
      ".cfi_undefined rip\n"                                                              \
      "  xor %ebp, %ebp\n"                                                                \
      "  mov %rsp, %rbx\n"                                                                \
      "  mov %rdx, %r12\n"                                                                \
      "  mov %rsp, %rdi\n"                                                                \
      "  and $-16, %rsp\n"                                                                \
      "  call " #entry "_seal\n"                                                          \
      "  mov %rbx, %rsp\n"                                                                \
      "  mov %r12, %rdx\n"                                                                \
      "  jmp _start\n"                                                                    \
      ".cfi_endproc\n"                                                                    \
      ".size " #entry ", . - " #entry "\n")

#endif  // HULL_RUNTIME_SPAWN_SEALED_ENTRY_H_
