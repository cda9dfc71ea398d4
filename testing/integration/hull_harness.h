// The root integration harness: runs the real `hull` binary on bundles made
// from the busybox rootfs (//testing:rootfs_fixture), so that each feature is
// proven by what a real container observes.
//
//   TEST_F(HullTest, Hostname) {
//     config::Spec spec = ContainerSpec({"hostname"});
//     spec.set_hostname("box");
//     HullResult result = RunContainer(spec);
//     EXPECT_EQ(result.out, "box\n") << result;
//   }
//
// Each test gets its own --root under TEST_TMPDIR; HullTest's TearDown
// deletes (-f) every container under it and kills, by pid, whatever process
// hull left (the test process is their child subreaper), even when the test
// failed.
#ifndef HULL_TESTING_INTEGRATION_HULL_HARNESS_H_
#define HULL_TESTING_INTEGRATION_HULL_HARNESS_H_

#include <stdint.h>
#include <sys/types.h>

#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "config/runtime_spec.pb.h"
#include "gtest/gtest.h"
#include "runtime/oci_state.pb.h"
#include "base/fd.h"
#include "testing/rootfs_fixture.h"
#include "testing/files.h"

namespace hull::testing {

// The `hull` binary under test, absolute. The test main sets it from its
// argument ($(location //tools/launcher:hull)).
void SetHullBinary(std::string path);
const std::string& HullBinary();

// What one `hull` command did.
struct HullResult {
  int exit_code = -1;  // the exit status, or 128 + the signal that ended it
  std::string out;
  std::string err;
};
// For test failure messages: the exit code, stdout and stderr.
std::ostream& operator<<(std::ostream& os, const HullResult& result);

struct HullOptions {
  // Fds of the calling process that hull gets as fds 3, 4, ... (what
  // --preserve-fds passes on). Every other fd of the caller is closed.
  std::vector<int> extra_fds;
  // A hull still running after this long is killed and the call fails: a
  // hang fails the test instead of blocking the suite.
  absl::Duration timeout = absl::Seconds(20);
  // What hull reads on stdin (`update -r -`); empty: stdin is /dev/null.
  std::string input;
  // "NAME=value" variables added to hull's environment (the caller's).
  std::vector<std::string> environment;
  // Set: hull runs as this unprivileged user (uid, gid, no supplementary
  // groups), for rootless tests; the binary must be reachable by it.
  std::optional<std::pair<uid_t, gid_t>> as_user;
  // The hull binary to run; empty: HullBinary() (which an unprivileged user
  // cannot reach under root's home: rootless tests run a copy).
  std::string binary;
};

// A `hull` command running in the background, with stdin on /dev/null (or
// HullOptions::input) and stdout and stderr captured in memory files (the container's init inherits
// them; what it writes after hull exits is not read).
class HullProcess {
 public:
  static absl::StatusOr<HullProcess> Start(const std::vector<std::string>& args,
                                           const HullOptions& options = {});

  HullProcess(HullProcess&& other) noexcept;
  HullProcess& operator=(HullProcess&& other) = delete;
  // Kills and reaps a hull that was not waited for.
  ~HullProcess();

  pid_t pid() const { return pid_; }

  // Waits for hull to exit and returns what it did; DeadlineExceeded (with
  // its output so far) when it outlives the timeout: it is killed then.
  absl::StatusOr<HullResult> Wait();

 private:
  HullProcess(pid_t pid, UniqueFd pidfd, UniqueFd out, UniqueFd err, absl::Time deadline);

  pid_t pid_;
  UniqueFd pidfd_;  // invalid once reaped
  UniqueFd out_;
  UniqueFd err_;
  absl::Time deadline_;
};

// Runs `hull ARGS...` to its end.
absl::StatusOr<HullResult> RunHull(const std::vector<std::string>& args,
                                   const HullOptions& options = {});

// runc's default config (config::DefaultSpec(false)) running `args` without
// a terminal.
config::Spec ContainerSpec(std::vector<std::string> args);

// {"sh", "-c", script}: process.args running a shell script.
std::vector<std::string> Sh(const std::string& script);

// A memory limit of `bytes`, swap included (memory plus swap = the limit).
void SetMemoryLimit(config::Spec& spec, int64_t bytes);

// Adds capability `name` to the bounding, effective and permitted sets.
void AddCapability(config::Spec& spec, const std::string& name);

// Adds a mount to `spec`.
void AddMount(config::Spec& spec, const std::string& destination, const std::string& type,
              const std::string& source, const std::vector<std::string>& options);

// Sets the namespace of `type` to `path` (empty: a new one), adding it when
// `spec` has none of that type.
void SetNamespace(config::Spec& spec, const std::string& type, const std::string& path);

// Removes the namespaces of `type` from `spec`.
void RemoveNamespace(config::Spec& spec, const std::string& type);

// Gives `spec` a new user namespace mapping uids and gids 0..size-1 to
// host_id.. on the host.
void UseUserNamespace(config::Spec& spec, uint32_t host_id, uint32_t size);

// Polls `condition` every 10 ms until it holds or `timeout` passes; whether
// it held.
template <typename Condition>
bool Eventually(Condition condition, absl::Duration timeout = absl::Seconds(10)) {
  for (absl::Time deadline = absl::Now() + timeout;; absl::SleepFor(absl::Milliseconds(10))) {
    if (condition()) return true;
    if (absl::Now() > deadline) return false;
  }
}

// "uid:gid" of `path` on the host (lstat), or what failed.
std::string Owner(const std::string& path);

// The non-empty lines of `text`.
std::vector<std::string> Lines(absl::string_view text);

// The pids `hull ps --format json` prints ("[1,2]"); {-1} when it is not
// such a list.
std::vector<pid_t> ParsePidList(absl::string_view json);

// A bundle: a directory holding config.json, and a fresh busybox rootfs
// (outside the directory: root.path is absolute). Both are removed with it.
class Bundle {
 public:
  // Writes `spec` with root.path set to the new rootfs. Both go under
  // `parent` when given, else under TEST_TMPDIR.
  static absl::StatusOr<Bundle> Create(const config::Spec& spec, const std::string& parent = "");

