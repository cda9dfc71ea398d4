#include "tools/launcher/byte_size.h"

#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace hull::launcher {

absl::StatusOr<int64_t> ParseByteSize(absl::string_view text) {
  std::string lower = absl::AsciiStrToLower(text);
  absl::string_view rest = lower;
  if (rest == "-1") return -1;
  if (!rest.empty() && rest.back() == 'b') rest.remove_suffix(1);
  int shift = 0;
  if (!rest.empty()) {
    switch (rest.back()) {
      case 'k': shift = 10; break;
      case 'm': shift = 20; break;
      case 'g': shift = 30; break;
      case 't': shift = 40; break;
      default: break;
    }
    if (shift != 0) rest.remove_suffix(1);
  }
  int64_t value;
  if (!absl::SimpleAtoi(rest, &value) || value < 0 ||
      value > (std::numeric_limits<int64_t>::max() >> shift)) {
    return absl::InvalidArgumentError(absl::StrCat("invalid size: \"", text, "\""));
  }
  return value << shift;
}

}  // namespace hull::launcher
