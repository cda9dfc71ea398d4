// A compiled seccomp filter: the classic BPF program the kernel runs at each
// system call, and the flags of the seccomp(2) that loads it. The launcher
// compiles it (compile_filter.h) before it clones a process, which loads it
// (load_filter.h) without libseccomp.
#ifndef HULL_RUNTIME_SECCOMP_FILTER_H_
#define HULL_RUNTIME_SECCOMP_FILTER_H_

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull::runtime::seccomp {

struct Filter {
  std::vector<sock_filter> program;
  // SECCOMP_FILTER_FLAG_*.
  unsigned int flags = 0;

  // Loading it returns a listener (SCMP_ACT_NOTIFY rules).
  bool new_listener() const { return (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0; }
};

// The program's instructions as bytes (the fork server's request carries
// them), and back; InvalidArgument for a length that is not a whole number
// of instructions.
std::string ProgramBytes(const Filter& filter);
absl::StatusOr<std::vector<sock_filter>> ProgramFromBytes(absl::string_view bytes);

}  // namespace hull::runtime::seccomp

#endif  // HULL_RUNTIME_SECCOMP_FILTER_H_
