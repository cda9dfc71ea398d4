#include "nsenter/setns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "base/status_util.h"
#include "nsenter/namespace.h"
#include "base/fd.h"
#include "base/status_macros.h"

namespace hull::nsenter {
namespace {

absl::Status SetNs(const UniqueFd& fd, NamespaceType type, const std::string& path) {
  if (setns(fd.get(), static_cast<int>(CloneFlag(type))) != 0) {
    return ErrnoStatus("setns to the ", OciName(type), " namespace \"", path, "\"");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<UniqueFd> OpenNamespace(const std::string& path, NamespaceType expected) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    return ErrnoStatus("open the ", OciName(expected), " namespace \"", path, "\"");
  }
  const int type_flag = ioctl(fd.get(), NS_GET_NSTYPE);
  if (type_flag < 0) {
    const int error = errno;
    // nsfs answers every file that is not a namespace with ENOTTY.
    if (error == ENOTTY || error == EINVAL) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", path, "\" is not a namespace (want ", OciName(expected), ")"));
    }
    return absl::ErrnoToStatus(error, absl::StrCat("ioctl(NS_GET_NSTYPE) on \"", path, "\""));
  }
  absl::StatusOr<NamespaceType> actual = NamespaceTypeFromCloneFlag(type_flag);
  if (!actual.ok()) {
    return absl::InternalError(absl::StrCat("ioctl(NS_GET_NSTYPE) on \"", path, "\": unknown type ",
                                            actual.status().message()));
  }
  if (*actual != expected) {
    return absl::FailedPreconditionError(absl::StrCat("\"", path, "\" is a ", OciName(*actual),
                                                      " namespace, not a ", OciName(expected),
                                                      " namespace"));
  }
  return fd;
}

absl::Status JoinNamespace(const std::string& path, NamespaceType expected) {
  ASSIGN_OR_RETURN(const UniqueFd fd, OpenNamespace(path, expected));
  return SetNs(fd, expected, path);
}

absl::Status JoinNamespaces(absl::Span<const NamespaceJoin> joins) {
  std::vector<UniqueFd> fds;
  fds.reserve(joins.size());
  for (const NamespaceJoin& join : joins) {
    ASSIGN_OR_RETURN(UniqueFd fd, OpenNamespace(join.path, join.type));
    fds.push_back(std::move(fd));
  }
  for (size_t i = 0; i < joins.size(); ++i) {
    RETURN_IF_ERROR(SetNs(fds[i], joins[i].type, joins[i].path));
  }
  return absl::OkStatus();
}

absl::StatusOr<ScopedPidNamespaceForChildren> ScopedPidNamespaceForChildren::Enter(
    const std::string& path) {
  ASSIGN_OR_RETURN(UniqueFd own, OpenNamespace("/proc/self/ns/pid", NamespaceType::kPid));
  RETURN_IF_ERROR(JoinNamespace(path, NamespaceType::kPid));
  return ScopedPidNamespaceForChildren(std::move(own));
}

ScopedPidNamespaceForChildren::~ScopedPidNamespaceForChildren() {
  if (!own_.valid()) return;  // moved from
  if (setns(own_.get(), CLONE_NEWPID) != 0) {
    constexpr char kMessage[] = "hull: cannot return to the caller's own pid namespace\n";
    (void)!write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
    abort();
  }
}

}  // namespace hull::nsenter
