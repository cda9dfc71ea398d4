// Parsing of runc's command-line syntax: global flags before the command,
// command flags before or after the positional arguments (runc reorders them),
// `-name` and `--name` alike, values as `--name value` or `--name=value`, and
// `--` ending the flags.
#ifndef HULL_TOOLS_LAUNCHER_COMMAND_LINE_H_
#define HULL_TOOLS_LAUNCHER_COMMAND_LINE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"

namespace hull::launcher {

// A flag's texts are string literals: the tables are built at every start,
// and views of static text cost no allocation nor string code there.
struct FlagSpec {
  absl::string_view name;        // long name, without dashes: "bundle"
  absl::string_view short_name;  // one letter or empty: "b"
  bool takes_value = false;
  absl::string_view help;
};

// The flags and positional arguments of one level of the command line.
class ParsedFlags {
 public:
  bool Has(absl::string_view name) const { return values_.contains(name); }
  // True when a boolean flag was given (and not as `--flag=false`).
  bool IsSet(absl::string_view name) const;
  // The value of a flag that takes one, if given (the last one wins).
  absl::optional<std::string> Value(absl::string_view name) const;
  std::string ValueOr(absl::string_view name, absl::string_view fallback) const;
  // Every value of a flag given several times (`-e A=1 -e B=2`), in order.
  std::vector<std::string> Values(absl::string_view name) const;

  const std::vector<std::string>& positional() const { return positional_; }

 private:
  friend class FlagParser;
  // Every value each flag was given, in order.
  absl::flat_hash_map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

class FlagParser {
 public:
  explicit FlagParser(std::vector<FlagSpec> specs) : specs_(std::move(specs)) {}

  // Parses `args`. With `stop_at_first_positional` (global flags before the
  // command name), parsing stops at the first positional argument and the
  // rest are returned positional, unparsed. Otherwise flags may be mixed
  // with positional arguments; after `max_leading_positional` positional
  // arguments (e.g. an `exec` command's ID), everything is positional, so
  // that the container process's own flags pass through untouched.
  absl::StatusOr<ParsedFlags> Parse(absl::Span<const std::string> args,
                                    bool stop_at_first_positional = false,
                                    int max_leading_positional = -1) const;

  const std::vector<FlagSpec>& specs() const { return specs_; }

 private:
  const FlagSpec* Find(absl::string_view name) const;

  std::vector<FlagSpec> specs_;
};

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_COMMAND_LINE_H_
