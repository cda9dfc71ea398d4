// The CRIU requests of `checkpoint` and `restore`, built from the
// container's config and runc's flags. Pure: what the kernel tells (fds,
// namespace inodes, the init's stdio) comes in, already read.
#ifndef HULL_RUNTIME_CRIU_REQUESTS_H_
#define HULL_RUNTIME_CRIU_REQUESTS_H_

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "config/runtime_spec.pb.h"
#include "runtime/criu/checkpoint_options.h"
#include "runtime/criu/rpc.pb.h"

namespace hull::runtime::criu {

// The log CRIU writes in the work directory, and its verbosity (runc's).
inline constexpr char kDumpLog[] = "dump.log";
inline constexpr char kRestoreLog[] = "restore.log";
inline constexpr int kLogLevel = 4;

// The keys of the namespaces a config joins by path that CRIU leaves out of
// the dump (runc's): on restore they are inherited fds of these names.
inline constexpr char kExternalNetworkKey[] = "extRootNetNS";
inline constexpr char kExternalPidKey[] = "extRootPidNS";

struct DumpInputs {
  const config::Spec* spec;
  // Absolute bundle path: the config's relative root and bind sources are in it.
  std::string bundle;
  pid_t pid = 0;
  int images_dir_fd = -1;
  int work_dir_fd = -1;
  // The cgroup CRIU freezes the tree through (runc's freezer path); empty: none.
  std::string freeze_cgroup;
  // "network", "pid": the inode of the namespace the config joins by path.
  std::map<std::string, uint64_t> external_namespace_inodes;
  // The masked paths that are not directories (those are bound over with
  // /dev/null, which CRIU must know as external).
  std::vector<std::string> masked_files;
};

// A DUMP, or a PRE_DUMP with options.pre_dump. options.status_fd is not
// CRIU's: CRIU 3.15 and later notify "status-ready" instead, and the caller
// writes to it then (as runc does).
absl::StatusOr<criu_req> DumpRequest(const DumpInputs& inputs, const CheckpointOptions& options);

struct RestoreInputs {
  const config::Spec* spec;
  int images_dir_fd = -1;
  int work_dir_fd = -1;
  // The container's cgroups, controller ("" for cgroup v2) to its path in
  // the hierarchy, as /proc/<pid>/cgroup shows it ("/hull/web").
  std::map<std::string, std::string> cgroup_paths;
  // The init's fds 0, 1, 2 at the checkpoint as /proc/<pid>/fd showed them
  // (descriptors.json): a pipe there ("pipe:[123]") is replaced by the
  // caller's fd of the same number.
  std::vector<std::string> descriptors;
  std::array<int, 3> stdio = {0, 1, 2};
  // "network", "pid": an fd on the namespace the config joins by path.
  std::map<std::string, int> external_namespace_fds;
};

struct RestorePlan {
  criu_req request;
  // The caller's fds CRIU is given (Runner::Run's extra_fds), in order.
  std::vector<int> extra_fds;
};

absl::StatusOr<RestorePlan> RestoreRequest(const RestoreInputs& inputs,
                                           const RestoreOptions& options);

// "soft", "full", "strict", "ignore" as CRIU's mode; InvalidArgument otherwise.
absl::StatusOr<criu_cg_mode> CgroupMode(const std::string& name);

// ADDRESS:PORT; InvalidArgument otherwise.
absl::StatusOr<criu_page_server_info> PageServer(const std::string& address_port);

}  // namespace hull::runtime::criu

#endif  // HULL_RUNTIME_CRIU_REQUESTS_H_
