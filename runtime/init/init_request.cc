#include "runtime/init/init_request.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/file_io.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull::runtime {
namespace {

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
  // The reader reads from the file's offset, which the fds share.
  if (lseek(memfd.get(), 0, SEEK_SET) != 0) return ErrnoStatus("lseek the init request's memfd");
  return memfd;
}

// Moves `fd` to a number at or above `lowest`, where the container's
// inherited fds will not land on it, and makes it close on exec: of the
// request's fds, only the inherited ones reach the container's process (the
// others came through an execve, or may have).
absl::Status MoveAtOrAboveCloseOnExec(UniqueFd& fd, int lowest) {
  if (fd.get() >= lowest) {
    if (fcntl(fd.get(), F_SETFD, FD_CLOEXEC) != 0) return ErrnoStatus("fcntl(F_SETFD, FD_CLOEXEC)");
    return absl::OkStatus();
  }
  const int moved = fcntl(fd.get(), F_DUPFD_CLOEXEC, lowest);
  if (moved < 0) return ErrnoStatus("fcntl(F_DUPFD_CLOEXEC, ", lowest, ")");
  fd.Reset(moved);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PackedInit> PackInit(const InitContext& context) {
  InitRequest request;
  *request.mutable_spec() = context.spec;
  request.set_container_id(context.container_id);
  request.set_rootfs(context.rootfs);
  request.set_no_pivot(context.no_pivot);
  request.set_no_new_keyring(context.no_new_keyring);
  request.set_preserve_fds(context.preserve_fds);
  request.set_cgroup2_directory(context.cgroup2_directory_fd >= 0);
  request.set_cgroup_joined_by_launcher(context.cgroup_joined_by_launcher);
  request.set_launcher_in_user_namespace(context.launcher_in_user_namespace);
  request.set_v1_tasks_files(static_cast<int>(context.v1_tasks_files.size()));
  const bool exec = context.container_init_pidfd >= 0;
  request.set_exec(exec);
  request.set_container_namespace_flags(context.container_namespace_flags);
  request.set_log(context.log_fd >= 0);
  request.set_sealed_exe(context.sealed_exe_fd >= 0);
  if (context.seccomp_filter != nullptr) {
    request.mutable_seccomp_filter()->set_program(seccomp::ProgramBytes(*context.seccomp_filter));
    request.mutable_seccomp_filter()->set_flags(context.seccomp_filter->flags);
  }
  PackedInit packed;
  ASSIGN_OR_RETURN(packed.memfd, MemfdHolding(request.SerializeAsString()));

  packed.fds = {packed.memfd.get(), context.channel.fd(),
                exec ? context.container_init_pidfd : context.exec_fifo_fd};
  if (context.cgroup2_directory_fd >= 0) packed.fds.push_back(context.cgroup2_directory_fd);
  if (context.log_fd >= 0) packed.fds.push_back(context.log_fd);
  if (context.sealed_exe_fd >= 0) packed.fds.push_back(context.sealed_exe_fd);
  for (const UniqueFd& tasks : context.v1_tasks_files) packed.fds.push_back(tasks.get());
  if (context.inherited_fds.empty()) {
    for (int fd = 0; fd < 3 + context.preserve_fds; ++fd) packed.fds.push_back(fd);
  } else {
    packed.fds.insert(packed.fds.end(), context.inherited_fds.begin(), context.inherited_fds.end());
  }
  return packed;
}

absl::StatusOr<std::unique_ptr<UnpackedInit>> UnpackedInit::Unpack(std::vector<UniqueFd> fds) {
  std::unique_ptr<UnpackedInit> unpacked(new UnpackedInit());
  unpacked->fds_ = std::move(fds);
  std::vector<UniqueFd>& all = unpacked->fds_;
  if (all.empty()) return absl::InvalidArgumentError("an init request without its memfd");
  ASSIGN_OR_RETURN(const std::string serialized,
                   ReadAll(all[0].get(), "the init request", /*max_size=*/64 << 20));
  InitRequest& request = unpacked->request_;
  if (!request.ParseFromString(serialized)) {
    return absl::InvalidArgumentError("the init request does not parse");
  }
  const int inherited_count = 3 + request.preserve_fds();
  const size_t expected = kFixedRequestFds + (request.cgroup2_directory() ? 1 : 0) +
                          (request.log() ? 1 : 0) + (request.sealed_exe() ? 1 : 0) +
                          request.v1_tasks_files() + inherited_count;
  if (request.preserve_fds() < 0 || request.v1_tasks_files() < 0 || all.size() != expected) {
    return absl::InvalidArgumentError(
        absl::StrCat("an init request with ", all.size(), " fds, expected ", expected));
  }
  const size_t own_fds = expected - inherited_count;
  for (size_t i = 1; i < own_fds; ++i) RETURN_IF_ERROR(MoveAtOrAboveCloseOnExec(all[i], inherited_count));
  size_t next = 1;
  unpacked->channel_.emplace(std::move(all[next++]), "the launcher");
  // The exec fifo, or an exec'd process's pidfd on the container's init.
  const int exec_fifo_or_init_pidfd = all[next++].get();
  const int cgroup2_fd = request.cgroup2_directory() ? all[next++].get() : -1;
  const int log_fd = request.log() ? all[next++].get() : -1;
  // The init's to close (InitContext::sealed_exe_fd).
  const int sealed_exe_fd = request.sealed_exe() ? all[next++].Release() : -1;
  const absl::Span<const UniqueFd> v1_tasks_files(&all[next], request.v1_tasks_files());
  next += request.v1_tasks_files();
  bool in_place = true;
  for (int target = 0; next < all.size(); ++next, ++target) {
    unpacked->inherited_.push_back(all[next].get());
    in_place = in_place && all[next].get() == target;
  }
  // Those the process has as 0, 1, 2, ... are not the request's to close.
  if (in_place) {
    for (size_t i = own_fds; i < all.size(); ++i) (void)all[i].Release();
    unpacked->inherited_.clear();
  }

  // An init is born in the namespaces its config plans; an exec'd process
  // joins its container's (container_namespace_flags).
  nsenter::NamespacePlan namespaces;
  if (!request.exec()) {
    ASSIGN_OR_RETURN(namespaces, nsenter::PlanNamespaces(request.spec().linux()));
  }
  if (request.has_seccomp_filter()) {
    ASSIGN_OR_RETURN(std::vector<sock_filter> program,
                     seccomp::ProgramFromBytes(request.seccomp_filter().program()));
    unpacked->seccomp_filter_ = seccomp::Filter{.program = std::move(program),
                                                .flags = request.seccomp_filter().flags()};
  }
  unpacked->context_.emplace(InitContext{
      .spec = request.spec(),
      .container_id = request.container_id(),
      .rootfs = request.rootfs(),
      .namespaces = std::move(namespaces),
      .no_pivot = request.no_pivot(),
      .no_new_keyring = request.no_new_keyring(),
      .preserve_fds = request.preserve_fds(),
      .channel = *unpacked->channel_,
      .exec_fifo_fd = request.exec() ? -1 : exec_fifo_or_init_pidfd,
      .v1_tasks_files = v1_tasks_files,
      .cgroup2_directory_fd = cgroup2_fd,
      .cgroup_joined_by_launcher = request.cgroup_joined_by_launcher(),
      .launcher_in_user_namespace = request.launcher_in_user_namespace(),
      .log_fd = log_fd,
      .inherited_fds = unpacked->inherited_,
      .container_init_pidfd = request.exec() ? exec_fifo_or_init_pidfd : -1,
      .container_namespace_flags = request.container_namespace_flags(),
      .seccomp_filter = unpacked->seccomp_filter_ ? &*unpacked->seccomp_filter_ : nullptr,
      .sealed_exe_fd = sealed_exe_fd,
  });
  return unpacked;
}

}  // namespace hull::runtime
