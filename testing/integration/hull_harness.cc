#include "testing/integration/hull_harness.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "config/default_spec.h"
#include "config/json.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "nsenter/pidfd.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull::testing {
namespace {

std::string& HullBinaryPath() {
  static std::string* path = new std::string;
  return *path;
}

// The pids of HullProcesses not reaped yet.
std::set<pid_t>& RunningHulls() {
  static std::set<pid_t>* pids = new std::set<pid_t>;
  return *pids;
}

// Everything written to `fd` (a memory file) so far.
std::string ReadMemoryFile(int fd) {
  std::string contents;
  char buffer[4096];
  off_t offset = 0;
  while (true) {
    ssize_t n = pread(fd, buffer, sizeof(buffer), offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    contents.append(buffer, n);
    offset += n;
  }
  return contents;
}

constexpr size_t kMaxExtraFds = 64;

// In the forked child: stdio, then `extra_fds` as 3, 4, ..., every other fd
// closed, then exec. Never returns.
[[noreturn]] void ExecHull(const std::vector<char*>& argv, char* const* envp, int in, int out,
                           int err, const std::vector<int>& extra_fds,
                           const std::optional<std::pair<uid_t, gid_t>>& as_user) {
  if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(126);
  if (as_user.has_value()) {
    const auto [uid, gid] = *as_user;
    if (setgroups(0, nullptr) != 0 || setresgid(gid, gid, gid) != 0 ||
        setresuid(uid, uid, uid) != 0) {
      _exit(126);
    }
  }
  // Out of the way first, so that moving one to 3+i cannot clobber another.
  const int count = static_cast<int>(extra_fds.size());  // at most kMaxExtraFds
  const int first = 3 + count;
  int moved[kMaxExtraFds];
  for (int i = 0; i < count; ++i) {
    moved[i] = fcntl(extra_fds[i], F_DUPFD, first + kMaxExtraFds);
    if (moved[i] < 0) _exit(126);
  }
  for (int i = 0; i < count; ++i) {
    if (dup2(moved[i], 3 + i) < 0) _exit(126);  // dup2 clears FD_CLOEXEC
  }
  if (close_range(first, ~0U, 0) != 0) _exit(126);
  execve(argv[0], argv.data(), envp);
  // Said on hull's stderr, with async-signal-safe calls only.
  const int error = errno;
  char digits[8];
  int length = 0;
  for (int left = error; length == 0 || left > 0; left /= 10) digits[length++] = '0' + left % 10;
  static constexpr char kFailed[] = "test harness: execve of hull failed: errno ";
  (void)!write(2, kFailed, sizeof(kFailed) - 1);
  while (length > 0) (void)!write(2, &digits[--length], 1);
  (void)!write(2, "\n", 1);
  _exit(127);
}

// Fields of one /proc/self/mountinfo line: (id, parent, dev, root, point, ...).
std::vector<std::string> MountinfoFields(absl::string_view line) {
  return absl::StrSplit(line, ' ', absl::SkipEmpty());
}

bool IsUnder(absl::string_view path, absl::string_view dir) {
  return path == dir || absl::StartsWith(path, absl::StrCat(dir, "/"));
}

std::string ReadLink(const std::string& path) {
  char buffer[PATH_MAX];
  ssize_t n = readlink(path.c_str(), buffer, sizeof(buffer) - 1);
  return n < 0 ? "" : std::string(buffer, n);
}

// The parent pid and state of `pid`, from /proc/<pid>/stat.
bool ReadStat(pid_t pid, pid_t& parent, char& state) {
  absl::StatusOr<std::string> stat = ReadFile(absl::StrCat("/proc/", pid, "/stat"));
  if (!stat.ok()) return false;
  size_t close = stat->rfind(')');
  if (close == std::string::npos) return false;
  int ppid;
  if (sscanf(stat->c_str() + close + 1, " %c %d", &state, &ppid) != 2) return false;
  parent = ppid;
  return true;
}

std::vector<pid_t> AllPids() {
  std::vector<pid_t> pids;
  DIR* dir = opendir("/proc");
  if (dir == nullptr) return pids;
  while (struct dirent* entry = readdir(dir)) {
    pid_t pid;
    if (absl::SimpleAtoi(entry->d_name, &pid)) pids.push_back(pid);
  }
  closedir(dir);
  return pids;
}

std::vector<pid_t> ChildPids() {
  std::vector<pid_t> children;
  for (pid_t pid : AllPids()) {
    pid_t parent;
    char state;
    if (ReadStat(pid, parent, state) && parent == getpid()) children.push_back(pid);
  }
  return children;
}

}  // namespace

void SetHullBinary(std::string path) { HullBinaryPath() = std::move(path); }

const std::string& HullBinary() { return HullBinaryPath(); }

std::ostream& operator<<(std::ostream& os, const HullResult& result) {
  return os << "hull exited with " << result.exit_code << "\n--- stdout ---\n"
            << result.out << "\n--- stderr ---\n"
            << result.err << "\n---";
}

absl::StatusOr<HullProcess> HullProcess::Start(const std::vector<std::string>& args,
                                               const HullOptions& options) {
  if (HullBinary().empty()) return absl::FailedPreconditionError("the hull binary is not set");
  if (options.extra_fds.size() > kMaxExtraFds) {
    return absl::InvalidArgumentError(absl::StrCat("more than ", kMaxExtraFds, " extra fds"));
  }
  UniqueFd out(memfd_create("hull-stdout", MFD_CLOEXEC));
  UniqueFd err(memfd_create("hull-stderr", MFD_CLOEXEC));
  UniqueFd in(options.input.empty() ? open("/dev/null", O_RDONLY | O_CLOEXEC)
                                    : memfd_create("hull-stdin", MFD_CLOEXEC));
  if (!out.valid() || !err.valid() || !in.valid()) return ErrnoStatus("memfd_create or /dev/null");
  if (!options.input.empty()) {
    if (pwrite(in.get(), options.input.data(), options.input.size(), 0) !=
        static_cast<ssize_t>(options.input.size())) {
      return ErrnoStatus("write hull's stdin");
    }
  }
  // Built before the fork: the child only calls async-signal-safe functions.
  std::vector<std::string> strings = {options.binary.empty() ? HullBinary() : options.binary};
  strings.insert(strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  // The caller's environment, then HullOptions::environment.
  std::vector<std::string> environment = options.environment;
  std::vector<char*> envp;
  for (char** variable = environ; *variable != nullptr; ++variable) envp.push_back(*variable);
  for (std::string& variable : environment) envp.push_back(variable.data());
  envp.push_back(nullptr);

  const absl::Time deadline = absl::Now() + options.timeout;
  pid_t pid = fork();
  if (pid < 0) return ErrnoStatus("fork");
  if (pid == 0) {
    ExecHull(argv, envp.data(), in.get(), out.get(), err.get(), options.extra_fds,
             options.as_user);
  }
  absl::StatusOr<UniqueFd> pidfd = nsenter::PidfdOpen(pid);
  if (!pidfd.ok()) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return pidfd.status();
  }
  RunningHulls().insert(pid);
  return HullProcess(pid, std::move(*pidfd), std::move(out), std::move(err), deadline);
}

HullProcess::HullProcess(pid_t pid, UniqueFd pidfd, UniqueFd out, UniqueFd err, absl::Time deadline)
    : pid_(pid),
      pidfd_(std::move(pidfd)),
      out_(std::move(out)),
      err_(std::move(err)),
      deadline_(deadline) {}

HullProcess::HullProcess(HullProcess&& other) noexcept
    : pid_(other.pid_),
      pidfd_(std::move(other.pidfd_)),
      out_(std::move(other.out_)),
      err_(std::move(other.err_)),
      deadline_(other.deadline_) {}

HullProcess::~HullProcess() {
  if (!pidfd_.valid()) return;
  (void)nsenter::PidfdSendSignal(pidfd_.get(), SIGKILL);
  (void)nsenter::PidfdWait(pidfd_.get());
  RunningHulls().erase(pid_);
}

absl::StatusOr<HullResult> HullProcess::Wait() {
  if (!pidfd_.valid()) return absl::FailedPreconditionError("hull was already waited for");
  absl::Duration left = std::max(deadline_ - absl::Now(), absl::ZeroDuration());
  ASSIGN_OR_RETURN(bool exited, nsenter::PidfdHasExited(pidfd_.get(), left));
  if (!exited) (void)nsenter::PidfdSendSignal(pidfd_.get(), SIGKILL);
  absl::StatusOr<nsenter::ExitStatus> status = nsenter::PidfdWait(pidfd_.get());
  pidfd_.Reset();
  RunningHulls().erase(pid_);
  RETURN_IF_ERROR(status.status());
  HullResult result{.exit_code = status->ShellCode(),
                    .out = ReadMemoryFile(out_.get()),
                    .err = ReadMemoryFile(err_.get())};
  if (!exited) {
    std::ostringstream message;
    message << "hull (pid " << pid_ << ") still ran after its timeout and was killed; " << result;
    return absl::DeadlineExceededError(message.str());
  }
  return result;
}

absl::StatusOr<HullResult> RunHull(const std::vector<std::string>& args,
                                   const HullOptions& options) {
  ASSIGN_OR_RETURN(HullProcess process, HullProcess::Start(args, options));
  return process.Wait();
}

config::Spec ContainerSpec(std::vector<std::string> args) {
  config::Spec spec = config::DefaultSpec(/*rootless=*/false);
  spec.mutable_process()->set_terminal(false);
  spec.mutable_process()->clear_args();
  for (std::string& arg : args) spec.mutable_process()->add_args(std::move(arg));
  return spec;
}

void AddMount(config::Spec& spec, const std::string& destination, const std::string& type,
              const std::string& source, const std::vector<std::string>& options) {
  config::Mount* mount = spec.add_mounts();
  mount->set_destination(destination);
  mount->set_type(type);
  mount->set_source(source);
  for (const std::string& option : options) mount->add_options(option);
}

void SetNamespace(config::Spec& spec, const std::string& type, const std::string& path) {
  for (config::Namespace& ns : *spec.mutable_linux()->mutable_namespaces()) {
    if (ns.type() == type) {
      ns.set_path(path);
      return;
    }
  }
  config::Namespace* ns = spec.mutable_linux()->add_namespaces();
  ns->set_type(type);
  ns->set_path(path);
}

void RemoveNamespace(config::Spec& spec, const std::string& type) {
  auto* namespaces = spec.mutable_linux()->mutable_namespaces();
  for (int i = namespaces->size() - 1; i >= 0; --i) {
    if (namespaces->Get(i).type() == type) namespaces->DeleteSubrange(i, 1);
  }
}

std::vector<std::string> Sh(const std::string& script) { return {"sh", "-c", script}; }

void SetMemoryLimit(config::Spec& spec, int64_t bytes) {
  config::Memory& memory = *spec.mutable_linux()->mutable_resources()->mutable_memory();
  memory.set_limit(bytes);
  memory.set_swap(bytes);
}

void AddCapability(config::Spec& spec, const std::string& name) {
  config::Capabilities& caps = *spec.mutable_process()->mutable_capabilities();
  caps.add_bounding(name);
  caps.add_effective(name);
  caps.add_permitted(name);
}

void UseUserNamespace(config::Spec& spec, uint32_t host_id, uint32_t size) {
  SetNamespace(spec, "user", "");
  for (auto* mappings : {spec.mutable_linux()->mutable_uid_mappings(),
                         spec.mutable_linux()->mutable_gid_mappings()}) {
    config::IdMapping* mapping = mappings->Add();
    mapping->set_container_id(0);
    mapping->set_host_id(host_id);
    mapping->set_size(size);
  }
}

std::string Owner(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return absl::StrCat("stat failed: ", path);
  return absl::StrCat(st.st_uid, ":", st.st_gid);
}

std::vector<std::string> Lines(absl::string_view text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

std::vector<pid_t> ParsePidList(absl::string_view json) {
  std::vector<pid_t> pids;
  absl::string_view list = absl::StripAsciiWhitespace(json);
  if (!absl::ConsumePrefix(&list, "[") || !absl::ConsumeSuffix(&list, "]")) return {-1};
  for (absl::string_view item : absl::StrSplit(list, ',', absl::SkipEmpty())) {
    pid_t pid;
    if (!absl::SimpleAtoi(item, &pid)) return {-1};
    pids.push_back(pid);
  }
  return pids;
}

absl::StatusOr<Bundle> Bundle::Create(const config::Spec& spec, const std::string& parent) {
  absl::StatusOr<RootfsFixture> rootfs = RootfsFixture::Create(parent);
  RETURN_IF_ERROR(rootfs.status());
  ASSIGN_OR_RETURN(std::string path, MakeTempDir("bundle", parent));
  Bundle bundle(std::move(path), std::move(*rootfs));
  config::Spec rooted = spec;
  rooted.mutable_root()->set_path(bundle.rootfs());
  RETURN_IF_ERROR(bundle.WriteConfig(rooted));
  return bundle;
}

absl::Status Bundle::WriteConfig(const config::Spec& spec) const {
  ASSIGN_OR_RETURN(std::string json, config::ConfigToJson(spec));
  return WriteConfigText(json);
}

absl::Status Bundle::WriteConfigText(absl::string_view text) const {
  return WriteFile(config_path(), text);
}

absl::Status Bundle::InstallProgram(const std::string& runfile, const std::string& path) const {
  ASSIGN_OR_RETURN(const std::string program, ReadFile(runfile));
  const std::string target = rootfs() + path;
  RETURN_IF_ERROR(WriteFile(target, program));
  if (chmod(target.c_str(), 0755) != 0) return ErrnoStatus("chmod ", target);
  return absl::OkStatus();
}

absl::StatusOr<std::set<std::string>> HostMounts() {
  ASSIGN_OR_RETURN(std::string mountinfo, ReadFile("/proc/self/mountinfo"));
  std::set<std::string> mounts;
  for (absl::string_view line : absl::StrSplit(mountinfo, '\n', absl::SkipEmpty())) {
    std::vector<std::string> fields = MountinfoFields(line);
    auto separator = std::find(fields.begin(), fields.end(), "-");
    if (fields.size() < 5 || separator == fields.end() || fields.end() - separator < 3) {
      return absl::InternalError(absl::StrCat("unexpected mountinfo line: ", line));
    }
    mounts.insert(absl::StrCat(fields[4], " ", fields[3], " ", separator[1], " ", separator[2]));
  }
  return mounts;
}

std::vector<std::string> LeftoverProcesses(const std::vector<std::string>& paths,
                                           const std::string& state_root) {
  std::vector<std::string> leftovers;
  for (pid_t pid : AllPids()) {
    if (pid == getpid()) continue;
    pid_t parent;
    char state;
    if (!ReadStat(pid, parent, state)) continue;  // gone meanwhile
    std::string comm = ReadFile(absl::StrCat("/proc/", pid, "/comm")).value_or("?\n");
    comm.pop_back();
    auto leftover = [&](absl::string_view why) {
      leftovers.push_back(
          absl::StrCat(pid, " (", comm, ", state ", std::string(1, state), "): ", why));
    };
    if (parent == getpid()) {
      leftover("a child of the test");
      continue;
    }
    std::string cwd = ReadLink(absl::StrCat("/proc/", pid, "/cwd"));
    std::string root = ReadLink(absl::StrCat("/proc/", pid, "/root"));
    bool found = false;
    for (const std::string& path : paths) {
      if (!found && (IsUnder(cwd, path) || IsUnder(root, path))) {
        leftover(absl::StrCat("cwd ", cwd, ", root ", root));
        found = true;
      }
    }
    if (found) continue;
    std::string cmdline = ReadFile(absl::StrCat("/proc/", pid, "/cmdline")).value_or("");
    std::vector<std::string> argv = absl::StrSplit(cmdline, '\0');
    if (!argv.empty() && argv[0] == HullBinary() &&
        std::find(argv.begin(), argv.end(), state_root) != argv.end()) {
      leftover(absl::StrCat("hull with --root ", state_root));
    }
  }
  return leftovers;
}

void ReapExitedContainers() {
  for (pid_t child : ChildPids()) {
    pid_t parent;
    char state;
    if (!RunningHulls().contains(child) && ReadStat(child, parent, state) && state == 'Z') {
      waitpid(child, nullptr, WNOHANG);
    }
  }
}

bool ProcessIsDead(pid_t pid) {
  pid_t parent;
  char state;
  return !ReadStat(pid, parent, state) || state == 'Z' || state == 'X';
}

void HullTest::SetUp() {
  ASSERT_FALSE(HullBinary().empty()) << "no hull binary: pass $(location //tools/launcher:hull)";
  // The containers' inits outlive the hull that created them: as their
  // subreaper, the test can find and kill whatever is left.
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0) << strerror(errno);
  absl::StatusOr<std::string> root = MakeTempDir("state");
  ASSERT_TRUE(root.ok()) << root.status();
  root_ = *root;
}

void HullTest::TearDown() {
  if (root_.empty()) return;
  // Every container the test made, whatever state it is in.
  if (DIR* dir = opendir(root_.c_str())) {
    std::vector<std::string> ids;
    while (struct dirent* entry = readdir(dir)) {
      if (entry->d_name[0] != '.') ids.push_back(entry->d_name);
    }
    closedir(dir);
    for (const std::string& id : ids) {
      absl::StatusOr<HullResult> deleted = RunHull({"--root", root_, "delete", "-f", id});
      if (!deleted.ok() || deleted->exit_code != 0) {
        ADD_FAILURE() << "cleanup: hull delete -f " << id << " failed: "
                      << (deleted.ok() ? absl::StrCat(deleted->exit_code, " ", deleted->err)
                                       : deleted.status().ToString());
      }
    }
  }
  // Then whatever process remains: the test's children (inits and the
  // processes they left, reparented here) are killed and reaped.
  for (int round = 0; round < 100; ++round) {
    std::vector<pid_t> children = ChildPids();
    if (children.empty()) break;
    for (pid_t child : children) {
      kill(child, SIGKILL);
      waitpid(child, nullptr, 0);
    }
  }
  bundles_.clear();
  for (const std::string& dir : {root_, public_dir_}) {
    if (!dir.empty()) RemoveTree(dir);
  }
}

std::string HullTest::NewId() {
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  return absl::StrCat(test->name(), "-", getpid(), "-", ++next_id_);
}

HullResult HullTest::Hull(const std::vector<std::string>& args, const HullOptions& options) {
  std::vector<std::string> full = {"--root", root_};
  full.insert(full.end(), args.begin(), args.end());
  absl::StatusOr<HullResult> result = RunHull(full, options);
  if (!result.ok()) {
    ADD_FAILURE() << "hull " << absl::StrJoin(args, " ") << ": " << result.status();
    return HullResult{};
  }
  return *result;
}

absl::StatusOr<HullProcess> HullTest::StartHull(const std::vector<std::string>& args,
                                                const HullOptions& options) {
  std::vector<std::string> full = {"--root", root_};
  full.insert(full.end(), args.begin(), args.end());
  return HullProcess::Start(full, options);
}

absl::StatusOr<Bundle*> HullTest::MakeBundle(const config::Spec& spec) {
  ASSIGN_OR_RETURN(Bundle bundle, Bundle::Create(spec));
  bundles_.push_back(std::make_unique<Bundle>(std::move(bundle)));
  return bundles_.back().get();
}

absl::StatusOr<Bundle*> HullTest::MakeBundleWithProgram(const config::Spec& spec,
                                                        const std::string& runfile,
                                                        const std::string& path) {
  ASSIGN_OR_RETURN(Bundle * bundle, MakeBundle(spec));
  RETURN_IF_ERROR(bundle->InstallProgram(runfile, path));
  return bundle;
}

absl::StatusOr<Bundle*> HullTest::MakeBundleReachableByAnyUser(const config::Spec& spec) {
  if (public_dir_.empty()) {
    ASSIGN_OR_RETURN(public_dir_, MakeTempDir("hull-integration", "/tmp"));
    if (chmod(public_dir_.c_str(), 0755) != 0) return ErrnoStatus("chmod " + public_dir_);
  }
  ASSIGN_OR_RETURN(Bundle bundle, Bundle::Create(spec, public_dir_));
  bundles_.push_back(std::make_unique<Bundle>(std::move(bundle)));
  return bundles_.back().get();
}

HullResult HullTest::RunContainer(const config::Spec& spec, const std::vector<std::string>& flags,
                                  const HullOptions& options) {
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  if (!bundle.ok()) {
    ADD_FAILURE() << "bundle: " << bundle.status();
    return HullResult{};
  }
  return RunBundle(**bundle, flags, options);
}

HullResult HullTest::RunBundle(const Bundle& bundle, const std::vector<std::string>& flags,
                               const HullOptions& options) {
  std::vector<std::string> args = {"run", "--bundle", bundle.path()};
  args.insert(args.end(), flags.begin(), flags.end());
  args.push_back(NewId());
  return Hull(args, options);
}

::testing::AssertionResult HullTest::Create(const Bundle& bundle, const std::string& id,
                                            const std::vector<std::string>& flags) {
  std::vector<std::string> args = {"create", "--bundle", bundle.path()};
  args.insert(args.end(), flags.begin(), flags.end());
  args.push_back(id);
  HullResult result = Hull(args);
  if (result.exit_code != 0) {
    return ::testing::AssertionFailure() << "hull create " << id << ": " << result;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult HullTest::CreateContainer(const config::Spec& spec,
                                                     const std::string& id) {
  absl::StatusOr<Bundle*> bundle = MakeBundle(spec);
  if (!bundle.ok()) return ::testing::AssertionFailure() << "bundle: " << bundle.status();
  return Create(**bundle, id);
}

absl::StatusOr<runtime::OciState> HullTest::State(const std::string& id) {
  HullResult state = Hull({"state", id});
  if (state.exit_code != 0) {
    std::ostringstream message;
    message << "hull state " << id << ": " << state;
    return absl::InternalError(message.str());
  }
  runtime::OciState parsed;
  if (!google::protobuf::util::JsonStringToMessage(state.out, &parsed).ok()) {
    return absl::InternalError(absl::StrCat("hull state printed no OCI state: ", state.out));
  }
  return parsed;
}

std::string HullTest::WaitForStatus(const std::string& id, const std::string& status) {
  std::string seen;
  Eventually([&] {
    absl::StatusOr<runtime::OciState> state = State(id);
    seen = state.ok() ? state->status() : state.status().ToString();
    return seen == status;
  });
  return seen;
}

std::vector<std::string> ExistingCgroups(const std::string& cgroup) {
  std::vector<std::string> existing;
  for (const std::string& hierarchy : DirectoryEntries("/sys/fs/cgroup")) {
    const std::string path = absl::StrCat("/sys/fs/cgroup/", hierarchy, cgroup);
    if (Exists(path)) existing.push_back(path);
  }
  return existing;
}

void HullTest::ExpectNothingLeft(const Bundle& bundle, const std::string& id,
                                 const std::set<std::string>& mounts_before) {
  EXPECT_THAT(DirectoryEntries(root()), ::testing::IsEmpty()) << "state left under " << root();
  // A dead init whose hull has gone is the test's (their subreaper's) to reap.
  ReapExitedContainers();
  EXPECT_THAT(LeftoverProcesses({bundle.path(), bundle.rootfs()}, root()), ::testing::IsEmpty());
  EXPECT_THAT(ExistingCgroups(absl::StrCat("/hull/", id)), ::testing::IsEmpty());
  absl::StatusOr<std::set<std::string>> mounts = HostMounts();
  ASSERT_TRUE(mounts.ok()) << mounts.status();
  EXPECT_EQ(*mounts, mounts_before) << "the host's mounts changed";
}

}  // namespace hull::testing
