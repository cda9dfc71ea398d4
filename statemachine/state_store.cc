#include "statemachine/state_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "base/crash_point.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "config/json_reader.h"
#include "statemachine/container_id.h"
#include "statemachine/lifecycle_state.pb.h"
#include "statemachine/state.pb.h"

namespace hull::statemachine {
namespace {

// Written next to the state file, then renamed over it. A fixed name is safe:
// only the lock holder writes.
constexpr char kTempStateFileName[] = ".state.textproto.tmp";

constexpr char kStateFileHeader[] =
    "# proto-file: statemachine/state.proto\n"
    "# proto-message: hull.statemachine.ContainerState\n";

absl::Status ErrnoError(int error, absl::string_view operation, absl::string_view path) {
  return absl::ErrnoToStatus(error, absl::StrCat(operation, " ", path));
}

absl::Status ContainerNotFound(absl::string_view id) {
  return absl::NotFoundError(absl::StrCat("container does not exist: ", id));
}

absl::StatusOr<UniqueFd> OpenDirectory(int parent_fd, const std::string& name,
                                       absl::string_view path) {
  UniqueFd fd(openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return ErrnoError(errno, "open directory", path);
  return fd;
}

absl::Status MakeDirectories(const std::string& path) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    const std::string prefix = path.substr(0, slash);
    if (mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return ErrnoError(errno, "create directory", prefix);
    }
    if (slash == std::string::npos) return absl::OkStatus();
  }
}

absl::Status LockExclusive(int fd, absl::string_view path) {
  while (flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) return ErrnoError(errno, "lock", path);
  }
  return absl::OkStatus();
}

absl::Status SyncDirectory(int fd, absl::string_view path) {
  if (fsync(fd) != 0) return ErrnoError(errno, "fsync directory", path);
  return absl::OkStatus();
}

// The names in the directory open as `dir_fd`, "." and ".." left out.
absl::StatusOr<std::vector<std::string>> DirectoryNames(int dir_fd, absl::string_view path) {
  UniqueFd own(openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!own.valid()) return ErrnoError(errno, "open directory", path);
  std::unique_ptr<DIR, int (*)(DIR*)> dir(fdopendir(own.get()), &closedir);
  if (dir == nullptr) return ErrnoError(errno, "read directory", path);
  (void)own.Release();  // now owned by `dir`
  std::vector<std::string> names;
  while (true) {
    errno = 0;
    const dirent* entry = readdir(dir.get());
    if (entry == nullptr) {
      if (errno != 0) return ErrnoError(errno, "read directory", path);
      return names;
    }
    const absl::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
}

// Removes `name` in `parent_fd` and, for a directory, all it holds. Symlinks
// are removed, never followed.
absl::Status RemoveTree(int parent_fd, const std::string& name, const std::string& path) {
  struct stat st;
  if (fstatat(parent_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return ErrnoError(errno, "stat", path);
  }
  if (!S_ISDIR(st.st_mode)) {
    if (unlinkat(parent_fd, name.c_str(), 0) != 0) return ErrnoError(errno, "remove", path);
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(UniqueFd fd, OpenDirectory(parent_fd, name, path));
  ASSIGN_OR_RETURN(const std::vector<std::string> entries, DirectoryNames(fd.get(), path));
  for (const std::string& entry : entries) {
    RETURN_IF_ERROR(RemoveTree(fd.get(), entry, absl::StrCat(path, "/", entry)));
  }
  if (unlinkat(parent_fd, name.c_str(), AT_REMOVEDIR) != 0) {
    return ErrnoError(errno, "remove directory", path);
  }
  return absl::OkStatus();
}

// Makes a uniquely named empty directory <root>/.<id>.XXXXXX; returns its name.
absl::StatusOr<std::string> MakeTempDirectory(const std::string& root, absl::string_view id) {
  std::string path = absl::StrCat(root, "/.", id, ".XXXXXX");
  if (mkdtemp(path.data()) == nullptr) return ErrnoError(errno, "create directory", path);
  return path.substr(root.size() + 1);
}

absl::Status WriteAll(int fd, absl::string_view data, absl::string_view path) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "write", path);
    }
    data.remove_prefix(n);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadAll(int fd, absl::string_view path) {
  std::string contents;
  char buffer[4096];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n == 0) return contents;
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "read", path);
    }
    contents.append(buffer, n);
  }
}

absl::Status CheckSavable(const ContainerState& state) {
  RETURN_IF_ERROR(ValidateContainerId(state.id()));
  if (!State_IsValid(state.status()) || state.status() == STATE_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        absl::StrCat("container \"", state.id(), "\" has no valid status to save"));
  }
  // Load refuses it: a negative pid is a process group to kill(2).
  if (state.pid() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("container \"", state.id(), "\" has a negative pid ", state.pid()));
  }
  return absl::OkStatus();
}

