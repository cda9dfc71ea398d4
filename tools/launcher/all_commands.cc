#include "tools/launcher/all_commands.h"

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

const std::vector<Command>& AllCommands() {
  // runc's order, then Hull's own.
  static const std::vector<Command>* commands = new std::vector<Command>{
      CheckpointCommand(), CreateCommand(),  DeleteCommand(), EventsCommand(),
      ExecCommand(),       KillCommand(),    ListCommand(),   PauseCommand(),
      PsCommand(),         RestoreCommand(), ResumeCommand(), RunCommand(),
      SpecCommand(),       StartCommand(),   StateCommand(),  UpdateCommand(),
      FeaturesCommand(),   ValidateCommand(),
  };
  return *commands;
}

}  // namespace hull::launcher
