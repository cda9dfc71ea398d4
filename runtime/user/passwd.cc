#include "runtime/user/passwd.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace hull::user {
namespace {

// The first ':'-separated fields of a line (passwd has seven, group four;
// any further ones are ignored), and how many the line has of them.
struct Record {
  std::array<absl::string_view, 7> fields;
  size_t size = 0;

  // The field at `index`, or "" for one the line lacks.
  absl::string_view operator[](size_t index) const {
    return index < size ? fields[index] : absl::string_view();
  }
};

Record SplitRecord(absl::string_view line) {
  Record record;
  while (record.size < record.fields.size()) {
    const size_t colon = line.find(':');
    record.fields[record.size++] = line.substr(0, colon);
    if (colon == absl::string_view::npos) break;
    line.remove_prefix(colon + 1);
  }
  return record;
}

// Calls `parse` with the record of each line that is not blank or a comment,
// until it returns true.
template <typename Parse>
void ForEachRecord(absl::string_view text, Parse parse) {
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    const absl::string_view line = absl::StripAsciiWhitespace(text.substr(0, newline));
    text.remove_prefix(newline == absl::string_view::npos ? text.size() : newline + 1);
    if (line.empty() || line.front() == '#') continue;
    if (parse(SplitRecord(line))) return;
  }
}

bool ParseId(const Record& record, size_t index, uint32_t& id) {
  const absl::string_view field = record[index];
  // SimpleAtoi would take a sign or spaces.
  if (field.empty() || !std::all_of(field.begin(), field.end(), absl::ascii_isdigit)) return false;
  return absl::SimpleAtoi(field, &id);
}

}  // namespace

std::optional<PasswdEntry> FindPasswdEntry(
    absl::string_view text, absl::FunctionRef<bool(absl::string_view name, uint32_t uid)> matches) {
  std::optional<PasswdEntry> found;
  ForEachRecord(text, [&](const Record& record) {
    uint32_t uid = 0;
    uint32_t gid = 0;
    if (!ParseId(record, 2, uid) || !ParseId(record, 3, gid) || !matches(record[0], uid)) {
      return false;
    }
    found = PasswdEntry{
        .name = std::string(record[0]), .uid = uid, .gid = gid, .home = std::string(record[5])};
    return true;
  });
  return found;
}

std::vector<GroupEntry> ParseGroup(absl::string_view text) {
  std::vector<GroupEntry> entries;
  ForEachRecord(text, [&](const Record& record) {
    GroupEntry entry;
    if (!ParseId(record, 2, entry.gid)) return false;
    entry.name = std::string(record[0]);
    if (!record[3].empty()) entry.members = absl::StrSplit(record[3], ',');
    entries.push_back(std::move(entry));
    return false;
  });
  return entries;
}

}  // namespace hull::user
