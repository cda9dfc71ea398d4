// AllocatePty against real devpts mounts, each in a child with a mount
// namespace of its own: a pty from the devpts on the root's /dev/pts (not
// the host's), and refusals of what only looks like one.
#include "runtime/console/pty.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/child_process.h"
#include "testing/files.h"
#include "testing/status_matchers.h"

namespace hull::console {
namespace {

using ::hull::testing::IsOk;

// Runs `check` in a child with its own mount namespace, where `root` has a
// /dev/pts of its own made by `mount_pts`; the child's failure fails the test.
void InChildWithPts(const std::function<absl::Status(const std::string& pts)>& mount_pts,
                    const std::function<absl::Status(const std::string& root)>& check) {
  absl::StatusOr<std::string> root = testing::MakeTempDir("root");
  ASSERT_THAT(root, IsOk());
  const std::string pts = *root + "/dev/pts";
  ASSERT_EQ(mkdir((*root + "/dev").c_str(), 0755), 0);
  ASSERT_EQ(mkdir(pts.c_str(), 0755), 0);
  absl::StatusOr<testing::ChildOutcome> outcome =
      testing::RunInChild({.unshare_flags = CLONE_NEWNS}, [&]() -> absl::Status {
        if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
          return ErrnoStatus("make / rprivate");
        }
        if (absl::Status mounted = mount_pts(pts); !mounted.ok()) return mounted;
        return check(*root);
      });
  ASSERT_THAT(outcome, IsOk()) << "the test needs root";
  EXPECT_EQ(outcome->exit_code, 0) << outcome->output;
}

absl::Status MountNewDevpts(const std::string& pts) {
  if (mount("devpts", pts.c_str(), "devpts", MS_NOSUID | MS_NOEXEC,
            "newinstance,ptmxmode=0666,mode=0620,gid=5") != 0) {
    return ErrnoStatus("mount devpts on ", pts);
  }
  return absl::OkStatus();
}

// `status` must be FailedPrecondition saying `what`.
absl::Status ExpectRefused(const absl::Status& status, const std::string& what) {
  if (absl::IsFailedPrecondition(status) && absl::StrContains(status.message(), what)) {
    return absl::OkStatus();
  }
  return absl::InternalError(
      absl::StrCat("expected a refusal saying \"", what, "\", got ", status.ToString()));
}

TEST(PtyRootTest, APtyOfTheRootsOwnDevpts) {
  InChildWithPts(MountNewDevpts, [](const std::string& root) -> absl::Status {
    absl::StatusOr<Pty> pty = AllocatePty(root);
    if (!pty.ok()) return pty.status();
    // The first pty of a new instance, on that instance, not the host's.
    if (pty->number != 0) return absl::InternalError(absl::StrCat("pty ", pty->number));
    struct stat slave, instance, host;
    if (fstat(pty->slave.get(), &slave) != 0 || stat((root + "/dev/pts").c_str(), &instance) != 0 ||
        stat("/dev/pts", &host) != 0) {
      return ErrnoStatus("stat");
    }
    if (slave.st_dev != instance.st_dev || slave.st_dev == host.st_dev) {
      return absl::InternalError("the slave is not on the root's devpts");
    }
    if ((fcntl(pty->master.get(), F_GETFD) & FD_CLOEXEC) == 0 ||
        (fcntl(pty->slave.get(), F_GETFD) & FD_CLOEXEC) == 0) {
      return absl::InternalError("an fd of the pty is not close-on-exec");
    }
    // Unlocked, and the two ends talk.
    if (write(pty->master.get(), "hi\n", 3) != 3) return ErrnoStatus("write the master");
    char line[8] = {};
    if (read(pty->slave.get(), line, sizeof(line)) != 3 || std::string(line) != "hi\n") {
      return absl::InternalError(absl::StrCat("the slave read \"", line, "\""));
    }
    return absl::OkStatus();
  });
}

TEST(PtyRootTest, RefusesAPtsThatIsNotDevpts) {
  InChildWithPts(
      [](const std::string& pts) -> absl::Status {
        if (mount("tmpfs", pts.c_str(), "tmpfs", 0, nullptr) != 0) return ErrnoStatus("tmpfs");
        return absl::OkStatus();
      },
      [](const std::string& root) {
        return ExpectRefused(AllocatePty(root).status(), "is not on a devpts");
      });
}

TEST(PtyRootTest, RefusesSomethingElseBoundOverPtmx) {
  InChildWithPts(
      [](const std::string& pts) -> absl::Status {
        RETURN_IF_ERROR(MountNewDevpts(pts));
        const std::string ptmx = pts + "/ptmx";
        if (mount("/dev/null", ptmx.c_str(), nullptr, MS_BIND, nullptr) != 0) {
          return ErrnoStatus("bind /dev/null over ", ptmx);
        }
        return absl::OkStatus();
      },
      [](const std::string& root) {
        return ExpectRefused(
            AllocatePty(root).status(),
            absl::StrCat("\"/dev/pts/ptmx\" in \"", root, "\" is not on a devpts"));
      });
}

// The host's ptmx is a real ptmx node, but of the host's devpts: a pty from
// it would be the host's.
TEST(PtyRootTest, RefusesAnotherDevptssPtmx) {
  InChildWithPts(
      [](const std::string& pts) -> absl::Status {
        RETURN_IF_ERROR(MountNewDevpts(pts));
        const std::string ptmx = pts + "/ptmx";
        if (mount("/dev/pts/ptmx", ptmx.c_str(), nullptr, MS_BIND, nullptr) != 0) {
          return ErrnoStatus("bind the host's ptmx over ", ptmx);
        }
        return absl::OkStatus();
      },
      [](const std::string& root) {
        return ExpectRefused(AllocatePty(root).status(), "is the ptmx of another devpts");
      });
}

}  // namespace
}  // namespace hull::console
