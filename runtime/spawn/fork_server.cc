#include "runtime/spawn/fork_server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/fd_passing.h"
#include "base/file_io.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "nsenter/namespace.h"
#include "nsenter/pidfd.h"
#include "runtime/channel/sync_channel.h"
#include "runtime/process/close_fds.h"
#include "runtime/seccomp/filter.h"
#include "runtime/spawn/fork_server.pb.h"

namespace hull::runtime {
namespace {

// The request's first byte; the request itself is in its memfd.
constexpr char kSpawnInit[] = "i";
// A reply is a small InitReply.
constexpr size_t kMaxReplySize = 4096;
// The fds of a request that every request has: memfd, channel, exec fifo.
constexpr int kFixedRequestFds = 3;

absl::StatusOr<UniqueFd> MemfdHolding(const std::string& contents) {
  UniqueFd memfd(memfd_create("hull-init-request", MFD_CLOEXEC));
  if (!memfd.valid()) return ErrnoStatus("memfd_create");
  for (size_t written = 0; written < contents.size();) {
    const ssize_t n = write(memfd.get(), contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus("write the init request to its memfd");
    written += static_cast<size_t>(n);
  }
  // The server reads from the file's offset, which the fds share.
  if (lseek(memfd.get(), 0, SEEK_SET) != 0) return ErrnoStatus("lseek the init request's memfd");
  return memfd;
}

// Moves `fd` to a number at or above `lowest`, where the container's
// inherited fds will not land on it.
absl::Status MoveAtOrAbove(UniqueFd& fd, int lowest) {
  if (fd.get() >= lowest) return absl::OkStatus();
  const int moved = fcntl(fd.get(), F_DUPFD_CLOEXEC, lowest);
  if (moved < 0) return ErrnoStatus("fcntl(F_DUPFD_CLOEXEC, ", lowest, ")");
  fd.Reset(moved);
  return absl::OkStatus();
}

// Server side: clones the init a request describes.
absl::StatusOr<nsenter::ClonedProcess> SpawnRequested(nsenter::ProcessCloner& cloner,
                                                      std::vector<UniqueFd>& fds,
                                                      absl::Span<const InitStep> init_steps,
                                                      absl::Span<const InitStep> exec_steps) {
  if (fds.empty()) return absl::InvalidArgumentError("an init request without its memfd");
  ASSIGN_OR_RETURN(const std::string serialized,
                   ReadAll(fds[0].get(), "the init request", /*max_size=*/64 << 20));
  InitRequest request;
  if (!request.ParseFromString(serialized)) {
    return absl::InvalidArgumentError("the init request does not parse");
  }
  const int inherited_count = 3 + request.preserve_fds();
  const size_t expected = kFixedRequestFds + (request.cgroup2_directory() ? 1 : 0) +
                          (request.log() ? 1 : 0) + request.v1_tasks_files() + inherited_count;
  if (request.preserve_fds() < 0 || request.v1_tasks_files() < 0 || fds.size() != expected) {
    return absl::InvalidArgumentError(
        absl::StrCat("an init request with ", fds.size(), " fds, expected ", expected));
  }
  // Every fd but the inherited ones out of [0, inherited_count), where the
  // init places those (ArrangeInheritedFds).
  size_t next = 1;
  const size_t own_fds = expected - inherited_count;
  for (; next < own_fds; ++next) RETURN_IF_ERROR(MoveAtOrAbove(fds[next], inherited_count));
  next = 1;
  channel::SyncChannel channel(std::move(fds[next++]), "the launcher");
  // The exec fifo, or an exec'd process's pidfd on the container's init.
  const int exec_fifo_or_init_pidfd = fds[next++].get();
  const int cgroup2_fd = request.cgroup2_directory() ? fds[next++].get() : -1;
  const int log_fd = request.log() ? fds[next++].get() : -1;
  const absl::Span<const UniqueFd> v1_tasks_files(&fds[next], request.v1_tasks_files());
  next += request.v1_tasks_files();
  std::vector<int> inherited;
  for (; next < fds.size(); ++next) inherited.push_back(fds[next].get());

  // An init is born in the namespaces its config plans; an exec'd process
  // joins its container's (container_namespace_flags).
  nsenter::NamespacePlan namespaces;
  if (!request.exec()) {
    ASSIGN_OR_RETURN(namespaces, nsenter::PlanNamespaces(request.spec().linux()));
  }
  std::optional<seccomp::Filter> seccomp_filter;
  if (request.has_seccomp_filter()) {
    ASSIGN_OR_RETURN(std::vector<sock_filter> program,
                     seccomp::ProgramFromBytes(request.seccomp_filter().program()));
    seccomp_filter = seccomp::Filter{.program = std::move(program),
                                     .flags = request.seccomp_filter().flags()};
  }
  InitContext context{
      .spec = request.spec(),
      .container_id = request.container_id(),
      .rootfs = request.rootfs(),
      .namespaces = std::move(namespaces),
      .no_pivot = request.no_pivot(),
      .no_new_keyring = request.no_new_keyring(),
      .preserve_fds = request.preserve_fds(),
      .channel = channel,
      .exec_fifo_fd = request.exec() ? -1 : exec_fifo_or_init_pidfd,
      .v1_tasks_files = v1_tasks_files,
      .cgroup2_directory_fd = cgroup2_fd,
      .log_fd = log_fd,
      .inherited_fds = inherited,
      .container_init_pidfd = request.exec() ? exec_fifo_or_init_pidfd : -1,
      .container_namespace_flags = request.container_namespace_flags(),
      .seccomp_filter = seccomp_filter ? &*seccomp_filter : nullptr,
  };
  return CloneInit(cloner, context, StepsFor(context, init_steps, exec_steps),
                   /*as_sibling=*/true);
}

// The server: one request at a time until the program closes its end.
[[noreturn]] void Serve(UniqueFd socket, absl::Span<const InitStep> init_steps,
                        absl::Span<const InitStep> exec_steps) {
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
        SpawnRequested(cloner, message->fds, init_steps, exec_steps);
    if (init.ok()) {
      reply.set_pid(init->pid);
      pidfd = std::move(init->pidfd);
    } else {
      reply.set_code(static_cast<int>(init.status().code()));
      reply.set_message(std::string(init.status().message()));
    }
    message->fds.clear();  // the init has its copies
    std::vector<int> fds;
    if (pidfd.valid()) fds.push_back(pidfd.get());
    if (!SendWithFds(socket.get(), reply.SerializeAsString(), fds).ok()) _exit(0);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<ForkServer>> ForkServer::Start(
    absl::Span<const InitStep> init_steps, absl::Span<const InitStep> exec_steps) {
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
    Serve(std::move(server_end), init_steps, exec_steps);
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
  InitRequest request;
  *request.mutable_spec() = context.spec;
  request.set_container_id(context.container_id);
  request.set_rootfs(context.rootfs);
  request.set_no_pivot(context.no_pivot);
  request.set_no_new_keyring(context.no_new_keyring);
  request.set_preserve_fds(context.preserve_fds);
  request.set_cgroup2_directory(context.cgroup2_directory_fd >= 0);
  request.set_v1_tasks_files(static_cast<int>(context.v1_tasks_files.size()));
  const bool exec = context.container_init_pidfd >= 0;
  request.set_exec(exec);
  request.set_container_namespace_flags(context.container_namespace_flags);
  request.set_log(context.log_fd >= 0);
  if (context.seccomp_filter != nullptr) {
    request.mutable_seccomp_filter()->set_program(seccomp::ProgramBytes(*context.seccomp_filter));
    request.mutable_seccomp_filter()->set_flags(context.seccomp_filter->flags);
  }
  ASSIGN_OR_RETURN(const UniqueFd memfd, MemfdHolding(request.SerializeAsString()));

  std::vector<int> fds = {memfd.get(), context.channel.fd(),
                          exec ? context.container_init_pidfd : context.exec_fifo_fd};
  if (context.cgroup2_directory_fd >= 0) fds.push_back(context.cgroup2_directory_fd);
  if (context.log_fd >= 0) fds.push_back(context.log_fd);
  for (const UniqueFd& tasks : context.v1_tasks_files) fds.push_back(tasks.get());
  // The program's own stdio and preserved fds.
  for (int fd = 0; fd < 3 + context.preserve_fds; ++fd) fds.push_back(fd);

  absl::MutexLock lock(&mutex_);
  if (!socket_.valid()) return absl::UnavailableError("the fork server is stopped");
  if (absl::Status sent = SendWithFds(socket_.get(), kSpawnInit, fds); !sent.ok()) {
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
