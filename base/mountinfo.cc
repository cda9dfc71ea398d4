#include "base/mountinfo.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/fields.h"

namespace hull {
namespace {

std::string Unescape(absl::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && field.size() - i >= 4 &&
        std::all_of(field.begin() + i + 1, field.begin() + i + 4,
                    [](char c) { return c >= '0' && c <= '7'; })) {
      out.push_back(static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 +
                                      (field[i + 3] - '0')));
      i += 3;
    } else {
      out.push_back(field[i]);
    }
  }
  return out;
}

std::vector<std::string> SplitOptions(absl::string_view field) {
  std::vector<std::string> options;
  for (absl::string_view option : absl::StrSplit(field, ',', absl::SkipEmpty())) {
    options.push_back(Unescape(option));
  }
  return options;
}

absl::StatusOr<MountInfo> ParseLine(absl::string_view line) {
  auto malformed = [&] {
    return absl::InvalidArgumentError(absl::StrCat("malformed mountinfo line \"", line, "\""));
  };
  const std::vector<absl::string_view> fields = SplitFields(line);
  auto separator = std::find(fields.begin(), fields.end(), "-");
  if (separator == fields.end() || separator - fields.begin() < 6 ||
      fields.end() - separator != 4) {
    return malformed();
  }
  MountInfo info;
  std::pair<absl::string_view, absl::string_view> device = absl::StrSplit(fields[2], ':');
  if (!absl::SimpleAtoi(fields[0], &info.id) || !absl::SimpleAtoi(fields[1], &info.parent_id) ||
      !absl::SimpleAtoi(device.first, &info.major) ||
      !absl::SimpleAtoi(device.second, &info.minor)) {
    return malformed();
  }
  info.root = Unescape(fields[3]);
  info.mount_point = Unescape(fields[4]);
  info.options = SplitOptions(fields[5]);
  for (auto it = fields.begin() + 6; it != separator; ++it) {
    info.optional_fields.push_back(std::string(*it));
  }
  info.fstype = Unescape(separator[1]);
  info.source = Unescape(separator[2]);
  info.super_options = SplitOptions(separator[3]);
  return info;
}

}  // namespace

bool MountInfo::HasOption(absl::string_view option) const {
  return std::find(options.begin(), options.end(), option) != options.end();
}

std::string MountInfo::Propagation() const {
  std::vector<absl::string_view> kinds;
  for (absl::string_view field : optional_fields) {
    if (absl::StartsWith(field, "shared:")) kinds.push_back("shared");
  }
  for (absl::string_view field : optional_fields) {
    if (absl::StartsWith(field, "master:")) kinds.push_back("slave");
  }
  for (absl::string_view field : optional_fields) {
    if (field == "unbindable") kinds.push_back("unbindable");
  }
  return kinds.empty() ? "private" : absl::StrJoin(kinds, ",");
}

absl::StatusOr<std::vector<MountInfo>> ParseMountInfo(absl::string_view text) {
  std::vector<MountInfo> mounts;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    absl::StatusOr<MountInfo> info = ParseLine(line);
    if (!info.ok()) return info.status();
    mounts.push_back(*std::move(info));
  }
  return mounts;
}

}  // namespace hull
