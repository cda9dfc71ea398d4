// The namespace primitives against the real kernel, as root. Everything that
// changes a process's namespaces happens in a cloned child, so the test
// process keeps its own; the only host state touched is a cgroup v2 directory
// the test creates and removes.
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "base/status_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/clone.h"
#include "nsenter/id_map.h"
#include "nsenter/namespace.h"
#include "nsenter/setns.h"
#include "nsenter/time_offsets.h"
#include "base/procfs_files.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "testing/status_matchers.h"
#include "testing/files.h"

namespace hull::nsenter {
namespace {

using ::hull::testing::ReadFile;

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::HasSubstr;

constexpr absl::Duration kTimeout = absl::Seconds(60);

// The namespace a /proc/.../ns/ link names ("pid:[4026531836]"); for a link
// that cannot be read, a text naming it, which equals no other link's.
std::string NamespaceLink(const std::string& path) {
  char target[64] = {};
  if (readlink(path.c_str(), target, sizeof(target) - 1) < 0) {
    return absl::StrCat("(unreadable ", path, ")");
  }
  return target;
}

// The lines of a uid_map/gid_map as the kernel pads them, with single spaces.
std::string NormalizeMap(absl::string_view map) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(map, '\n', absl::SkipEmpty())) {
    lines.push_back(absl::StrJoin(absl::StrSplit(line, ' ', absl::SkipEmpty()), " "));
  }
  return absl::StrJoin(lines, "\n");
}

std::string Hostname() {
  char name[256] = {};
  gethostname(name, sizeof(name) - 1);
  return name;
}

absl::Status Check(bool condition, absl::string_view what) {
  return condition ? absl::OkStatus() : absl::InternalError(what);
}

// The test's parent-child channel: one end of a SOCK_SEQPACKET socketpair
// carrying one-letter messages ('W': the id maps are written; 'R': the child
// is done) or "E" and the child's error.
class TestChannel {
 public:
  explicit TestChannel(UniqueFd fd) : fd_(std::move(fd)) {}

  absl::Status Send(absl::string_view message) {
    if (send(fd_.get(), message.data(), message.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(message.size())) {
      return ErrnoStatus("send \"", message, "\"");
    }
    return absl::OkStatus();
  }

  absl::Status Expect(char message, absl::Duration timeout) {
    pollfd ready = {.fd = fd_.get(), .events = POLLIN, .revents = 0};
    if (poll(&ready, 1, static_cast<int>(absl::ToInt64Milliseconds(timeout))) != 1) {
      return absl::DeadlineExceededError(absl::StrCat("no '", std::string(1, message), "' in time"));
    }
    char buffer[4096];
    const ssize_t n = recv(fd_.get(), buffer, sizeof(buffer), 0);
    if (n <= 0) return absl::UnavailableError("the other side exited");
    if (buffer[0] == 'E') return absl::InternalError(std::string(buffer + 1, n - 1));
    if (n != 1 || buffer[0] != message) {
      return absl::InternalError(absl::StrCat("got \"", absl::string_view(buffer, n), "\""));
    }
    return absl::OkStatus();
  }

 private:
  UniqueFd fd_;
};

// Clones a child with `options` that runs `child_body` and reports its status
// over the channel ('R', or its error), then exits 0. The parent runs
// `parent_body` with the child's pid and its end of the channel, then expects
// 'R' and the child's exit. The result is the first error.
absl::Status RunCloned(
    const CloneOptions& options, const std::function<absl::Status(TestChannel&)>& child_body,
    const std::function<absl::Status(pid_t, TestChannel&)>& parent_body = nullptr) {
  int ends[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) != 0) {
    return ErrnoStatus("socketpair");
  }
  UniqueFd parent_end(ends[0]);
  UniqueFd child_end(ends[1]);
  LinuxProcessCloner cloner;
  absl::StatusOr<ClonedProcess> process = cloner.Clone(options);
  if (!process.ok()) return process.status();
  if (process->in_child()) {
    parent_end.Reset();
    TestChannel channel(std::move(child_end));
    const absl::Status status = child_body(channel);
    _exit(channel.Send(status.ok() ? "R" : absl::StrCat("E", status.ToString())).ok() ? 0 : 1);
  }
  child_end.Reset();
  TestChannel channel(std::move(parent_end));
  absl::Status status = absl::OkStatus();
  if (parent_body) status = parent_body(process->pid, channel);
  if (!status.ok()) PidfdSendSignal(process->pidfd.get(), SIGKILL).IgnoreError();
  if (status.ok()) status = channel.Expect('R', kTimeout);
  absl::StatusOr<ExitStatus> exit = PidfdWait(process->pidfd.get());
  if (!exit.ok()) return exit.status();
  if (status.ok() && !(*exit == ExitStatus{})) {
    status = absl::InternalError(absl::StrCat("the child ", exit->ToString()));
  }
  return status;
}

