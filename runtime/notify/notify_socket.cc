#include "runtime/notify/notify_socket.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull::runtime::notify {
namespace {

constexpr char kVariable[] = "NOTIFY_SOCKET=";

// `path` as a unix socket address; "@name" is the abstract "\0name".
absl::StatusOr<sockaddr_un> UnixAddress(const std::string& path, socklen_t& length) {
  sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(address.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat("notify socket \"", path,
                                                   "\": a unix socket path has 1 to ",
                                                   sizeof(address.sun_path) - 1, " bytes"));
  }
  std::memcpy(address.sun_path, path.data(), path.size());
  if (path.front() == '@') address.sun_path[0] = '\0';
  length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() +
                                  (path.front() == '@' ? 0 : 1));
  return address;
}

}  // namespace

std::string HostDirectory(absl::string_view container_dir) {
  return absl::StrCat(container_dir, "/notify");
}

void AddToSpec(config::Spec& spec, absl::string_view container_dir) {
  config::Mount* mount = spec.add_mounts();
  mount->set_destination(kContainerDirectory);
  mount->set_type("bind");
  mount->set_source(HostDirectory(container_dir));
  for (const char* option : {"bind", "nosuid", "noexec", "nodev", "ro"}) mount->add_options(option);
  auto* env = spec.mutable_process()->mutable_env();
  for (auto it = env->begin(); it != env->end();) {
    it = absl::StartsWith(*it, kVariable) ? env->erase(it) : it + 1;
  }
  spec.mutable_process()->add_env(
      absl::StrCat(kVariable, kContainerDirectory, "/", kSocketName));
}

absl::Status MakeHostDirectory(absl::string_view container_dir) {
  const std::string directory = HostDirectory(container_dir);
  if (mkdir(directory.c_str(), 0755) != 0) return ErrnoStatus("mkdir ", directory);
  // Not narrowed by the umask: the container's user may be anyone.
  if (chmod(directory.c_str(), 0755) != 0) return ErrnoStatus("chmod ", directory);
  return absl::OkStatus();
}

absl::StatusOr<UniqueFd> BindContainerSocket(absl::string_view container_dir) {
  const std::string directory = HostDirectory(container_dir);
  UniqueFd dir(open(directory.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) return ErrnoStatus("open ", directory);
  // Bound through /proc/self/fd: the state directory's path may be longer
  // than a unix socket address can hold.
  socklen_t length;
  ASSIGN_OR_RETURN(const sockaddr_un address,
                   UnixAddress(absl::StrCat("/proc/self/fd/", dir.get(), "/", kSocketName), length));
  UniqueFd socket(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!socket.valid()) return ErrnoStatus("socket(AF_UNIX, SOCK_DGRAM)");
  const std::string path = absl::StrCat(directory, "/", kSocketName);
  // A start that failed after binding left its socket: bind anew.
  if (unlinkat(dir.get(), kSocketName, 0) != 0 && errno != ENOENT) {
    return ErrnoStatus("unlink ", path);
  }
  if (bind(socket.get(), reinterpret_cast<const sockaddr*>(&address), length) != 0) {
    return ErrnoStatus("bind the notify socket ", path);
  }
  if (fchmodat(dir.get(), kSocketName, 0777, 0) != 0) return ErrnoStatus("chmod ", path);
  return socket;
}

std::string HostMessage(absl::string_view datagram, pid_t init_pid, bool& ready) {
  ready = false;
  std::string message;
  for (absl::string_view line : absl::StrSplit(datagram, '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, "MAINPID=")) continue;
    if (absl::StartsWith(line, "READY=")) ready = true;
    absl::StrAppend(&message, line, "\n");
  }
  if (ready) absl::StrAppend(&message, "MAINPID=", init_pid, "\n");
  return message;
}

absl::Status RelayUntilReady(int container_socket, const std::string& host_socket,
                             pid_t init_pid, int init_pidfd) {
  socklen_t host_length;
  ASSIGN_OR_RETURN(const sockaddr_un host, UnixAddress(host_socket, host_length));
  UniqueFd out(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!out.valid()) return ErrnoStatus("socket(AF_UNIX, SOCK_DGRAM)");
  if (connect(out.get(), reinterpret_cast<const sockaddr*>(&host), host_length) != 0) {
    return ErrnoStatus("connect to the host's notify socket \"", host_socket, "\"");
  }
  std::vector<char> buffer(4096);
  while (true) {
    pollfd fds[] = {{.fd = container_socket, .events = POLLIN, .revents = 0},
                    {.fd = init_pidfd, .events = POLLIN, .revents = 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("poll the notify socket");
    }
    if (fds[0].revents & POLLIN) {
      const ssize_t n = recv(container_socket, buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return ErrnoStatus("receive on the notify socket");
      }
      bool ready;
      const std::string message =
          HostMessage(absl::string_view(buffer.data(), n), init_pid, ready);
      if (!message.empty() && send(out.get(), message.data(), message.size(), 0) < 0) {
        return ErrnoStatus("send to the host's notify socket \"", host_socket, "\"");
      }
      if (ready) return absl::OkStatus();
      continue;
    }
    // The init exited before it was ready: nothing more will come.
    if (fds[1].revents != 0) return absl::OkStatus();
  }
}

}  // namespace hull::runtime::notify
