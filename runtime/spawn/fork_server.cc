#include "runtime/spawn/fork_server.h"

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/fd_passing.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "nsenter/pidfd.h"
#include "runtime/init/init_request.h"
#include "runtime/process/close_fds.h"
#include "runtime/spawn/fork_server.pb.h"

namespace hull::runtime {
namespace {

// The request's first byte; the request itself is in its memfd.
constexpr char kSpawnInit[] = "i";
// A reply is a small InitReply.
constexpr size_t kMaxReplySize = 4096;

// Server side: clones the init a request describes.
absl::StatusOr<nsenter::ClonedProcess> SpawnRequested(nsenter::ProcessCloner& cloner,
                                                      std::vector<UniqueFd> fds,
                                                      absl::Span<const InitStep> init_steps,
                                                      absl::Span<const InitStep> exec_steps,
                                                      bool sealed) {
  ASSIGN_OR_RETURN(std::unique_ptr<UnpackedInit> unpacked, UnpackedInit::Unpack(std::move(fds)));
  InitContext& context = unpacked->context();
  return CloneInit(cloner, context, StepsFor(context, init_steps, exec_steps),
                   /*as_sibling=*/true, sealed);
}

// The server: one request at a time until the program closes its end.
[[noreturn]] void Serve(UniqueFd socket, absl::Span<const InitStep> init_steps,
                        absl::Span<const InitStep> exec_steps, bool sealed) {
  // The program's terminal signals are for the program; the server goes
  // when the program closes its socket.
  for (int terminal_signal : {SIGINT, SIGQUIT, SIGHUP, SIGTERM, SIGPIPE}) {
    signal(terminal_signal, SIG_IGN);
  }
  const int socket_fd = socket.get();
  if (!process::CloseFdsFrom(3, {&socket_fd, 1}).ok()) _exit(1);
  nsenter::LinuxProcessCloner cloner;
  while (true) {
    absl::StatusOr<ReceivedMessage> message =
        ReceiveWithFds(socket.get(), sizeof(kSpawnInit), kMaxPassedFds);
    if (!message.ok() || message->data.empty()) _exit(0);
    InitReply reply;
    UniqueFd pidfd;
    absl::StatusOr<nsenter::ClonedProcess> init =
        SpawnRequested(cloner, std::move(message->fds), init_steps, exec_steps, sealed);
    if (init.ok()) {
      reply.set_pid(init->pid);
      pidfd = std::move(init->pidfd);
    } else {
      reply.set_code(static_cast<int>(init.status().code()));
      reply.set_message(std::string(init.status().message()));
    }
    std::vector<int> fds;
    if (pidfd.valid()) fds.push_back(pidfd.get());
    if (!SendWithFds(socket.get(), reply.SerializeAsString(), fds).ok()) _exit(0);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<ForkServer>> ForkServer::Start() {
  return Fork(DefaultInitSteps(), DefaultExecSteps(), /*sealed=*/true);
}

absl::StatusOr<std::unique_ptr<ForkServer>> ForkServer::Start(
    absl::Span<const InitStep> init_steps, absl::Span<const InitStep> exec_steps) {
  return Fork(init_steps, exec_steps, /*sealed=*/false);
}

absl::StatusOr<std::unique_ptr<ForkServer>> ForkServer::Fork(
    absl::Span<const InitStep> init_steps, absl::Span<const InitStep> exec_steps, bool sealed) {
  RETURN_IF_ERROR(RequireSingleThreaded());
  int sockets[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) != 0) {
    return ErrnoStatus("socketpair for the fork server");
  }
  UniqueFd program_end(sockets[0]);
  UniqueFd server_end(sockets[1]);
  const pid_t pid = fork();
  if (pid < 0) return ErrnoStatus("fork the fork server");
  if (pid == 0) {
    program_end.Reset();
    Serve(std::move(server_end), init_steps, exec_steps, sealed);
  }
  server_end.Reset();
  absl::StatusOr<UniqueFd> pidfd = nsenter::PidfdOpen(pid);
  if (!pidfd.ok()) {
    program_end.Reset();  // the server exits
    return pidfd.status();
  }
  return std::unique_ptr<ForkServer>(new ForkServer(std::move(program_end), pid, *std::move(pidfd)));
}

ForkServer::~ForkServer() {
  {
    absl::MutexLock lock(&mutex_);
    socket_.Reset();
  }
  (void)nsenter::PidfdWait(pidfd_.get());
}

absl::StatusOr<nsenter::ClonedProcess> ForkServer::Spawn(InitContext& context) {
  ASSIGN_OR_RETURN(const PackedInit packed, PackInit(context));
  absl::MutexLock lock(&mutex_);
  if (!socket_.valid()) return absl::UnavailableError("the fork server is stopped");
  if (absl::Status sent = SendWithFds(socket_.get(), kSpawnInit, packed.fds); !sent.ok()) {
    return absl::UnavailableError(absl::StrCat("the fork server is gone: ", sent.message()));
  }
  absl::StatusOr<ReceivedMessage> answer = ReceiveWithFds(socket_.get(), kMaxReplySize, 1);
  if (!answer.ok() || answer->data.empty()) {
    return absl::UnavailableError(absl::StrCat(
        "the fork server is gone", answer.ok() ? "" : ": ", answer.status().message()));
  }
  InitReply reply;
  if (!reply.ParseFromString(answer->data)) {
    return absl::InternalError("the fork server's reply does not parse");
  }
  if (reply.code() != 0) {
    return absl::Status(static_cast<absl::StatusCode>(reply.code()), reply.message());
  }
  if (reply.pid() <= 0 || answer->fds.size() != 1) {
    return absl::InternalError("the fork server replied without the init's pid and pidfd");
  }
  return nsenter::ClonedProcess{.pid = reply.pid(), .pidfd = std::move(answer->fds[0])};
}

}  // namespace hull::runtime
