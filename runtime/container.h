// Hull's library API: what runc's libcontainer is to Go programs.
//
//   hull::runtime::Runtime runtime("/run/hull");
//   ASSIGN_OR_RETURN(auto spec, hull::config::LoadConfigFile(bundle + "/config.json"));
//   ASSIGN_OR_RETURN(auto container,
//                    runtime.Create("web", std::move(spec), {.bundle = bundle}));
//   RETURN_IF_ERROR(container.Start());
//   ASSIGN_OR_RETURN(auto exit, container.Wait());
//   RETURN_IF_ERROR(container.Delete(/*force=*/false));
//
// Every lifecycle operation goes through the state machine (statemachine/):
// it is refused with a clear error when the container's state does not allow
// it, and it persists the new state under the container's lock.
//
// A program with threads must not clone containers from itself: it starts a
// ForkServer (runtime/spawn/fork_server.h) before its first thread and gives
// it to the Runtime (RuntimeOptions::spawner); Create refuses otherwise.
#ifndef HULL_RUNTIME_CONTAINER_H_
#define HULL_RUNTIME_CONTAINER_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/fd.h"
#include "cgroups/memory_events.h"
#include "cgroups/stats.pb.h"
#include "config/runtime_spec.pb.h"
#include "nsenter/pidfd.h"
#include "runtime/create_options.h"
#include "runtime/criu/checkpoint_options.h"
#include "runtime/exec_options.h"
#include "runtime/runtime_options.h"
#include "statemachine/state.pb.h"

namespace hull::runtime {

class Runtime;

// A process `Container::Exec` started: the caller's child.
class ExecProcess {
 public:
  ExecProcess(ExecProcess&&) = default;
  ExecProcess& operator=(ExecProcess&&) = default;

  // The process's host pid and a pidfd on it.
  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_.get(); }

  // Waits for it to exit and reaps it.
  absl::StatusOr<nsenter::ExitStatus> Wait();

 private:
  friend class Container;
  ExecProcess(pid_t pid, UniqueFd pidfd) : pid_(pid), pidfd_(std::move(pidfd)) {}

  pid_t pid_;
  UniqueFd pidfd_;
};

// A handle on one container. Cheap to make; holds no lock between calls.
class Container {
 public:
  Container(Container&&) = default;
  Container& operator=(Container&&) = default;

  const std::string& id() const { return id_; }

  // The init's host pid and a pidfd on it, in the process that created the
  // container (the init's parent); 0 and -1 in a Container from Load.
  pid_t init_pid() const { return init_pid_; }
  int init_pidfd() const { return init_pidfd_.get(); }

  // The persisted state, reconciled with the kernel (a dead init: stopped).
  absl::StatusOr<statemachine::ContainerState> State() const;
  // As State, without reading the config (`config` unset, `rootfs` set):
  // what `state` and `list` need.
  absl::StatusOr<statemachine::ContainerState> StateWithoutConfig() const;

  // Runs the user's process in a created container: the startContainer
  // hooks (a failure fails Start, and the container stops), the exec, then
  // the poststart hooks (a failure is only logged as a warning).
  absl::Status Start();

  // Sends `signal` to the init, or with `all` to every process of the
  // container.
  absl::Status Signal(int signal, bool all);

  // Freezes every process of a running container; Resume thaws them.
  absl::Status Pause();
  absl::Status Resume();

  // Starts `process` in the created or running container (a paused one with
  // options.ignore_paused): in its namespaces and cgroups, with the
  // process's user, capabilities, rlimits, environment and working
  // directory. Returns once the process has exec'd its program (or with the
  // error of the step that failed).
  absl::StatusOr<ExecProcess> Exec(const config::Process& process,
                                   const ExecOptions& options = {});

  // Replaces the container's resource limits (linux.resources, devices
  // excepted) in its cgroups and in its persisted config.
  absl::Status Update(const config::Resources& resources);

  // Replaces the schemata of the container's Intel RDT group with those of
  // `rdt` (its closID and enableMonitoring are the container's), in resctrl
  // and in its persisted config. FailedPrecondition for a container created
  // without linux.intelRdt.
  absl::Status UpdateIntelRdt(const config::IntelRdt& rdt);

