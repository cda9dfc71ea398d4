// Compares `hull run` with runc's `runc run` of /bin/true on one busybox
// bundle: interleaved runs (hull, runc, hull, runc, ...), each with its own
// --root and container id; prints the median and p90 wall time, the ratio of
// the medians and the peak RSS of each. With --exec, `exec` of /bin/true into
// one running container of each instead. Needs root. See README.md.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "config/default_spec.h"
#include "config/json.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "tools/bench/stats.h"
#include "tools/bench/timed_run.h"
#include "tools/cpp/runfiles/runfiles.h"

namespace hull::bench {
namespace {

using ::bazel::tools::cpp::runfiles::Runfiles;

constexpr char kUsage[] =
    "usage: bench [--runs=N] [--warmup=N] [--hull=PATH] [--runc=PATH] [--rootfs=TAR]\n"
    "             [--state-dir=DIR] [--limits] [--pause=MS] [--exec | --checkpoint]\n"
    "  --runs    measured runs of each runtime (default 30)\n"
    "  --warmup  unmeasured runs of each runtime first (default 2)\n"
    "  --hull    the hull binary (default: the one built with this benchmark)\n"
    "  --runc    the runc binary (default /usr/sbin/runc)\n"
    "  --rootfs  the busybox rootfs archive (default: //testing/rootfs:busybox_rootfs)\n"
    "  --state-dir  where the runs' --root directories go (default /run, where both\n"
    "               runtimes keep their state by default; a tmpfs is mounted there\n"
    "               for the run when it is not on one, as /run is on a standard system)\n"
    "  --limits  give the container memory (256 MiB), pids (100) and cpu (50%) limits\n"
    "  --pause   milliseconds to sleep before each run (default 0), so that each run\n"
    "            starts as a lone container start does: on cgroup v1 runc's cgroup move\n"
    "            then waits for an RCU grace period, which one right after another\n"
    "            move does not\n"
    "  --exec    measure `exec` of /bin/true into a running container (one per\n"
    "            runtime, started first) instead of `run`\n"
    "  --checkpoint  measure `checkpoint` of an idle container (started first, not\n"
    "            measured) plus `restore --detach` of its images under a new id,\n"
    "            instead of `run` (needs criu, and a kernel it can dump on)\n";

struct Options {
  int runs = 30;
  int warmup = 2;
  std::string hull;
  std::string runc = "/usr/sbin/runc";
  std::string rootfs_tar;
  std::string state_dir = "/run";
  bool limits = false;
  int pause_ms = 0;
  bool exec = false;
  bool checkpoint = false;
  bool help = false;
};

absl::StatusOr<Options> ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const std::string value = equals == std::string::npos ? "" : arg.substr(equals + 1);
    if (name == "--help" || name == "-h") {
      options.help = true;
    } else if (name == "--limits" && equals == std::string::npos) {
      options.limits = true;
    } else if (name == "--exec" && equals == std::string::npos) {
      options.exec = true;
    } else if (name == "--checkpoint" && equals == std::string::npos) {
      options.checkpoint = true;
    } else if (name == "--runs" || name == "--warmup" || name == "--pause") {
      const bool runs = name == "--runs";
      int count;
      if (!absl::SimpleAtoi(value, &count) || count < (runs ? 1 : 0)) {
        return absl::InvalidArgumentError(
            absl::StrCat(name, ": not a valid count: \"", value, "\""));
      }
      (runs ? options.runs : name == "--warmup" ? options.warmup : options.pause_ms) = count;
    } else if (name == "--hull" && !value.empty()) {
      options.hull = value;
    } else if (name == "--runc" && !value.empty()) {
      options.runc = value;
    } else if (name == "--rootfs" && !value.empty()) {
      options.rootfs_tar = value;
    } else if (name == "--state-dir" && !value.empty()) {
      options.state_dir = value;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown or incomplete option: ", arg));
    }
  }
  if (options.exec && options.checkpoint) {
    return absl::InvalidArgumentError("--exec and --checkpoint measure different things: pick one");
  }
  return options;
}

