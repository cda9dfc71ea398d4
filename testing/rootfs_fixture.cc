#include "testing/rootfs_fixture.h"

#include <ftw.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace hull::testing {
namespace {

// The archive in the runfiles (the test's working directory).
constexpr char kArchive[] = "testing/rootfs/busybox_rootfs.tar";

absl::Status RunTar(const std::string& archive, const std::string& directory) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return absl::ErrnoToStatus(errno, "fork");
  if (pid == 0) {
    execl("/bin/tar", "tar", "--extract", "--file", archive.c_str(), "--directory",
          directory.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return absl::ErrnoToStatus(errno, "waitpid tar");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(absl::StrCat("tar --extract --file ", archive, " --directory ",
                                            directory, " failed (wait status ", status, ")"));
  }
  return absl::OkStatus();
}

int RemoveEntry(const char* path, const struct stat*, int, struct FTW*) {
  remove(path);
  return 0;
}

}  // namespace

absl::StatusOr<RootfsFixture> RootfsFixture::Create() {
  const char* tmpdir = std::getenv("TEST_TMPDIR");
  if (tmpdir == nullptr) return absl::FailedPreconditionError("TEST_TMPDIR is not set");
  if (access(kArchive, R_OK) != 0) {
    return absl::ErrnoToStatus(
        errno, absl::StrCat(kArchive, " (depend on //testing:rootfs_fixture for the archive)"));
  }
  std::string pattern = absl::StrCat(tmpdir, "/rootfs.XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::ErrnoToStatus(errno, absl::StrCat("mkdtemp ", pattern));
  }
  char resolved[PATH_MAX];
  if (realpath(pattern.c_str(), resolved) == nullptr) {
    return absl::ErrnoToStatus(errno, absl::StrCat("realpath ", pattern));
  }
  RootfsFixture fixture{std::string(resolved)};
  if (absl::Status status = RunTar(kArchive, fixture.path()); !status.ok()) return status;
  return fixture;
}

RootfsFixture::RootfsFixture(RootfsFixture&& other) noexcept
    : path_(std::exchange(other.path_, "")) {}

RootfsFixture& RootfsFixture::operator=(RootfsFixture&& other) noexcept {
  if (this != &other) {
    RootfsFixture discarded(std::move(*this));
    path_ = std::exchange(other.path_, "");
  }
  return *this;
}

RootfsFixture::~RootfsFixture() {
  if (path_.empty()) return;
  nftw(path_.c_str(), RemoveEntry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

}  // namespace hull::testing
