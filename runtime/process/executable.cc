#include "runtime/process/executable.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace hull::process {
namespace {

// The errno for why `file` cannot be exec'd (0 when it can), and whether
// stat said so: its text is formatted only for the error that is reported
// (a PATH lookup tries every directory before the one that has the file).
struct Verdict {
  int error = 0;
  bool from_stat = false;
};

Verdict Check(const std::string& file) {
  struct stat st;
  if (stat(file.c_str(), &st) != 0) return {errno, /*from_stat=*/true};
  if (S_ISDIR(st.st_mode)) return {EISDIR};
  if (faccessat(AT_FDCWD, file.c_str(), X_OK, AT_EACCESS) == 0) return {};
  const int error = errno;
  // Go falls back to the mode bits where the check itself is unavailable
  // (ENOSYS) or filtered (EPERM from a seccomp profile).
  if (error == ENOSYS || error == EPERM) {
    if ((st.st_mode & 0111) != 0) return {};
    return {EACCES};
  }
  return {error};
}

// Why `file` cannot be exec'd, as Go's findExecutable says it.
std::string VerdictText(const std::string& file, const Verdict& verdict) {
  if (verdict.from_stat) return absl::StrCat("stat ", file, ": ", GoErrnoText(verdict.error));
  return GoErrnoText(verdict.error);
}

absl::Status LookupError(absl::StatusCode code, absl::string_view file, absl::string_view why) {
  return absl::Status(code, absl::StrCat("exec: \"", file, "\": ", why));
}

}  // namespace

std::string GoErrnoText(int error) {
  std::string text = strerror(error);
  if (!text.empty()) text[0] = absl::ascii_tolower(text[0]);
  return text;
}

absl::StatusOr<std::string> FindExecutable(absl::string_view file,
                                           absl::string_view path_variable) {
  if (absl::StrContains(file, '/')) {
    const std::string path(file);
    const Verdict verdict = Check(path);
    if (verdict.error == 0) return path;
    return LookupError(absl::ErrnoToStatusCode(verdict.error), file, VerdictText(path, verdict));
  }
  if (!file.empty()) {
    for (absl::string_view dir : absl::StrSplit(path_variable, ':')) {
      if (dir.empty()) dir = ".";
      const std::string path =
          absl::EndsWith(dir, "/") ? absl::StrCat(dir, file) : absl::StrCat(dir, "/", file);
      if (Check(path).error != 0) continue;
      // Go refuses what only a relative PATH entry found (its ErrDot).
      if (!absl::StartsWith(path, "/")) {
        return LookupError(absl::StatusCode::kFailedPrecondition, file,
                           "cannot run executable found relative to current directory");
      }
      return path;
    }
  }
  return LookupError(absl::StatusCode::kNotFound, file, "executable file not found in $PATH");
}

absl::Status Execute(const std::string& executable, const std::vector<std::string>& args,
                     const std::vector<std::string>& env) {
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& entry : env) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  execve(executable.c_str(), argv.data(), envp.data());
  const int error = errno;
  return absl::Status(absl::ErrnoToStatusCode(error),
                      absl::StrCat("exec ", executable, ": ", GoErrnoText(error)));
}

}  // namespace hull::process
