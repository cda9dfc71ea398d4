// The container's init against the real kernel, as root. Each test runs the
// init's own steps, in the init's own order (DefaultInitSteps()), in a child
// cloned into the config's new namespaces with a real InitContext, on a busybox
// rootfs, and checks what the container's process sees. Only the steps that
// wait for or report to the launcher are left out, as no launcher is there
// (their other side is linux_actions_test's and create_failure_root_test's):
// a change to the order of the steps is a change these tests see.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "base/file_io.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "config/default_spec.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/clone.h"
#include "nsenter/namespace.h"
#include "nsenter/pidfd.h"
#include "runtime/channel/sync_channel.h"
#include "runtime/init/container_init.h"
#include "runtime/process/environment.h"
#include "testing/rootfs_fixture.h"
#include "testing/status_matchers.h"

namespace hull::runtime {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::RootfsFixture;

// The steps that talk to the launcher, over the channel or the exec fifo.
constexpr const char* kLauncherHandshakes[] = {
    "wait for the prestart and createRuntime hooks",
    "report ready",
    "wait for start",
};

// DefaultInitSteps() without the launcher's handshakes, in the init's order.
std::vector<InitStep> StepsWithoutALauncher() {
  std::vector<const InitStep*> handshakes;
  for (const char* name : kLauncherHandshakes) {
    const InitStep* step = FindDefaultInitStep(name);
    if (step == nullptr) ADD_FAILURE() << "the default init steps have no \"" << name << "\"";
    handshakes.push_back(step);
  }
  std::vector<InitStep> steps;
  for (const InitStep& step : DefaultInitSteps()) {
    if (std::find(handshakes.begin(), handshakes.end(), &step) == handshakes.end()) {
      steps.push_back(step);
    }
  }
  return steps;
}

struct InitOutcome {
  nsenter::ExitStatus exit;
  // What the init and the container's process wrote to stdout and stderr.
  std::string output;
};

// Runs the init of `spec` (root.path: the rootfs) on its own: cloned into the
// namespaces the spec makes, with /dev/null as stdin and a pipe as stdout and
// stderr (InitContext::inherited_fds, which the init's first steps put in
// place); returns when the pipe is closed and the init has exited.
absl::StatusOr<InitOutcome> RunInit(const config::Spec& spec) {
  ASSIGN_OR_RETURN(const nsenter::NamespacePlan plan, nsenter::PlanNamespaces(spec.linux()));
  ASSIGN_OR_RETURN(channel::SyncChannelPair channels, channel::CreateSyncChannelPair());
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) != 0) return ErrnoStatus("pipe2");
  UniqueFd read_end(ends[0]);
  UniqueFd write_end(ends[1]);
  UniqueFd null(open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!null.valid()) return ErrnoStatus("open /dev/null");
  const int stdio[] = {null.get(), write_end.get(), write_end.get()};
  const std::vector<InitStep> steps = StepsWithoutALauncher();
  InitContext context{
      .spec = spec,
      .container_id = "init-root-test",
      .rootfs = spec.root().path(),
      .namespaces = plan,
      .channel = channels.child,
      .inherited_fds = stdio,
  };
  nsenter::LinuxProcessCloner cloner;
  ASSIGN_OR_RETURN(nsenter::ClonedProcess init,
                   cloner.Clone({.namespace_flags = plan.clone_flags}));
  if (init.in_child()) RunContainerInit(context, steps);
  write_end.Reset();
  ASSIGN_OR_RETURN(std::string output, ReadAll(read_end.get(), "the init's output"));
  ASSIGN_OR_RETURN(const nsenter::ExitStatus exit, nsenter::PidfdWait(init.pidfd.get()));
  return InitOutcome{.exit = exit, .output = std::move(output)};
}

class ContainerInitRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<RootfsFixture> rootfs = RootfsFixture::Create();
    ASSERT_THAT(rootfs, IsOk());
    rootfs_.emplace(*std::move(rootfs));
  }

  // `runc spec`'s config on the busybox rootfs, running `process` (its args
  // are `sh -c script`).
  config::Spec Spec(config::Process process, const std::string& script) const {
    config::Spec spec = config::DefaultSpec(/*rootless=*/false);
    spec.mutable_root()->set_path(rootfs_->path());
    process.clear_args();
    for (const char* arg : {"sh", "-c"}) process.add_args(arg);
    process.add_args(script);
    if (process.cwd().empty()) process.set_cwd("/");
    *spec.mutable_process() = std::move(process);
    return spec;
  }

  // What the init of `spec` made the container's process print; expects it
  // to exit 0.
  std::string Output(const config::Spec& spec) {
    absl::StatusOr<InitOutcome> outcome = RunInit(spec);
    EXPECT_THAT(outcome, IsOk());
    if (!outcome.ok()) return "";
    EXPECT_EQ(outcome->exit.ShellCode(), 0) << outcome->exit.ToString() << ": " << outcome->output;
    return outcome->output;
  }

  std::optional<RootfsFixture> rootfs_;
};

// The capability sets and no_new_privs the container's process ends up with.
// The bounding set is dropped before the switch to the user (it needs
// CAP_SETPCAP) and the other sets are set after it (a switch away from uid 0
// clears them): the order of the init's steps decides what is printed.
class CapabilitiesRootTest : public ContainerInitRootTest {
 protected:
  std::string StatusAfterInit(const config::Process& process) {
    return Output(Spec(process, "grep -E '^(Cap|NoNewPrivs)' /proc/self/status"));
  }
};

void AddAll(google::protobuf::RepeatedPtrField<std::string>* set,
            const std::vector<std::string>& names) {
  for (const std::string& name : names) *set->Add() = name;
}

void SetUser(config::Process& process, uint32_t uid, uint32_t gid) {
  process.mutable_user()->set_uid(uid);
  process.mutable_user()->set_gid(gid);
}

