#include "cgroups/stat_files.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "base/fields.h"

namespace hull::cgroups {
namespace {

absl::Status Malformed(absl::string_view file, absl::string_view what) {
  return absl::DataLossError(absl::StrCat("malformed ", file, ": \"", what, "\""));
}

std::vector<absl::string_view> Lines(absl::string_view text) {
  return absl::StrSplit(text, '\n', absl::SkipWhitespace());
}

}  // namespace

absl::StatusOr<uint64_t> ParseUint(absl::string_view text, absl::string_view file) {
  const absl::string_view value = absl::StripAsciiWhitespace(text);
  if (value == "max") return std::numeric_limits<uint64_t>::max();
  uint64_t number;
  if (!absl::SimpleAtoi(value, &number)) return Malformed(file, value);
  return number;
}

absl::StatusOr<uint64_t> ReadUintFile(CgroupFs& fs, const std::string& path) {
  ASSIGN_OR_RETURN(const std::string text, fs.ReadFile(path));
  return ParseUint(text, path);
}

absl::StatusOr<std::map<std::string, uint64_t>> ParseKeyValues(absl::string_view text,
                                                               absl::string_view file) {
  std::map<std::string, uint64_t> values;
  for (absl::string_view line : Lines(text)) {
    const std::vector<absl::string_view> fields = SplitFields(line);
    uint64_t value;
    if (fields.size() != 2 || !absl::SimpleAtoi(fields[1], &value)) return Malformed(file, line);
    values[std::string(fields[0])] = value;
  }
  return values;
}

absl::StatusOr<std::vector<uint64_t>> ParseUintList(absl::string_view text,
                                                    absl::string_view file) {
  std::vector<uint64_t> values;
  for (const absl::string_view field : SplitFields(text)) {
    uint64_t value;
    if (!absl::SimpleAtoi(field, &value)) return Malformed(file, field);
    values.push_back(value);
  }
  return values;
}

absl::StatusOr<std::vector<uint32_t>> ParseCpuList(absl::string_view text,
                                                   absl::string_view file) {
  // Far more than any machine has; bounds what a bad range can allocate.
  constexpr uint32_t kMaxCpu = 1 << 16;
  std::vector<uint32_t> cpus;
  for (absl::string_view range :
       absl::StrSplit(absl::StripAsciiWhitespace(text), ',', absl::SkipEmpty())) {
    std::vector<absl::string_view> ends = absl::StrSplit(range, absl::MaxSplits('-', 1));
    uint32_t first, last;
    if (!absl::SimpleAtoi(ends[0], &first)) return Malformed(file, range);
    last = first;
    if (ends.size() == 2 && !absl::SimpleAtoi(ends[1], &last)) return Malformed(file, range);
    if (last < first || last >= kMaxCpu) return Malformed(file, range);
    for (uint32_t cpu = first; cpu <= last; ++cpu) cpus.push_back(cpu);
  }
  return cpus;
}

absl::StatusOr<std::vector<BlkioEntry>> ParseBlkioEntries(absl::string_view text,
                                                          absl::string_view file) {
  std::vector<BlkioEntry> entries;
  for (absl::string_view line : Lines(text)) {
    const std::vector<absl::string_view> fields = SplitFields(line);
    if (fields.size() == 2 && fields[0] == "Total") continue;
    if (fields.size() != 2 && fields.size() != 3) return Malformed(file, line);
    std::vector<absl::string_view> device = absl::StrSplit(fields[0], absl::MaxSplits(':', 1));
    BlkioEntry entry;
    uint64_t major, minor, value;
    if (device.size() != 2 || !absl::SimpleAtoi(device[0], &major) ||
        !absl::SimpleAtoi(device[1], &minor) || !absl::SimpleAtoi(fields.back(), &value)) {
      return Malformed(file, line);
    }
    entry.set_major(major);
    entry.set_minor(minor);
    if (fields.size() == 3) entry.set_op(std::string(fields[1]));
    entry.set_value(value);
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace hull::cgroups
