// A classic BPF interpreter for seccomp programs, for tests: what the kernel
// would answer to one system call, without loading anything.
#ifndef HULL_RUNTIME_SECCOMP_BPF_INTERPRETER_H_
#define HULL_RUNTIME_SECCOMP_BPF_INTERPRETER_H_

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <cstdint>
#include <initializer_list>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace hull::runtime::seccomp {

// `nr` on `audit_arch` with `args` (the rest 0).
seccomp_data SyscallData(uint32_t audit_arch, int nr, std::initializer_list<uint64_t> args = {});

// The SECCOMP_RET_* value `program` returns for `data`; InvalidArgument for
// an instruction seccomp does not allow or a jump out of the program.
absl::StatusOr<uint32_t> RunProgram(absl::Span<const sock_filter> program,
                                    const seccomp_data& data);

}  // namespace hull::runtime::seccomp

#endif  // HULL_RUNTIME_SECCOMP_BPF_INTERPRETER_H_
