// The device filter in the real kernel: loaded, attached to a cgroup of this
// test's own in the host's cgroup2 hierarchy (/sys/fs/cgroup on v2,
// /sys/fs/cgroup/unified on a hybrid host like this one), replacing the one
// before, and enforced on a child that joins the cgroup. Root only; fails
// when the host has no cgroup2 hierarchy.
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/status_util.h"
#include "cgroups/device_filter.h"
#include "cgroups/device_filter_loader.h"
#include "cgroups/device_rules.h"
#include "cgroups/layout.h"
#include "config/runtime_spec.pb.h"
#include "google/protobuf/repeated_field.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/fd.h"
#include "testing/child_process.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOk;

config::DeviceCgroup Rule(bool allow, std::string type, int64_t major, int64_t minor,
                          std::string access) {
  config::DeviceCgroup rule;
  rule.set_allow(allow);
  rule.set_type(type);
  if (major >= 0) rule.set_major(major);
  if (minor >= 0) rule.set_minor(minor);
  rule.set_access(access);
  return rule;
}

// "deny all", then runc's allowed devices: /dev/null yes, /dev/kmsg no.
std::vector<config::DeviceCgroup> ContainerRules() {
  std::vector<config::DeviceCgroup> rules = {Rule(false, "a", -1, -1, "rwm")};
  for (const config::DeviceCgroup& rule : DefaultDeviceRules()) rules.push_back(rule);
  return rules;
}

std::vector<config::DeviceCgroup> AllowAll() { return {Rule(true, "a", -1, -1, "rwm")}; }

// The device programs attached to the cgroup itself.
std::vector<uint32_t> AttachedPrograms(int cgroup_fd) {
  std::vector<uint32_t> ids(64);
  bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.query.target_fd = static_cast<uint32_t>(cgroup_fd);
  attr.query.attach_type = BPF_CGROUP_DEVICE;
  attr.query.prog_ids = reinterpret_cast<uint64_t>(ids.data());
  attr.query.prog_cnt = static_cast<uint32_t>(ids.size());
  EXPECT_EQ(syscall(__NR_bpf, BPF_PROG_QUERY, &attr, sizeof(attr)), 0) << strerror(errno);
  ids.resize(attr.query.prog_cnt);
  return ids;
}

