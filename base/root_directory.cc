#include "base/root_directory.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <deque>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "base/container_path.h"
#include "base/status_macros.h"
#include "base/status_util.h"

namespace hull {
namespace {

// Linux's own limit on symlinks followed in one lookup.
constexpr int kMaxSymlinks = 40;

// How Resolve and ResolveOrCreate look a path up: symlinks followed inside
// the root, never a /proc magic link.
constexpr uint64_t kResolveInRoot = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;

void PushFront(std::deque<std::string>& pending, absl::string_view path) {
  // From the last component back, each in front of those after it.
  while (!path.empty()) {
    const size_t slash = path.rfind('/');
    const absl::string_view part = slash == absl::string_view::npos ? path : path.substr(slash + 1);
    if (!part.empty()) pending.emplace_front(part);
    path = slash == absl::string_view::npos ? absl::string_view() : path.substr(0, slash);
  }
}

bool OnProcfs(int fd) {
  struct statfs fs;
  return fstatfs(fd, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
}

bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

bool HasDotComponent(absl::string_view path) {
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part == "." || part == "..") return true;
  }
  return false;
}

// Creates `name` (no slashes) as `type` in the directory `dir` and opens it
// O_PATH without following it. AlreadyExists when the name is taken, or
// was replaced by something else than what was made before the open.
absl::StatusOr<UniqueFd> CreateIn(int dir, const std::string& name, NodeType type) {
  if (type == NodeType::kFile) {
    UniqueFd file(openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                         0644));
    if (!file.valid()) {
      if (errno == EEXIST) return absl::AlreadyExistsError(name);
      return ErrnoStatus("create \"", name, "\"");
    }
    UniqueFd opened(openat(dir, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    struct stat st;
    if (!opened.valid() || fstat(opened.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
      return absl::AlreadyExistsError(name);
    }
    return opened;
  }
  if (mkdirat(dir, name.c_str(), 0755) != 0) {
    if (errno == EEXIST) return absl::AlreadyExistsError(name);
    return ErrnoStatus("mkdir \"", name, "\"");
  }
  // O_NOFOLLOW | O_DIRECTORY: ENOTDIR for a symlink put there meanwhile.
  UniqueFd opened(openat(dir, name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!opened.valid()) return absl::AlreadyExistsError(name);
  return opened;
}

}  // namespace

absl::StatusOr<RootDirectory> RootDirectory::Open(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("open \"", path, "\"");
  return RootDirectory(std::move(fd), path);
}

std::string RootDirectory::Describe(absl::string_view path) const {
  return absl::StrCat("\"", path, "\" in \"", path_, "\"");
}

absl::StatusOr<UniqueFd> RootDirectory::Resolve(absl::string_view path) const {
  const int fd = OpenInRoot(path, kResolveInRoot);
  if (fd < 0) return ErrnoStatus("open ", Describe(path));
  return UniqueFd(fd);
}

absl::StatusOr<UniqueFd> RootDirectory::ResolveWithoutSymlinks(absl::string_view path) const {
  const int fd = OpenInRoot(path, RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS);
  if (fd < 0 && errno == ELOOP) {
    return absl::FailedPreconditionError(
        absl::StrCat(Describe(path), " is a symlink or passes through one"));
  }
  if (fd < 0) return ErrnoStatus("open ", Describe(path));
  return UniqueFd(fd);
}

int RootDirectory::OpenInRoot(absl::string_view path, uint64_t resolve) const {
  const std::string relative(path);
  struct open_how how = {};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = resolve;
  // openat2 asks for a retry when a rename raced with the lookup.
  for (int attempt = 0;; ++attempt) {
    const int fd =
        static_cast<int>(syscall(SYS_openat2, fd_.get(), relative.c_str(), &how, sizeof(how)));
    if (fd >= 0 || (errno != EAGAIN && errno != EINTR) || attempt == 15) return fd;
  }
}

absl::StatusOr<UniqueFd> RootDirectory::ResolveOrCreate(absl::string_view path,
                                                        NodeType type) const {
  // A missing path is the expected case here: its errno alone decides,
  // without the error message Resolve would format for it.
  const int fd = OpenInRoot(path, kResolveInRoot);
  if (fd >= 0) return UniqueFd(fd);
  if (errno != ENOENT) return ErrnoStatus("open ", Describe(path));
  // Mostly only the last components are missing (/dev/pts on the new /dev):
  // the parent, resolved (or made) inside the root, gets the last one. A dot
  // component, or a name there already (a dangling symlink, a racing
  // creation) takes the walk.
  if (HasDotComponent(path)) return Walk(path, type);
  const auto [parent_path, name] = SplitLast(CleanContainerPath(path));
  if (name.empty()) return Walk(path, type);
  ASSIGN_OR_RETURN(const UniqueFd parent, ResolveOrCreate(parent_path, NodeType::kDirectory));
  absl::StatusOr<UniqueFd> created = CreateIn(parent.get(), name, type);
  if (created.ok()) return created;
  if (!absl::IsAlreadyExists(created.status())) {
    return absl::Status(created.status().code(), absl::StrCat(created.status().message(),
                                                              " (creating ", Describe(path), ")"));
  }
  return Walk(path, type);
}

// One component at a time, never following anything by the kernel: a
// symlink is read and its target walked from the root (absolute) or from
// where it is (relative); ".." stops at the root.
absl::StatusOr<UniqueFd> RootDirectory::Walk(absl::string_view path, NodeType type) const {
  auto error = [&](int error_number, absl::string_view operation, absl::string_view name) {
    return absl::ErrnoToStatus(
        error_number, absl::StrCat(operation, " \"", name, "\" (creating ", Describe(path), ")"));
  };
  struct stat root;
  if (fstat(fd_.get(), &root) != 0) return error(errno, "stat", "/");
  auto open_root = [&] {
    return UniqueFd(openat(fd_.get(), ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
  };

  std::deque<std::string> pending;
  PushFront(pending, path);
  UniqueFd current = open_root();
  int symlinks = 0;
  while (!pending.empty()) {
    if (!current.valid()) return error(errno, "open", "..");
    const std::string name = std::move(pending.front());
    pending.pop_front();
    if (name == ".") continue;
    struct stat here;
    if (fstat(current.get(), &here) != 0) return error(errno, "stat", name);
    if (name == "..") {
      if (!SameFile(here, root)) {
        current = UniqueFd(openat(current.get(), "..", O_PATH | O_DIRECTORY | O_CLOEXEC));
      }
      continue;
    }
    const bool last = pending.empty();
    UniqueFd next(openat(current.get(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!next.valid() && errno == ENOENT) {
      if (last && type == NodeType::kFile) {
        UniqueFd file(openat(current.get(), name.c_str(),
                             O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
        if (!file.valid() && errno != EEXIST) return error(errno, "create", name);
      } else if (mkdirat(current.get(), name.c_str(), 0755) != 0 && errno != EEXIST) {
        return error(errno, "mkdir", name);
      }
      next = UniqueFd(openat(current.get(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    }
    if (!next.valid()) return error(errno, "open", name);
    struct stat st;
    if (fstat(next.get(), &st) != 0) return error(errno, "stat", name);
    if (S_ISLNK(st.st_mode)) {
      if (++symlinks > kMaxSymlinks) return error(ELOOP, "follow", name);
      // Every procfs symlink is one of its own: /proc/self, the magic links.
      if (OnProcfs(next.get())) {
        return absl::FailedPreconditionError(absl::StrCat(
            "refusing to follow the procfs link \"", name, "\" (creating ", Describe(path), ")"));
      }
      char target[PATH_MAX];
      const ssize_t length = readlinkat(next.get(), "", target, sizeof(target) - 1);
      if (length < 0) return error(errno, "readlink", name);
      const absl::string_view link(target, static_cast<size_t>(length));
      PushFront(pending, link);
      if (absl::StartsWith(link, "/")) current = open_root();
      continue;
    }
    if (!last && !S_ISDIR(st.st_mode)) return error(ENOTDIR, "open", name);
    current = std::move(next);
  }
  if (!current.valid()) return error(errno, "open", "..");
  return current;
}

absl::StatusOr<RootDirectory::Entry> RootDirectory::ResolveParent(absl::string_view path,
                                                                  bool create) const {
  auto [parent_path, name] = SplitLast(CleanContainerPath(path));
  if (name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(Describe(path), " has no parent"));
  }
  Entry entry{.name = std::move(name)};
  if (create) {
    ASSIGN_OR_RETURN(entry.parent, ResolveOrCreate(parent_path, NodeType::kDirectory));
  } else {
    ASSIGN_OR_RETURN(entry.parent, Resolve(parent_path));
  }
  return entry;
}

absl::Status RequireProcfs(int fd, absl::string_view what) {
  struct statfs fs;
  if (fstatfs(fd, &fs) != 0) return ErrnoStatus("statfs ", what);
  if (fs.f_type != PROC_SUPER_MAGIC) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s is not on procfs (filesystem magic 0x%x): refusing to mount or write there", what,
        static_cast<unsigned long>(fs.f_type)));
  }
  return absl::OkStatus();
}

bool IsOnProcfs(int fd) {
  struct statfs fs;
  return fstatfs(fd, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
}

}  // namespace hull
