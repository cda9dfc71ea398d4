// A listening unix stream socket for tests, in a directory of its own under
// /tmp: TEST_TMPDIR is longer than a unix socket path may be (108 bytes).
// Both go with the object.
#ifndef HULL_TESTING_UNIX_LISTENER_H_
#define HULL_TESTING_UNIX_LISTENER_H_

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "base/fd.h"

namespace hull::testing {

class UnixListener {
 public:
  // Listens at <a new directory>/<name>.
  static absl::StatusOr<UnixListener> Create(const std::string& name);

  UnixListener(UnixListener&& other) noexcept
      : directory_(std::exchange(other.directory_, {})),
        path_(std::exchange(other.path_, {})),
        socket_(std::move(other.socket_)) {}
  UnixListener& operator=(UnixListener&& other) = delete;
  ~UnixListener();

  // Where it listens, and its directory (for paths nobody listens at).
  const std::string& path() const { return path_; }
  const std::string& directory() const { return directory_; }
  int fd() const { return socket_.get(); }

  // The next connection (close-on-exec).
  absl::StatusOr<UniqueFd> Accept() const;
  // Stops listening (the socket file stays until destruction).
  void Close() { socket_.Reset(); }

 private:
  UnixListener(std::string directory, std::string path, UniqueFd socket)
      : directory_(std::move(directory)), path_(std::move(path)), socket_(std::move(socket)) {}

  std::string directory_;
  std::string path_;
  UniqueFd socket_;
};

}  // namespace hull::testing

#endif  // HULL_TESTING_UNIX_LISTENER_H_