class NsenterRootTest : public ::testing::Test {};

TEST_F(NsenterRootTest, CloneIntoNewPidUtsAndMountNamespaces) {
  const std::string host_name = Hostname();
  ASSERT_THAT(RunCloned(
                  {.namespace_flags = CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWNS},
                  [](TestChannel&) -> absl::Status {
                    if (getpid() != 1) return absl::InternalError(absl::StrCat("pid ", getpid()));
                    const char name[] = "hull-clone-test";
                    if (sethostname(name, sizeof(name) - 1) != 0) {
                      return ErrnoStatus("sethostname");
                    }
                    return Check(Hostname() == name, "the hostname did not change");
                  },
                  [](pid_t pid, TestChannel&) -> absl::Status {
                    // The child is in other namespaces than the parent.
                    for (const char* ns : {"pid", "uts", "mnt"}) {
                      const std::string mine = NamespaceLink(absl::StrCat("/proc/self/ns/", ns));
                      const std::string its =
                          NamespaceLink(absl::StrCat("/proc/", pid, "/ns/", ns));
                      if (mine == its) {
                        return absl::InternalError(absl::StrCat("same ", ns, " namespace: ", its));
                      }
                    }
                    return absl::OkStatus();
                  }),
              IsOk());
  EXPECT_EQ(Hostname(), host_name);
}

TEST_F(NsenterRootTest, UserNamespaceMappedByTheParent) {
  config::Linux linux;
  config::IdMapping* uid = linux.add_uid_mappings();
  uid->set_container_id(0);
  uid->set_host_id(100000);
  uid->set_size(65536);
  config::IdMapping* gid = linux.add_gid_mappings();
  gid->set_container_id(0);
  gid->set_host_id(200000);
  gid->set_size(1000);
  absl::StatusOr<IdMaps> maps = FormatIdMaps(linux, /*deny_setgroups=*/true);
  ASSERT_THAT(maps, IsOk());

  ASSERT_THAT(
      RunCloned(
          {.namespace_flags = CLONE_NEWUSER | CLONE_NEWPID},
          [](TestChannel& channel) -> absl::Status {
            // Unmapped until the parent says so; then the init becomes the
            // namespace's root (its ids are still the host's root's, which
            // the map does not include).
            RETURN_IF_ERROR(channel.Expect('W', kTimeout));
            if (setresgid(0, 0, 0) != 0) return ErrnoStatus("setresgid");
            if (setresuid(0, 0, 0) != 0) return ErrnoStatus("setresuid");
            RETURN_IF_ERROR(Check(getuid() == 0 && getgid() == 0,
                                  absl::StrCat("ids ", getuid(), ":", getgid(), ", want 0:0")));
            absl::StatusOr<std::string> uid_map = ReadFile("/proc/self/uid_map");
            RETURN_IF_ERROR(uid_map.status());
            RETURN_IF_ERROR(Check(NormalizeMap(*uid_map) == "0 100000 65536",
                                  absl::StrCat("uid_map: ", *uid_map)));
            absl::StatusOr<std::string> gid_map = ReadFile("/proc/self/gid_map");
            RETURN_IF_ERROR(gid_map.status());
            RETURN_IF_ERROR(Check(NormalizeMap(*gid_map) == "0 200000 1000",
                                  absl::StrCat("gid_map: ", *gid_map)));
            absl::StatusOr<std::string> setgroups = ReadFile("/proc/self/setgroups");
            RETURN_IF_ERROR(setgroups.status());
            RETURN_IF_ERROR(Check(*setgroups == "deny\n", absl::StrCat("setgroups: ", *setgroups)));
            // A host file owned by root (unmapped here) shows as the overflow id.
            struct stat st;
            if (stat("/etc/passwd", &st) != 0) return ErrnoStatus("stat");
            return Check(st.st_uid == 65534, absl::StrCat("/etc/passwd owner ", st.st_uid));
          },
          [&maps](pid_t pid, TestChannel& channel) -> absl::Status {
            LinuxProcFiles proc;
            RETURN_IF_ERROR(WriteIdMaps(proc, pid, *maps));
            return channel.Send("W");
          }),
      IsOk());
}

