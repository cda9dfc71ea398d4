#include "runtime/criu/requests.h"

#include <sched.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "base/status_macros.h"
#include "nsenter/namespace.h"
#include "runtime/criu/runner.h"
#include "runtime/rootfs/rootfs_plan.h"

namespace hull::runtime::criu {
namespace {

std::string AbsoluteRoot(const config::Spec& spec, const std::string& bundle) {
  const std::string& root = spec.root().path();
  if (root.empty() || root.front() == '/') return root;
  return absl::StrCat(bundle, "/", root);
}

// The config's bind mounts (sources made absolute): CRIU cannot dump what
// they show of the host, so they are external, named by their destination.
absl::StatusOr<std::vector<rootfs::PlannedMount>> BindMounts(const config::Spec& spec,
                                                             const std::string& bundle) {
  config::Spec resolved = spec;
  rootfs::ResolveBindSources(resolved, bundle);
  ASSIGN_OR_RETURN(rootfs::RootfsPlan plan, rootfs::PlanRootfs(resolved));
  std::vector<rootfs::PlannedMount> binds;
  for (rootfs::PlannedMount& mount : plan.mounts) {
    if (mount.kind == rootfs::MountKind::kBind) binds.push_back(std::move(mount));
  }
  return binds;
}

void AddExternalMount(criu_opts& opts, std::string key, std::string value) {
  ext_mount_map& mount = *opts.add_ext_mnt();
  mount.set_key(std::move(key));
  mount.set_val(std::move(value));
}

absl::Status SetCommon(criu_opts& opts, const CriuCommonOptions& options, const config::Spec& spec,
                       const std::string& bundle, int images_dir_fd, int work_dir_fd,
                       const char* log_file) {
  if (images_dir_fd < 0) return absl::InvalidArgumentError("no image directory for criu");
  opts.set_images_dir_fd(images_dir_fd);
  if (work_dir_fd >= 0) opts.set_work_dir_fd(work_dir_fd);
  opts.set_log_level(kLogLevel);
  opts.set_log_file(log_file);
  opts.set_root(AbsoluteRoot(spec, bundle));
  opts.set_manage_cgroups(true);
  // The notifications (setup-namespaces, post-restore, ...) drive the hooks.
  opts.set_notify_scripts(true);
  opts.set_shell_job(options.shell_job);
  opts.set_ext_unix_sk(options.ext_unix_sk);
  opts.set_tcp_established(options.tcp_established);
  opts.set_file_locks(options.file_locks);
  if (options.auto_dedup) opts.set_auto_dedup(true);
  if (options.lazy_pages) opts.set_lazy_pages(true);
  if (!options.manage_cgroups_mode.empty()) {
    ASSIGN_OR_RETURN(const criu_cg_mode mode, CgroupMode(options.manage_cgroups_mode));
    opts.set_manage_cgroups_mode(mode);
  }
  if (options.empty_ns != 0) {
    if (options.empty_ns != CLONE_NEWNET) {
      return absl::InvalidArgumentError(
          absl::StrCat("--empty-ns ", options.empty_ns, ": only the network namespace (",
                       CLONE_NEWNET, ") may be made empty"));
    }
    opts.set_empty_ns(options.empty_ns);
  }
  // The pty of a process.terminal container has its master outside: CRIU
  // restores the slave side and passes the master back (orphan-pts-master).
  if (spec.process().terminal()) opts.set_orphan_pts_master(true);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<criu_cg_mode> CgroupMode(const std::string& name) {
  if (name == "soft") return SOFT;
  if (name == "full") return FULL;
  if (name == "strict") return STRICT;
  if (name == "ignore") return IGNORE;
  return absl::InvalidArgumentError(absl::StrCat(
      "invalid --manage-cgroups-mode \"", name, "\": want soft, full, strict or ignore"));
}

absl::StatusOr<criu_page_server_info> PageServer(const std::string& address_port) {
  const size_t colon = address_port.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(absl::string_view(address_port).substr(colon + 1), &port) || port <= 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid --page-server \"", address_port, "\": want ADDRESS:PORT"));
  }
  criu_page_server_info server;
  server.set_address(address_port.substr(0, colon));
  server.set_port(port);
  return server;
}

