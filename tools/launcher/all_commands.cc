#include "tools/launcher/all_commands.h"

#include <iterator>

#include "tools/launcher/checkpoint_command.h"
#include "tools/launcher/create_command.h"
#include "tools/launcher/delete_command.h"
#include "tools/launcher/events_command.h"
#include "tools/launcher/exec_command.h"
#include "tools/launcher/features_command.h"
#include "tools/launcher/kill_command.h"
#include "tools/launcher/list_command.h"
#include "tools/launcher/pause_command.h"
#include "tools/launcher/ps_command.h"
#include "tools/launcher/restore_command.h"
#include "tools/launcher/resume_command.h"
#include "tools/launcher/run_command.h"
#include "tools/launcher/spec_command.h"
#include "tools/launcher/start_command.h"
#include "tools/launcher/state_command.h"
#include "tools/launcher/update_command.h"
#include "tools/launcher/validate_command.h"

namespace hull::launcher {

namespace {

struct NamedCommand {
  absl::string_view name;  // what the command's builder sets as its name
  Command (*build)();
};

// runc's order, then Hull's own.
constexpr NamedCommand kCommands[] = {
    {"checkpoint", CheckpointCommand}, {"create", CreateCommand},   {"delete", DeleteCommand},
    {"events", EventsCommand},         {"exec", ExecCommand},       {"kill", KillCommand},
    {"list", ListCommand},             {"pause", PauseCommand},     {"ps", PsCommand},
    {"restore", RestoreCommand},       {"resume", ResumeCommand},   {"run", RunCommand},
    {"spec", SpecCommand},             {"start", StartCommand},     {"state", StateCommand},
    {"update", UpdateCommand},         {"features", FeaturesCommand}, {"validate", ValidateCommand},
};

}  // namespace

std::vector<Command> AllCommands() {
  std::vector<Command> commands;
  commands.reserve(std::size(kCommands));
  for (const NamedCommand& command : kCommands) commands.push_back(command.build());
  return commands;
}

std::optional<Command> FindCommand(absl::string_view name) {
  for (const NamedCommand& command : kCommands) {
    if (command.name == name) return command.build();
  }
  return std::nullopt;
}

}  // namespace hull::launcher
