#include "config/host_support.h"

#include <fcntl.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "base/fd.h"
#include "base/file_io.h"

namespace hull::config {
namespace {

// The file's contents, or empty when it cannot be read (the module is absent).
std::string ReadOrEmpty(const char* path) {
  const UniqueFd fd(open(path, O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return "";
  absl::StatusOr<std::string> contents = ReadAll(fd.get(), path);
  return contents.ok() ? *std::move(contents) : "";
}

bool HasFilesystem(absl::string_view filesystems, absl::string_view name) {
  for (absl::string_view line : absl::StrSplit(filesystems, '\n')) {
    // "nodev\tselinuxfs" or "\text4".
    const size_t tab = line.rfind('\t');
    if (line.substr(tab == absl::string_view::npos ? 0 : tab + 1) == name) return true;
  }
  return false;
}

}  // namespace

HostSupport ParseHostSupport(absl::string_view apparmor_enabled,
                             absl::string_view proc_filesystems) {
  return {
      .apparmor = absl::StartsWith(apparmor_enabled, "Y"),
      .selinux = HasFilesystem(proc_filesystems, "selinuxfs"),
  };
}

const HostSupport& DetectedHostSupport() {
  static const HostSupport kDetected = ParseHostSupport(
      ReadOrEmpty("/sys/module/apparmor/parameters/enabled"), ReadOrEmpty("/proc/filesystems"));
  return kDetected;
}

}  // namespace hull::config
