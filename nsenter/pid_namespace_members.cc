#include "nsenter/pid_namespace_members.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "base/fd.h"

namespace hull::nsenter {
namespace {

// Pid namespaces nest 32 deep at most.
constexpr int kMaxPidNamespaceDepth = 32;

bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

bool InPidNamespace(pid_t pid, const struct stat& wanted) {
  const std::string path = absl::StrCat("/proc/", pid, "/ns/pid");
  UniqueFd ns(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  for (int depth = 0; ns.valid() && depth <= kMaxPidNamespaceDepth; ++depth) {
    struct stat st;
    if (fstat(ns.get(), &st) != 0) return false;
    if (SameFile(st, wanted)) return true;
    // EPERM at the top of the caller's view: not below `wanted`.
    ns.Reset(ioctl(ns.get(), NS_GET_PARENT));
  }
  return false;
}

}  // namespace

std::vector<pid_t> PidsInPidNamespace(absl::Span<const pid_t> pids, int pid_namespace) {
  std::vector<pid_t> members;
  struct stat wanted;
  if (fstat(pid_namespace, &wanted) != 0) return members;
  for (const pid_t pid : pids) {
    if (InPidNamespace(pid, wanted)) members.push_back(pid);
  }
  return members;
}

}  // namespace hull::nsenter
