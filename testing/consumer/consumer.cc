// Uses Hull as a library: loads and validates an OCI config, then drives a
// container through the lifecycle table with this program's own Actions
// (its "init" is a forked process that waits to be killed).
//
//   consumer CONFIG_JSON STATE_ROOT
#include <linux/close_range.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iostream>

#include "config/json.h"
#include "config/validator.h"
#include "statemachine/actions.h"
#include "statemachine/engine.h"
#include "statemachine/process_probe.h"
#include "statemachine/state_store.h"

namespace sm = hull::statemachine;

class ForkedInitActions : public sm::Actions {
 public:
  absl::Status Run(sm::Action action, sm::ContainerState& state) override {
    std::cout << "  action " << sm::ActionName(action) << "\n";
    if (action == sm::Action::kCloneInit) {
      pid_t pid = fork();
      if (pid < 0) return absl::InternalError("fork failed");
      if (pid == 0) {
        // Like a real init, keep no fd of the launcher's: one of them holds
        // the container's lock.
        close_range(3, ~0U, 0);
        pause();
        _exit(0);
      }
      auto stat = sm::ReadProcStat(pid);
      if (!stat.ok()) return stat.status();
      state.set_pid(pid);
      state.set_pid_start_time(stat->start_time);
    } else if (action == sm::Action::kSignal) {
      kill(state.pid(), SIGKILL);
      waitpid(state.pid(), nullptr, 0);
    }
    return absl::OkStatus();
  }
  absl::Status Undo(sm::Action, sm::ContainerState&) override { return absl::OkStatus(); }
};

int Fail(const absl::Status& status) {
  std::cerr << "consumer: " << status << "\n";
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 3) return Fail(absl::InvalidArgumentError("usage: consumer CONFIG_JSON STATE_ROOT"));
  absl::StatusOr<hull::config::Spec> spec = hull::config::LoadConfigFile(argv[1]);
  if (!spec.ok()) return Fail(spec.status());
  if (absl::Status valid = hull::config::ValidateSpec(*spec); !valid.ok()) return Fail(valid);
  std::cout << "config ok: hostname " << spec->hostname() << "\n";

  sm::StateStore store(argv[2]);
  sm::LinuxProcessProbe probe;
  sm::Engine engine(&store, &probe);
  ForkedInitActions actions;

  sm::ContainerState initial;
  initial.set_id("demo");
  *initial.mutable_config() = *spec;
  auto state = engine.Create(initial, actions);
  if (!state.ok()) return Fail(state.status());
  std::cout << "create -> " << sm::StateName(state->status()) << "\n";
  for (sm::Event event : {sm::Event::kStart, sm::Event::kDelete, sm::Event::kKill}) {
    state = engine.Fire("demo", event, actions);
    std::cout << sm::EventName(event) << " -> "
              << (state.ok() ? sm::StateName(state->status()) : state.status().message()) << "\n";
  }
  state = engine.Get("demo");
  if (!state.ok()) return Fail(state.status());
  std::cout << "observed -> " << sm::StateName(state->status()) << "\n";
  state = engine.Fire("demo", sm::Event::kDelete, actions);
  if (!state.ok()) return Fail(state.status());
  std::cout << "delete -> " << engine.Get("demo").status().message() << "\n";
  return 0;
}
