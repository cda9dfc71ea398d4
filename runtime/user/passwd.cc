#include "runtime/user/passwd.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace hull::user {
namespace {

// The ':'-separated fields of each line that is not blank or a comment.
std::vector<std::vector<std::string>> Records(absl::string_view text) {
  std::vector<std::vector<std::string>> records;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    records.push_back(absl::StrSplit(line, ':'));
  }
  return records;
}

bool ParseId(const std::vector<std::string>& fields, size_t index, uint32_t& id) {
  if (index >= fields.size()) return false;
  const std::string& field = fields[index];
  // SimpleAtoi would take a sign or spaces.
  if (field.empty() || !std::all_of(field.begin(), field.end(), absl::ascii_isdigit)) return false;
  return absl::SimpleAtoi(field, &id);
}

std::string FieldOrEmpty(const std::vector<std::string>& fields, size_t index) {
  return index < fields.size() ? fields[index] : std::string();
}

}  // namespace

std::vector<PasswdEntry> ParsePasswd(absl::string_view text) {
  std::vector<PasswdEntry> entries;
  for (const std::vector<std::string>& fields : Records(text)) {
    PasswdEntry entry;
    if (!ParseId(fields, 2, entry.uid) || !ParseId(fields, 3, entry.gid)) continue;
    entry.name = fields[0];
    entry.password = fields[1];
    entry.gecos = FieldOrEmpty(fields, 4);
    entry.home = FieldOrEmpty(fields, 5);
    entry.shell = FieldOrEmpty(fields, 6);
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::vector<GroupEntry> ParseGroup(absl::string_view text) {
  std::vector<GroupEntry> entries;
  for (const std::vector<std::string>& fields : Records(text)) {
    GroupEntry entry;
    if (!ParseId(fields, 2, entry.gid)) continue;
    entry.name = fields[0];
    entry.password = fields[1];
    const std::string members = FieldOrEmpty(fields, 3);
    if (!members.empty()) entry.members = absl::StrSplit(members, ',');
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace hull::user
