// Persisted container state: one directory per container under a root, a
// textproto state file in it, the container's config in a textproto file of
// its own (written at create and when a transition changes it), and an
// exclusive lock on the directory that serializes the commands on one
// container.
#ifndef HULL_STATEMACHINE_STATE_STORE_H_
#define HULL_STATEMACHINE_STATE_STORE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/fd.h"
#include "config/runtime_spec.pb.h"
#include "statemachine/state.pb.h"

namespace hull::statemachine {

inline constexpr char kStateFileName[] = "state.textproto";
// The container's config (ContainerState.config), kept apart from the state
// file so that the commands that only read or change the state (list, state,
// every save of a transition) neither parse nor print it.
inline constexpr char kConfigFileName[] = "config.textproto";

// Holds a container directory's exclusive flock; releases it when destroyed.
// Proves to StateStore that the caller holds the lock. The flock belongs to
// the open directory fd (O_CLOEXEC): a child forked or cloned without exec
// shares it and must close that fd, or the lock outlives the command.
class ContainerLock {
 public:
  ContainerLock(ContainerLock&&) = default;
  ContainerLock& operator=(ContainerLock&&) = default;

  const std::string& id() const { return id_; }
  // Whether the writes under this lock are fsynced: not on a tmpfs.
  bool durable() const { return durable_; }

 private:
  friend class StateStore;
  ContainerLock(std::string id, UniqueFd directory, bool durable)
      : id_(std::move(id)), directory_(std::move(directory)), durable_(durable) {}

  std::string id_;
  UniqueFd directory_;
  // Whether writes in the directory are fsynced: not on a memory filesystem
  // (tmpfs), which a crash of the machine empties anyway.
  bool durable_;
  // What the container's files hold, as the holder last read or wrote them,
  // so that Save rewrites only what changed: the state file's text, and the
  // config file's (none when unknown or when the config file is missing). A
  // config file in another form than ConfigFileText's is rewritten once.
  std::string state_text_;
  std::optional<std::string> config_text_;
  // The state was read without its config (LoadWithoutConfig): Save leaves
  // the config file alone.
  bool config_unread_ = false;
};

// The textproto of `state`, its config last when it has one. Save writes the
// state file from the state without its config, which goes to the config
// file; a state file written before the two were apart holds the config.
std::string StateFileText(const ContainerState& state);

// The state in `text`, the contents of the state file at `path` (named in
// errors) of container `id`. DataLoss naming the file, and the line and
// column or the field, when it is not a state Hull could have saved for that
// container: unparsable, without an id or a valid status, another
// container's, or with a negative pid.
absl::StatusOr<ContainerState> ParseStateFile(absl::string_view text, absl::string_view path,
                                              absl::string_view id);

// What Save writes into the config file for `config`.
std::string ConfigFileText(const config::Spec& config);

// The config in `text`, the contents of the config file at `path` (named in
// errors). DataLoss naming the file and the line when it is unparsable.
absl::StatusOr<config::Spec> ParseConfigFile(absl::string_view text, absl::string_view path);

class StateStore {
 public:
  explicit StateStore(std::string root);

  const std::string& root() const { return root_; }
  // <root>/<id>/state.textproto
  std::string StateFilePath(absl::string_view id) const;
  // <root>/<id>/config.textproto
  std::string ConfigFilePath(absl::string_view id) const;

  // Makes <root>/<id> holding `initial` (its state file and its config file)
  // and returns it locked. The directory
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

  // Reads the state of container `id`, its config included; needs no lock, as
  // writes replace each file atomically. NotFound for an unknown id; DataLoss
  // naming the file when the state file or the config file is unreadable, or
  // ParseStateFile or ParseConfigFile refuses it.
  absl::StatusOr<ContainerState> Load(absl::string_view id) const;

  // As Load, without reading the config file: `config` is left unset (but
  // for a state file that holds it). For what needs only the state (list,
  // state).
  absl::StatusOr<ContainerState> LoadWithoutConfig(absl::string_view id) const;

  // As Load, for the holder of the lock: reads the files of the directory it
  // locked, and remembers what they hold for Save.
  absl::StatusOr<ContainerState> Load(ContainerLock& lock) const;

  // As Load(lock), without reading the config file (`config` is left unset,
  // but for a state file that holds it); LoadConfig reads it later if need
  // be. Until then Save leaves the config file alone, and refuses a state
  // that has a config.
  absl::StatusOr<ContainerState> LoadWithoutConfig(ContainerLock& lock) const;

  // Reads into `state`, loaded by LoadWithoutConfig(lock), its config, as
  // Load(lock) would have; does nothing when it is there already.
  absl::Status LoadConfig(ContainerLock& lock, ContainerState& state) const;

  // What can still be read of the state of the locked container when Load
  // fails with DataLoss: the fields its files hold before the damage (none
  // when they are missing), the id set. For delete to find what the
  // container held; never for anything else.
  ContainerState Salvage(const ContainerLock& lock) const;

  // Replaces the state of the locked container: each of its two files
  // atomically (temporary file, fsync, rename, fsync of the directory; no
  // fsync on a tmpfs), the config file first, and only a file whose contents
  // change (the config changes only through update, which changes nothing
  // else).
  absl::Status Save(ContainerLock& lock, const ContainerState& state);

  // Deletes the locked container's directory and everything in it. The id is
  // free as soon as the directory is renamed away, before its contents go.
  absl::Status Remove(ContainerLock lock);

  // Ids of the containers under the root, sorted; empty when there is no root.
  absl::StatusOr<std::vector<std::string>> List() const;

 private:
  // Writes the files of the container whose directory `lock` holds, at
  // `dir_path`, that do not hold `state` already: the config file, then the
  // state file.
  absl::Status Write(ContainerLock& lock, absl::string_view dir_path,
                     const ContainerState& state) const;
  // Reads the state of container `id` from the directory open as `dir_fd`
  // (AT_FDCWD: by path), its config too `with_config`; what was read goes
  // into `record` when there is one.
  absl::StatusOr<ContainerState> Read(int dir_fd, absl::string_view id, bool with_config,
                                      ContainerLock* record) const;
  // Reads the config file of container `id` into `state`, recording it in
  // `record` if given.
  absl::Status ReadConfig(int dir_fd, absl::string_view id, ContainerState& state,
                          ContainerLock* record) const;

  std::string root_;
};

}  // namespace hull::statemachine

#endif  // HULL_STATEMACHINE_STATE_STORE_H_
