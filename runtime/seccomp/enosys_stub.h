// runc's -ENOSYS stub: a few BPF instructions placed before the profile's
// filter so that a system call newer than every one the profile names, on
// an architecture of the filter, fails with ENOSYS instead of the profile's
// default action. A libc newer than the profile then falls back to the older
// call (clone3 -> clone, faccessat2 -> faccessat, ...) as it does on an older
// kernel, where an EPERM would stop it. Calls the profile names, and older
// ones it does not, still get what the filter says.
#ifndef HULL_RUNTIME_SECCOMP_ENOSYS_STUB_H_
#define HULL_RUNTIME_SECCOMP_ENOSYS_STUB_H_

#include <linux/filter.h>

#include <cstdint>
#include <vector>

#include "absl/types/span.h"

namespace hull::runtime::seccomp {

// The newest system call a profile names on one architecture of its filter.
struct NewestSyscall {
  // AUDIT_ARCH_*: what seccomp_data.arch holds for the architecture.
  uint32_t audit_arch = 0;
  // The highest number the profile's names have there; 0: none (no stub
  // for the architecture).
  uint32_t newest = 0;
  // AUDIT_ARCH_X86_64 only: the x32 ABI, whose numbers carry bit 30
  // (__X32_SYSCALL_BIT), when the filter has it; 0: none. `newest` is then
  // the x86_64 ABI's.
  uint32_t newest_x32 = 0;
};

// The stub, to run before the profile's program: for each architecture, a
// call numbered above its newest returns SECCOMP_RET_ERRNO | ENOSYS; any
// other call falls through to the program (which loads what it reads
// itself). Empty when no architecture has a newest call.
std::vector<sock_filter> EnosysStub(absl::Span<const NewestSyscall> arches);

}  // namespace hull::runtime::seccomp

#endif  // HULL_RUNTIME_SECCOMP_ENOSYS_STUB_H_
