// Root: an unprivileged user (made for the test, removed after it) gets a
// multi-range user namespace through newuidmap and newgidmap, and a map
// outside its subordinate ids is refused before anything runs.
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/procfs_files.h"
#include "base/status_util.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/clone.h"
#include "nsenter/pidfd.h"
#include "runtime/user/id_map_writer.h"
#include "testing/child_process.h"
#include "testing/status_matchers.h"

namespace hull::user {
namespace {

using ::hull::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

// Subordinate ids the test's user gets (far from what useradd hands out).
constexpr uint32_t kSubFirst = 520000000;
constexpr uint32_t kSubCount = 1000;

class IdMapWriterRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    name_ = absl::StrCat("hullidm", getpid());
    const std::string range = absl::StrCat(kSubFirst, "-", kSubFirst + kSubCount - 1);
    const std::string add = absl::StrCat(
        "/usr/sbin/useradd --system --no-create-home --shell /usr/sbin/nologin ", name_,
        " && /usr/sbin/usermod --add-subuids ", range, " --add-subgids ", range, " ", name_);
    ASSERT_EQ(std::system(add.c_str()), 0) << add;
    made_ = true;
    struct passwd* entry = getpwnam(name_.c_str());
    ASSERT_NE(entry, nullptr);
    writer_ = {.uid = entry->pw_uid, .gid = entry->pw_gid, .name = name_};
  }

  void TearDown() override {
    if (!made_) return;
    const std::string remove = absl::StrCat("/usr/sbin/userdel ", name_);
    EXPECT_EQ(std::system(remove.c_str()), 0) << remove;
    for (const char* file : {kSubuidFile, kSubgidFile}) {
      absl::StatusOr<std::string> text = ReadHostFile(file);
      ASSERT_TRUE(text.ok()) << text.status();
      EXPECT_THAT(*text, ::testing::Not(HasSubstr(name_))) << file << " still names the user";
    }
  }

  // Root is the user's own ids, 1..kSubCount-1 its subordinate ids from
  // `first`.
  config::Linux Maps(uint32_t first) const {
    config::Linux linux;
    for (auto* list : {linux.mutable_uid_mappings(), linux.mutable_gid_mappings()}) {
      config::IdMapping& own = *list->Add();
      own.set_host_id(list == linux.mutable_uid_mappings() ? writer_.uid : writer_.gid);
      own.set_size(1);
      config::IdMapping& sub = *list->Add();
      sub.set_container_id(1);
      sub.set_host_id(first);
      sub.set_size(kSubCount - 1);
    }
    return linux;
  }

  std::string name_;
  bool made_ = false;
  MapWriter writer_;
};

TEST_F(IdMapWriterRootTest, TheUsersMultiRangeMapsAreWrittenByTheHelpers) {
  const config::Linux linux = Maps(kSubFirst);
  absl::StatusOr<testing::ChildOutcome> outcome =
      testing::RunInChild({}, [&]() -> absl::Status {
        if (setgroups(0, nullptr) != 0) return ErrnoStatus("setgroups");
        if (setresgid(writer_.gid, writer_.gid, writer_.gid) != 0) return ErrnoStatus("setgid");
        if (setresuid(writer_.uid, writer_.uid, writer_.uid) != 0) return ErrnoStatus("setuid");
        absl::StatusOr<IdMapWrites> writes =
            PlanIdMapWrites(linux, CurrentMapWriter(), ReadHostFile);
        if (!writes.ok()) return writes.status();
        if (!writes->uid_map_by_helper || !writes->gid_map_by_helper) {
          return absl::InternalError("the maps were not given to the helpers");
        }
        nsenter::LinuxProcessCloner cloner;
        absl::StatusOr<nsenter::ClonedProcess> held =
            cloner.Clone({.namespace_flags = CLONE_NEWUSER});
        if (!held.ok()) return held.status();
        if (held->in_child()) {
          while (true) pause();
        }
        LinuxProcFiles proc("/proc");
        absl::Status status = WriteIdMaps(*writes, linux, held->pid, proc, RunIdMapHelper);
        for (const char* map : {"uid_map", "gid_map"}) {
          absl::StatusOr<std::string> text = proc.Read(absl::StrCat(held->pid, "/", map));
          if (status.ok() && text.ok()) std::printf("%s", text->c_str());
          if (status.ok() && !text.ok()) status = text.status();
        }
        std::fflush(stdout);
        (void)nsenter::PidfdSendSignal(held->pidfd.get(), SIGKILL);
        (void)nsenter::PidfdWait(held->pidfd.get());
        return status;
      });
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  ASSERT_EQ(outcome->exit_code, 0) << outcome->output;
  const std::string uid_line = absl::StrCat(" *0 +", writer_.uid, " +1\n");
  const std::string gid_line = absl::StrCat(" *0 +", writer_.gid, " +1\n");
  const std::string sub_line = absl::StrCat(" *1 +", kSubFirst, " +", kSubCount - 1, "\n");
  EXPECT_THAT(outcome->output, MatchesRegex(uid_line + sub_line + gid_line + sub_line));
}

TEST_F(IdMapWriterRootTest, IdsOutsideTheSubordinateRangeAreRefusedNamingTheFile) {
  EXPECT_THAT(PlanIdMapWrites(Maps(kSubFirst + kSubCount), writer_, ReadHostFile),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr(absl::StrCat("linux.uidMappings[1]: host uids ",
                                              kSubFirst + kSubCount, "-"))));
  EXPECT_THAT(PlanIdMapWrites(Maps(kSubFirst + kSubCount), writer_, ReadHostFile),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("in /etc/subuid")));
}

}  // namespace
}  // namespace hull::user