  const std::string& path() const { return path_; }
  const std::string& rootfs() const { return rootfs_.path(); }
  std::string config_path() const { return path_ + "/config.json"; }

  // Replaces config.json with `spec` as it is (root.path included).
  absl::Status WriteConfig(const config::Spec& spec) const;
  // Replaces config.json with `text` (for malformed configs).
  absl::Status WriteConfigText(absl::string_view text) const;
  // Copies `runfile` (a static probe among the test's data dependencies,
  // such as "testing/integration/clock_probe") to `path` in the rootfs,
  // executable.
  absl::Status InstallProgram(const std::string& runfile, const std::string& path) const;

 private:
  Bundle(std::string path, RootfsFixture rootfs)
      : path_(std::move(path)), rootfs_(std::move(rootfs)) {}

  std::string path_;
  RootfsFixture rootfs_;
};

// The host's mounts, one "mount-point root fstype source" string each (from
// /proc/self/mountinfo; mount ids left out so that lists compare).
absl::StatusOr<std::set<std::string>> HostMounts();

// Processes that hull may have left: children of the caller (a subreaper for
// the containers' inits), processes whose cwd or root lies under one of
// `paths`, and hull processes whose command line names `state_root`. One
// "pid (comm): why" line each.
std::vector<std::string> LeftoverProcesses(const std::vector<std::string>& paths,
                                           const std::string& state_root);

// Reaps the caller's zombie children other than hull processes (a
// HullProcess reaps its own): the inits of containers deleted by a hull that
// was not their parent, reparented to the caller as their subreaper.
void ReapExitedContainers();

// Whether `pid` is gone or a zombie (a container process counts as dead).
bool ProcessIsDead(pid_t pid);

// The directories of `cgroup` (a path from each hierarchy's root, such as
// "/hull/ID") that exist on the host, one per hierarchy mounted under
// /sys/fs/cgroup.
std::vector<std::string> ExistingCgroups(const std::string& cgroup);

// The fixture of every integration test: a --root of its own, bundles that
// live as long as the test, and cleanup of every container it made.
class HullTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // This test's state root (hull --root).
  const std::string& root() const { return root_; }

  // A container id no other test (or earlier run) uses.
  std::string NewId();

  // Runs `hull --root ROOT ARGS...`. A harness failure (fork, timeout) is a
  // test failure; the result then has exit code -1.
  HullResult Hull(const std::vector<std::string>& args, const HullOptions& options = {});
  // Starts `hull --root ROOT ARGS...` in the background.
  absl::StatusOr<HullProcess> StartHull(const std::vector<std::string>& args,
                                        const HullOptions& options = {});

  // A new bundle for `spec`, removed after the test.
  absl::StatusOr<Bundle*> MakeBundle(const config::Spec& spec);
  // MakeBundle, with `runfile` (a static probe among the test's data
  // dependencies) installed at `path` in the rootfs (Bundle::InstallProgram).
  absl::StatusOr<Bundle*> MakeBundleWithProgram(const config::Spec& spec,
                                                const std::string& runfile,
                                                const std::string& path);
  // The same in a directory every user can traverse: the root of a user
  // namespace maps to an unprivileged host uid, which cannot reach
  // TEST_TMPDIR (under /root, mode 0700).
  absl::StatusOr<Bundle*> MakeBundleReachableByAnyUser(const config::Spec& spec);

  // `hull run` of a new bundle for `spec` (plus `flags` before the id) to
  // the container's end: its exit code and output.
  HullResult RunContainer(const config::Spec& spec, const std::vector<std::string>& flags = {},
                          const HullOptions& options = {});
  // The same for an existing bundle.
  HullResult RunBundle(const Bundle& bundle, const std::vector<std::string>& flags = {},
                       const HullOptions& options = {});

  // `hull create` of `bundle` as `id`; a failure is a test failure.
  ::testing::AssertionResult Create(const Bundle& bundle, const std::string& id,
                                    const std::vector<std::string>& flags = {});
  // A new bundle for `spec`, then `hull create` of it as `id`.
  ::testing::AssertionResult CreateContainer(const config::Spec& spec, const std::string& id);
  // What `hull state ID` prints, parsed (status, the init's host pid, ...).
  absl::StatusOr<runtime::OciState> State(const std::string& id);
  // Waits (10 s at most) until `hull state ID` says `status`; returns the
  // last status seen.
  std::string WaitForStatus(const std::string& id, const std::string& status);

  // Expects nothing of container `id`, made from `bundle`, to be left: no
  // state under root() (temporary directories included), no process, no
  // cgroup /hull/ID, and the host's mounts as `mounts_before`.
  void ExpectNothingLeft(const Bundle& bundle, const std::string& id,
                         const std::set<std::string>& mounts_before);

 private:
  std::string root_;
  // Made by MakeBundleReachableByAnyUser, removed after the bundles.
  std::string public_dir_;
  int next_id_ = 0;
  std::vector<std::unique_ptr<Bundle>> bundles_;
};

}  // namespace hull::testing

#endif  // HULL_TESTING_INTEGRATION_HULL_HARNESS_H_
