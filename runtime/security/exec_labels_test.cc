#include "runtime/security/exec_labels.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "base/procfs_files.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/mock_proc_files.h"
#include "testing/status_matchers.h"

namespace hull::security {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::MockProcFiles;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::InSequence;
using ::testing::Return;
using ::testing::StrictMock;

config::Process WithLabels(const char* profile, const char* label) {
  config::Process process;
  process.set_apparmor_profile(profile);
  process.set_selinux_label(label);
  return process;
}

TEST(SetAppArmorExecProfileTest, WritesTheExecCommandToAppArmorsOwnFile) {
  StrictMock<MockProcFiles> proc;
  EXPECT_CALL(proc, Write(Eq("thread-self/attr/apparmor/exec"), Eq("exec hull-default")))
      .WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(SetAppArmorExecProfile(WithLabels("hull-default", ""), proc), IsOk());
}

TEST(SetAppArmorExecProfileTest, FallsBackToTheSharedFileOnOlderKernels) {
  StrictMock<MockProcFiles> proc;
  InSequence order;
  EXPECT_CALL(proc, Write(Eq("thread-self/attr/apparmor/exec"), _))
      .WillOnce(Return(absl::NotFoundError("open /proc/thread-self/attr/apparmor/exec: No such "
                                           "file or directory")));
  EXPECT_CALL(proc, Write(Eq("thread-self/attr/exec"), Eq("exec hull-default")))
      .WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(SetAppArmorExecProfile(WithLabels("hull-default", ""), proc), IsOk());
}

TEST(SetAppArmorExecProfileTest, AnyOtherErrorNamesTheField) {
  StrictMock<MockProcFiles> proc;
  EXPECT_CALL(proc, Write(_, _))
      .WillOnce(Return(absl::PermissionDeniedError("write /proc/thread-self/attr/apparmor/exec: "
                                                   "Permission denied")));
  EXPECT_THAT(SetAppArmorExecProfile(WithLabels("hull-default", ""), proc),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "process.apparmorProfile \"hull-default\": write "
                       "/proc/thread-self/attr/apparmor/exec: Permission denied"));
}

TEST(SetSelinuxExecLabelTest, WritesTheLabel) {
  StrictMock<MockProcFiles> proc;
  EXPECT_CALL(proc, Write(Eq("thread-self/attr/exec"), Eq("system_u:system_r:container_t:s0")))
      .WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(SetSelinuxExecLabel(WithLabels("", "system_u:system_r:container_t:s0"), proc),
              IsOk());
}

TEST(ExecLabelsTest, NothingWithoutLabels) {
  StrictMock<MockProcFiles> proc;
  EXPECT_THAT(SetAppArmorExecProfile(config::Process(), proc), IsOk());
  EXPECT_THAT(SetSelinuxExecLabel(config::Process(), proc), IsOk());
}

// A "procfs" that is an ordinary directory, with the attr files planted as
// plain files: neither label is written there.
TEST(ExecLabelsTest, AFakeProcIsRefusedAndLeftUnwritten) {
  absl::StatusOr<std::string> fake = hull::testing::MakeTempDir("fake-proc");
  ASSERT_TRUE(fake.ok()) << fake.status();
  ASSERT_EQ(mkdir((*fake + "/thread-self").c_str(), 0755), 0);
  ASSERT_EQ(mkdir((*fake + "/thread-self/attr").c_str(), 0755), 0);
  ASSERT_EQ(mkdir((*fake + "/thread-self/attr/apparmor").c_str(), 0755), 0);
  for (const char* file : {"/thread-self/attr/exec", "/thread-self/attr/apparmor/exec"}) {
    ASSERT_THAT(hull::testing::WriteFile(*fake + file, ""), IsOk());
  }
  LinuxProcFiles proc(*fake);
  const config::Process process = WithLabels("hull-default", "system_u:system_r:container_t:s0");
  EXPECT_THAT(SetAppArmorExecProfile(process, proc),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not on procfs")));
  EXPECT_THAT(SetSelinuxExecLabel(process, proc),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not on procfs")));
  for (const char* file : {"/thread-self/attr/exec", "/thread-self/attr/apparmor/exec"}) {
    absl::StatusOr<std::string> contents = hull::testing::ReadFile(*fake + file);
    ASSERT_TRUE(contents.ok()) << contents.status();
    EXPECT_EQ(*contents, "") << file;
  }
}

}  // namespace
}  // namespace hull::security