// Opens `path` (O_RDONLY) from a child that joined the cgroup: 0 or errno.
int OpenErrnoInCgroup(const std::string& cgroup, const std::string& path, int flags = O_RDONLY) {
  const absl::StatusOr<hull::testing::ChildOutcome> outcome =
      hull::testing::RunInChild({}, [&]() -> absl::Status {
        const UniqueFd procs(open((cgroup + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC));
        if (!procs.valid() || write(procs.get(), "0", 1) != 1) {
          return ErrnoStatus("join the test cgroup");
        }
        const UniqueFd device(open(path.c_str(), flags | O_CLOEXEC));
        _exit(device.valid() ? 0 : errno);
      });
  EXPECT_THAT(outcome, IsOk());
  if (!outcome.ok()) return -1;
  EXPECT_NE(outcome->exit_code, hull::testing::kChildBodyFailed) << outcome->output;
  return outcome->exit_code;
}

class DeviceFilterLoaderRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const absl::StatusOr<Layout> layout = DetectLayout();
    ASSERT_THAT(layout, IsOk());
    ASSERT_TRUE(layout->unified.has_value())
        << "this host has no cgroup2 hierarchy: the device filter cannot be tested here";
    static int counter = 0;
    cgroup_ = absl::StrCat(layout->unified->mount_point, "/hull-test-", getpid(), "-", ++counter);
    ASSERT_EQ(mkdir(cgroup_.c_str(), 0755), 0) << cgroup_ << ": " << strerror(errno);
    fd_.Reset(open(cgroup_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(fd_.valid()) << strerror(errno);
  }

  void TearDown() override {
    fd_.Reset();
    // The children joined and exited: the cgroup is empty.
    if (!cgroup_.empty()) {
      EXPECT_EQ(rmdir(cgroup_.c_str()), 0) << cgroup_ << ": " << strerror(errno);
    }
  }

  absl::Status Install(const std::vector<config::DeviceCgroup>& rules) {
    const absl::StatusOr<std::vector<bpf_insn>> program = BuildDeviceFilter(
        google::protobuf::RepeatedPtrField<config::DeviceCgroup>(rules.begin(), rules.end()));
    if (!program.ok()) return program.status();
    return loader_.Install(fd_.get(), *program);
  }

  std::string cgroup_;
  UniqueFd fd_;
  LinuxDeviceFilterLoader loader_;
};

TEST_F(DeviceFilterLoaderRootTest, DeniedDeviceGivesEperm) {
  ASSERT_EQ(access("/dev/kmsg", F_OK), 0) << "/dev/kmsg (c 1:11) is needed as a denied device";
  ASSERT_THAT(Install(ContainerRules()), IsOk());
  EXPECT_EQ(OpenErrnoInCgroup(cgroup_, "/dev/null", O_RDWR), 0);
  EXPECT_EQ(OpenErrnoInCgroup(cgroup_, "/dev/kmsg"), EPERM);
  EXPECT_THAT(AttachedPrograms(fd_.get()), ::testing::SizeIs(1));
}

TEST_F(DeviceFilterLoaderRootTest, InstallReplacesThePreviousFilter) {
  ASSERT_THAT(Install(AllowAll()), IsOk());
  const std::vector<uint32_t> first = AttachedPrograms(fd_.get());
  ASSERT_THAT(first, ::testing::SizeIs(1));
  EXPECT_EQ(OpenErrnoInCgroup(cgroup_, "/dev/kmsg"), 0);

  ASSERT_THAT(Install(ContainerRules()), IsOk());
  const std::vector<uint32_t> second = AttachedPrograms(fd_.get());
  ASSERT_THAT(second, ::testing::SizeIs(1));
  EXPECT_NE(second[0], first[0]);
  EXPECT_EQ(OpenErrnoInCgroup(cgroup_, "/dev/kmsg"), EPERM);

  ASSERT_THAT(Install(AllowAll()), IsOk());
  EXPECT_THAT(AttachedPrograms(fd_.get()), ::testing::SizeIs(1));
  EXPECT_EQ(OpenErrnoInCgroup(cgroup_, "/dev/kmsg"), 0);
}

TEST_F(DeviceFilterLoaderRootTest, MknodNeedsTheMAccess) {
  const char* tmpdir = std::getenv("TEST_TMPDIR");
  ASSERT_NE(tmpdir, nullptr);
  const std::string node = absl::StrCat(tmpdir, "/null-", getpid());
  auto mknod_errno = [&]() {
    const absl::StatusOr<hull::testing::ChildOutcome> outcome =
        hull::testing::RunInChild({}, [&]() -> absl::Status {
          const UniqueFd procs(open((cgroup_ + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC));
          if (!procs.valid() || write(procs.get(), "0", 1) != 1) {
            return ErrnoStatus("join the test cgroup");
          }
          const int result = mknod(node.c_str(), S_IFCHR | 0600, makedev(1, 3));
          const int error = errno;
          unlink(node.c_str());
          _exit(result == 0 ? 0 : error);
        });
    EXPECT_THAT(outcome, IsOk());
    return outcome.ok() ? outcome->exit_code : -1;
  };
  ASSERT_THAT(Install({Rule(false, "a", -1, -1, "rwm"), Rule(true, "c", 1, 3, "rw")}), IsOk());
  EXPECT_EQ(mknod_errno(), EPERM);
  ASSERT_THAT(Install({Rule(false, "a", -1, -1, "rwm"), Rule(true, "c", 1, 3, "rwm")}), IsOk());
  EXPECT_EQ(mknod_errno(), 0);
}

TEST_F(DeviceFilterLoaderRootTest, AProgramTheVerifierRefusesIsAnErrorWithItsLog) {
  // Falls off the end without an exit.
  const bpf_insn no_exit[] = {{.code = BPF_ALU | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 1}};
  const absl::Status status = loader_.Install(fd_.get(), no_exit);
  EXPECT_THAT(status, hull::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                              ::testing::HasSubstr("verifier log: ")));
  EXPECT_THAT(AttachedPrograms(fd_.get()), ::testing::IsEmpty());
}

}  // namespace
}  // namespace hull::cgroups
