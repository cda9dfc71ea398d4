#include "runtime/criu/descriptors.h"

#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace hull::runtime::criu {
namespace {

absl::Status Malformed(absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(kDescriptorsFile, " is not a JSON array of strings: ", what));
}

}  // namespace

std::string FormatDescriptors(const std::vector<std::string>& descriptors) {
  std::string json = "[";
  for (size_t i = 0; i < descriptors.size(); ++i) {
    if (i > 0) json += ",";
    json += '"';
    for (const char c : descriptors[i]) {
      if (c == '"' || c == '\\') {
        json += '\\';
        json += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
        json += escaped;
      } else {
        json += c;
      }
    }
    json += '"';
  }
  return json + "]";
}

absl::StatusOr<std::vector<std::string>> ParseDescriptors(absl::string_view json) {
  json = absl::StripAsciiWhitespace(json);
  if (json.size() < 2 || json.front() != '[' || json.back() != ']') return Malformed("no [ ]");
  std::vector<std::string> descriptors;
  size_t i = 1;
  auto skip_space = [&] {
    while (i < json.size() && absl::ascii_isspace(json[i])) ++i;
  };
  skip_space();
  if (json[i] == ']') return descriptors;
  while (true) {
    skip_space();
    if (i >= json.size() || json[i] != '"') return Malformed("an element is not a string");
    std::string value;
    for (++i; i < json.size() && json[i] != '"'; ++i) {
      if (json[i] != '\\') {
        value += json[i];
        continue;
      }
      if (++i >= json.size()) return Malformed("an unfinished escape");
      if (json[i] == 'u') {
        unsigned code = 0;
        if (i + 4 >= json.size() || std::sscanf(std::string(json.substr(i + 1, 4)).c_str(), "%4x",
                                                &code) != 1 || code > 0x7f) {
          return Malformed("an escape Hull does not write");
        }
        value += static_cast<char>(code);
        i += 4;
      } else if (json[i] == '"' || json[i] == '\\' || json[i] == '/') {
        value += json[i];
      } else {
        return Malformed("an escape Hull does not write");
      }
    }
    if (i >= json.size()) return Malformed("an unfinished string");
    ++i;
    descriptors.push_back(std::move(value));
    skip_space();
    if (i < json.size() && json[i] == ',') {
      ++i;
      continue;
    }
    if (i == json.size() - 1 && json[i] == ']') return descriptors;
    return Malformed("expected , or ]");
  }
}

}  // namespace hull::runtime::criu
