#include "nsenter/time_offsets.h"

#include <errno.h>
#include <sched.h>

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/status_util.h"
#include "config/runtime_spec.pb.h"
#include "nsenter/namespace.h"
#include "nsenter/setns.h"
#include "base/procfs_files.h"
#include "base/status_macros.h"

namespace hull::nsenter {

absl::StatusOr<std::string> FormatTimeOffsets(
    const google::protobuf::Map<std::string, config::TimeOffset>& offsets) {
  const std::map<std::string, config::TimeOffset> sorted(offsets.begin(), offsets.end());
  std::string text;
  for (const auto& [clock, offset] : sorted) {
    if (clock != "monotonic" && clock != "boottime") {
      return absl::InvalidArgumentError(absl::StrCat("linux.timeOffsets: unknown clock \"", clock,
                                                     "\" (known: monotonic, boottime)"));
    }
    if (offset.nanosecs() >= 1000000000) {
      return absl::InvalidArgumentError(absl::StrCat("linux.timeOffsets[\"", clock,
                                                     "\"]: nanosecs ", offset.nanosecs(),
                                                     " is not below one second"));
    }
    absl::StrAppend(&text, clock, " ", offset.secs(), " ", offset.nanosecs(), "\n");
  }
  return text;
}

absl::Status EnterNewTimeNamespace(ProcFiles& proc, absl::string_view offsets_text) {
  if (unshare(CLONE_NEWTIME) != 0) return ErrnoStatus("unshare(CLONE_NEWTIME)");
  if (!offsets_text.empty()) RETURN_IF_ERROR(proc.Write("self/timens_offsets", offsets_text));
  return JoinNamespace("/proc/self/ns/time_for_children", NamespaceType::kTime);
}

}  // namespace hull::nsenter
