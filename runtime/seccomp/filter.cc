#include "runtime/seccomp/filter.h"

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace hull::runtime::seccomp {

std::string ProgramBytes(const Filter& filter) {
  return std::string(reinterpret_cast<const char*>(filter.program.data()),
                     filter.program.size() * sizeof(sock_filter));
}

absl::StatusOr<std::vector<sock_filter>> ProgramFromBytes(absl::string_view bytes) {
  if (bytes.size() % sizeof(sock_filter) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("a seccomp program of ", bytes.size(),
                                                   " bytes is not whole BPF instructions"));
  }
  std::vector<sock_filter> program(bytes.size() / sizeof(sock_filter));
  if (!bytes.empty()) memcpy(program.data(), bytes.data(), bytes.size());
  return program;
}

}  // namespace hull::runtime::seccomp
