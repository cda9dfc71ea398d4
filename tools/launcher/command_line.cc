#include "tools/launcher/command_line.h"

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"

namespace hull::launcher {

bool ParsedFlags::IsSet(absl::string_view name) const {
  auto it = values_.find(name);
  return it != values_.end() && it->second.back() != "false";
}

absl::optional<std::string> ParsedFlags::Value(absl::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return absl::nullopt;
  return it->second.back();
}

std::string ParsedFlags::ValueOr(absl::string_view name, absl::string_view fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::string(fallback) : it->second.back();
}

std::vector<std::string> ParsedFlags::Values(absl::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

const FlagSpec* FlagParser::Find(absl::string_view name) const {
  for (const FlagSpec& spec : specs_) {
    if (spec.name == name || (!spec.short_name.empty() && spec.short_name == name)) return &spec;
  }
  return nullptr;
}

absl::StatusOr<ParsedFlags> FlagParser::Parse(absl::Span<const std::string> args,
                                              bool stop_at_first_positional,
                                              int max_leading_positional) const {
  ParsedFlags parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    bool flags_done = max_leading_positional >= 0 &&
                      static_cast<int>(parsed.positional_.size()) >= max_leading_positional;
    if (flags_done || arg == "-" || !absl::StartsWith(arg, "-")) {
      parsed.positional_.push_back(arg);
      if (stop_at_first_positional || flags_done) {
        parsed.positional_.insert(parsed.positional_.end(), args.begin() + i + 1, args.end());
        break;
      }
      continue;
    }
    if (arg == "--") {
      parsed.positional_.insert(parsed.positional_.end(), args.begin() + i + 1, args.end());
      break;
    }
    absl::string_view body = absl::StripPrefix(absl::StripPrefix(arg, "-"), "-");
    absl::optional<std::string> inline_value;
    if (size_t eq = body.find('='); eq != absl::string_view::npos) {
      inline_value = std::string(body.substr(eq + 1));
      body = body.substr(0, eq);
    }
    const FlagSpec* spec = Find(body);
    if (spec == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("flag provided but not defined: -", body));
    }
    std::string value;
    if (spec->takes_value) {
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("flag needs an argument: -", body));
      }
    } else {
      value = inline_value.value_or("true");
      if (value != "true" && value != "false") {
        return absl::InvalidArgumentError(
            absl::StrCat("invalid boolean value \"", value, "\" for -", body));
      }
    }
    parsed.values_[spec->name].push_back(std::move(value));
  }
  return parsed;
}

}  // namespace hull::launcher
