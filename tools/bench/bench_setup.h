// What the benchmarks set up: temporary directories, a tmpfs for the state,
// the busybox bundle every runtime runs, and setup commands.
#ifndef HULL_TOOLS_BENCH_BENCH_SETUP_H_
#define HULL_TOOLS_BENCH_BENCH_SETUP_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hull::bench {

// `bazel run` starts a benchmark in its runfiles; paths given on the command
// line mean the caller's directory.
std::string FromCallerDirectory(const std::string& path);

// A fresh directory in `parent`, removed with its contents.
class TempDir {
 public:
  static absl::StatusOr<TempDir> Create(absl::string_view parent);
  // In $TMPDIR, or /tmp.
  static absl::StatusOr<TempDir> InTmpdir();
  TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, "")) {}
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// A tmpfs the benchmark mounts over its state directory when that is not on
// one already: /run, where the runtimes keep their state, is a tmpfs on a
// standard system (not on every VM), and a disk's fsync would otherwise be
// measured instead of the runtimes.
class StateTmpfs {
 public:
  static absl::StatusOr<StateTmpfs> MountIfNeeded(const std::string& path);
  StateTmpfs(StateTmpfs&& other) noexcept : path_(std::exchange(other.path_, "")) {}
  StateTmpfs& operator=(StateTmpfs&&) = delete;
  ~StateTmpfs();
  bool mounted() const { return !path_.empty(); }

 private:
  explicit StateTmpfs(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// A benchmark's directories, removed when it goes: `scratch` for bundles and
// stderr files (in $TMPDIR or /tmp), `state` for the runtimes' --root
// directories (in the given parent), on a tmpfs mounted for the run when the
// parent is not on one. Members go in reverse: unmounted before removed.
struct BenchDirs {
  TempDir scratch;
  TempDir state;
  StateTmpfs state_tmpfs;
};
absl::StatusOr<BenchDirs> MakeBenchDirs(const std::string& state_parent);

absl::Status WriteFile(const std::string& path, const std::string& contents);

// The first lines of a child's stderr, for error messages.
std::string ReadStderr(const std::string& path);

// Runs a setup command (tools/bench/timed_run.h); a failure carries its
// stderr.
absl::Status RunSetup(const std::vector<std::string>& argv, const std::string& stderr_path);

// A bundle every runtime runs, made in `dir`/`name`: the busybox rootfs and
// `hull spec`'s default config with no terminal and `args` as the process;
// with `limits`, memory (256 MiB), pids (100) and cpu (50%) limits.
absl::StatusOr<std::string> MakeBundle(const std::string& dir, absl::string_view name,
                                       const std::string& rootfs_tar, bool limits,
                                       const std::vector<std::string>& args);

// The floor a `run` of a bundle MakeBundle made is compared with: a bare
// unshare(1) of the namespaces its config creates, with a fork, and an exec of
// the bundle's /bin/true (no rootfs, cgroup, mounts or state). InvalidArgument
// for a namespace unshare(1) has no option for.
absl::StatusOr<std::vector<std::string>> FloorCommand(const std::string& bundle);

}  // namespace hull::bench

#endif  // HULL_TOOLS_BENCH_BENCH_SETUP_H_