// Writes `state` as <directory>/state.textproto: a temporary file, fsync,
// rename over the old file, fsync of the directory.
absl::Status WriteStateFile(int dir_fd, absl::string_view dir_path, const ContainerState& state) {
  ASSIGN_OR_RETURN(const std::string text, StateFileText(state));
  const std::string temp_path = absl::StrCat(dir_path, "/", kTempStateFileName);
  UniqueFd fd(openat(dir_fd, kTempStateFileName,
                     O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) return ErrnoError(errno, "create", temp_path);
  absl::Cleanup remove_temp = [&] { unlinkat(dir_fd, kTempStateFileName, 0); };
  RETURN_IF_ERROR(WriteAll(fd.get(), text, temp_path));
  if (fsync(fd.get()) != 0) return ErrnoError(errno, "fsync", temp_path);
  if (close(fd.Release()) != 0) return ErrnoError(errno, "close", temp_path);
  if (renameat(dir_fd, kTempStateFileName, dir_fd, kStateFileName) != 0) {
    const int error = errno;
    return ErrnoError(error, absl::StrCat("rename ", temp_path, " to"),
                      absl::StrCat(dir_path, "/", kStateFileName));
  }
  std::move(remove_temp).Cancel();
  return SyncDirectory(dir_fd, dir_path);
}

// Keeps the text parser's first error (the later ones follow from it) for
// the message naming the file.
class FirstParseError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!error_.empty()) return;
    error_ = absl::StrCat("line ", line + 1, " column ", column + 1, ": ", message);
    line_ = line;
  }
  const std::string& error() const { return error_; }
  // The 0-based line of the error; -1 before one.
  int line() const { return line_; }

 private:
  std::string error_;
  int line_ = -1;
};

// Line `index` (0-based) of `text`, escaped and cut short, to name the field
// an error is in: ` in "pid: 4x"`. Empty when there is no such line.
std::string QuotedLine(absl::string_view text, int index) {
  constexpr size_t kMaxShown = 80;
  int current = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (current++ != index) continue;
    line = absl::StripAsciiWhitespace(line);
    const bool cut = line.size() > kMaxShown;
    return absl::StrCat(" in \"", absl::CHexEscape(line.substr(0, kMaxShown)), cut ? "..." : "",
                        "\"");
  }
  return "";
}

// The 1-based number of the first line of `text` that is not UTF-8; 0 when
// all are.
int FirstLineNotUtf8(absl::string_view text) {
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    if (!config::IsValidUtf8(line)) return number;
  }
  return 0;
}

}  // namespace

absl::StatusOr<std::string> StateFileText(const ContainerState& state) {
  // The config, by far the largest field, goes last (the parser takes
  // fields in any order): a file damaged in it still tells delete what the
  // container holds (Salvage).
  ContainerState head = state;
  ContainerState tail;
  tail.set_allocated_config(head.release_config());
  std::string text, config_text;
  if (!google::protobuf::TextFormat::PrintToString(head, &text) ||
      !google::protobuf::TextFormat::PrintToString(tail, &config_text)) {
    return absl::InternalError(absl::StrCat("serialize the state of container ", state.id()));
  }
  return absl::StrCat(kStateFileHeader, text, config_text);
}

absl::StatusOr<ContainerState> ParseStateFile(absl::string_view text, absl::string_view path,
                                              absl::string_view id) {
  const auto corrupt = [&](absl::string_view problem) {
    return absl::DataLossError(absl::StrCat("corrupt state file ", path, ": ", problem));
  };
  ContainerState state;
  google::protobuf::TextFormat::Parser parser;
  FirstParseError error;
  parser.RecordErrorsTo(&error);
  if (!parser.ParseFromString(std::string(text), &state)) {
    return corrupt(absl::StrCat(error.error(), QuotedLine(text, error.line())));
  }
  // Hull writes ASCII (the printer escapes other bytes); the parser takes
  // other bytes into strings, and skips them in comments, as they are.
  if (const int line = FirstLineNotUtf8(text); line != 0) {
    return corrupt(absl::StrCat("line ", line, ": not valid UTF-8", QuotedLine(text, line - 1)));
  }
  if (state.id().empty()) return corrupt("no id");
  if (state.id() != id) {
    return absl::DataLossError(absl::StrCat("state file ", path, " belongs to container \"",
                                            state.id(), "\", not \"", id, "\""));
  }
  if (!State_IsValid(state.status()) || state.status() == STATE_UNSPECIFIED) {
    return corrupt("no valid status");
  }
  if (state.pid() < 0) return corrupt(absl::StrCat("pid ", state.pid(), " is negative"));
  return state;
}

