#include "testing/integration/rootless_fixture.h"

#include <pwd.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "config/default_spec.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"

namespace hull::testing {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string* RootlessTest::user_ = nullptr;
uid_t RootlessTest::uid_ = 0;
gid_t RootlessTest::gid_ = 0;

void RootlessTest::SetUpTestSuite() {
  // The state root must come from the user's own $XDG_RUNTIME_DIR.
  unsetenv("XDG_RUNTIME_DIR");
  user_ = new std::string(absl::StrCat("hullrl", getpid()));
  const std::string range = absl::StrCat(kSubFirst, "-", kSubFirst + kSubCount - 1);
  const std::string add = absl::StrCat(
      "/usr/sbin/useradd --system --no-create-home --shell /usr/sbin/nologin ", *user_,
      " && /usr/sbin/usermod --add-subuids ", range, " --add-subgids ", range, " ", *user_);
  ASSERT_EQ(std::system(add.c_str()), 0) << add;
  struct passwd* entry = getpwnam(user_->c_str());
  ASSERT_NE(entry, nullptr);
  uid_ = entry->pw_uid;
  gid_ = entry->pw_gid;
}

void RootlessTest::TearDownTestSuite() {
  if (user_ == nullptr) return;
  const std::string remove = absl::StrCat("/usr/sbin/userdel ", *user_);
  EXPECT_EQ(std::system(remove.c_str()), 0) << remove;
  for (const char* file : {"/etc/subuid", "/etc/subgid", "/etc/passwd"}) {
    absl::StatusOr<std::string> text = ReadFile(file);
    ASSERT_TRUE(text.ok()) << text.status();
    EXPECT_THAT(*text, ::testing::Not(HasSubstr(*user_))) << file << " still names the user";
  }
  delete user_;
  user_ = nullptr;
}

void RootlessTest::SetUp() {
  HullTest::SetUp();
  ASSERT_NE(user_, nullptr);
  absl::StatusOr<std::string> dir = MakeTempDir("hull-rootless", "/tmp");
  ASSERT_TRUE(dir.ok()) << dir.status();
  dir_ = *dir;
  ASSERT_EQ(chmod(dir_.c_str(), 0755), 0);
  // The harness's binary is under root's home, which the user cannot reach.
  hull_ = dir_ + "/hull";
  absl::StatusOr<std::string> binary = ReadFile(HullBinary());
  ASSERT_TRUE(binary.ok()) << binary.status();
  ASSERT_TRUE(WriteFile(hull_, *binary).ok());
  ASSERT_EQ(chmod(hull_.c_str(), 0755), 0);
  runtime_dir_ = dir_ + "/xdg";
  ASSERT_EQ(mkdir(runtime_dir_.c_str(), 0700), 0);
  ASSERT_EQ(chown(runtime_dir_.c_str(), uid_, gid_), 0);
}

void RootlessTest::TearDown() {
  // Whatever a failed test left, deleted by root.
  for (const std::string& id : ids_) {
    if (access(StateDir(id).c_str(), F_OK) != 0) continue;
    absl::StatusOr<HullResult> deleted = RunHull({"--root", StateRoot(), "delete", "-f", id});
    EXPECT_TRUE(deleted.ok() && deleted->exit_code == 0) << "cleanup of " << id;
  }
  HullTest::TearDown();
  if (!dir_.empty()) RemoveTree(dir_);
}

std::string RootlessTest::NewRootlessId() {
  ids_.push_back(NewId());
  return ids_.back();
}

HullResult RootlessTest::AsUser(const std::vector<std::string>& args) {
  return RunAsUser(hull_, args);
}

HullResult RootlessTest::RunAsUser(const std::string& binary,
                                   const std::vector<std::string>& args) {
  absl::StatusOr<HullResult> result =
      RunHull(args, {.environment = {absl::StrCat("XDG_RUNTIME_DIR=", runtime_dir_)},
                     .as_user = std::make_pair(uid_, gid_),
                     .binary = binary});
  if (!result.ok()) {
    ADD_FAILURE() << result.status();
    return HullResult{};
  }
  return *result;
}

config::Spec RootlessTest::RootlessSpec(const std::vector<std::string>& args) const {
  config::Spec spec = config::DefaultSpec(/*rootless=*/true);
  spec.mutable_linux()->mutable_uid_mappings(0)->set_host_id(uid_);
  spec.mutable_linux()->mutable_gid_mappings(0)->set_host_id(gid_);
  spec.mutable_process()->set_terminal(false);
  spec.mutable_process()->clear_args();
  for (const std::string& arg : args) spec.mutable_process()->add_args(arg);
  return spec;
}

absl::StatusOr<Bundle*> RootlessTest::UserBundle(const config::Spec& spec) {
  ASSIGN_OR_RETURN(Bundle * bundle, MakeBundleReachableByAnyUser(spec));
  for (const std::string& path : {bundle->path(), bundle->config_path()}) {
    if (chown(path.c_str(), uid_, gid_) != 0) return ErrnoStatus("chown ", path);
  }
  if (chmod(bundle->rootfs().c_str(), 0755) != 0) return ErrnoStatus("chmod ", bundle->rootfs());
  return bundle;
}

void RootlessTest::MapSubordinateIds(config::Spec& spec, uint32_t first) {
  for (auto* list : {spec.mutable_linux()->mutable_uid_mappings(),
                     spec.mutable_linux()->mutable_gid_mappings()}) {
    config::IdMapping& sub = *list->Add();
    sub.set_container_id(1);
    sub.set_host_id(first);
    sub.set_size(kSubCount - 1);
  }
}

void RootlessTest::ExpectNothingOf(const std::string& id) {
  EXPECT_NE(access(StateDir(id).c_str(), F_OK), 0) << StateDir(id) << " is left";
  ReapExitedContainers();
  EXPECT_THAT(LeftoverProcesses({dir_}, StateRoot()), IsEmpty());
  EXPECT_THAT(ExistingCgroups("/hull/" + id), IsEmpty());
}

}  // namespace hull::testing
