// What a Runtime is made with: where its containers' state lives and, for
// embedders and tests, the collaborators that reach the kernel. Every
// pointer left null gets the Linux default.
#ifndef HULL_RUNTIME_RUNTIME_OPTIONS_H_
#define HULL_RUNTIME_RUNTIME_OPTIONS_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace hull::cgroups {
class ManagerFactory;
}  // namespace hull::cgroups
namespace hull::statemachine {
class ProcessProbe;
}  // namespace hull::statemachine

namespace hull::runtime {

class InitSpawner;
namespace criu {
class Runner;
}  // namespace criu

// runc's default is /run/runc.
inline constexpr char kDefaultStateRoot[] = "/run/hull";

struct RuntimeOptions {
  // Holds one directory per container.
  std::string state_root = kDefaultStateRoot;
  // Starts the containers' inits. Default: cloned from the calling process,
  // which must then be single-threaded at each Create; a multi-threaded
  // program starts a ForkServer early and passes it here
  // (runtime/spawn/fork_server.h).
  InitSpawner* spawner = nullptr;
  // Makes the managers of the containers' cgroups. Default: the host's
  // (cgroups::HostManagerFactory).
  cgroups::ManagerFactory* cgroups = nullptr;
  // Whether the default factory gives new containers the systemd cgroup
  // driver (`--systemd-cgroup`, cgroups/systemd/systemd_manager.h). Existing
  // containers keep the driver they were made with either way.
  bool systemd_cgroup = false;
  // Tells whether a recorded init still lives. Default: /proc.
  statemachine::ProcessProbe* probe = nullptr;
  // Receives what the processes Hull clones for a container (its init) log
  // of their setup: a record per step as each starts it, "container \"web\":
  // init 1234: join namespaces" (`hull --debug` passes them to its log). Set,
  // each such process gets a log (runtime/channel/child_log.h) that is
  // forwarded here whenever it reports to the runtime; unset (the default),
  // there is none and nothing is recorded.
  std::function<void(absl::string_view record)> child_log;
  // runc's rootless cgroups (`hull --rootless`, auto: an unprivileged user or
  // root in a user namespace): a container gets cgroups only where its user
  // may make them (a delegated cgroup v2 subtree); one that asks for no
  // limits and names no cgroupsPath runs without a cgroup otherwise, any
  // other is refused before anything is made (runtime/rootless/).
  bool rootless_cgroups = false;
  // Whether the calling process runs in a user namespace other than the
  // initial one (nsenter::RunningInUserNamespace), when the embedder has read
  // it already: the launcher has, to decide `--rootless auto`. Unset, each
  // create reads /proc/self/uid_map for it.
  std::optional<bool> in_user_namespace;
  // The criu binary checkpoint and restore run (`criu swrk`), looked up in
  // PATH without a slash (runc's --criu).
  std::string criu_path = "criu";
  // Serves the CRIU requests instead of criu_path (tests). Default: null.
  criu::Runner* criu = nullptr;
};

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_RUNTIME_OPTIONS_H_
