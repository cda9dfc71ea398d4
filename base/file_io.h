// Reading a file descriptor to its end, the one loop every module shares.
#ifndef HULL_BASE_FILE_IO_H_
#define HULL_BASE_FILE_IO_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull {

// Files Hull reads (state, configs, /proc and cgroup files) are far smaller.
inline constexpr size_t kDefaultMaxReadSize = 1 << 20;

// Everything `fd` yields until end of file, retrying EINTR. `shown_path`
// names the file in errors: the read's errno ("read /proc/1/stat: No such
// process", NotFound for ENOENT, ESRCH and ENODEV), or ResourceExhausted past
// `max_size` bytes.
absl::StatusOr<std::string> ReadAll(int fd, absl::string_view shown_path,
                                    size_t max_size = kDefaultMaxReadSize);

}  // namespace hull

#endif  // HULL_BASE_FILE_IO_H_
