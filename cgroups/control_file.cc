#include "cgroups/control_file.h"

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace hull::cgroups {
namespace {

absl::Status Malformed(absl::string_view path, absl::string_view what) {
  return absl::InternalError(absl::StrCat("parse ", path, ": ", what));
}

bool ParseNumber(absl::string_view text, uint64_t& value) {
  if (text == "max") {
    value = kUnlimited;
    return true;
  }
  return absl::SimpleAtoi(text, &value);
}

}  // namespace

absl::StatusOr<uint64_t> ParseSingleValue(absl::string_view contents, absl::string_view path) {
  const std::vector<std::string> words = ParseWords(contents);
  uint64_t value;
  if (words.size() != 1 || !ParseNumber(words[0], value)) {
    return Malformed(path, absl::StrCat("\"", contents, "\" is not a number or \"max\""));
  }
  return value;
}

absl::StatusOr<std::map<std::string, uint64_t>> ParseFlatKeyed(absl::string_view contents,
                                                               absl::string_view path) {
  std::map<std::string, uint64_t> values;
  for (const absl::string_view line : absl::StrSplit(contents, '\n', absl::SkipWhitespace())) {
    const std::vector<absl::string_view> fields =
        absl::StrSplit(line, ' ', absl::SkipWhitespace());
    uint64_t value;
    if (fields.size() != 2 || !ParseNumber(fields[1], value)) {
      return Malformed(path, absl::StrCat("\"", line, "\" is not \"key value\""));
    }
    values[std::string(fields[0])] = value;
  }
  return values;
}

std::vector<std::string> ParseWords(absl::string_view contents) {
  return absl::StrSplit(contents, absl::ByAnyChar(" \n"), absl::SkipEmpty());
}

absl::StatusOr<std::vector<pid_t>> ParsePids(absl::string_view contents, absl::string_view path) {
  std::vector<pid_t> pids;
  for (const std::string& word : ParseWords(contents)) {
    pid_t pid;
    if (!absl::SimpleAtoi(word, &pid) || pid <= 0) {
      return Malformed(path, absl::StrCat("\"", word, "\" is not a pid"));
    }
    pids.push_back(pid);
  }
  return pids;
}

}  // namespace hull::cgroups
