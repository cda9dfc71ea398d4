#include "config/sysctl_name.h"

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "base/status_macros.h"

namespace hull::config {
namespace {

// Turns one spelling into the other.
std::string SwapSeparators(absl::string_view name) {
  std::string swapped(name);
  for (char& c : swapped) {
    if (c == '.') {
      c = '/';
    } else if (c == '/') {
      c = '.';
    }
  }
  return swapped;
}

}  // namespace

absl::StatusOr<std::string> DottedSysctlName(absl::string_view name) {
  const size_t first = name.find_first_of("./");
  const std::string dotted = first != absl::string_view::npos && name[first] == '/'
                                 ? SwapSeparators(name)
                                 : std::string(name);
  // Each component is a directory or file under /proc/sys, its '/' becoming
  // '.': "/" and "//" would be "." and "..".
  for (absl::string_view component : absl::StrSplit(dotted, '.')) {
    if (component.empty() || component == "/" || component == "//") {
      return absl::InvalidArgumentError(absl::StrCat("invalid sysctl name \"", name, "\""));
    }
  }
  return dotted;
}

absl::StatusOr<std::string> SysctlFile(absl::string_view name) {
  ASSIGN_OR_RETURN(const std::string dotted, DottedSysctlName(name));
  return SwapSeparators(dotted);
}

}  // namespace hull::config
