#include "base/file_io.h"

#include <unistd.h>

#include <cerrno>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_util.h"

namespace hull {

absl::StatusOr<std::string> ReadAll(int fd, absl::string_view shown_path, size_t max_size) {
  std::string contents;
  char buffer[4096];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus("read ", shown_path);
    if (n == 0) return contents;
    contents.append(buffer, static_cast<size_t>(n));
    if (contents.size() > max_size) {
      return absl::ResourceExhaustedError(
          absl::StrCat("read ", shown_path, ": larger than ", max_size, " bytes"));
    }
  }
}

}  // namespace hull
