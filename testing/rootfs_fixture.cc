#include "testing/rootfs_fixture.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/status_util.h"
#include "testing/files.h"

namespace hull::testing {
namespace {

// The archive in the runfiles (the test's working directory).
constexpr char kArchive[] = "testing/rootfs/busybox_rootfs.tar";

absl::Status RunTar(const std::string& archive, const std::string& directory) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return ErrnoStatus("fork");
  if (pid == 0) {
    execl("/bin/tar", "tar", "--extract", "--file", archive.c_str(), "--directory",
          directory.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return ErrnoStatus("waitpid tar");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(absl::StrCat("tar --extract --file ", archive, " --directory ",
                                            directory, " failed (wait status ", status, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RootfsFixture> RootfsFixture::Create(const std::string& parent) {
  if (access(kArchive, R_OK) != 0) {
    return ErrnoStatus(kArchive, " (depend on //testing:rootfs_fixture for the archive)");
  }
  ASSIGN_OR_RETURN(std::string path, MakeTempDir("rootfs", parent));
  RootfsFixture fixture{std::move(path)};
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
  if (!path_.empty()) RemoveTree(path_);
}

}  // namespace hull::testing
