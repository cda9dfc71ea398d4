#include "config/validator_internal.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "config/cpu_list.h"

namespace hull::config::validator_internal {

std::string Quote(absl::string_view text) {
  return absl::StrCat("\"", absl::CHexEscape(text), "\"");
}

std::string Field(absl::string_view path, absl::string_view name) {
  return path.empty() ? std::string(name) : absl::StrCat(path, ".", name);
}

std::string Index(absl::string_view path, int index) { return absl::StrCat(path, "[", index, "]"); }

std::string Key(absl::string_view path, absl::string_view key) {
  return absl::StrCat(path, "[", Quote(key), "]");
}

bool IsAbsolute(absl::string_view path) { return absl::StartsWith(path, "/"); }

bool IsDecimal(absl::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
}

bool IsCpusetList(absl::string_view list) { return ParseCpuList(list).ok(); }

void Report::CheckKnown(const NameSet& known, absl::string_view name, std::string path,
                        absl::string_view what) {
  if (!known.contains(name)) Add(std::move(path), absl::StrCat("unknown ", what, " ", Quote(name)));
}

void Report::CheckAbsolute(absl::string_view value, std::string path) {
  if (value.empty()) {
    Add(std::move(path), "required");
  } else if (!IsAbsolute(value)) {
    Add(std::move(path), absl::StrCat("must be an absolute path, got ", Quote(value)));
  }
}

void CheckIdMappings(const google::protobuf::RepeatedPtrField<IdMapping>& mappings,
                     const std::string& path, Report& report) {
  for (int i = 0; i < mappings.size(); ++i) {
    const IdMapping& mapping = mappings[i];
    if (mapping.size() == 0) {
      report.Add(Field(Index(path, i), "size"), "must be greater than 0");
    } else if (uint64_t{mapping.container_id()} + mapping.size() > (uint64_t{1} << 32) ||
               uint64_t{mapping.host_id()} + mapping.size() > (uint64_t{1} << 32)) {
      report.Add(Index(path, i), "the range goes past the largest 32-bit id");
    }
  }
}

}  // namespace hull::config::validator_internal
