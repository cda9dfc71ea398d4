// sd_notify passthrough: with NOTIFY_SOCKET in hull's environment, what the
// container sends to its own NOTIFY_SOCKET reaches the host's socket (a test
// socket standing in for systemd's), READY=1 with MAINPID = the init's host
// pid, by the time `start` returns.
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kNotifyProbe[] = "testing/integration/notify_probe";

// A datagram socket bound at a short path of its own (TEST_TMPDIR's are too
// long for a unix socket address), standing in for systemd's.
class HostSocket {
 public:
  HostSocket() {
    char dir[] = "/tmp/hull-notify-XXXXXX";
    EXPECT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/notify.sock";
    sockaddr_un address = {};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path_.c_str(), sizeof(address.sun_path) - 1);
    socket_ = UniqueFd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    EXPECT_EQ(bind(socket_.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)),
              0)
        << strerror(errno);
  }
  ~HostSocket() {
    unlink(path_.c_str());
    rmdir(dir_.c_str());
  }

  const std::string& path() const { return path_; }

  // The datagrams received so far, concatenated.
  std::string Received() const {
    std::string all;
    char buffer[4096];
    ssize_t n;
    while ((n = recv(socket_.get(), buffer, sizeof(buffer), MSG_DONTWAIT)) > 0) {
      all.append(buffer, n);
    }
    return all;
  }

 private:
  std::string dir_;
  std::string path_;
  UniqueFd socket_;
};

class NotifyTest : public HullTest {
 protected:
  // A bundle of `spec` whose rootfs has the probe at /bin/notify_probe.
  Bundle* BundleWithProbe(const config::Spec& spec) {
    absl::StatusOr<Bundle*> bundle = MakeBundleWithProgram(spec, kNotifyProbe, "/bin/notify_probe");
    EXPECT_TRUE(bundle.ok()) << bundle.status() << " (the probe is a data dependency)";
    return bundle.value_or(nullptr);
  }
};

TEST_F(NotifyTest, ReadyReachesTheHostSocketWithTheInitsHostPidWhenStartReturns) {
  HostSocket host;
  // The container sends a status, then (a moment later, so start must wait
  // for it) READY=1, then runs on.
  const config::Spec spec = ContainerSpec(Sh(
      "/bin/notify_probe STATUS=starting && "
      "sleep 1 && /bin/notify_probe READY=1 && exec sleep 1000"));
  Bundle* bundle = BundleWithProbe(spec);
  ASSERT_NE(bundle, nullptr);
  const std::string id = NewId();
  const HullOptions notify{.environment = {"NOTIFY_SOCKET=" + host.path()}};
  HullResult created = Hull({"create", "--bundle", bundle->path(), id}, notify);
  ASSERT_EQ(created.exit_code, 0) << created;
  HullResult started = Hull({"start", id}, notify);
  ASSERT_EQ(started.exit_code, 0) << started;
  absl::StatusOr<runtime::OciState> state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(host.Received(),
            absl::StrCat("STATUS=starting\nREADY=1\nMAINPID=", state->pid(), "\n"));
  HullResult seen = Hull({"exec", id, "cat", "/proc/1/environ"});
  EXPECT_THAT(seen.out, HasSubstr(std::string("\0NOTIFY_SOCKET=/run/notify/notify.sock\0", 39)))
      << seen;
  // The socket lives in the state directory, which delete removes.
  struct stat st;
  EXPECT_EQ(stat(absl::StrCat(root(), "/", id, "/notify/notify.sock").c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  HullResult deleted = Hull({"delete", "--force", id});
  EXPECT_EQ(deleted.exit_code, 0) << deleted;
}

TEST_F(NotifyTest, WithoutNotifySocketTheContainerGetsNone) {
  const config::Spec spec = ContainerSpec(Sh("echo \"[$NOTIFY_SOCKET]\"; ls /run/notify"));
  HullResult result = RunContainer(spec);
  EXPECT_EQ(result.out, "[]\n") << result;
  EXPECT_NE(result.exit_code, 0) << result;  // no /run/notify
}

TEST_F(NotifyTest, RunRelaysToo) {
  HostSocket host;
  const config::Spec spec =
      ContainerSpec(Sh("/bin/notify_probe READY=1 && exec sleep 1000"));
  Bundle* bundle = BundleWithProbe(spec);
  ASSERT_NE(bundle, nullptr);
  const std::string id = NewId();
  const HullOptions notify{.environment = {"NOTIFY_SOCKET=" + host.path()}};
  HullResult ran = Hull({"run", "--detach", "--bundle", bundle->path(), id}, notify);
  ASSERT_EQ(ran.exit_code, 0) << ran;
  absl::StatusOr<runtime::OciState> state = State(id);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(host.Received(), absl::StrCat("READY=1\nMAINPID=", state->pid(), "\n"));
  HullResult deleted = Hull({"delete", "--force", id});
  EXPECT_EQ(deleted.exit_code, 0) << deleted;
}

}  // namespace
}  // namespace hull::testing
