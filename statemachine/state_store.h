// Persisted container state: one directory per container under a root, a
// textproto state file in it, and an exclusive lock on the directory that
// serializes the commands on one container.
#ifndef HULL_STATEMACHINE_STATE_STORE_H_
#define HULL_STATEMACHINE_STATE_STORE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/fd.h"
#include "statemachine/state.pb.h"

namespace hull::statemachine {

inline constexpr char kStateFileName[] = "state.textproto";

// Holds a container directory's exclusive flock; releases it when destroyed.
// Proves to StateStore that the caller holds the lock. The flock belongs to
// the open directory fd (O_CLOEXEC): a child forked or cloned without exec
// shares it and must close that fd, or the lock outlives the command.
class ContainerLock {
 public:
  ContainerLock(ContainerLock&&) = default;
  ContainerLock& operator=(ContainerLock&&) = default;

  const std::string& id() const { return id_; }

 private:
  friend class StateStore;
  ContainerLock(std::string id, UniqueFd directory)
      : id_(std::move(id)), directory_(std::move(directory)) {}

  std::string id_;
  UniqueFd directory_;
};

// What Save writes into the state file for `state`.
absl::StatusOr<std::string> StateFileText(const ContainerState& state);

// The state in `text`, the contents of the state file at `path` (named in
// errors) of container `id`. DataLoss naming the file, and the line and
// column or the field, when it is not a state Hull could have saved for that
// container: unparsable, without an id or a valid status, another
// container's, or with a negative pid.
absl::StatusOr<ContainerState> ParseStateFile(absl::string_view text, absl::string_view path,
                                              absl::string_view id);

class StateStore {
 public:
  explicit StateStore(std::string root);

  const std::string& root() const { return root_; }
  // <root>/<id>/state.textproto
  std::string StateFilePath(absl::string_view id) const;

  // Makes <root>/<id> holding `initial` and returns it locked. The directory
  // appears whole or not at all: it is filled under a temporary name and
  // renamed without replacing. AlreadyExists when the id is taken;
  // InvalidArgument for an id starting with "." (the temporary names'
  // prefix: such a container could be told from none of them). Creates the
  // root when missing.
  absl::StatusOr<ContainerLock> Create(const ContainerState& initial);

  // Removes the temporary directories (".<id>.XXXXXX") that a Create or
  // Remove of container `id` killed midway left, and that no live command
  // holds (locks). Whether the container exists does not matter.
  absl::Status RemoveAbandoned(absl::string_view id);

  // Waits for the exclusive lock of container `id`. NotFound when there is no
  // such container, also when it was deleted while this call waited.
  absl::StatusOr<ContainerLock> Lock(absl::string_view id);

  // OK when container `id` exists (its directory does), NotFound "container
  // does not exist" otherwise; the state is not read.
  absl::Status Exists(absl::string_view id) const;

  // Reads the state of container `id`; needs no lock, as writes replace the
  // file atomically. NotFound for an unknown id; DataLoss naming the file
  // when it is unreadable or ParseStateFile refuses it.
  absl::StatusOr<ContainerState> Load(absl::string_view id) const;

  // What can still be read of the state of the locked container when Load
  // fails with DataLoss: the fields its file holds before the damage (none
  // when it is missing), the id set. For delete to find what the container
  // held; never for anything else.
  ContainerState Salvage(const ContainerLock& lock) const;

  // Replaces the state of the locked container atomically (temporary file,
  // fsync, rename, fsync of the directory).
  absl::Status Save(const ContainerLock& lock, const ContainerState& state);

  // Deletes the locked container's directory and everything in it. The id is
  // free as soon as the directory is renamed away, before its contents go.
  absl::Status Remove(ContainerLock lock);

  // Ids of the containers under the root, sorted; empty when there is no root.
  absl::StatusOr<std::vector<std::string>> List() const;

 private:
  std::string root_;
};

}  // namespace hull::statemachine

#endif  // HULL_STATEMACHINE_STATE_STORE_H_
