#include "runtime/console/pty.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/root_directory.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull::console {
namespace {

// devpts's own ptmx node: TTYAUX_MAJOR, minor 2 (fs/devpts/inode.c).
constexpr unsigned int kPtmxMajor = 5;
constexpr unsigned int kPtmxMinor = 2;

absl::Status RequireDevpts(int fd, absl::string_view what) {
  struct statfs fs;
  if (fstatfs(fd, &fs) != 0) return ErrnoStatus("statfs ", what);
  if (fs.f_type != DEVPTS_SUPER_MAGIC) {
    return absl::FailedPreconditionError(
        absl::StrCat(what, " is not on a devpts (filesystem magic 0x", absl::Hex(fs.f_type),
                     "): a terminal needs the container's own devpts mounted on /dev/pts"));
  }
  return absl::OkStatus();
}

// What fstat says of `fd`, which must be devpts's ptmx node.
absl::StatusOr<struct stat> StatPtmx(int fd, absl::string_view what) {
  RETURN_IF_ERROR(RequireDevpts(fd, what));
  struct stat st;
  if (fstat(fd, &st) != 0) return ErrnoStatus("stat ", what);
  if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != kPtmxMajor || minor(st.st_rdev) != kPtmxMinor) {
    return absl::FailedPreconditionError(absl::StrCat(what, " is not the ptmx device (",
                                                      major(st.st_rdev), ":", minor(st.st_rdev),
                                                      ", mode 0", absl::Hex(st.st_mode), ")"));
  }
  return st;
}

}  // namespace

absl::StatusOr<Pty> AllocatePty(const std::string& root_path) {
  ASSIGN_OR_RETURN(const RootDirectory root, RootDirectory::Open(root_path));
  ASSIGN_OR_RETURN(const UniqueFd pts, root.Resolve("/dev/pts"));
  const std::string pts_name = root.Describe("/dev/pts");
  RETURN_IF_ERROR(RequireDevpts(pts.get(), pts_name));
  struct stat pts_stat;
  if (fstat(pts.get(), &pts_stat) != 0) return ErrnoStatus("stat ", pts_name);
  const std::string ptmx_name = root.Describe("/dev/pts/ptmx");
  // Checked through an O_PATH fd first: opening a device for real can act on
  // it (a mount over ptmx could be anything).
  const UniqueFd checked(openat(pts.get(), "ptmx", O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (!checked.valid()) return ErrnoStatus("open ", ptmx_name);
  ASSIGN_OR_RETURN(const struct stat checked_stat, StatPtmx(checked.get(), ptmx_name));
  // Another devpts's ptmx bound over this one would allocate there.
  if (checked_stat.st_dev != pts_stat.st_dev) {
    return absl::FailedPreconditionError(
        absl::StrCat(ptmx_name, " is the ptmx of another devpts than ", pts_name));
  }

  Pty pty;
  pty.master.Reset(openat(pts.get(), "ptmx", O_RDWR | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC));
  if (!pty.master.valid()) return ErrnoStatus("open ", ptmx_name);
  ASSIGN_OR_RETURN(const struct stat opened, StatPtmx(pty.master.get(), ptmx_name));
  if (opened.st_dev != checked_stat.st_dev || opened.st_ino != checked_stat.st_ino) {
    return absl::FailedPreconditionError(
        absl::StrCat(ptmx_name, " changed between its check and its open"));
  }
  int unlock = 0;
  if (ioctl(pty.master.get(), TIOCSPTLCK, &unlock) != 0) {
    return ErrnoStatus("unlock the pty of ", ptmx_name, " (TIOCSPTLCK)");
  }
  if (ioctl(pty.master.get(), TIOCGPTN, &pty.number) != 0) {
    return ErrnoStatus("get the number of the pty of ", ptmx_name, " (TIOCGPTN)");
  }
  // The slave the kernel pairs with this master, whatever /dev/pts/N is now.
  pty.slave.Reset(ioctl(pty.master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!pty.slave.valid()) {
    return ErrnoStatus("open the slave of pty ", pty.number, " (TIOCGPTPEER, Linux 4.13)");
  }
  return pty;
}

}  // namespace hull::console
