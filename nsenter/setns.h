// Joining existing namespaces with setns(2), after checking that each path
// names a namespace of the expected type.
#ifndef HULL_NSENTER_SETNS_H_
#define HULL_NSENTER_SETNS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "nsenter/namespace.h"
#include "base/fd.h"

namespace hull::nsenter {

// Opens `path` (close-on-exec) and checks with ioctl(NS_GET_NSTYPE) that it is
// a namespace of type `expected`: FailedPrecondition naming the path and both
// types when it is another type, InvalidArgument when it is no namespace.
absl::StatusOr<UniqueFd> OpenNamespace(const std::string& path, NamespaceType expected);

// OpenNamespace, then setns(2) into it. Joining a pid namespace changes only
// the caller's future children; joining a user namespace needs a
// single-threaded caller.
absl::Status JoinNamespace(const std::string& path, NamespaceType expected);

// Joins `joins` in their order (NamespacePlan::joins), opening every path
// first: joining the mount or user namespace would change how, or whether,
// the later paths can be opened.
absl::Status JoinNamespaces(absl::Span<const NamespaceJoin> joins);

// While it lives, the caller's children are born in another pid namespace:
// setns(CLONE_NEWPID) changes only where the caller's next children are born,
// so a clone into a joined pid namespace is bracketed by this object. Its
// destructor returns the caller to its own pid namespace on every path out of
// the scope; should that fail (it cannot for a namespace the caller was in),
// the process aborts rather than clone later children into a container.
class ScopedPidNamespaceForChildren {
 public:
  // Joins the pid namespace at `path` for the caller's children.
  static absl::StatusOr<ScopedPidNamespaceForChildren> Enter(const std::string& path);

  ScopedPidNamespaceForChildren(ScopedPidNamespaceForChildren&&) = default;
  ScopedPidNamespaceForChildren& operator=(ScopedPidNamespaceForChildren&&) = delete;
  ~ScopedPidNamespaceForChildren();

 private:
  explicit ScopedPidNamespaceForChildren(UniqueFd own) : own_(std::move(own)) {}

  // The caller's own pid namespace, to return to.
  UniqueFd own_;
};

}  // namespace hull::nsenter

#endif  // HULL_NSENTER_SETNS_H_