TEST_F(NsenterRootTest, IdMapsCanBeWrittenOnlyOnce) {
  const IdMaps maps = {.uid_map = "0 100000 10\n", .gid_map = "0 100000 10\n"};
  ASSERT_THAT(RunCloned(
                  {.namespace_flags = CLONE_NEWUSER},
                  [](TestChannel& channel) {
                    return channel.Expect('W', kTimeout);
                  },
                  [&maps](pid_t pid, TestChannel& channel) -> absl::Status {
                    LinuxProcFiles proc;
                    RETURN_IF_ERROR(WriteIdMaps(proc, pid, maps));
                    const absl::Status again = WriteIdMaps(proc, pid, maps);
                    if (again.ok() || !absl::StrContains(again.message(), "uid_map")) {
                      return absl::InternalError(absl::StrCat("second write: ", again.ToString()));
                    }
                    return channel.Send("W");
                  }),
              IsOk());
}

// The cgroup2 mount point, from /proc/self/mountinfo.
absl::StatusOr<std::string> Cgroup2MountPoint() {
  ASSIGN_OR_RETURN(const std::string mountinfo, ReadFile("/proc/self/mountinfo"));
  for (absl::string_view line : absl::StrSplit(mountinfo, '\n', absl::SkipEmpty())) {
    const std::vector<absl::string_view> halves = absl::StrSplit(line, " - ");
    if (halves.size() == 2 && absl::StartsWith(halves[1], "cgroup2 ")) {
      const std::vector<absl::string_view> fields = absl::StrSplit(halves[0], ' ');
      if (fields.size() > 4) return std::string(fields[4]);
    }
  }
  return absl::NotFoundError("no cgroup2 mount in /proc/self/mountinfo");
}

