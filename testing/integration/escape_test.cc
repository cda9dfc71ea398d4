// runc's escapes, performed against Hull: each test is the attack, from a
// hostile container, and asserts the host is untouched.
#include <stdlib.h>
#include <sys/stat.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"
#include "testing/integration/hull_harness.h"

namespace hull::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class EscapeTest : public HullTest {};

// Runs the suite's hull from a copy, which an attack may overwrite, for as
// long as it lives.
class HullFromACopy {
 public:
  static absl::StatusOr<HullFromACopy> Make() {
    absl::StatusOr<std::string> dir = MakeTempDir("hull-copy");
    if (!dir.ok()) return dir.status();
    absl::StatusOr<std::string> contents = ReadFile(HullBinary());
    if (!contents.ok()) return contents.status();
    const std::string copy = *dir + "/hull";
    if (absl::Status written = WriteFile(copy, *contents); !written.ok()) return written;
    if (chmod(copy.c_str(), 0755) != 0) return absl::InternalError("chmod the copy of hull");
    return HullFromACopy(copy, *std::move(contents));
  }
  HullFromACopy(HullFromACopy&& other) noexcept
      : original_(std::exchange(other.original_, "")), copy_(other.copy_),
        contents_(std::move(other.contents_)) {}
  ~HullFromACopy() {
    if (!original_.empty()) SetHullBinary(original_);
  }

  const std::string& path() const { return copy_; }
  // Whether the copy still holds hull as it was copied.
  bool Intact() const { return ReadFile(copy_).value_or("") == contents_; }

 private:
  HullFromACopy(std::string copy, std::string contents)
      : original_(HullBinary()), copy_(std::move(copy)), contents_(std::move(contents)) {
    SetHullBinary(copy_);
  }

  std::string original_;
  std::string copy_;
  std::string contents_;
};

// CVE-2019-5736 as issue 9 describes it for Hull: a container sharing the
// pid namespace of a created container, with CAP_SYS_PTRACE, opens
// /proc/1/exe (the other's init, still the runtime then) and, once that one
// has started (its launcher gone, so the binary is no longer busy), reopens
// it for writing through /proc/self/fd. It also reads the init's
// environment, which must not be the launcher's.
TEST_F(EscapeTest, Cve2019_5736TheInitsExeCannotBeWrittenNorItsEnvironmentRead) {
  absl::StatusOr<HullFromACopy> hull = HullFromACopy::Make();
  ASSERT_TRUE(hull.ok()) << hull.status();
  absl::StatusOr<std::string> shared = MakeTempDir("shared");
  ASSERT_TRUE(shared.ok()) << shared.status();
  ASSERT_EQ(setenv("HULL_ESCAPE_CANARY", "launcher-secret", 1), 0);

  const std::string victim = NewId();
  ASSERT_TRUE(CreateContainer(ContainerSpec({"sleep", "1000"}), victim));
  absl::StatusOr<runtime::OciState> victim_state = State(victim);
  ASSERT_TRUE(victim_state.ok()) << victim_state.status();

  config::Spec attacker = ContainerSpec(Sh(
      "exec 3</proc/1/exe || exit 9\n"
      "tr '\\0' '\\n' </proc/1/environ >/shared/environ\n"
      "touch /shared/opened\n"
      "while [ ! -e /shared/go ]; do usleep 20000; done\n"
      "{ echo pwned >/proc/self/fd/3; } 2>/shared/write-error\n"
      "echo $? >/shared/write-status\n"));
  SetNamespace(attacker, "pid", absl::StrCat("/proc/", victim_state->pid(), "/ns/pid"));
  AddCapability(attacker, "CAP_SYS_PTRACE");
  AddMount(attacker, "/shared", "bind", *shared, {"rbind", "rw"});
  const std::string attacker_id = NewId();
  absl::StatusOr<Bundle*> bundle = MakeBundle(attacker);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  HullResult run = Hull({"run", "--detach", "--bundle", (*bundle)->path(), attacker_id});
  ASSERT_EQ(run.exit_code, 0) << run;
  ASSERT_TRUE(Eventually([&] { return Exists(*shared + "/opened"); }))
      << "the attacker could not open /proc/1/exe";
  EXPECT_THAT(ReadFile(*shared + "/environ").value_or("?"), Not(HasSubstr("launcher-secret")));

  HullResult start = Hull({"start", victim});
  ASSERT_EQ(start.exit_code, 0) << start;
  ASSERT_TRUE(WriteFile(*shared + "/go", "").ok());
  ASSERT_TRUE(Eventually([&] { return Exists(*shared + "/write-status"); }));
  EXPECT_NE(ReadFile(*shared + "/write-status").value_or("?"), "0\n");
  EXPECT_THAT(ReadFile(*shared + "/write-error").value_or("?"), HasSubstr("Read-only file system"));
  EXPECT_TRUE(hull->Intact()) << "the container overwrote the runtime's binary";
  unsetenv("HULL_ESCAPE_CANARY");
  // The attacker first: its init, reparented to this test, must be reaped
  // before the victim's pid namespace can end.
  EXPECT_EQ(Hull({"delete", "--force", attacker_id}).exit_code, 0);
  ReapExitedContainers();
}

}  // namespace
}  // namespace hull::testing
