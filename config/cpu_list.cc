#include "config/cpu_list.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace hull::config {
namespace {

// A decimal without sign or leading zeros, as the kernel prints them.
bool ParseNumber(absl::string_view text, uint32_t& number) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;
  if (!std::all_of(text.begin(), text.end(),
                   [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); })) {
    return false;
  }
  return absl::SimpleAtoi(text, &number);
}

}  // namespace

absl::StatusOr<std::vector<CpuRange>> ParseCpuList(absl::string_view list) {
  std::vector<CpuRange> ranges;
  for (absl::string_view item : absl::StrSplit(list, ',')) {
    const std::pair<absl::string_view, absl::string_view> bounds =
        absl::StrSplit(item, absl::MaxSplits('-', 1));
    CpuRange range;
    bool valid = ParseNumber(bounds.first, range.first);
    range.last = range.first;
    if (valid && item.find('-') != absl::string_view::npos) {
      valid = ParseNumber(bounds.second, range.last) && range.last >= range.first;
    }
    if (!valid) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", list, "\" is not a list such as \"0-3,5\""));
    }
    ranges.push_back(range);
  }
  return ranges;
}

absl::StatusOr<std::vector<uint64_t>> CpuListMask(absl::string_view list, uint32_t limit) {
  absl::StatusOr<std::vector<CpuRange>> ranges = ParseCpuList(list);
  if (!ranges.ok()) return ranges.status();
  std::vector<uint64_t> mask;
  for (const CpuRange& range : *ranges) {
    if (range.last >= limit) {
      return absl::InvalidArgumentError(
          absl::StrCat(range.last, " is beyond the last one Linux supports (", limit - 1, ")"));
    }
    if (mask.size() <= range.last / 64) mask.resize(range.last / 64 + 1);
    for (uint32_t i = range.first; i <= range.last; ++i) mask[i / 64] |= uint64_t{1} << (i % 64);
  }
  return mask;
}

}  // namespace hull::config
