// `hull`: an OCI runtime with runc's command line.
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "glog/logging.h"
#include "tools/launcher/all_commands.h"
#include "runtime/spawn/sealed_reexec.h"
#include "tools/launcher/command.h"
#include "tools/launcher/global_flags.h"
#include "tools/launcher/help.h"
#include "tools/launcher/rootless_options.h"
#include "tools/launcher/runc_log.h"
#include "tools/launcher/sealed_start.h"
#include "tools/launcher/version.h"

namespace hull::launcher {
namespace {

// runc's exit code for an unknown command or help topic (urfave/cli's).
constexpr int kNoHelpTopicExit = 3;

int Fail(const absl::Status& status) {
  ReportFailure(status.message());
  return 1;
}

int Main(int argc, char** argv) {
  google::InitGoogleLogging(argv[0]);
  // `bazel run` starts binaries in their runfiles; paths on the command line
  // (--log's too) mean the caller's directory.
  const char* working_directory = getenv("BUILD_WORKING_DIRECTORY");
  const int chdir_error =
      working_directory != nullptr && chdir(working_directory) != 0 ? errno : 0;
  // Nothing logs before the log is installed, once, as the flags name it.
  std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<ParsedFlags> global =
      FlagParser(GlobalFlagSpecs()).Parse(args, /*stop_at_first_positional=*/true);
  absl::StatusOr<LogFormat> format =
      global.ok() ? ParseLogFormat(global->ValueOr("log-format", "text")) : LogFormat::kText;
  absl::Status logging = InstallRuncLog(global.ok() ? global->ValueOr("log", "") : "",
                                        format.ok() ? *format : LogFormat::kText,
                                        global.ok() && global->IsSet("debug"));
  if (!logging.ok()) {
    // A bad --log is reported on stderr, in runc's words, never in glog's.
    (void)InstallRuncLog("", LogFormat::kText, /*debug=*/false);
    return Fail(logging);
  }
  if (chdir_error != 0) {
    LOG(WARNING) << "chdir " << working_directory << ": " << strerror(chdir_error);
  }
  if (!global.ok()) return Fail(global.status());
  if (!format.ok()) return Fail(format.status());

  if (global->IsSet("version")) {
    std::cout << VersionText();
    return 0;
  }
  const std::vector<std::string>& rest = global->positional();
  if (global->IsSet("help") || rest.empty() ||
      ((rest.front() == "help" || rest.front() == "h") && rest.size() == 1)) {
    std::cout << ProgramHelp(AllCommands(), GlobalFlagSpecs(), VersionText());
    return 0;
  }
  // `hull help CMD` is `hull CMD --help`.
  const bool help_topic = rest.front() == "help" || rest.front() == "h";
  const std::string& name = help_topic ? rest[1] : rest.front();
  const std::optional<Command> command = FindCommand(name);
  if (!command.has_value()) {
    ReportFailure(NoHelpTopic(name));
    return kNoHelpTopicExit;
  }
  if (help_topic) {
    std::cout << CommandHelp(*command);
    return 0;
  }
  absl::StatusOr<ParsedFlags> flags =
      ParseCommandArguments(*command, absl::MakeConstSpan(rest).subspan(1));
  if (!flags.ok()) return Fail(flags.status());
  if (flags->IsSet("help")) {
    std::cout << CommandHelp(*command);
    return 0;
  }
  absl::StatusOr<GlobalOptions> options = GlobalOptionsFor(*global);
  if (!options.ok()) return Fail(options.status());
  if (options->root_in_user_runtime_dir) {
    if (absl::Status root = PrepareUserStateRoot(options->root); !root.ok()) return Fail(root);
  }
  absl::StatusOr<int> exit_code = command->run(*options, *flags);
  if (!exit_code.ok()) return Fail(exit_code.status());
  return *exit_code;
}

// Before the C++ initializers (a .preinit_array function): records the
// sealed start of a launcher that hull_launcher_entry re-executed, and
// seals one that it could not (sealed_start.h).
void SealIfStartingContainers(int argc, char** argv, char** envp) {
  if (argc >= 1 && StartsContainerProcesses(argv + 1)) {
    hull::runtime::ReexecSealedAtStart(argc, argv, envp);
  }
}

__attribute__((section(".preinit_array"), used)) void (*const kSealIfStartingContainers)(
    int, char**, char**) = &SealIfStartingContainers;

}  // namespace

}  // namespace hull::launcher

int main(int argc, char** argv) {
  // A container's process re-executing this binary runs from here.
  hull::runtime::ContainerProcessMain(argc, argv);
  const int exit_code = hull::launcher::Main(argc, argv);
  // What exit would do but the destructors of static objects, which release
  // nothing the process's end does not: the 395 that every hull process
  // registers (protobuf's default messages, iostreams, glog, Abseil), and
  // that each touched a page of the binary on the way out.
  std::cout.flush();
  std::fflush(nullptr);
  _exit(exit_code);
}
