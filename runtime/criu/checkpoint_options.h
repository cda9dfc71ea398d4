// What `checkpoint` and `restore` take beyond the container: runc's flags.
#ifndef HULL_RUNTIME_CRIU_CHECKPOINT_OPTIONS_H_
#define HULL_RUNTIME_CRIU_CHECKPOINT_OPTIONS_H_

#include <cstdint>
#include <string>

namespace hull::runtime {

// Options both directions share.
struct CriuCommonOptions {
  // Where the images are (made if missing on checkpoint).
  std::string image_path;
  // Where CRIU writes its log (dump.log, restore.log); default the image path.
  std::string work_path;
  bool tcp_established = false;
  bool ext_unix_sk = false;
  bool shell_job = false;
  bool file_locks = false;
  bool auto_dedup = false;
  bool lazy_pages = false;
  // "soft", "full", "strict", "ignore"; empty: CRIU's default (soft).
  std::string manage_cgroups_mode;
  // CLONE_NEW* bits of namespaces CRIU makes without restoring them
  // (runc's --empty-ns network: the network namespace).
  uint32_t empty_ns = 0;
};

struct CheckpointOptions : CriuCommonOptions {
  // Images of an earlier pre-dump, relative to image_path (or absolute).
  std::string parent_path;
  bool leave_running = false;
  // Memory only; the container keeps running.
  bool pre_dump = false;
  // ADDRESS:PORT of a page server to send the memory to.
  std::string page_server;
  // With lazy_pages: the caller's fd that Hull writes \0 to once CRIU says the
  // dump is ready to serve its pages ("status-ready"); -1: none.
  int status_fd = -1;
};

struct RestoreOptions : CriuCommonOptions {
  // Absolute path of the bundle the restored container is made from (its
  // config.json, its root).
  std::string bundle;
  // With process.terminal: a connected unix socket the restored pty's master
  // is sent to (as `create`'s console socket).
  int console_socket = -1;
  // CRIU mounts the root without pivot_root.
  bool no_pivot = false;
  std::string lsm_profile;
  std::string lsm_mount_context;
};

}  // namespace hull::runtime

#endif  // HULL_RUNTIME_CRIU_CHECKPOINT_OPTIONS_H_
