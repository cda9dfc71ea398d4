#include "statemachine/state_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
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
#include "absl/strings/strip.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "base/crash_point.h"
#include "base/fd.h"
#include "base/status_macros.h"
#include "config/runtime_spec_codec.h"
#include "config/text_reader.h"
#include "config/json_reader.h"
#include "config/runtime_spec.pb.h"
#include "statemachine/container_id.h"
#include "statemachine/lifecycle_state.pb.h"
#include "statemachine/state.pb.h"
#include "statemachine/state_text.h"

namespace hull::statemachine {
namespace {

// Written next to the state and config files, then renamed over them. A
// fixed name is safe: only the lock holder writes.
constexpr char kTempStateFileName[] = ".state.textproto.tmp";
constexpr char kTempConfigFileName[] = ".config.textproto.tmp";

constexpr char kStateFileHeader[] =
    "# proto-file: statemachine/state.proto\n"
    "# proto-message: hull.statemachine.ContainerState\n";
constexpr char kConfigFileHeader[] =
    "# proto-file: config/runtime_spec.proto\n"
    "# proto-message: hull.config.Spec\n";

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

// Whether what is written in the directory open as `fd` must be fsynced to
// survive a crash of the machine: not on a memory filesystem (tmpfs, where
// /run is), which such a crash empties, and where an fsync does nothing. The
// renames keep every write atomic for the commands that read it either way.
absl::StatusOr<bool> IsDurable(int fd, absl::string_view path) {
  struct statfs fs;
  if (fstatfs(fd, &fs) != 0) return ErrnoError(errno, "statfs", path);
  return fs.f_type != TMPFS_MAGIC && fs.f_type != RAMFS_MAGIC;
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

// Reads `name`, a file in the directory open as `dir_fd` (a path with
// AT_FDCWD), into `contents`. 0, or the errno of the open or the read.
int ReadFileAt(int dir_fd, const char* name, std::string& contents) {
  UniqueFd fd(openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return errno;
  contents.clear();
  char buffer[8192];
  while (true) {
    const ssize_t n = read(fd.get(), buffer, sizeof(buffer));
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
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

// Replaces <directory>/`name` with `text` atomically: a temporary file
// `temp_name`, fsync, rename over the old file, fsync of the directory; the
// fsyncs only when `durable`.
absl::Status ReplaceFile(int dir_fd, absl::string_view dir_path, const char* name,
                         const char* temp_name, absl::string_view text, bool durable) {
  const std::string temp_path = absl::StrCat(dir_path, "/", temp_name);
  UniqueFd fd(openat(dir_fd, temp_name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                     0600));
  if (!fd.valid()) return ErrnoError(errno, "create", temp_path);
  absl::Cleanup remove_temp = [&] { unlinkat(dir_fd, temp_name, 0); };
  RETURN_IF_ERROR(WriteAll(fd.get(), text, temp_path));
  if (durable && fsync(fd.get()) != 0) return ErrnoError(errno, "fsync", temp_path);
  if (close(fd.Release()) != 0) return ErrnoError(errno, "close", temp_path);
  if (renameat(dir_fd, temp_name, dir_fd, name) != 0) {
    const int error = errno;
    return ErrnoError(error, absl::StrCat("rename ", temp_path, " to"),
                      absl::StrCat(dir_path, "/", name));
  }
  std::move(remove_temp).Cancel();
  return durable ? SyncDirectory(dir_fd, dir_path) : absl::OkStatus();
}

// The state file's text for `state` without its config, which the config
// file holds: StateText, not TextFormat, whose descriptors cost most of a
// short command's CPU time.
std::string StateFileHead(const ContainerState& state) {
  return absl::StrCat(kStateFileHeader, StateText(state));
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
  // What Hull writes is ASCII: checked at once, without splitting lines.
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return 0;
  }
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    if (!config::IsValidUtf8(line)) return number;
  }
  return 0;
}

// Parses `text`, the contents of the `kind` file at `path`, into `message`.
// DataLoss "corrupt <kind> file <path>: ..." naming the line and the field
// when it is no textproto of the message, or not UTF-8.
absl::Status ParseTextFile(absl::string_view text, absl::string_view kind, absl::string_view path,
                           google::protobuf::Message& message) {
  const auto corrupt = [&](absl::string_view problem) {
    return absl::DataLossError(absl::StrCat("corrupt ", kind, " file ", path, ": ", problem));
  };
  google::protobuf::TextFormat::Parser parser;
  FirstParseError error;
  parser.RecordErrorsTo(&error);
  if (!parser.ParseFromString(std::string(text), &message)) {
    return corrupt(absl::StrCat(error.error(), QuotedLine(text, error.line())));
  }
  // Hull writes ASCII (the printer escapes other bytes); the parser takes
  // other bytes into strings, and skips them in comments, as they are.
  if (const int line = FirstLineNotUtf8(text); line != 0) {
    return corrupt(absl::StrCat("line ", line, ": not valid UTF-8", QuotedLine(text, line - 1)));
  }
  return absl::OkStatus();
}

// The text parser fills the message as it goes: on an error, what came
// before it is kept in `message`.
void ParseWhatCanBe(absl::string_view text, google::protobuf::Message& message) {
  google::protobuf::TextFormat::Parser parser;
  FirstParseError error;
  parser.RecordErrorsTo(&error);
  (void)parser.ParseFromString(std::string(text), &message);
}

absl::Status UnreadableFile(absl::string_view kind, absl::string_view path, absl::string_view id,
                            int error) {
  return absl::DataLossError(absl::StrCat(kind, " file ", path, " of container \"", id,
                                          "\" is unreadable: ", strerror(error)));
}

}  // namespace

std::string StateFileText(const ContainerState& state) {
  std::string text = StateFileHead(state);
  if (!state.has_config()) return text;
  // The config, by far the largest field, goes last (the parser takes
  // fields in any order): a file damaged in it still tells delete what the
  // container holds (Salvage).
  config::TextWriter writer(text);
  writer.Open("config");
  config::WriteText(state.config(), writer);
  writer.Close();
  return text;
}

absl::StatusOr<ContainerState> ParseStateFile(absl::string_view text, absl::string_view path,
                                              absl::string_view id) {
  const auto corrupt = [&](absl::string_view problem) {
    return absl::DataLossError(absl::StrCat("corrupt state file ", path, ": ", problem));
  };
  ContainerState state;
  // What Hull writes, without TextFormat; any other text as before.
  if (!ParseStateText(text, state)) RETURN_IF_ERROR(ParseTextFile(text, "state", path, state));
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

std::string ConfigFileText(const config::Spec& config) {
  std::string text = kConfigFileHeader;
  // As TextFormat prints it, without its descriptors.
  config::TextWriter writer(text);
  config::WriteText(config, writer);
  return text;
}

absl::StatusOr<config::Spec> ParseConfigFile(absl::string_view text, absl::string_view path) {
  config::Spec config;
  // What Hull writes, without TextFormat (its descriptors); any other text
  // as before.
  if (absl::string_view body = text;
      absl::ConsumePrefix(&body, kConfigFileHeader) && config::ReadCanonicalText(body, config)) {
    return config;
  }
  RETURN_IF_ERROR(ParseTextFile(text, "config", path, config));
  return config;
}

StateStore::StateStore(std::string root) : root_(std::move(root)) {}

std::string StateStore::StateFilePath(absl::string_view id) const {
  return absl::StrCat(root_, "/", id, "/", kStateFileName);
}

std::string StateStore::ConfigFilePath(absl::string_view id) const {
  return absl::StrCat(root_, "/", id, "/", kConfigFileName);
}

absl::Status StateStore::Write(ContainerLock& lock, absl::string_view dir_path,
                               const ContainerState& state) const {
  const int dir_fd = lock.directory_.get();
  if (lock.config_unread_) {
    // Nothing read the config under this lock, so nothing changed it: its
    // file stays as it is.
    if (state.has_config()) {
      return absl::InternalError(absl::StrCat("save a config for container \"", lock.id(),
                                              "\" whose config was not read"));
    }
  } else if (std::string config_text = ConfigFileText(state.config());
             lock.config_text_ != config_text) {
    RETURN_IF_ERROR(ReplaceFile(dir_fd, dir_path, kConfigFileName, kTempConfigFileName,
                                config_text, lock.durable_));
    lock.config_text_ = std::move(config_text);
  }
  std::string text = StateFileHead(state);
  if (text == lock.state_text_) return absl::OkStatus();
  RETURN_IF_ERROR(ReplaceFile(dir_fd, dir_path, kStateFileName, kTempStateFileName, text,
                              lock.durable_));
  lock.state_text_ = std::move(text);
  return absl::OkStatus();
}

absl::StatusOr<ContainerState> StateStore::Read(int dir_fd, absl::string_view id, bool with_config,
                                                ContainerLock* record) const {
  const std::string dir_path = absl::StrCat(root_, "/", id);
  const std::string path = absl::StrCat(dir_path, "/", kStateFileName);
  // Without a directory, names are paths.
  const bool by_path = dir_fd == AT_FDCWD;
  std::string text;
  if (const int error = ReadFileAt(dir_fd, by_path ? path.c_str() : kStateFileName, text);
      error != 0) {
    if (error == ENOENT && by_path && access(dir_path.c_str(), F_OK) != 0) {
      return ContainerNotFound(id);
    }
    return UnreadableFile("state", path, id, error);
  }
  ASSIGN_OR_RETURN(ContainerState state, ParseStateFile(text, path, id));
  if (record != nullptr) {
    record->state_text_ = std::move(text);
    record->config_text_.reset();
    record->config_unread_ = false;
  }
  // A state file written before the config had a file of its own holds it.
  if (state.has_config()) return state;
  if (!with_config) {
    if (record != nullptr) record->config_unread_ = true;
    return state;
  }
  RETURN_IF_ERROR(ReadConfig(dir_fd, id, state, record));
  return state;
}

absl::Status StateStore::ReadConfig(int dir_fd, absl::string_view id, ContainerState& state,
                                    ContainerLock* record) const {
  const std::string config_path = absl::StrCat(root_, "/", id, "/", kConfigFileName);
  std::string config_text;
  if (const int error = ReadFileAt(dir_fd, dir_fd == AT_FDCWD ? config_path.c_str() : kConfigFileName,
                                   config_text);
      error != 0) {
    return UnreadableFile("config", config_path, id, error);
  }
  ASSIGN_OR_RETURN(*state.mutable_config(), ParseConfigFile(config_text, config_path));
  if (record != nullptr) {
    record->config_text_ = std::move(config_text);
    record->config_unread_ = false;
  }
  return absl::OkStatus();
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
  ASSIGN_OR_RETURN(const bool durable, IsDurable(root_fd.get(), root_));
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
  // The new directory is on the root's filesystem.
  ContainerLock lock(id, std::move(dir_fd), durable);
  RETURN_IF_ERROR(Write(lock, temp_path, initial));
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
  if (durable) RETURN_IF_ERROR(SyncDirectory(root_fd.get(), root_));
  CrashPoint("state-directory-renamed");
  return lock;
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
  ASSIGN_OR_RETURN(const bool durable, IsDurable(fd.get(), path));
  return ContainerLock(std::string(id), std::move(fd), durable);
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
  return Read(AT_FDCWD, id, /*with_config=*/true, /*record=*/nullptr);
}

absl::StatusOr<ContainerState> StateStore::LoadWithoutConfig(absl::string_view id) const {
  RETURN_IF_ERROR(ValidateContainerId(id));
  return Read(AT_FDCWD, id, /*with_config=*/false, /*record=*/nullptr);
}

absl::StatusOr<ContainerState> StateStore::Load(ContainerLock& lock) const {
  return Read(lock.directory_.get(), lock.id(), /*with_config=*/true, &lock);
}

absl::StatusOr<ContainerState> StateStore::LoadWithoutConfig(ContainerLock& lock) const {
  return Read(lock.directory_.get(), lock.id(), /*with_config=*/false, &lock);
}

absl::Status StateStore::LoadConfig(ContainerLock& lock, ContainerState& state) const {
  if (!lock.config_unread_) return absl::OkStatus();
  return ReadConfig(lock.directory_.get(), lock.id(), state, &lock);
}

ContainerState StateStore::Salvage(const ContainerLock& lock) const {
  ContainerState state;
  const int dir_fd = lock.directory_.get();
  std::string text;
  if (ReadFileAt(dir_fd, kStateFileName, text) == 0) ParseWhatCanBe(text, state);
  // A state file written before the config had a file of its own holds it.
  if (!state.has_config() && ReadFileAt(dir_fd, kConfigFileName, text) == 0) {
    ParseWhatCanBe(text, *state.mutable_config());
  }
  state.set_id(lock.id());
  state.set_status(STATE_CREATING);
  return state;
}

absl::Status StateStore::Save(ContainerLock& lock, const ContainerState& state) {
  RETURN_IF_ERROR(CheckSavable(state));
  if (state.id() != lock.id()) {
    return absl::InvalidArgumentError(absl::StrCat("save the state of container \"", state.id(),
                                                   "\" under the lock of \"", lock.id(), "\""));
  }
  return Write(lock, absl::StrCat(root_, "/", lock.id()), state);
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
  ASSIGN_OR_RETURN(const bool durable, IsDurable(root_fd.get(), root_));
  if (durable) RETURN_IF_ERROR(SyncDirectory(root_fd.get(), root_));
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
    // The entry's type, from the directory itself where the filesystem
    // gives it (tmpfs and ext4 do): no stat per container.
    if (entry->d_type == DT_DIR) {
      ids.emplace_back(name);
      continue;
    }
    if (entry->d_type != DT_UNKNOWN) continue;
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