StateStore::StateStore(std::string root) : root_(std::move(root)) {}

std::string StateStore::StateFilePath(absl::string_view id) const {
  return absl::StrCat(root_, "/", id, "/", kStateFileName);
}

absl::StatusOr<ContainerLock> StateStore::Create(const ContainerState& initial) {
  RETURN_IF_ERROR(CheckSavable(initial));
  const std::string& id = initial.id();
  if (id.front() == '.') {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid container id \"", id, "\": it may not start with \".\" (Hull's temporary state "
        "directories do)"));
  }
  RETURN_IF_ERROR(MakeDirectories(root_));
  ASSIGN_OR_RETURN(UniqueFd root_fd, OpenDirectory(AT_FDCWD, root_, root_));
  ASSIGN_OR_RETURN(const std::string temp_name, MakeTempDirectory(root_, id));
  const std::string temp_path = absl::StrCat(root_, "/", temp_name);
  absl::Cleanup remove_temp = [&] {
    RemoveTree(root_fd.get(), temp_name, temp_path).IgnoreError();
  };
  CrashPoint("state-directory-made");

  ASSIGN_OR_RETURN(UniqueFd dir_fd, OpenDirectory(root_fd.get(), temp_name, temp_path));
  // Nobody else knows the temporary name yet: this never waits. Taking the
  // lock before the rename means no one can lock the new container before
  // its create has run.
  RETURN_IF_ERROR(LockExclusive(dir_fd.get(), temp_path));
  RETURN_IF_ERROR(WriteStateFile(dir_fd.get(), temp_path, initial));
  CrashPoint("state-file-written");
  if (renameat2(root_fd.get(), temp_name.c_str(), root_fd.get(), id.c_str(), RENAME_NOREPLACE) !=
      0) {
    const int error = errno;
    if (error == EEXIST || error == ENOTEMPTY) {
      return absl::AlreadyExistsError(absl::StrCat("container with id exists: ", id));
    }
    return ErrnoError(error, absl::StrCat("rename ", temp_path, " to"),
                      absl::StrCat(root_, "/", id));
  }
  std::move(remove_temp).Cancel();
  RETURN_IF_ERROR(SyncDirectory(root_fd.get(), root_));
  CrashPoint("state-directory-renamed");
  return ContainerLock(id, std::move(dir_fd));
}

absl::Status StateStore::RemoveAbandoned(absl::string_view id) {
  RETURN_IF_ERROR(ValidateContainerId(id));
  UniqueFd root_fd(open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root_fd.valid()) {
    if (errno == ENOENT) return absl::OkStatus();
    return ErrnoError(errno, "open directory", root_);
  }
  ASSIGN_OR_RETURN(const std::vector<std::string> names, DirectoryNames(root_fd.get(), root_));
  const std::string prefix = absl::StrCat(".", id, ".");
  for (const std::string& name : names) {
    // mkdtemp's names: the prefix and six characters.
    if (name.size() != prefix.size() + 6 || !absl::StartsWith(name, prefix)) continue;
    const std::string path = absl::StrCat(root_, "/", name);
    UniqueFd fd(openat(root_fd.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid()) continue;  // removed meanwhile, or not a directory
    // A Create or Remove that is alive holds the lock (a Create takes it a
    // moment after making the directory: one that loses it then fails).
    if (flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) continue;
      return ErrnoError(errno, "lock", path);
    }
    const absl::Status removed = RemoveTree(root_fd.get(), name, path);
    if (!removed.ok() && !absl::IsNotFound(removed)) return removed;
  }
  return absl::OkStatus();
}

absl::StatusOr<ContainerLock> StateStore::Lock(absl::string_view id) {
  RETURN_IF_ERROR(ValidateContainerId(id));
  const std::string path = absl::StrCat(root_, "/", id);
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) return ContainerNotFound(id);
    return ErrnoError(errno, "open directory", path);
  }
  RETURN_IF_ERROR(LockExclusive(fd.get(), path));
  // The container may have been deleted (its directory renamed away and
  // removed) while we waited: the lock counts only if the path still leads
  // to the directory we locked.
  struct stat locked, current;
  if (fstat(fd.get(), &locked) != 0) return ErrnoError(errno, "stat", path);
  if (lstat(path.c_str(), &current) != 0) {
    if (errno == ENOENT) return ContainerNotFound(id);
    return ErrnoError(errno, "stat", path);
  }
  if (locked.st_dev != current.st_dev || locked.st_ino != current.st_ino) {
    return ContainerNotFound(id);
  }
  return ContainerLock(std::string(id), std::move(fd));
}