TEST_F(NsenterRootTest, CloneIntoACgroup) {
  absl::StatusOr<std::string> root = Cgroup2MountPoint();
  ASSERT_THAT(root, IsOk()) << "CLONE_INTO_CGROUP needs a cgroup2 mount";
  // A cgroup of the test's own, beside whatever the test process is in.
  const std::string name = absl::StrCat("hull-nsenter-root-test-", getpid());
  const std::string dir = absl::StrCat(*root, "/", name);
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0) << dir << ": " << strerror(errno);
  absl::Cleanup remove_dir = [&dir] { rmdir(dir.c_str()); };
  UniqueFd cgroup(open(dir.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(cgroup.valid()) << strerror(errno);

  EXPECT_THAT(RunCloned({.cgroup_fd = cgroup.get()},
                        [&name](TestChannel&) -> absl::Status {
                          ASSIGN_OR_RETURN(const std::string cgroups,
                                           ReadFile("/proc/self/cgroup"));
                          return Check(absl::StrContains(cgroups, absl::StrCat("0::/", name, "\n")),
                                       absl::StrCat("/proc/self/cgroup:\n", cgroups));
                        }),
              IsOk());
  // The child has been reaped, so the cgroup is empty and can go.
  std::move(remove_dir).Cancel();
  EXPECT_EQ(rmdir(dir.c_str()), 0) << strerror(errno);
}

// Clones a helper in new namespaces (`flags`), with hostname `name` when in a
// new uts namespace; it writes a byte to `ready_write` once set up and lives
// until `release_write` is closed. Returns its pid and pidfd.
absl::StatusOr<ClonedProcess> StartHelper(uint64_t flags, const std::string& name, int release_read,
                                          int release_write, int ready_write) {
  LinuxProcessCloner cloner;
  ASSIGN_OR_RETURN(ClonedProcess helper, cloner.Clone({.namespace_flags = flags}));
  if (helper.in_child()) {
    // Its copy of the write end would keep it from ever seeing the release.
    close(release_write);
    if ((flags & CLONE_NEWUTS) && sethostname(name.data(), name.size()) != 0) _exit(1);
    if (write(ready_write, "r", 1) != 1) _exit(1);
    char byte;
    while (read(release_read, &byte, 1) < 0 && errno == EINTR) {
    }
    _exit(0);
  }
  return helper;
}

TEST_F(NsenterRootTest, JoinANamespaceAndSeeItsEffect) {
  int release[2], ready[2];
  ASSERT_EQ(pipe2(release, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(ready, O_CLOEXEC), 0);
  UniqueFd release_read(release[0]), release_write(release[1]);
  UniqueFd ready_read(ready[0]), ready_write(ready[1]);
  absl::StatusOr<ClonedProcess> helper =
      StartHelper(CLONE_NEWUTS | CLONE_NEWIPC, "hull-joined", release_read.get(),
                  release_write.get(), ready_write.get());
  ASSERT_THAT(helper, IsOk());
  LinuxProcessCloner cloner;
  absl::Cleanup stop_helper = [&] {
    release_write.Reset();
    PidfdWait(helper->pidfd.get()).IgnoreError();
  };
  char byte;
  ASSERT_EQ(read(ready_read.get(), &byte, 1), 1) << "the helper did not start";

  const std::string host_name = Hostname();
  const pid_t helper_pid = helper->pid;
  EXPECT_THAT(
      RunCloned({},
                [helper_pid](TestChannel&) -> absl::Status {
                  RETURN_IF_ERROR(JoinNamespaces(
                      {{NamespaceType::kIpc, absl::StrCat("/proc/", helper_pid, "/ns/ipc")},
                       {NamespaceType::kUts, absl::StrCat("/proc/", helper_pid, "/ns/uts")}}));
                  return Check(Hostname() == "hull-joined", absl::StrCat("hostname ", Hostname()));
                }),
      IsOk());
  EXPECT_EQ(Hostname(), host_name);
}

TEST_F(NsenterRootTest, JoinRefusesTheWrongType) {
  EXPECT_THAT(JoinNamespace("/proc/self/ns/net", NamespaceType::kUts),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "\"/proc/self/ns/net\" is a network namespace, not a uts namespace"));
  EXPECT_THAT(JoinNamespace("/proc/self/status", NamespaceType::kUts),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "\"/proc/self/status\" is not a namespace (want uts)"));
  EXPECT_THAT(JoinNamespace("/proc/self/ns/nonexistent", NamespaceType::kMount),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("open the mount namespace \"/proc/self/ns/nonexistent\"")));
}

