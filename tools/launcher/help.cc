#include "tools/launcher/help.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace hull::launcher {
namespace {

constexpr char kAbout[] =
    R"(hull is a command line client for running applications packaged according to
the Open Container Initiative (OCI) format: a container runtime with runc's
command line, so that podman, containerd and other supervisors run containers
with it as they run them with runc.

Containers are configured using bundles. A bundle for a container is a directory
that includes a specification file named "config.json" and a root filesystem.

To start a new instance of a container:

    # hull run [ -b bundle ] <container-id>

Where "<container-id>" is your name for the instance of the container that you
are starting. The name must be unique under --root. The default value for
"bundle" is the current directory.
)";

// Rows of a two-column table, the first column padded to its widest entry
// plus two spaces, each row indented by three (urfave/cli's tabwriter).
std::string Table(const std::vector<std::pair<std::string, std::string>>& rows) {
  size_t width = 0;
  for (const auto& [left, right] : rows) width = std::max(width, left.size());
  std::string out;
  for (const auto& [left, right] : rows) {
    absl::StrAppend(&out, "   ", left, std::string(width + 2 - left.size(), ' '), right, "\n");
  }
  return out;
}

// "--bundle value, -b value", "--force, -f": how urfave/cli names a flag.
std::string FlagName(const FlagSpec& flag) {
  const char* value = flag.takes_value ? " value" : "";
  std::string name = absl::StrCat("--", flag.name, value);
  if (!flag.short_name.empty()) absl::StrAppend(&name, ", -", flag.short_name, value);
  return name;
}

std::string FlagTable(const std::vector<FlagSpec>& flags) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const FlagSpec& flag : flags) rows.emplace_back(FlagName(flag), flag.help);
  return Table(rows);
}

}  // namespace

std::string ProgramHelp(const std::vector<Command>& commands,
                        const std::vector<FlagSpec>& global_flags, absl::string_view version) {
  std::string out = absl::StrCat("NAME:\n   hull - Open Container Initiative runtime\n\n", kAbout,
                                 "\nUSAGE:\n   hull [global options] command [command options] "
                                 "[arguments...]\n\nVERSION:\n   ",
                                 absl::StripPrefix(version, "hull version "), "\nCOMMANDS:\n");
  std::vector<std::pair<std::string, std::string>> rows;
  for (const Command& command : commands) rows.emplace_back(command.name, command.summary);
  rows.emplace_back("help, h", "Shows a list of commands or help for one command");
  absl::StrAppend(&out, Table(rows), "\nGLOBAL OPTIONS:\n", FlagTable(global_flags));
  return out;
}

std::string CommandHelp(const Command& command) {
  const bool has_flags = !command.flags.empty();
  std::string out = absl::StrCat("NAME:\n   hull ", command.name, " - ", command.summary,
                                 "\n\nUSAGE:\n   hull ", command.name,
                                 has_flags ? " [command options]" : "");
  if (!command.arguments.empty()) absl::StrAppend(&out, " ", command.arguments);
  absl::StrAppend(&out, "\n");
  if (!command.description.empty()) {
    absl::StrAppend(&out, "\nDESCRIPTION:\n   ", command.description, "\n");
  }
  if (has_flags) absl::StrAppend(&out, "\nOPTIONS:\n", FlagTable(command.flags));
  return out;
}

std::string NoHelpTopic(absl::string_view name) {
  return absl::StrCat("No help topic for '", name, "'");
}

}  // namespace hull::launcher
