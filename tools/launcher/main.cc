// `hull`: an OCI runtime with runc's command line.
#include <stdlib.h>
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "glog/logging.h"
#include "tools/launcher/all_commands.h"
#include "runtime/runtime_options.h"
#include "runtime/spawn/sealed_reexec.h"
#include "tools/launcher/command.h"
#include "tools/launcher/runc_log.h"

namespace hull::launcher {
namespace {

constexpr char kVersion[] = "0.1.0";
constexpr char kSpecVersion[] = "1.2.0";

const FlagParser& GlobalFlags() {
  static const FlagParser* parser = new FlagParser({
      {.name = "root", .takes_value = true,
       .help = absl::StrCat("root directory for container state (default: ", runtime::kDefaultStateRoot, ")")},
      {.name = "log", .takes_value = true, .help = "log file (default: stderr)"},
      {.name = "log-format", .takes_value = true, .help = "log format: text (default) or json"},
      {.name = "debug", .help = "enable debug logging"},
      {.name = "version", .short_name = "v", .help = "print the version"},
      {.name = "help", .short_name = "h", .help = "show help"},
  });
  return *parser;
}

void PrintFlags(const std::vector<FlagSpec>& flags) {
  for (const FlagSpec& flag : flags) {
    std::string name = absl::StrCat("--", flag.name);
    if (!flag.short_name.empty()) absl::StrAppend(&name, ", -", flag.short_name);
    if (flag.takes_value) absl::StrAppend(&name, " value");
    std::cout << "   " << name << std::string(name.size() < 24 ? 24 - name.size() : 1, ' ')
              << flag.help << "\n";
  }
}

void PrintHelp() {
  std::cout << "hull - an OCI container runtime\n\nUSAGE:\n   hull [global options] command "
               "[command options] [arguments...]\n\nCOMMANDS:\n";
  for (const Command& command : AllCommands()) {
    std::cout << "   " << command.name << std::string(12 - command.name.size(), ' ')
              << command.summary << "\n";
  }
  std::cout << "\nGLOBAL OPTIONS:\n";
  PrintFlags(GlobalFlags().specs());
}

void PrintCommandHelp(const Command& command) {
  std::cout << "hull " << command.name << " - " << command.summary << "\n\nUSAGE:\n   hull "
            << command.name << " [command options] " << command.arguments << "\n";
  if (!command.flags.empty()) {
    std::cout << "\nOPTIONS:\n";
    PrintFlags(command.flags);
  }
}

int Fail(const absl::Status& status) {
  ReportFailure(status.message());
  return 1;
}

int Main(int argc, char** argv) {
  google::InitGoogleLogging(argv[0]);
  // Until the flags name the log, stderr is the log: never glog's own files
  // and lines (a bad --log is reported there, once).
  (void)InstallRuncLog("", LogFormat::kText, /*debug=*/false);
  // `bazel run` starts binaries in their runfiles; paths on the command line
  // mean the caller's directory.
  if (const char* dir = getenv("BUILD_WORKING_DIRECTORY"); dir != nullptr) {
    if (chdir(dir) != 0) PLOG(WARNING) << "chdir " << dir;
  }
  std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<ParsedFlags> global = GlobalFlags().Parse(args, /*stop_at_first_positional=*/true);
  absl::StatusOr<LogFormat> format =
      global.ok() ? ParseLogFormat(global->ValueOr("log-format", "text")) : LogFormat::kText;
  absl::Status logging = InstallRuncLog(global.ok() ? global->ValueOr("log", "") : "",
                                        format.ok() ? *format : LogFormat::kText,
                                        global.ok() && global->IsSet("debug"));
  if (!logging.ok()) return Fail(logging);
  if (!global.ok()) return Fail(global.status());
  if (!format.ok()) return Fail(format.status());

  if (global->IsSet("version")) {
    std::cout << "hull version " << kVersion << "\nspec: " << kSpecVersion << "\n";
    return 0;
  }
  const std::vector<std::string>& rest = global->positional();
  if (global->IsSet("help") || rest.empty() || rest.front() == "help") {
    PrintHelp();
    return rest.empty() && !global->IsSet("help") ? 1 : 0;
  }
  const Command* command = nullptr;
  for (const Command& candidate : AllCommands()) {
    if (candidate.name == rest.front()) command = &candidate;
  }
  if (command == nullptr) {
    return Fail(absl::InvalidArgumentError(absl::StrCat("unknown command: ", rest.front())));
  }
  absl::StatusOr<ParsedFlags> flags =
      ParseCommandArguments(*command, absl::MakeConstSpan(rest).subspan(1));
  if (!flags.ok()) return Fail(flags.status());
  if (flags->IsSet("help")) {
    PrintCommandHelp(*command);
    return 0;
  }
  GlobalOptions options{.root = global->ValueOr("root", runtime::kDefaultStateRoot),
                        .debug = global->IsSet("debug")};
  absl::StatusOr<int> exit_code = command->run(options, *flags);
  if (!exit_code.ok()) return Fail(exit_code.status());
  return *exit_code;
}

}  // namespace

}  // namespace hull::launcher

int main(int argc, char** argv) {
  // A container's process re-executing this binary runs from here.
  hull::runtime::ContainerProcessMain(argc, argv);
  return hull::launcher::Main(argc, argv);
}
