// The container's init: what the process cloned by `create` does, in the
// container's namespaces, from the clone to the execve of the user's process.
#ifndef HULL_RUNTIME_INIT_CONTAINER_INIT_H_
#define HULL_RUNTIME_INIT_CONTAINER_INIT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "config/runtime_spec.pb.h"
#include "nsenter/namespace.h"
#include "runtime/channel/sync_channel.h"

namespace hull::runtime {

struct InitContext {
  const config::Spec& spec;
  std::string container_id;
  // Absolute host path of the root filesystem (root.path against the bundle).
  std::string rootfs;
  nsenter::NamespacePlan namespaces;
  bool no_pivot = false;
  bool no_new_keyring = false;
  int preserve_fds = 0;
  // The init's end of the channel to the launcher.
  channel::SyncChannel& channel;
  // O_PATH fd on the exec fifo (process::CreateExecFifo).
  int exec_fifo_fd = -1;
};

// Runs the init's steps in order and execs the user's process, or reports the
// failing step to the launcher over the channel and exits 1. Never returns.
// Call it only in the freshly cloned child.
[[noreturn]] void RunContainerInit(InitContext& context);

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_INIT_CONTAINER_INIT_H_
