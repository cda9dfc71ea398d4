#include "tools/bench/bench_setup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "config/default_spec.h"
#include "config/json.h"
#include "tools/bench/timed_run.h"

namespace hull::bench {

std::string FromCallerDirectory(const std::string& path) {
  const char* dir = getenv("BUILD_WORKING_DIRECTORY");
  if (path.empty() || path.front() == '/' || dir == nullptr) return path;
  return absl::StrCat(dir, "/", path);
}

absl::StatusOr<TempDir> TempDir::Create(absl::string_view parent) {
  std::string pattern = absl::StrCat(parent, "/hull-bench.XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp \"", pattern, "\": ", strerror(errno)));
  }
  return TempDir(std::move(pattern));
}

absl::StatusOr<TempDir> TempDir::InTmpdir() {
  const char* tmp = getenv("TMPDIR");
  return Create(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp");
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code error;
  std::filesystem::remove_all(path_, error);
  if (error) std::cerr << "bench: remove \"" << path_ << "\": " << error.message() << "\n";
}

absl::StatusOr<StateTmpfs> StateTmpfs::MountIfNeeded(const std::string& path) {
  struct statfs fs;
  if (statfs(path.c_str(), &fs) != 0) {
    return absl::InternalError(absl::StrCat("statfs \"", path, "\": ", strerror(errno)));
  }
  if (fs.f_type == TMPFS_MAGIC) return StateTmpfs("");
  if (mount("tmpfs", path.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") != 0) {
    return absl::InternalError(absl::StrCat("mount tmpfs on \"", path, "\": ", strerror(errno)));
  }
  return StateTmpfs(path);
}

StateTmpfs::~StateTmpfs() {
  if (!path_.empty() && umount2(path_.c_str(), MNT_DETACH) != 0) {
    std::cerr << "bench: unmount \"" << path_ << "\": " << strerror(errno) << "\n";
  }
}

absl::StatusOr<BenchDirs> MakeBenchDirs(const std::string& state_parent) {
  ASSIGN_OR_RETURN(TempDir scratch, TempDir::InTmpdir());
  ASSIGN_OR_RETURN(TempDir state, TempDir::Create(state_parent));
  ASSIGN_OR_RETURN(StateTmpfs state_tmpfs, StateTmpfs::MountIfNeeded(state.path()));
  return BenchDirs{.scratch = std::move(scratch),
                   .state = std::move(state),
                   .state_tmpfs = std::move(state_tmpfs)};
}

absl::Status WriteFile(const std::string& path, const std::string& contents) {
  UniqueFd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid())
    return absl::InternalError(absl::StrCat("open \"", path, "\": ", strerror(errno)));
  for (size_t done = 0; done < contents.size();) {
    ssize_t written = write(fd.get(), contents.data() + done, contents.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) {
      return absl::InternalError(absl::StrCat("write \"", path, "\": ", strerror(errno)));
    }
    done += static_cast<size_t>(written);
  }
  return absl::OkStatus();
}

std::string ReadStderr(const std::string& path) {
  std::string text;
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  char buffer[2048];
  ssize_t n = fd.valid() ? read(fd.get(), buffer, sizeof(buffer)) : -1;
  if (n > 0) text.assign(buffer, static_cast<size_t>(n));
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text.empty() ? "(nothing on stderr)" : text;
}

absl::Status RunSetup(const std::vector<std::string>& argv, const std::string& stderr_path) {
  ASSIGN_OR_RETURN(Measurement run, TimedRun(argv, stderr_path));
  if (run.exit_code != 0) {
    return absl::InternalError(absl::StrCat(argv[0], " ", argv[1], " exited with status ",
                                            run.exit_code, ": ", ReadStderr(stderr_path)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> MakeBundle(const std::string& dir, absl::string_view name,
                                       const std::string& rootfs_tar, bool limits,
                                       const std::vector<std::string>& args) {
  const std::string bundle = absl::StrCat(dir, "/", name);
  const std::string rootfs = absl::StrCat(bundle, "/rootfs");
  for (const std::string& path : {bundle, rootfs}) {
    if (mkdir(path.c_str(), 0755) != 0) {
      return absl::InternalError(absl::StrCat("mkdir \"", path, "\": ", strerror(errno)));
    }
  }
  RETURN_IF_ERROR(
      RunSetup({"/bin/tar", "-xf", rootfs_tar, "-C", rootfs}, absl::StrCat(dir, "/tar.stderr")));
  config::Spec spec = config::DefaultSpec(/*rootless=*/false);
  // crun 1.8 (Debian 12's) refuses a config newer than runtime-spec 1.1
  // ("unknown version specified"); the bundle uses nothing of 1.2.
  spec.set_oci_version("1.1.0");
  spec.mutable_process()->set_terminal(false);
  spec.mutable_process()->clear_args();
  for (const std::string& arg : args) spec.mutable_process()->add_args(arg);
  if (limits) {
    config::Resources& resources = *spec.mutable_linux()->mutable_resources();
    resources.mutable_memory()->set_limit(int64_t{256} << 20);
    resources.mutable_pids()->set_limit(100);
    resources.mutable_cpu()->set_quota(50000);
    resources.mutable_cpu()->set_period(100000);
  }
  ASSIGN_OR_RETURN(std::string json, config::ConfigToJson(spec));
  RETURN_IF_ERROR(WriteFile(absl::StrCat(bundle, "/config.json"), json));
  return bundle;
}

absl::StatusOr<std::vector<std::string>> FloorCommand(const std::string& bundle) {
  std::vector<std::string> argv = {"/usr/bin/unshare", "--fork"};
  const config::Spec spec = config::DefaultSpec(/*rootless=*/false);
  for (const config::Namespace& ns : spec.linux().namespaces()) {
    static constexpr std::pair<absl::string_view, absl::string_view> kOptions[] = {
        {"pid", "--pid"},       {"network", "--net"}, {"ipc", "--ipc"},   {"uts", "--uts"},
        {"mount", "--mount"},   {"user", "--user"},   {"cgroup", "--cgroup"}, {"time", "--time"}};
    const auto option = std::find_if(std::begin(kOptions), std::end(kOptions),
                                     [&](const auto& entry) { return entry.first == ns.type(); });
    if (option == std::end(kOptions)) {
      return absl::InvalidArgumentError(
          absl::StrCat("the floor: unshare has no option for namespace \"", ns.type(), "\""));
    }
    argv.emplace_back(option->second);
  }
  argv.push_back("--");
  argv.push_back(absl::StrCat(bundle, "/rootfs/bin/true"));
  return argv;
}

}  // namespace hull::bench