TEST_F(CapabilitiesRootTest, NonRootUserWithAmbientCapabilities) {
  config::Process process;
  SetUser(process, 1000, 1000);
  config::Capabilities& caps = *process.mutable_capabilities();
  AddAll(caps.mutable_bounding(), {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"});
  for (auto* set : {caps.mutable_effective(), caps.mutable_permitted(), caps.mutable_inheritable(),
                    caps.mutable_ambient()}) {
    AddAll(set, {"CAP_CHOWN", "CAP_NET_BIND_SERVICE"});
  }
  // CAP_CHOWN is bit 0, CAP_KILL bit 5, CAP_NET_BIND_SERVICE bit 10. As
  // uid 1000 the exec'd process keeps exactly its ambient set.
  EXPECT_EQ(StatusAfterInit(process),
            "CapInh:\t0000000000000401\n"
            "CapPrm:\t0000000000000401\n"
            "CapEff:\t0000000000000401\n"
            "CapBnd:\t0000000000000421\n"
            "CapAmb:\t0000000000000401\n"
            "NoNewPrivs:\t0\n");
}

TEST_F(CapabilitiesRootTest, RootWithNoNewPrivileges) {
  config::Process process;
  process.set_no_new_privileges(true);
  config::Capabilities& caps = *process.mutable_capabilities();
  for (auto* set : {caps.mutable_bounding(), caps.mutable_effective(), caps.mutable_permitted(),
                    caps.mutable_inheritable()}) {
    AddAll(set, {"CAP_CHOWN", "CAP_KILL"});
  }
  EXPECT_EQ(StatusAfterInit(process),
            "CapInh:\t0000000000000021\n"
            "CapPrm:\t0000000000000021\n"
            "CapEff:\t0000000000000021\n"
            "CapBnd:\t0000000000000021\n"
            "CapAmb:\t0000000000000000\n"
            "NoNewPrivs:\t1\n");
}

TEST_F(CapabilitiesRootTest, NoCapabilitiesAtAll) {
  config::Process process;
  SetUser(process, 1000, 1000);
  EXPECT_EQ(StatusAfterInit(process),
            "CapInh:\t0000000000000000\n"
            "CapPrm:\t0000000000000000\n"
            "CapEff:\t0000000000000000\n"
            "CapBnd:\t0000000000000000\n"
            "CapAmb:\t0000000000000000\n"
            "NoNewPrivs:\t0\n");
}

TEST_F(CapabilitiesRootTest, AmbientWithoutInheritableIsSkipped) {
  config::Process process;
  config::Capabilities& caps = *process.mutable_capabilities();
  for (auto* set : {caps.mutable_bounding(), caps.mutable_effective(), caps.mutable_permitted(),
                    caps.mutable_ambient()}) {
    AddAll(set, {"CAP_KILL"});
  }
  // As root the exec'd process keeps its bounding set in CapPrm/CapEff; the
  // ambient set stays empty (CAP_KILL is bit 5).
  EXPECT_EQ(StatusAfterInit(process),
            "CapInh:\t0000000000000000\n"
            "CapPrm:\t0000000000000020\n"
            "CapEff:\t0000000000000020\n"
            "CapBnd:\t0000000000000020\n"
            "CapAmb:\t0000000000000000\n"
            "NoNewPrivs:\t0\n");
}

// Every attribute of the process together, on `runc spec`'s rootfs: the
// sysctl is written before /proc/sys turns read-only and the working
// directory, missing from the image, is made before "/" does; the user's
// working directory is entered after the switch.
TEST_F(ContainerInitRootTest, TheProcessGetsEveryAttributeOfTheConfig) {
  config::Process process;
  process.add_env("TERM=xterm");
  process.set_cwd("/home/user/work");
  process.set_no_new_privileges(true);
  SetUser(process, 1000, 1000);
  process.mutable_user()->add_additional_gids(29);
  process.mutable_user()->set_umask(077);
  config::Rlimit& nofile = *process.add_rlimits();
  nofile.set_type("RLIMIT_NOFILE");
  nofile.set_soft(512);
  nofile.set_hard(512);
  for (auto* set : {process.mutable_capabilities()->mutable_bounding(),
                    process.mutable_capabilities()->mutable_effective(),
                    process.mutable_capabilities()->mutable_permitted()}) {
    *set->Add() = "CAP_NET_BIND_SERVICE";
  }
  config::Spec spec = Spec(
      process,
      "hostname; id; umask; pwd; ulimit -n; echo $HOME $PATH; "
      "cat /proc/sys/net/ipv4/ip_forward; grep -E '^(CapEff|CapBnd|NoNewPrivs)' /proc/self/status; "
      "awk '$5 == \"/\" || $5 == \"/proc/sys\" { split($6, o, \",\"); print $5, o[1] }' "
      "/proc/self/mountinfo");
  spec.set_hostname("sequence");
  (*spec.mutable_linux()->mutable_sysctl())["net.ipv4.ip_forward"] = "1";
  ASSERT_TRUE(spec.root().readonly());
  ASSERT_THAT(spec.linux().readonly_paths(), ::testing::Contains("/proc/sys"));

  EXPECT_EQ(Output(spec), absl::StrCat("sequence\n"
                                       "uid=1000(user) gid=1000(user) groups=29(audio)\n"
                                       "0077\n"
                                       "/home/user/work\n"
                                       "512\n"
                                       "/home/user ",
                                       process::kDefaultPath,
                                       "\n"
                                       "1\n"
                                       "CapEff:\t0000000000000000\n"
                                       "CapBnd:\t0000000000000400\n"
                                       "NoNewPrivs:\t1\n"
                                       "/ ro\n"
                                       "/proc/sys ro\n"));
}

}  // namespace
}  // namespace hull::runtime
