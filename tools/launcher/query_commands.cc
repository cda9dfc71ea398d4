// The commands that only look at containers: state, list, ps.
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "runtime/container.h"
#include "runtime/oci_state.h"
#include "base/status_macros.h"
#include "tools/launcher/command.h"

namespace hull::launcher {
namespace {

FlagSpec FormatFlag() {
  return {.name = "format", .short_name = "f", .takes_value = true,
          .help = "table (default) or json"};
}

absl::StatusOr<bool> WantsJson(const ParsedFlags& flags) {
  std::string format = flags.ValueOr("format", "table");
  if (format != "table" && format != "json") {
    return absl::InvalidArgumentError(absl::StrCat("invalid format option: \"", format, "\""));
  }
  return format == "json";
}

absl::StatusOr<int> RunState(const GlobalOptions& global, const ParsedFlags& flags) {
  runtime::Runtime hull(global.root);
  ASSIGN_OR_RETURN(runtime::Container container, hull.Load(flags.positional().front()));
  ASSIGN_OR_RETURN(statemachine::ContainerState state, container.State());
  ASSIGN_OR_RETURN(std::string json, runtime::OciStateToJson(runtime::ToOciState(state)));
  std::cout << json;
  return 0;
}

absl::StatusOr<int> RunList(const GlobalOptions& global, const ParsedFlags& flags) {
  ASSIGN_OR_RETURN(bool json, WantsJson(flags));
  runtime::Runtime hull(global.root);
  ASSIGN_OR_RETURN(std::vector<std::string> ids, hull.List());
  std::vector<runtime::OciState> states;
  for (const std::string& id : ids) {
    absl::StatusOr<runtime::Container> container = hull.Load(id);
    absl::StatusOr<statemachine::ContainerState> state =
        container.ok() ? container->State() : container.status();
    // A container deleted meanwhile is not listed; a broken one is named.
    if (absl::IsNotFound(state.status())) continue;
    RETURN_IF_ERROR(state.status());
    runtime::OciState oci = runtime::ToOciState(*state);
    // runc's list names the owner (its state leaves root's empty).
    if (oci.owner().empty()) {
      oci.set_owner(state->owner().uid() == 0 ? "root" : absl::StrCat(state->owner().uid()));
    }
    states.push_back(std::move(oci));
  }
  if (flags.IsSet("quiet")) {
    for (const runtime::OciState& state : states) std::cout << state.id() << "\n";
  } else if (json) {
    std::vector<std::string> objects;
    for (const runtime::OciState& state : states) {
      ASSIGN_OR_RETURN(std::string object, runtime::OciStateToJson(state, /*compact=*/true));
      objects.push_back(std::move(object));
    }
    std::cout << "[" << absl::StrJoin(objects, ",") << "]\n";
  } else {
    printf("%-12s %-8s %-10s %-40s %-32s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED",
           "OWNER");
    for (const runtime::OciState& state : states) {
      printf("%-12s %-8d %-10s %-40s %-32s %s\n", state.id().c_str(), state.pid(),
             state.status().c_str(), state.bundle().c_str(), state.created().c_str(),
             state.owner().c_str());
    }
  }
  return 0;
}

// Runs `ps ARGS` and keeps its header and the lines of `pids`, as runc does.
absl::StatusOr<int> PrintPsTable(const std::vector<pid_t>& pids,
                                 const std::vector<std::string>& ps_args) {
  std::vector<std::string> argv = {"ps"};
  if (ps_args.empty()) {
    argv.push_back("-ef");
  } else {
    argv.insert(argv.end(), ps_args.begin(), ps_args.end());
  }
  std::string command = absl::StrJoin(argv, " ");
  FILE* ps = popen(command.c_str(), "r");
  if (ps == nullptr) return absl::InternalError(absl::StrCat("run ", command));
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof(buffer), ps)) output.append(buffer, n);
  int status = pclose(ps);
  if (status != 0) {
    return absl::InternalError(absl::StrCat(command, " failed: ", output));
  }
  std::vector<std::string> lines = absl::StrSplit(output, '\n', absl::SkipEmpty());
  if (lines.empty()) return absl::InternalError(absl::StrCat(command, " printed nothing"));
  std::vector<std::string> header = absl::StrSplit(lines[0], ' ', absl::SkipEmpty());
  int pid_column = -1;
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == "PID") pid_column = static_cast<int>(i);
  }
  if (pid_column < 0) return absl::InvalidArgumentError("couldn't find PID field in ps output");
  std::set<pid_t> wanted(pids.begin(), pids.end());
  std::cout << lines[0] << "\n";
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> fields = absl::StrSplit(lines[i], ' ', absl::SkipEmpty());
    pid_t pid;
    if (static_cast<int>(fields.size()) > pid_column &&
        absl::SimpleAtoi(fields[pid_column], &pid) && wanted.contains(pid)) {
      std::cout << lines[i] << "\n";
    }
  }
  return 0;
}

absl::StatusOr<int> RunPs(const GlobalOptions& global, const ParsedFlags& flags) {
  ASSIGN_OR_RETURN(bool json, WantsJson(flags));
  runtime::Runtime hull(global.root);
  ASSIGN_OR_RETURN(runtime::Container container, hull.Load(flags.positional().front()));
  ASSIGN_OR_RETURN(std::vector<pid_t> pids, container.Processes());
  if (json) {
    std::cout << "[" << absl::StrJoin(pids, ",") << "]\n";
    return 0;
  }
  std::vector<std::string> ps_args(flags.positional().begin() + 1, flags.positional().end());
  return PrintPsTable(pids, ps_args);
}

}  // namespace

Command StateCommand() {
  return {.name = "state",
          .arguments = "<container-id>",
          .summary = "print the state of a container (OCI state JSON)",
          .min_args = 1,
          .max_args = 1,
          .run = RunState};
}

Command ListCommand() {
  return {.name = "list",
          .summary = "list the containers under --root",
          .flags = {FormatFlag(), {.name = "quiet", .short_name = "q", .help = "print ids only"}},
          .run = RunList};
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
