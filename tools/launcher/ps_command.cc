#include "tools/launcher/ps_command.h"

#include <stdio.h>

#include <iostream>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "tools/launcher/command_support.h"

namespace hull::launcher {
namespace {

// Runs the host's `ps` with `ps_options` and prints the lines of `pids`.
absl::StatusOr<int> PrintPsTable(const std::vector<pid_t>& pids,
                                 const std::vector<std::string>& ps_options) {
  const std::string command = PsCommandLine(ps_options);
  FILE* ps = popen(command.c_str(), "r");
  if (ps == nullptr) return absl::InternalError(absl::StrCat("run ", command));
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof(buffer), ps)) output.append(buffer, n);
  int status = pclose(ps);
  if (status != 0) {
    return absl::InternalError(absl::StrCat(command, " failed: ", output));
  }
  ASSIGN_OR_RETURN(const std::string lines, SelectPsLines(command, output, pids));
  std::cout << lines;
  return 0;
}

absl::StatusOr<int> RunPs(const GlobalOptions& global, const ParsedFlags& flags) {
  ASSIGN_OR_RETURN(bool json, WantsJson(flags));
  ASSIGN_OR_RETURN(LoadedContainer loaded, LoadContainer(global, flags.positional().front()));
  ASSIGN_OR_RETURN(std::vector<pid_t> pids, loaded.container.Processes());
  if (json) {
    std::cout << "[" << absl::StrJoin(pids, ",") << "]\n";
    return 0;
  }
  std::vector<std::string> ps_options(flags.positional().begin() + 1, flags.positional().end());
  return PrintPsTable(pids, ps_options);
}

}  // namespace

std::string PsCommandLine(const std::vector<std::string>& ps_options) {
  if (ps_options.empty()) return "ps -ef";
  return absl::StrCat("ps ", absl::StrJoin(ps_options, " "));
}

absl::StatusOr<std::string> SelectPsLines(absl::string_view command, absl::string_view output,
                                          const std::vector<pid_t>& pids) {
  std::vector<absl::string_view> lines = absl::StrSplit(output, '\n', absl::SkipEmpty());
  if (lines.empty()) return absl::InternalError(absl::StrCat(command, " printed nothing"));
  std::vector<absl::string_view> header = absl::StrSplit(lines[0], ' ', absl::SkipEmpty());
  int pid_column = -1;
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == "PID") pid_column = static_cast<int>(i);
  }
  if (pid_column < 0) return absl::InvalidArgumentError("couldn't find PID field in ps output");
  const std::set<pid_t> wanted(pids.begin(), pids.end());
  std::string selected = absl::StrCat(lines[0], "\n");
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<absl::string_view> fields = absl::StrSplit(lines[i], ' ', absl::SkipEmpty());
    pid_t pid;
    if (static_cast<int>(fields.size()) > pid_column &&
        absl::SimpleAtoi(fields[pid_column], &pid) && wanted.contains(pid)) {
      absl::StrAppend(&selected, lines[i], "\n");
    }
  }
  return selected;
}

Command PsCommand() {
  return {.name = "ps",
          .arguments = "<container-id> [ps options]",
          .summary = "list the processes of a container",
          .flags = {FormatFlag()},
          .min_args = 1,
          .max_args = -1,
          .max_flag_positionals = 1,
          .run = RunPs};
}

}  // namespace hull::launcher