absl::StatusOr<criu_req> DumpRequest(const DumpInputs& inputs, const CheckpointOptions& options) {
  const config::Spec& spec = *inputs.spec;
  criu_req request;
  request.set_type(options.pre_dump ? PRE_DUMP : DUMP);
  criu_opts& opts = *request.mutable_opts();
  RETURN_IF_ERROR(SetCommon(opts, options, spec, inputs.bundle, inputs.images_dir_fd,
                            inputs.work_dir_fd, kDumpLog));
  if (inputs.pid <= 0) return absl::InvalidArgumentError("no init to checkpoint");
  opts.set_pid(inputs.pid);
  opts.set_leave_running(options.leave_running && !options.pre_dump);
  // Memory changes are tracked from a pre-dump on, for the dump that names it.
  if (options.pre_dump || !options.parent_path.empty()) opts.set_track_mem(true);
  if (!options.parent_path.empty()) opts.set_parent_img(options.parent_path);
  if (!options.page_server.empty()) {
    ASSIGN_OR_RETURN(*opts.mutable_ps(), PageServer(options.page_server));
  }
  if (!inputs.freeze_cgroup.empty()) opts.set_freeze_cgroup(inputs.freeze_cgroup);
  ASSIGN_OR_RETURN(const std::vector<rootfs::PlannedMount> binds, BindMounts(spec, inputs.bundle));
  for (const rootfs::PlannedMount& bind : binds) {
    AddExternalMount(opts, bind.destination, bind.destination);
  }
  for (const std::string& path : inputs.masked_files) AddExternalMount(opts, path, "/dev/null");
  for (const auto& [type, inode] : inputs.external_namespace_inodes) {
    if (type == "network") {
      opts.add_external(absl::StrCat("net[", inode, "]:", kExternalNetworkKey));
    } else if (type == "pid") {
      opts.add_external(absl::StrCat("pid[", inode, "]:", kExternalPidKey));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("criu keeps only network and pid namespaces external, not ", type));
    }
  }
  return request;
}

absl::StatusOr<RestorePlan> RestoreRequest(const RestoreInputs& inputs,
                                           const RestoreOptions& options) {
  const config::Spec& spec = *inputs.spec;
  RestorePlan plan;
  plan.request.set_type(RESTORE);
  criu_opts& opts = *plan.request.mutable_opts();
  RETURN_IF_ERROR(SetCommon(opts, options, spec, options.bundle, inputs.images_dir_fd,
                            inputs.work_dir_fd, kRestoreLog));
  // The restored init becomes the caller's child, as a created one is.
  opts.set_rst_sibling(true);
  if (!options.lsm_profile.empty()) opts.set_lsm_profile(options.lsm_profile);
  if (!options.lsm_mount_context.empty()) opts.set_lsm_mount_context(options.lsm_mount_context);
  auto inherit = [&](std::string key, int fd) {
    inherit_fd& inherited = *opts.add_inherit_fd();
    inherited.set_key(std::move(key));
    inherited.set_fd(kFirstExtraFd + static_cast<int>(plan.extra_fds.size()));
    plan.extra_fds.push_back(fd);
  };
  for (const auto& [controller, path] : inputs.cgroup_paths) {
    cgroup_root& root = *opts.add_cg_root();
    if (!controller.empty()) root.set_ctrl(controller);
    root.set_path(path);
  }
  ASSIGN_OR_RETURN(const std::vector<rootfs::PlannedMount> binds, BindMounts(spec, options.bundle));
  for (const rootfs::PlannedMount& bind : binds) {
    AddExternalMount(opts, bind.destination, bind.source);
  }
  if (!spec.linux().masked_paths().empty()) AddExternalMount(opts, "/dev/null", "/dev/null");
  for (const config::Namespace& ns : spec.linux().namespaces()) {
    if (ns.path().empty()) continue;
    if (ns.type() == "network" || ns.type() == "pid") {
      auto fd = inputs.external_namespace_fds.find(ns.type());
      if (fd == inputs.external_namespace_fds.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("no fd on the ", ns.type(), " namespace ", ns.path()));
      }
      inherit(ns.type() == "network" ? kExternalNetworkKey : kExternalPidKey, fd->second);
      continue;
    }
    ASSIGN_OR_RETURN(const nsenter::NamespaceType type, nsenter::NamespaceTypeFromOciName(ns.type()));
    if (type == nsenter::NamespaceType::kCgroup) {
      return absl::InvalidArgumentError(absl::StrCat(
          "restore cannot join the cgroup namespace ", ns.path(), ": criu cannot join one"));
    }
    join_namespace& join = *opts.add_join_ns();
    join.set_ns(std::string(nsenter::ProcNsName(type)));
    join.set_ns_file(ns.path());
  }
  // As containerd expects of runc: the init's stdio pipes at the checkpoint
  // are the restoring caller's stdio now.
  for (size_t i = 0; i < inputs.descriptors.size() && i < inputs.stdio.size(); ++i) {
    if (absl::StartsWith(inputs.descriptors[i], "pipe:")) {
      inherit(inputs.descriptors[i], inputs.stdio[i]);
    }
  }
  return plan;
}

}  // namespace hull::runtime::criu
