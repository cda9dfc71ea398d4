#include "runtime/seccomp/enosys_stub.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>

#include <cerrno>
#include <limits>

namespace hull::runtime::seccomp {
namespace {

constexpr uint32_t kX32SyscallBit = 0x40000000;
// No call number is greater: the ABI gets no ENOSYS.
constexpr uint32_t kNoLimit = std::numeric_limits<uint32_t>::max();

sock_filter LoadWord(uint32_t offset) {
  return BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offset);
}

}  // namespace

std::vector<sock_filter> EnosysStub(absl::Span<const NewestSyscall> arches) {
  const sock_filter return_enosys = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
  std::vector<sock_filter> stub;
  for (const NewestSyscall& arch : arches) {
    const bool x86_64 = arch.audit_arch == AUDIT_ARCH_X86_64;
    if (arch.newest == 0 && (!x86_64 || arch.newest_x32 == 0)) continue;
    // One block an architecture; a call of another one skips to the next.
    //   ld arch; jeq AUDIT_ARCH, 0, <next block>; ld nr; <checks>
    stub.push_back(LoadWord(offsetof(seccomp_data, arch)));
    if (x86_64) {
      stub.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch.audit_arch, 0, 5));
      stub.push_back(LoadWord(offsetof(seccomp_data, nr)));
      // An x32 call (bit 30) compares with the x32 ABI's newest.
      stub.push_back(BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, kX32SyscallBit, 1, 0));
      stub.push_back(BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K,
                              arch.newest != 0 ? arch.newest : kNoLimit, 1, 2));
      stub.push_back(BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K,
                              arch.newest_x32 != 0 ? arch.newest_x32 : kNoLimit, 0, 1));
    } else {
      stub.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch.audit_arch, 0, 3));
      stub.push_back(LoadWord(offsetof(seccomp_data, nr)));
      stub.push_back(BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, arch.newest, 0, 1));
    }
    stub.push_back(return_enosys);
  }
  return stub;
}

}  // namespace hull::runtime::seccomp