absl::Status StateStore::Exists(absl::string_view id) const {
  RETURN_IF_ERROR(ValidateContainerId(id));
  const std::string path = absl::StrCat(root_, "/", id);
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return ContainerNotFound(id);
    return ErrnoError(errno, "stat", path);
  }
  return absl::OkStatus();
}

absl::StatusOr<ContainerState> StateStore::Load(absl::string_view id) const {
  RETURN_IF_ERROR(ValidateContainerId(id));
  const std::string path = StateFilePath(id);
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) {
    const int error = errno;
    const std::string dir_path = absl::StrCat(root_, "/", id);
    if (error == ENOENT && access(dir_path.c_str(), F_OK) != 0) return ContainerNotFound(id);
    return absl::DataLossError(absl::StrCat("state file ", path, " of container \"", id,
                                            "\" is unreadable: ", strerror(error)));
  }
  absl::StatusOr<std::string> text = ReadAll(fd.get(), path);
  if (!text.ok()) return absl::DataLossError(text.status().message());
  return ParseStateFile(*text, path, id);
}

ContainerState StateStore::Salvage(const ContainerLock& lock) const {
  ContainerState state;
  const std::string path = StateFilePath(lock.id());
  UniqueFd fd(openat(lock.directory_.get(), kStateFileName, O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.valid()) {
    if (absl::StatusOr<std::string> text = ReadAll(fd.get(), path); text.ok()) {
      // The parser fills the message as it goes: on an error, what came
      // before it is kept.
      google::protobuf::TextFormat::Parser parser;
      FirstParseError error;
      parser.RecordErrorsTo(&error);
      (void)parser.ParseFromString(*text, &state);
    }
  }
  state.set_id(lock.id());
  state.set_status(STATE_CREATING);
  return state;
}

absl::Status StateStore::Save(const ContainerLock& lock, const ContainerState& state) {
  RETURN_IF_ERROR(CheckSavable(state));
  if (state.id() != lock.id()) {
    return absl::InvalidArgumentError(absl::StrCat("save the state of container \"", state.id(),
                                                   "\" under the lock of \"", lock.id(), "\""));
  }
  return WriteStateFile(lock.directory_.get(), absl::StrCat(root_, "/", lock.id()), state);
}

absl::Status StateStore::Remove(ContainerLock lock) {
  const std::string path = absl::StrCat(root_, "/", lock.id());
  ASSIGN_OR_RETURN(UniqueFd root_fd, OpenDirectory(AT_FDCWD, root_, root_));
  // Rename the container away in one step, over an empty directory reserved
  // for the purpose, then remove it at leisure.
  ASSIGN_OR_RETURN(const std::string doomed_name, MakeTempDirectory(root_, lock.id()));
  const std::string doomed_path = absl::StrCat(root_, "/", doomed_name);
  if (renameat(root_fd.get(), lock.id().c_str(), root_fd.get(), doomed_name.c_str()) != 0) {
    const int error = errno;
    const absl::Status status =
        ErrnoError(error, absl::StrCat("rename ", path, " to"), doomed_path);
    unlinkat(root_fd.get(), doomed_name.c_str(), AT_REMOVEDIR);
    return status;
  }
  RETURN_IF_ERROR(SyncDirectory(root_fd.get(), root_));
  RETURN_IF_ERROR(RemoveTree(root_fd.get(), doomed_name, doomed_path));
  // What an earlier create or delete of the same id, killed midway, left.
  return RemoveAbandoned(lock.id());
}

absl::StatusOr<std::vector<std::string>> StateStore::List() const {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(root_.c_str()), &closedir);
  if (dir == nullptr) {
    if (errno == ENOENT) return std::vector<std::string>();
    return ErrnoError(errno, "read directory", root_);
  }
  std::vector<std::string> ids;
  while (true) {
    errno = 0;
    const dirent* entry = readdir(dir.get());
    if (entry == nullptr) {
      if (errno != 0) return ErrnoError(errno, "read directory", root_);
      break;
    }
    const absl::string_view name = entry->d_name;
    // Dot names are ".", "..", and containers being created or removed.
    if (name.empty() || name[0] == '.' || !ValidateContainerId(name).ok()) continue;
    struct stat st;
    if (fstatat(dirfd(dir.get()), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISDIR(st.st_mode)) {
      ids.emplace_back(name);
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace hull::statemachine