// `bazel run` starts the benchmark in its runfiles; paths given on the command
// line mean the caller's directory.
std::string FromCallerDirectory(const std::string& path) {
  const char* dir = getenv("BUILD_WORKING_DIRECTORY");
  if (path.empty() || path.front() == '/' || dir == nullptr) return path;
  return absl::StrCat(dir, "/", path);
}

absl::Status ResolvePaths(const char* argv0, Options& options) {
  options.runc = FromCallerDirectory(options.runc);
  options.hull = FromCallerDirectory(options.hull);
  options.rootfs_tar = FromCallerDirectory(options.rootfs_tar);
  options.state_dir = FromCallerDirectory(options.state_dir);
  if (options.hull.empty() || options.rootfs_tar.empty()) {
    std::string error;
    std::unique_ptr<Runfiles> runfiles(Runfiles::Create(argv0, &error));
    if (runfiles == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("runfiles of ", argv0, ": ", error,
                       " (run me with bazel run, or pass --hull and --rootfs)"));
    }
    if (options.hull.empty()) options.hull = runfiles->Rlocation("hull/tools/launcher/hull");
    if (options.rootfs_tar.empty()) {
      options.rootfs_tar = runfiles->Rlocation("hull/testing/rootfs/busybox_rootfs.tar");
    }
  }
  for (std::string* path :
       {&options.hull, &options.runc, &options.rootfs_tar, &options.state_dir}) {
    std::error_code error;
    std::filesystem::path absolute = std::filesystem::canonical(*path, error);
    if (error) return absl::NotFoundError(absl::StrCat("\"", *path, "\": ", error.message()));
    *path = absolute.string();
  }
  return absl::OkStatus();
}