  // Host pids of the container's processes (those of its cgroups that are
  // its own: ContainerProcesses in linux_actions.h).
  absl::StatusOr<std::vector<pid_t>> Processes() const;

  // The container's cgroup statistics, and the traffic of the interfaces of
  // its own network namespace.
  absl::StatusOr<cgroups::Stats> Stats() const;

  // OOM (and, if asked, memory-pressure) notifications of the container's
  // memory cgroup (cgroups/memory_events.h); the stream ends when the
  // cgroup is removed at delete or, on cgroup v2, when the container stops.
  absl::StatusOr<cgroups::MemoryEvents> MemoryEvents(
      const cgroups::MemoryEventOptions& options = {}) const;

  // Dumps the running or paused container's processes with CRIU into
  // options.image_path (made if missing), with descriptors.json (the
  // init's stdio). The processes end and the container is stopped, unless
  // options.leave_running or options.pre_dump (memory only): then it stays
  // as it was. A failed checkpoint leaves the container as it was; the
  // error quotes the end of CRIU's log and names it.
  absl::Status Checkpoint(const CheckpointOptions& options);

  // Waits for the init to exit. Only the process that created the container
  // (its parent) can wait for it.
  absl::StatusOr<nsenter::ExitStatus> Wait();

  // Deletes a stopped or created container: kills what is left, frees what
  // it holds, runs the poststop hooks (failures are logged as warnings),
  // removes its state. With `force`, a running or paused container is
  // killed first, and one whose state file is damaged or missing is removed
  // from what can still be read of it (its init killed, its cgroups removed
  // when known; no hooks run).
  absl::Status Delete(bool force);

 private:
  friend class Runtime;
  Container(Runtime* runtime, std::string id, pid_t init_pid = 0, UniqueFd init_pidfd = UniqueFd())
      : runtime_(runtime),
        id_(std::move(id)),
        init_pid_(init_pid),
        init_pidfd_(std::move(init_pidfd)) {}

  Runtime* runtime_;
  std::string id_;
  // Set when this process created the container: the init is its child.
  pid_t init_pid_;
  UniqueFd init_pidfd_;
};

// Makes and finds containers whose state lives under one root directory.
// Must outlive the Containers it returns. Thread-safe.
class Runtime {
 public:
  explicit Runtime(std::string state_root = kDefaultStateRoot);
  explicit Runtime(RuntimeOptions options);
  // Containers point back to their Runtime: it never moves.
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;
  ~Runtime();

  // Creates container `id` from `spec` (validated here): its init is set up
  // in its namespaces, the prestart, createRuntime and createContainer hooks
  // run, and the init waits for Start. On any failure nothing is left: no
  // process, mount, state directory or fd (and, once the hooks were reached,
  // the poststop hooks ran).
  absl::StatusOr<Container> Create(const std::string& id, config::Spec spec,
                                   const CreateOptions& options);

  // Makes container `id` from `spec` (validated) and the checkpoint at
  // options.image_path: a fresh cgroup under the new id (or the config's
  // cgroupsPath), the processes restored by CRIU into it, the prestart and
  // createRuntime hooks run once CRIU has made the namespaces, the state
  // saved running with the restored init's pid. The init is the caller's
  // child, its pidfd in the Container. On any failure nothing is left: no
  // process, cgroup or state.
  absl::StatusOr<Container> Restore(const std::string& id, config::Spec spec,
                                    const RestoreOptions& options);

  // The existing container `id`; NotFound "container does not exist".
  absl::StatusOr<Container> Load(const std::string& id);

  // The ids of every container under the root, sorted.
  absl::StatusOr<std::vector<std::string>> List() const;

  // Removes what a create or delete of `id` killed midway left before the
  // container's directory was whole (its temporary directories): what
  // `delete --force` of an id that does not exist still does.
  absl::Status RemoveAbandoned(const std::string& id);

 private:
  friend class Container;
  // What the Runtime holds: the state store, the engine and the
  // collaborators (container.cc).
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_CONTAINER_H_
