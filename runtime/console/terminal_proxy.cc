#include "runtime/console/terminal_proxy.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "runtime/console/raw_mode.h"
#include "runtime/console/window_size.h"

namespace hull::console {
namespace {

constexpr size_t kChunk = 4096;
// Typed input the pty has not taken yet, at most: past it `in` waits.
constexpr size_t kMaxPending = 64 * 1024;
// Once the process exited, output is drained until nothing came for this
// long (unless the slave's last holder closes it first, the usual end).
constexpr int kDrainQuietMs = 100;

absl::Status WriteAll(int fd, absl::string_view data) {
  while (!data.empty()) {
    const ssize_t written = write(fd, data.data(), data.size());
    if (written > 0) {
      data.remove_prefix(static_cast<size_t>(written));
    } else if (errno == EAGAIN) {
      pollfd writable = {.fd = fd, .events = POLLOUT, .revents = 0};
      (void)poll(&writable, 1, -1);
    } else if (errno != EINTR) {
      return ErrnoStatus("write the pty's output to fd ", fd);
    }
  }
  return absl::OkStatus();
}

enum class Output { kCopied, kNone, kSlaveClosed };

// Copies what the master has to `out`.
absl::StatusOr<Output> CopyOutput(int master, int out) {
  char buffer[kChunk];
  const ssize_t n = read(master, buffer, sizeof(buffer));
  if (n > 0) {
    RETURN_IF_ERROR(WriteAll(out, absl::string_view(buffer, static_cast<size_t>(n))));
    return Output::kCopied;
  }
  // EIO: every holder of the slave closed it, and nothing is left.
  if (n == 0 || errno == EIO) return Output::kSlaveClosed;
  if (errno == EAGAIN || errno == EINTR) return Output::kNone;
  return ErrnoStatus("read the pty master");
}

}  // namespace

absl::StatusOr<TerminalProxy> TerminalProxy::Start(const ProxyEnds& ends) {
  std::optional<RawMode> raw;
  if (isatty(ends.in)) {
    ASSIGN_OR_RETURN(RawMode mode, RawMode::Enter(ends.in));
    raw.emplace(std::move(mode));
  }
  termios settings;
  if (tcgetattr(ends.master, &settings) != 0) return ErrnoStatus("get the pty's settings");
  settings.c_oflag &= ~ONLCR;
  if (tcsetattr(ends.master, TCSANOW, &settings) != 0) return ErrnoStatus("clear the pty's ONLCR");
  const int flags = fcntl(ends.master, F_GETFL);
  if (flags < 0 || fcntl(ends.master, F_SETFL, flags | O_NONBLOCK) != 0) {
    return ErrnoStatus("make the pty master non-blocking");
  }
  const int terminal = isatty(ends.in) ? ends.in : isatty(ends.out) ? ends.out : -1;
  TerminalProxy proxy(ends, terminal, std::move(raw));
  proxy.Resize();
  return proxy;
}

void TerminalProxy::Resize() {
  if (terminal_ < 0) return;
  if (absl::StatusOr<WindowSize> size = GetWindowSize(terminal_); size.ok()) {
    (void)SetWindowSize(ends_.master, *size);
  }
}

absl::Status TerminalProxy::RelayUntilExit(int process, int signals,
                                           const std::function<void(int signal)>& forward) {
  std::string typed;  // read from `in`, not yet taken by the pty
  bool in_open = true;
  bool slave_open = true;
  while (true) {
    pollfd fds[] = {
        {.fd = process, .events = POLLIN, .revents = 0},
        {.fd = signals, .events = POLLIN, .revents = 0},
        {.fd = in_open && typed.size() < kMaxPending ? ends_.in : -1,
         .events = POLLIN,
         .revents = 0},
        {.fd = slave_open ? ends_.master : -1,
         .events = static_cast<short>(POLLIN | (typed.empty() ? 0 : POLLOUT)),
         .revents = 0},
    };
    if (poll(fds, 4, -1) < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("poll the pty, the caller's input and the process");
    }
    if (fds[1].revents != 0) {
      signalfd_siginfo info;
      if (read(signals, &info, sizeof(info)) == sizeof(info)) {
        if (info.ssi_signo == SIGWINCH) {
          Resize();
        } else {
          forward(static_cast<int>(info.ssi_signo));
        }
      }
    }
    if (fds[2].revents != 0) {
      char buffer[kChunk];
      const ssize_t n = read(ends_.in, buffer, sizeof(buffer));
      if (n > 0) {
        typed.append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        in_open = false;  // nothing more will be typed
      }
    }
    if (fds[3].revents & POLLOUT) {
      const ssize_t n = write(ends_.master, typed.data(), typed.size());
      if (n > 0) {
        typed.erase(0, static_cast<size_t>(n));
      } else if (n < 0 && errno == EIO) {
        slave_open = false;
      } else if (n < 0 && errno != EINTR && errno != EAGAIN) {
        return ErrnoStatus("write to the pty master");
      }
    }
    if (slave_open && (fds[3].revents & (POLLIN | POLLHUP | POLLERR))) {
      ASSIGN_OR_RETURN(const Output output, CopyOutput(ends_.master, ends_.out));
      if (output == Output::kSlaveClosed) slave_open = false;
    }
    if (fds[0].revents != 0) break;
  }
  while (slave_open) {
    pollfd readable = {.fd = ends_.master, .events = POLLIN, .revents = 0};
    const int ready = poll(&readable, 1, kDrainQuietMs);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    ASSIGN_OR_RETURN(const Output output, CopyOutput(ends_.master, ends_.out));
    if (output == Output::kSlaveClosed) slave_open = false;
  }
  return absl::OkStatus();
}

}  // namespace hull::console
