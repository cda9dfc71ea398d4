#include "statemachine/container_id.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace hull::statemachine {
namespace {

// runc 1.1 matches ^[\w+-\.]+$, whose range `+-\.` also admits ','; runc 1.2
// spelled the set out without it, and so does Hull.
bool IsIdCharacter(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+' || c == '-' ||
         c == '.';
}

// The id as it can be shown: a bad id may hold control characters.
std::string Quoted(absl::string_view id) { return absl::StrCat("\"", absl::CHexEscape(id), "\""); }

}  // namespace

absl::Status ValidateContainerId(absl::string_view id) {
  if (id.empty()) return absl::InvalidArgumentError("invalid container id: empty");
  if (id.size() > kMaxContainerIdLength) {
    return absl::InvalidArgumentError(absl::StrCat("invalid container id ",
                                                   Quoted(id.substr(0, 32)), "...: ", id.size(),
                                                   " characters, at most ", kMaxContainerIdLength));
  }
  if (id == "." || id == "..") {
    return absl::InvalidArgumentError(absl::StrCat("invalid container id ", Quoted(id)));
  }
  for (char c : id) {
    if (!IsIdCharacter(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid container id ", Quoted(id), ": only letters, digits and _+-. are allowed"));
    }
  }
  return absl::OkStatus();
}

}  // namespace hull::statemachine