// A fresh directory in `parent`, removed with its contents.
class TempDir {
 public:
  static absl::StatusOr<TempDir> Create(absl::string_view parent) {
    std::string pattern = absl::StrCat(parent, "/hull-bench.XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) {
      return absl::InternalError(absl::StrCat("mkdtemp \"", pattern, "\": ", strerror(errno)));
    }
    return TempDir(std::move(pattern));
  }
  TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, "")) {}
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code error;
    std::filesystem::remove_all(path_, error);
    if (error) std::cerr << "bench: remove \"" << path_ << "\": " << error.message() << "\n";
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// A tmpfs the benchmark mounts over its state directory when that is not on
// one already: /run, where both runtimes keep their state, is a tmpfs on a
// standard system (not on every VM), and a disk's fsync would otherwise be
// measured instead of the runtimes.
class StateTmpfs {
 public:
  static absl::StatusOr<StateTmpfs> MountIfNeeded(const std::string& path) {
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
  StateTmpfs(StateTmpfs&& other) noexcept : path_(std::exchange(other.path_, "")) {}
  StateTmpfs& operator=(StateTmpfs&&) = delete;
  ~StateTmpfs() {
    if (!path_.empty() && umount2(path_.c_str(), MNT_DETACH) != 0) {
      std::cerr << "bench: unmount \"" << path_ << "\": " << strerror(errno) << "\n";
    }
  }
  bool mounted() const { return !path_.empty(); }

 private:
  explicit StateTmpfs(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

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

// The first lines of a child's stderr, for error messages.
std::string ReadStderr(const std::string& path) {
  std::string text;
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  char buffer[2048];
  ssize_t n = fd.valid() ? read(fd.get(), buffer, sizeof(buffer)) : -1;
  if (n > 0) text.assign(buffer, static_cast<size_t>(n));
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text.empty() ? "(nothing on stderr)" : text;
}

// Runs a setup command; a failure carries its stderr.
absl::Status RunSetup(const std::vector<std::string>& argv, const std::string& stderr_path) {
  ASSIGN_OR_RETURN(Measurement run, TimedRun(argv, stderr_path));
  if (run.exit_code != 0) {
    return absl::InternalError(absl::StrCat(argv[0], " ", argv[1], " exited with status ",
                                            run.exit_code, ": ", ReadStderr(stderr_path)));
  }
  return absl::OkStatus();
}

// The bundle both runtimes run: the busybox rootfs and `hull spec`'s default
// config with no terminal and `args` as the process.
absl::StatusOr<std::string> MakeBundle(const std::string& dir, const std::string& rootfs_tar,
                                       bool limits, const std::vector<std::string>& args) {
  const std::string bundle = absl::StrCat(dir, "/bundle");
  const std::string rootfs = absl::StrCat(bundle, "/rootfs");
  for (const std::string& path : {bundle, rootfs}) {
    if (mkdir(path.c_str(), 0755) != 0) {
      return absl::InternalError(absl::StrCat("mkdir \"", path, "\": ", strerror(errno)));
    }
  }
  RETURN_IF_ERROR(
      RunSetup({"/bin/tar", "-xf", rootfs_tar, "-C", rootfs}, absl::StrCat(dir, "/tar.stderr")));
  config::Spec spec = config::DefaultSpec(/*rootless=*/false);
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

struct Runtime {
  std::string name;
  std::string binary;
  std::vector<double> wall_ms;
  std::vector<double> peak_rss_kib;
  // --exec: the running container's --root and id.
  std::string exec_root;
  std::string exec_id;
  // --checkpoint: each part of wall_ms.
  std::vector<double> checkpoint_ms;
  std::vector<double> restore_ms;
};

// --exec: `exec` of /bin/true into `runtime`'s running container.
absl::StatusOr<Measurement> ExecOnce(const Runtime& runtime, const std::string& dir) {
  const std::string stderr_path = absl::StrCat(dir, "/", runtime.name, ".stderr");
  ASSIGN_OR_RETURN(Measurement run, TimedRun({runtime.binary, "--root", runtime.exec_root, "exec",
                                              runtime.exec_id, "/bin/true"},
                                             stderr_path));
  if (run.exit_code != 0) {
    return absl::InternalError(absl::StrCat(runtime.name, " exec ", runtime.exec_id,
                                            " exited with status ", run.exit_code, ": ",
                                            ReadStderr(stderr_path)));
  }
  return run;
}

// --exec: one running container of each runtime, deleted (forced) with this
// object whatever happens.
class ExecTargets {
 public:
  static absl::StatusOr<std::unique_ptr<ExecTargets>> Start(std::vector<Runtime>& runtimes,
                                                           const std::string& bundle,
                                                           const std::string& state_dir,
                                                           const std::string& dir) {
    auto targets = std::unique_ptr<ExecTargets>(new ExecTargets(runtimes, dir));
    for (Runtime& runtime : runtimes) {
      runtime.exec_root = absl::StrCat(state_dir, "/", runtime.name, "-exec");
      runtime.exec_id = absl::StrCat("bench-exec-", runtime.name, "-", getpid());
      RETURN_IF_ERROR(RunSetup({runtime.binary, "--root", runtime.exec_root, "run", "--detach",
                                "--bundle", bundle, runtime.exec_id},
                               absl::StrCat(dir, "/", runtime.name, ".stderr")));
    }
    return targets;
  }
  ~ExecTargets() {
    for (const Runtime& runtime : runtimes_) {
      if (runtime.exec_id.empty()) continue;
      const absl::Status deleted =
          RunSetup({runtime.binary, "--root", runtime.exec_root, "delete", "--force",
                    runtime.exec_id},
                   absl::StrCat(dir_, "/", runtime.name, ".stderr"));
      if (!deleted.ok()) std::cerr << "bench: " << deleted.message() << "\n";
    }
  }

 private:
  ExecTargets(std::vector<Runtime>& runtimes, std::string dir)
      : runtimes_(runtimes), dir_(std::move(dir)) {}
  std::vector<Runtime>& runtimes_;
  std::string dir_;
};

// One `run` of the bundle by `runtime` with its own state root (in
// `state_dir`) and container id; checks that it succeeded and that it
// deleted the container. The runtime's stderr goes to a file in `dir`.
absl::StatusOr<Measurement> RunOnce(const Runtime& runtime, const std::string& bundle,
                                    const std::string& state_dir, const std::string& dir,
                                    int index) {
  const std::string root = absl::StrCat(state_dir, "/", runtime.name, "-", index);
  const std::string id = absl::StrCat("bench-", runtime.name, "-", getpid(), "-", index);
  const std::string stderr_path = absl::StrCat(dir, "/", runtime.name, ".stderr");
  ASSIGN_OR_RETURN(
      Measurement run,
      TimedRun({runtime.binary, "--root", root, "run", "--bundle", bundle, id}, stderr_path));
  absl::Status result = absl::OkStatus();
  if (run.exit_code != 0) {
    result = absl::InternalError(absl::StrCat(runtime.name, " run ", id, " exited with status ",
                                              run.exit_code, ": ", ReadStderr(stderr_path)));
  }
  std::error_code error;
  if (std::filesystem::exists(absl::StrCat(root, "/", id), error) || error) {
    // Never leave a container behind, whatever went wrong.
    absl::Status deleted =
        RunSetup({runtime.binary, "--root", root, "delete", "--force", id}, stderr_path);
    if (result.ok()) {
      result = absl::InternalError(
          absl::StrCat(runtime.name, " run ", id, " left its container's state behind in ", root));
    }
    if (!deleted.ok())
      result = absl::InternalError(absl::StrCat(result.message(), "; ", deleted.message()));
  }
  std::filesystem::remove_all(root, error);
  if (result.ok() && error) {
    result = absl::InternalError(absl::StrCat("remove \"", root, "\": ", error.message()));
  }
  if (!result.ok()) return result;
  return run;
}

// Removes what a --checkpoint round made: both containers (forced), the
// images, the state root; returns `result`, or the first cleanup failure
// when it was OK.
absl::Status CleanUpCheckpointRound(const Runtime& runtime, const std::string& root,
                                    const std::vector<std::string>& ids,
                                    const std::string& images, const std::string& stderr_path,
                                    absl::Status result) {
  std::error_code error;
  for (const std::string& id : ids) {
    // runc's checkpoint removes the container; Hull's keeps it, stopped.
    if (!std::filesystem::exists(absl::StrCat(root, "/", id), error)) continue;
    absl::Status deleted =
        RunSetup({runtime.binary, "--root", root, "delete", "--force", id}, stderr_path);
    if (result.ok()) result = deleted;
  }
  std::filesystem::remove_all(images, error);
  std::filesystem::remove_all(root, error);
  if (result.ok() && error) {
    result = absl::InternalError(absl::StrCat("remove \"", root, "\": ", error.message()));
  }
  return result;
}

// --checkpoint: an idle container started (not measured), then `checkpoint`
// of it and `restore --detach` of its images under a new id, each measured;
// the Measurement is their sum (wall) and larger (peak RSS). Everything is
// removed afterwards.
absl::StatusOr<Measurement> CheckpointRestoreOnce(Runtime& runtime, const std::string& bundle,
                                                  const std::string& state_dir,
                                                  const std::string& dir, int index) {
  const std::string root = absl::StrCat(state_dir, "/", runtime.name, "-cr-", index);
  const std::string id = absl::StrCat("bench-cr-", runtime.name, "-", getpid(), "-", index);
  const std::string restored_id = absl::StrCat(id, "-restored");
  const std::string images = absl::StrCat(dir, "/", runtime.name, "-images-", index);
  const std::string stderr_path = absl::StrCat(dir, "/", runtime.name, ".stderr");
  auto step = [&](const std::vector<std::string>& argv) -> absl::StatusOr<Measurement> {
    ASSIGN_OR_RETURN(Measurement run, TimedRun(argv, stderr_path));
    if (run.exit_code != 0) {
      return absl::InternalError(absl::StrCat(runtime.name, " ", argv[3], " exited with status ",
                                              run.exit_code, ": ", ReadStderr(stderr_path)));
    }
    return run;
  };
  absl::StatusOr<Measurement> checkpoint, restore;
  absl::Status started = RunSetup(
      {runtime.binary, "--root", root, "run", "--detach", "--bundle", bundle, id}, stderr_path);
  if (started.ok()) {
    checkpoint = step({runtime.binary, "--root", root, "checkpoint", "--image-path", images, id});
  }
  if (started.ok() && checkpoint.ok()) {
    restore = step({runtime.binary, "--root", root, "restore", "--detach", "--bundle", bundle,
                    "--image-path", images, restored_id});
  }
  absl::Status result = !started.ok()      ? started
                        : !checkpoint.ok() ? checkpoint.status()
                                           : restore.status();
  RETURN_IF_ERROR(CleanUpCheckpointRound(runtime, root, {restored_id, id}, images, stderr_path,
                                         std::move(result)));
  runtime.checkpoint_ms.push_back(absl::ToDoubleMilliseconds(checkpoint->wall));
  runtime.restore_ms.push_back(absl::ToDoubleMilliseconds(restore->wall));
  return Measurement{.wall = checkpoint->wall + restore->wall,
                     .peak_rss_kib = std::max(checkpoint->peak_rss_kib, restore->peak_rss_kib)};
}

// Ctrl-C reaches the runtime being measured too (same process group); the
// benchmark notices afterwards and stops, cleaning up. A handler rather than
// SIG_IGN, so that the runtimes it spawns keep the default disposition.
volatile sig_atomic_t interrupted = 0;

void OnInterrupt(int) { interrupted = 1; }

absl::Status InstallInterruptHandler() {
  struct sigaction action = {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) {
    if (sigaction(signal, &action, nullptr) != 0) {
      return absl::InternalError(absl::StrCat("sigaction ", signal, ": ", strerror(errno)));
    }
  }
  return absl::OkStatus();
}

void PrintResults(const std::vector<Runtime>& runtimes, const std::vector<Summary>& wall,
                  const std::vector<Summary>& rss, bool exec, bool checkpoint) {
  absl::PrintF("\n%-8s %5s %11s %9s %9s %9s %16s %13s\n", "runtime", "runs", "median ms", "p90 ms",
               "min ms", "max ms", "peak RSS median", "peak RSS max");
  for (size_t i = 0; i < runtimes.size(); ++i) {
    absl::PrintF("%-8s %5d %11.2f %9.2f %9.2f %9.2f %12.1f MiB %9.1f MiB\n", runtimes[i].name,
                 runtimes[i].wall_ms.size(), wall[i].median, wall[i].p90, wall[i].min, wall[i].max,
                 rss[i].median / 1024, rss[i].max / 1024);
  }
  absl::PrintF("\nratio (hull/runc) of medians: %.2f\n", wall[0].median / wall[1].median);
  absl::PrintF("ratio (hull/runc) of peak RSS medians: %.2f\n", rss[0].median / rss[1].median);
  if (checkpoint) {
    for (const Runtime& runtime : runtimes) {
      absl::StatusOr<Summary> dump = Summarize(runtime.checkpoint_ms);
      absl::StatusOr<Summary> restore = Summarize(runtime.restore_ms);
      if (dump.ok() && restore.ok()) {
        absl::PrintF("%s: checkpoint median %.2f ms, restore median %.2f ms\n", runtime.name,
                     dump->median, restore->median);
      }
    }
  }
  absl::PrintF(
      checkpoint ? "\nwall: CLOCK_MONOTONIC from spawning `<runtime> --root <root> checkpoint "
                   "--image-path <dir> <idle container>` to wait4's return, plus the same for "
                   "`restore --detach --bundle <bundle> --image-path <dir> <new id>`.\n"
      : exec     ? "\nwall: CLOCK_MONOTONIC from spawning `<runtime> --root <root> exec <running "
                   "container> /bin/true` to wait4's return.\n"
                 : "\nwall: CLOCK_MONOTONIC from spawning `<runtime> --root <fresh dir> run "
                   "--bundle <bundle> <unique id>` to wait4's return.\n");
  absl::PrintF(
      "peak RSS: ru_maxrss from wait4 of each run, the largest resident set of any one process "
      "of the runtime's tree (the runtime, its helpers, the container's /bin/true), not their "
      "sum.\n");
}

absl::Status Main(int argc, char** argv) {
  ASSIGN_OR_RETURN(Options options, ParseOptions(argc, argv));
  if (options.help) {
    std::cout << kUsage;
    return absl::OkStatus();
  }
  if (geteuid() != 0) {
    return absl::PermissionDeniedError("the runtimes need root to create containers: run as root");
  }
  RETURN_IF_ERROR(ResolvePaths(argv[0], options));
  RETURN_IF_ERROR(InstallInterruptHandler());
  const char* tmp = getenv("TMPDIR");
  ASSIGN_OR_RETURN(TempDir dir, TempDir::Create(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp"));
  ASSIGN_OR_RETURN(TempDir state_dir, TempDir::Create(options.state_dir));
  ASSIGN_OR_RETURN(StateTmpfs state_tmpfs, StateTmpfs::MountIfNeeded(state_dir.path()));
  ASSIGN_OR_RETURN(
      std::string bundle,
      MakeBundle(dir.path(), options.rootfs_tar, options.limits,
                 options.exec ? std::vector<std::string>{"/bin/sleep", "1000000"}
                 // CRIU restores what the container's stdio is: its own
                 // /dev/null, not the host's.
                 : options.checkpoint
                     ? std::vector<std::string>{"/bin/sh", "-c",
                                                "exec </dev/null >/dev/null 2>&1; exec sleep 1000000"}
                     : std::vector<std::string>{"/bin/true"}));

  std::vector<Runtime> runtimes = {{.name = "hull", .binary = options.hull},
                                   {.name = "runc", .binary = options.runc}};
  absl::PrintF(
      "hull:   %s\nrunc:   %s\nbundle: %s (busybox; hull spec's config, terminal false, "
      "args [%s]%s)\nstate:  %s (each run's --root in it)\n",
      options.hull, options.runc, bundle,
      options.exec         ? "\"/bin/sleep\", \"1000000\"; exec'd into"
      : options.checkpoint ? "an idle sh: its stdio on its own /dev/null, then sleep; "
                             "checkpointed and restored"
                           : "\"/bin/true\"",
      options.limits ? ", memory+pids+cpu limits" : "",
      absl::StrCat(state_dir.path(), state_tmpfs.mounted() ? " on a tmpfs of the benchmark's" : ""));
  if (!absl::StrContains(options.hull, "-opt/")) {
    absl::PrintF(
        "note:   this hull is not an optimized build; measure with "
        "`bazel run -c opt //tools/bench`\n");
  }
  absl::PrintF(
      "%d warm-up and %d measured runs of each, interleaved: hull, runc, hull, runc, ...%s\n",
      options.warmup, options.runs,
      options.pause_ms > 0 ? absl::StrCat(", ", options.pause_ms, " ms apart") : "");
  std::unique_ptr<ExecTargets> exec_targets;
  if (options.exec) {
    ASSIGN_OR_RETURN(exec_targets,
                     ExecTargets::Start(runtimes, bundle, state_dir.path(), dir.path()));
  }
  for (int i = 0; i < options.warmup + options.runs; ++i) {
    for (Runtime& runtime : runtimes) {
      absl::SleepFor(absl::Milliseconds(options.pause_ms));
      absl::StatusOr<Measurement> run =
          options.exec ? ExecOnce(runtime, dir.path())
          : options.checkpoint
              ? CheckpointRestoreOnce(runtime, bundle, state_dir.path(), dir.path(), i)
              : RunOnce(runtime, bundle, state_dir.path(), dir.path(), i);
      // An interrupted run fails too; say why.
      if (interrupted) return absl::CancelledError("interrupted");
      if (!run.ok()) return run.status();
      if (i < options.warmup) {
        // The warm-up's parts are not measured either.
        if (options.checkpoint) {
          runtime.checkpoint_ms.pop_back();
          runtime.restore_ms.pop_back();
        }
        continue;
      }
      runtime.wall_ms.push_back(absl::ToDoubleMilliseconds(run->wall));
      runtime.peak_rss_kib.push_back(static_cast<double>(run->peak_rss_kib));
    }
  }
  std::vector<Summary> wall, rss;
  for (const Runtime& runtime : runtimes) {
    ASSIGN_OR_RETURN(Summary wall_summary, Summarize(runtime.wall_ms));
    ASSIGN_OR_RETURN(Summary rss_summary, Summarize(runtime.peak_rss_kib));
    wall.push_back(wall_summary);
    rss.push_back(rss_summary);
  }
  PrintResults(runtimes, wall, rss, options.exec, options.checkpoint);
  return absl::OkStatus();
}

}  // namespace
}  // namespace hull::bench

int main(int argc, char** argv) {
  absl::Status status = hull::bench::Main(argc, argv);
  if (status.ok()) return 0;
  std::cerr << "bench: " << status.message() << "\n";
  if (absl::IsInvalidArgument(status)) std::cerr << hull::bench::kUsage;
  return 1;
}
