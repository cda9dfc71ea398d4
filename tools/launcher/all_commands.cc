#include "tools/launcher/all_commands.h"

#include "tools/launcher/create_command.h"
#include "tools/launcher/delete_command.h"
#include "tools/launcher/events_command.h"
#include "tools/launcher/exec_command.h"
#include "tools/launcher/kill_command.h"
#include "tools/launcher/list_command.h"
#include "tools/launcher/pause_command.h"
#include "tools/launcher/ps_command.h"
#include "tools/launcher/resume_command.h"
#include "tools/launcher/run_command.h"
#include "tools/launcher/spec_command.h"
#include "tools/launcher/start_command.h"
#include "tools/launcher/state_command.h"
#include "tools/launcher/update_command.h"
#include "tools/launcher/validate_command.h"

namespace hull::launcher {

const std::vector<Command>& AllCommands() {
  static const std::vector<Command>* commands = new std::vector<Command>{
      CreateCommand(), StartCommand(),  RunCommand(),    StateCommand(),  KillCommand(),
      DeleteCommand(), ExecCommand(),   PauseCommand(),  ResumeCommand(), UpdateCommand(),
      EventsCommand(), ListCommand(),   PsCommand(),     SpecCommand(),   ValidateCommand(),
  };
  return *commands;
}

}  // namespace hull::launcher
