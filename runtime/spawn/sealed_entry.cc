#include "runtime/spawn/sealed_entry.h"

#include <elf.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sys/syscall.h>

namespace hull::runtime {
namespace {

// A system call without libc's wrapper (which sets errno, a thread-local
// variable): the result, or -errno.
long RawSyscall(long number, long a1, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0) {
  register long r10 asm("r10") = a4;
  register long r8 asm("r8") = a5;
  long result;
  asm volatile("syscall"
               : "=a"(result)
               : "a"(number), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8)
               : "rcx", "r11", "memory");
  return result;
}

// The kernel's AT_EXECFN: the path, or "/dev/fd/<n>", that it executed.
const char* ExecutedPath(char** envp) {
  while (*envp != nullptr) ++envp;
  for (const auto* entry = reinterpret_cast<const unsigned long*>(envp + 1); entry[0] != AT_NULL;
       entry += 2) {
    if (entry[0] == AT_EXECFN) return reinterpret_cast<const char*>(entry[1]);
  }
  return nullptr;
}

}  // namespace

bool ExecutedThroughAnFd(const char* executed) {
  if (executed == nullptr) return false;
  for (const char* prefix = "/dev/fd/"; *prefix != '\0'; ++executed, ++prefix) {
    if (*executed != *prefix) return false;
  }
  return true;
}

ExeMount OpenReadOnlyExeMount() {
  const long tree = RawSyscall(SYS_open_tree, AT_FDCWD, reinterpret_cast<long>("/proc/self/exe"),
                               OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (tree < 0) {
    return {.error = static_cast<int>(-tree), .failed_call = "open_tree(/proc/self/exe, OPEN_TREE_CLONE)"};
  }
  // Field by field: a braced zeroing may become a call of memset.
  mount_attr attributes;
  attributes.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
  attributes.attr_clr = 0;
  attributes.propagation = 0;
  attributes.userns_fd = 0;
  const long set = RawSyscall(SYS_mount_setattr, tree, reinterpret_cast<long>(""), AT_EMPTY_PATH,
                              reinterpret_cast<long>(&attributes), sizeof(attributes));
  if (set < 0) {
    RawSyscall(SYS_close, tree);
    return {.error = static_cast<int>(-set),
            .failed_call = "mount_setattr(MOUNT_ATTR_RDONLY) on a detached mount of /proc/self/exe"};
  }
  return {.fd = static_cast<int>(tree)};
}

void SealBeforeLibcStart(long* stack, bool (*seals)(const char* const* args)) {
  const long argc = stack[0];
  // No command line at all (an execve with an empty argv): nothing to seal for.
  if (argc < 1) return;
  char** const argv = reinterpret_cast<char**>(stack + 1);
  char** const envp = argv + argc + 1;
  // Started through an fd: the re-executed image, or a caller's fexecve; the
  // .preinit_array function tells which (ReexecSealedAtStart).
  if (ExecutedThroughAnFd(ExecutedPath(envp))) return;
  if (!seals(argv + 1)) return;
  // Without the privilege for a detached mount (a rootless hull), the
  // .preinit_array function makes a sealed memfd copy instead.
  const ExeMount exe = OpenReadOnlyExeMount();
  if (exe.fd < 0) return;
  RawSyscall(SYS_execveat, exe.fd, reinterpret_cast<long>(""), reinterpret_cast<long>(argv),
             reinterpret_cast<long>(envp), AT_EMPTY_PATH);
  RawSyscall(SYS_close, exe.fd);
}

}  // namespace hull::runtime
