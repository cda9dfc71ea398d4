#include "base/proc_stat.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/types.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/fd.h"
#include "base/file_io.h"
#include "base/status_macros.h"

namespace hull {

absl::StatusOr<ProcStat> ParseProcStat(absl::string_view contents) {
  const size_t comm_end = contents.rfind(')');
  if (comm_end == absl::string_view::npos) {
    return absl::InvalidArgumentError("parse /proc/<pid>/stat: no ')' ending the comm field");
  }
  constexpr size_t kStateIndex = 0;       // field 3
  constexpr size_t kUtimeIndex = 11;      // field 14
  constexpr size_t kStimeIndex = 12;      // field 15
  constexpr size_t kNumThreadsIndex = 17;  // field 20
  constexpr size_t kStartTimeIndex = 19;  // field 22
  // Fields 3 to 22, separated by spaces; the rest is not looked at.
  std::array<absl::string_view, kStartTimeIndex + 1> fields;
  size_t count = 0;
  absl::string_view rest = contents.substr(comm_end + 1);
  while (count < fields.size()) {
    const size_t start = rest.find_first_not_of(' ');
    if (start == absl::string_view::npos) break;
    rest.remove_prefix(start);
    const size_t end = std::min(rest.find(' '), rest.size());
    fields[count++] = rest.substr(0, end);
    rest.remove_prefix(end);
  }
  if (count < fields.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("parse /proc/<pid>/stat: ", count + 2, " fields, expected at least 22"));
  }
  ProcStat stat;
  if (fields[kStateIndex].size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat("parse /proc/<pid>/stat: state field \"",
                                                   fields[kStateIndex], "\" is not one letter"));
  }
  stat.state = fields[kStateIndex][0];
  const auto parse_number = [&fields](size_t index, absl::string_view what, auto* number) {
    if (absl::SimpleAtoi(fields[index], number)) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat("parse /proc/<pid>/stat: ", what, " \"",
                                                   fields[index], "\" is not a number"));
  };
  RETURN_IF_ERROR(parse_number(kUtimeIndex, "user time", &stat.utime));
  RETURN_IF_ERROR(parse_number(kStimeIndex, "system time", &stat.stime));
  RETURN_IF_ERROR(parse_number(kNumThreadsIndex, "thread count", &stat.num_threads));
  RETURN_IF_ERROR(parse_number(kStartTimeIndex, "start time", &stat.start_time));
  return stat;
}

absl::StatusOr<ProcStat> ReadProcStat(pid_t pid) {
  if (pid <= 0) return absl::NotFoundError(absl::StrCat("no process ", pid));
  const std::string path = absl::StrCat("/proc/", pid, "/stat");
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    const int error = errno;
    if (error == ENOENT || error == ESRCH) {
      return absl::NotFoundError(absl::StrCat("no process ", pid, ": ", path, " does not exist"));
    }
    return absl::ErrnoToStatus(error, absl::StrCat("open ", path));
  }
  absl::StatusOr<std::string> contents = ReadAll(fd.get(), path);
  // The process was reaped between open and read.
  if (absl::IsNotFound(contents.status())) {
    return absl::NotFoundError(absl::StrCat("no process ", pid));
  }
  RETURN_IF_ERROR(contents.status());
  absl::StatusOr<ProcStat> stat = ParseProcStat(*contents);
  if (!stat.ok()) {
    return absl::InternalError(absl::StrCat(path, ": ", stat.status().message()));
  }
  return stat;
}

}  // namespace hull
