#include "runtime/criu/swrk.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "base/fd_passing.h"
#include "base/status_macros.h"
#include "base/status_util.h"

extern char** environ;

namespace hull::runtime::criu {
namespace {

// CRIU's own limit of an RPC message (CR_MAX_MSG_SIZE).
constexpr size_t kMaxMessage = 1024;
// The fd the worker serves on; the extra fds follow it.
constexpr int kServiceFd = kFirstExtraFd - 1;
// Where fds wait, close-on-exec, before the worker's dup2s place them: above
// every target, so that no dup2 overwrites a source still to be placed.
constexpr int kStagingFloor = 100;

absl::Status Send(int socket, const criu_req& request) {
  std::string bytes;
  if (!request.SerializeToString(&bytes)) {
    return absl::InternalError("cannot serialize the CRIU request");
  }
  if (send(socket, bytes.data(), bytes.size(), MSG_NOSIGNAL) < 0) {
    return ErrnoStatus("sending the request to criu swrk");
  }
  return absl::OkStatus();
}

// How the worker ended, for an error: "exit status 1", "signal 9".
std::string Reap(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return absl::StrCat("waitpid: ", strerror(errno));
  }
  if (WIFEXITED(status)) return absl::StrCat("exit status ", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return absl::StrCat("signal ", WTERMSIG(status));
  return "unknown status";
}

absl::StatusOr<pid_t> Spawn(const std::string& criu_path, int service, absl::Span<const int> extra) {
  std::vector<UniqueFd> staged;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  absl::Cleanup destroy_actions = [&] { posix_spawn_file_actions_destroy(&actions); };
  auto place = [&](int fd, int target) -> absl::Status {
    const int copy = fcntl(fd, F_DUPFD_CLOEXEC, kStagingFloor);
    if (copy < 0) return ErrnoStatus("duplicating fd ", fd, " for criu swrk");
    staged.emplace_back(copy);
    // The dup2's target is not close-on-exec.
    if (int error = posix_spawn_file_actions_adddup2(&actions, copy, target); error != 0) {
      return absl::InternalError(absl::StrCat("posix_spawn_file_actions_adddup2: ", strerror(error)));
    }
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(place(service, kServiceFd));
  for (size_t i = 0; i < extra.size(); ++i) RETURN_IF_ERROR(place(extra[i], kFirstExtraFd + i));
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);

  // The worker starts with no signal blocked and every one at its default.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  absl::Cleanup destroy_attributes = [&] { posix_spawnattr_destroy(&attributes); };
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  const std::string fd_arg = absl::StrCat(kServiceFd);
  std::vector<char*> argv = {const_cast<char*>(criu_path.c_str()), const_cast<char*>("swrk"),
                             const_cast<char*>(fd_arg.c_str()), nullptr};
  pid_t pid = 0;
  if (int error = posix_spawnp(&pid, criu_path.c_str(), &actions, &attributes, argv.data(), environ);
      error != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot run criu (", criu_path, " swrk): ", strerror(error)));
  }
  return pid;
}

}  // namespace

std::string RequestTypeName(criu_req_type type) {
  switch (type) {
    case DUMP: return "dump";
    case RESTORE: return "restore";
    case PRE_DUMP: return "pre-dump";
    case CHECK: return "check";
    case NOTIFY: return "notify";
    case FEATURE_CHECK: return "feature-check";
    case VERSION: return "version";
    default: return absl::StrCat("request ", static_cast<int>(type));
  }
}

absl::StatusOr<criu_resp> SwrkRunner::Run(const criu_req& request, absl::Span<const int> extra_fds,
                                          const Callbacks& callbacks) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
    return ErrnoStatus("socketpair for criu swrk");
  }
  UniqueFd ours(pair[0]);
  UniqueFd theirs(pair[1]);
  ASSIGN_OR_RETURN(const pid_t pid, Spawn(criu_path_, theirs.get(), extra_fds));
  theirs.Reset();
  const std::string name = RequestTypeName(request.type());
  // Whatever happens, the worker is not left behind: closing our end makes
  // it exit, then it is reaped.
  bool reaped = false;
  absl::Cleanup reap = [&] {
    ours.Reset();
    if (!reaped) (void)Reap(pid);
  };
  auto worker_gone = [&](absl::string_view what) {
    ours.Reset();
    reaped = true;
    return absl::InternalError(
        absl::StrCat("criu ", name, ": ", what, " (criu swrk ", pid, ": ", Reap(pid), ")"));
  };

  if (callbacks.started) RETURN_IF_ERROR(callbacks.started(pid));
  if (absl::Status sent = Send(ours.get(), request); !sent.ok()) {
    return worker_gone(sent.message());
  }
  absl::Status callback_failure;
  while (true) {
    absl::StatusOr<ReceivedMessage> message = ReceiveWithFds(ours.get(), kMaxMessage, 1);
    if (!message.ok()) return worker_gone(message.status().message());
    if (message->data.empty()) return worker_gone("criu exited without an answer");
    criu_resp response;
    if (!response.ParseFromString(message->data)) return worker_gone("unreadable answer from criu");
    if (response.type() != NOTIFY) {
      if (!callback_failure.ok()) return callback_failure;
      if (!response.success()) {
        // CRIU's message ends with a newline.
        std::string detail(absl::StripTrailingAsciiWhitespace(response.cr_errmsg()));
        if (detail.empty()) detail = "criu failed";
        if (response.has_cr_errno() && response.cr_errno() != 0) {
          absl::StrAppend(&detail, " (errno ", response.cr_errno(), ": ",
                          strerror(response.cr_errno()), ")");
        }
        return absl::AbortedError(absl::StrCat("criu ", name, " failed: ", detail));
      }
      if (response.type() != request.type()) {
        return absl::InternalError(absl::StrCat("criu answered ", RequestTypeName(response.type()),
                                                " to a ", name, " request"));
      }
      return response;
    }
    Notification notification{.script = response.notify().script(),
                              .pid = response.notify().pid()};
    if (!message->fds.empty()) notification.fd = std::move(message->fds.front());
    absl::Status handled = absl::OkStatus();
    if (callbacks.notify) handled = callbacks.notify(notification);
    if (!handled.ok() && callback_failure.ok()) {
      callback_failure = Annotate(handled, absl::StrCat("criu ", name, ": ", notification.script));
    }
    criu_req answer;
    answer.set_type(NOTIFY);
    answer.set_notify_success(handled.ok());
    if (absl::Status sent = Send(ours.get(), answer); !sent.ok()) {
      if (!callback_failure.ok()) return callback_failure;
      return worker_gone(sent.message());
    }
  }
}

}  // namespace hull::runtime::criu
