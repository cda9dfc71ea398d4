#include "runtime/rootfs/copy_up.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull::rootfs {
namespace {

// The names in the directory `dir`, "." and ".." left out.
absl::StatusOr<std::vector<std::string>> ListDirectory(int dir, const std::string& where) {
  UniqueFd listed(openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!listed.valid()) return ErrnoStatus("open directory \"", where, "\"");
  DIR* stream = fdopendir(listed.get());
  if (stream == nullptr) return ErrnoStatus("fdopendir \"", where, "\"");
  (void)listed.Release();  // the DIR owns it now
  std::vector<std::string> names;
  errno = 0;
  while (const struct dirent* entry = readdir(stream)) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  const int error = errno;
  closedir(stream);
  if (error != 0) {
    errno = error;
    return ErrnoStatus("read directory \"", where, "\"");
  }
  return names;
}

absl::Status CopyFileData(int from, int to, const std::string& where) {
  while (true) {
    const ssize_t copied = sendfile(to, from, nullptr, 1 << 20);
    if (copied == 0) return absl::OkStatus();
    if (copied < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("copy \"", where, "\"");
    }
  }
}

// Owner, then mode (a chown clears setuid and setgid), then times, of the
// entry `name` in `dir` as `st` has them.
absl::Status CopyAttributes(int dir, const std::string& name, const struct stat& st,
                            const std::string& where) {
  if (fchownat(dir, name.c_str(), st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) != 0) {
    return ErrnoStatus("chown \"", where, "\"");
  }
  // Symlinks have no mode of their own (fchmodat refuses to set one).
  if (!S_ISLNK(st.st_mode) && fchmodat(dir, name.c_str(), st.st_mode & 07777, 0) != 0) {
    return ErrnoStatus("chmod \"", where, "\"");
  }
  const struct timespec times[2] = {st.st_atim, st.st_mtim};
  if (utimensat(dir, name.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
    return ErrnoStatus("set the times of \"", where, "\"");
  }
  return absl::OkStatus();
}

absl::Status CopyEntries(int from, int to, const std::string& where);

absl::Status CopyEntry(int from, int to, const std::string& name, const std::string& where) {
  struct stat st;
  if (fstatat(from, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return ErrnoStatus("stat \"", where, "\"");
  }
  if (S_ISDIR(st.st_mode)) {
    if (mkdirat(to, name.c_str(), 0700) != 0) return ErrnoStatus("mkdir \"", where, "\"");
    UniqueFd source(openat(from, name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!source.valid()) return ErrnoStatus("open \"", where, "\"");
    UniqueFd copy(openat(to, name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!copy.valid()) return ErrnoStatus("open the copy of \"", where, "\"");
    RETURN_IF_ERROR(CopyEntries(source.get(), copy.get(), where));
  } else if (S_ISREG(st.st_mode)) {
    UniqueFd source(openat(from, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!source.valid()) return ErrnoStatus("open \"", where, "\"");
    UniqueFd copy(
        openat(to, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!copy.valid()) return ErrnoStatus("create the copy of \"", where, "\"");
    RETURN_IF_ERROR(CopyFileData(source.get(), copy.get(), where));
  } else if (S_ISLNK(st.st_mode)) {
    std::string target(st.st_size > 0 ? st.st_size + 1 : PATH_MAX, '\0');
    const ssize_t length = readlinkat(from, name.c_str(), target.data(), target.size());
    if (length < 0) return ErrnoStatus("readlink \"", where, "\"");
    target.resize(length);
    if (symlinkat(target.c_str(), to, name.c_str()) != 0) {
      return ErrnoStatus("symlink \"", where, "\"");
    }
  } else {
    // Fifos, sockets and device nodes: the node itself, never its content.
    if (mknodat(to, name.c_str(), st.st_mode & S_IFMT, st.st_rdev) != 0) {
      return ErrnoStatus("mknod \"", where, "\"");
    }
  }
  return CopyAttributes(to, name, st, where);
}

absl::Status CopyEntries(int from, int to, const std::string& where) {
  ASSIGN_OR_RETURN(const std::vector<std::string> names, ListDirectory(from, where));
  for (const std::string& name : names) {
    RETURN_IF_ERROR(CopyEntry(from, to, name, absl::StrCat(where, "/", name)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CopyDirectoryContents(int from, int to) {
  RETURN_IF_ERROR(CopyEntries(from, to, "."));
  struct stat st;
  if (fstat(from, &st) != 0) return ErrnoStatus("stat the copied directory");
  if (fchownat(to, "", st.st_uid, st.st_gid, AT_EMPTY_PATH) != 0) {
    return ErrnoStatus("chown the copy's directory");
  }
  return absl::OkStatus();
}

}  // namespace hull::rootfs