// The parent's way into a pid namespace (NamespacePlan::pid_namespace_for_clone):
// join it for the children, clone, return to its own.
TEST_F(NsenterRootTest, ParentJoinsAPidNamespaceAroundTheClone) {
  int release[2], ready[2];
  ASSERT_EQ(pipe2(release, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(ready, O_CLOEXEC), 0);
  UniqueFd release_read(release[0]), release_write(release[1]);
  UniqueFd ready_read(ready[0]), ready_write(ready[1]);
  absl::StatusOr<ClonedProcess> helper =
      StartHelper(CLONE_NEWPID, "", release_read.get(), release_write.get(), ready_write.get());
  ASSERT_THAT(helper, IsOk());
  LinuxProcessCloner cloner;
  absl::Cleanup stop_helper = [&] {
    release_write.Reset();
    PidfdWait(helper->pidfd.get()).IgnoreError();
  };
  char byte;
  ASSERT_EQ(read(ready_read.get(), &byte, 1), 1) << "the helper did not start";

  const std::string pid_ns = absl::StrCat("/proc/", helper->pid, "/ns/pid");
  EXPECT_THAT(
      RunCloned(
          {},
          [&pid_ns](TestChannel&) -> absl::Status {
            // This child plays the launcher.
            {
              ASSIGN_OR_RETURN(const ScopedPidNamespaceForChildren joined,
                               ScopedPidNamespaceForChildren::Enter(pid_ns));
              RETURN_IF_ERROR(RunCloned({}, [](TestChannel&) -> absl::Status {
                // The helper is pid 1 there; this one comes next.
                return Check(getpid() == 2,
                             absl::StrCat("pid ", getpid(), " in the joined namespace"));
              }));
            }
            // Out of the scope: children are born in the launcher's own again.
            const std::string active = NamespaceLink("/proc/self/ns/pid");
            const std::string for_children = NamespaceLink("/proc/self/ns/pid_for_children");
            return Check(active == for_children,
                         absl::StrCat("back in ", active, " but children go to ", for_children));
          }),
      IsOk());
}

// The monotonic/boot clocks of the caller, in seconds.
double ClockSeconds(clockid_t clock) {
  timespec ts = {};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

TEST_F(NsenterRootTest, TimeNamespaceOffsetsSeenByTheInitAndAfterExec) {
  config::Linux linux;
  (*linux.mutable_time_offsets())["monotonic"].set_secs(86400);
  (*linux.mutable_time_offsets())["boottime"].set_secs(172800);
  absl::StatusOr<std::string> offsets = FormatTimeOffsets(linux.time_offsets());
  ASSERT_THAT(offsets, IsOk());
  const double host_boottime = ClockSeconds(CLOCK_BOOTTIME);

  int out[2];
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  UniqueFd out_read(out[0]), out_write(out[1]);
  LinuxProcessCloner cloner;
  absl::StatusOr<ClonedProcess> init = cloner.Clone({.namespace_flags = CLONE_NEWPID});
  ASSERT_THAT(init, IsOk());
  if (init->in_child()) {
    // The container's init: enter, check its own clock, then exec.
    LinuxProcFiles proc;
    const double before = ClockSeconds(CLOCK_MONOTONIC);
    absl::Status status = EnterNewTimeNamespace(proc, *offsets);
    if (status.ok() && ClockSeconds(CLOCK_MONOTONIC) < before + 86400) {
      status = absl::InternalError("the init's own monotonic clock has no offset");
    }
    if (!status.ok()) {
      const std::string text = absl::StrCat("ERROR ", status.ToString());
      if (write(out_write.get(), text.data(), text.size()) < 0) _exit(2);
      _exit(1);
    }
    if (dup2(out_write.get(), STDOUT_FILENO) < 0) _exit(3);
    execl("/bin/cat", "cat", "/proc/uptime", "/proc/self/timens_offsets", nullptr);
    _exit(4);
  }
  out_write.Reset();
  std::string output;
  char buffer[512];
  ssize_t n;
  while ((n = read(out_read.get(), buffer, sizeof(buffer))) > 0) output.append(buffer, n);
  absl::StatusOr<ExitStatus> exit = PidfdWait(init->pidfd.get());
  ASSERT_THAT(exit, IsOk());
  ASSERT_EQ(*exit, ExitStatus{}) << exit->ToString() << "\n" << output;

  // "<uptime> <idle>\n" then the offsets as the kernel lists them.
  const std::vector<std::string> lines = absl::StrSplit(output, '\n', absl::SkipEmpty());
  ASSERT_GE(lines.size(), 3u) << output;
  double uptime = 0;
  ASSERT_TRUE(absl::SimpleAtod(std::vector<std::string>(absl::StrSplit(lines[0], ' '))[0], &uptime))
      << output;
  // /proc/uptime has two decimals.
  EXPECT_GE(uptime + 0.01, host_boottime + 172800) << output;
  EXPECT_LT(uptime, host_boottime + 172800 + 600) << output;
  EXPECT_EQ(NormalizeMap(lines[1]), "monotonic 86400 0") << output;
  EXPECT_EQ(NormalizeMap(lines[2]), "boottime 172800 0") << output;
}

TEST_F(NsenterRootTest, TimeOffsetsAreRefusedByTheKernelWhenImpossible) {
  // A monotonic clock that would be negative in the namespace.
  EXPECT_THAT(RunCloned({},
                        [](TestChannel&) -> absl::Status {
                          LinuxProcFiles proc;
                          const absl::Status status =
                              EnterNewTimeNamespace(proc, "monotonic -999999999999 0\n");
                          return Check(
                              !status.ok() && absl::StrContains(status.message(), "timens_offsets"),
                              absl::StrCat("entering: ", status.ToString()));
                        }),
              IsOk());
}

}  // namespace
}  // namespace hull::nsenter
