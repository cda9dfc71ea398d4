// Uses Hull as a library, as a program embedding it would: loads a bundle's
// config, runs the container's process to its end, and deletes it.
//
//   consumer BUNDLE STATE_ROOT
#include <iostream>
#include <string>

#include "config/json.h"
#include "runtime/container.h"
#include "runtime/spawn/sealed_reexec.h"

int Fail(const absl::Status& status) {
  std::cerr << "consumer: " << status << "\n";
  return 1;
}

int main(int argc, char** argv) {
  // Hull re-executes this binary for each container process: they start here.
  hull::runtime::ContainerProcessMain(argc, argv);
  if (argc != 3) return Fail(absl::InvalidArgumentError("usage: consumer BUNDLE STATE_ROOT"));
  const std::string bundle = argv[1];
  absl::StatusOr<hull::config::Spec> spec = hull::config::LoadConfigFile(bundle + "/config.json");
  if (!spec.ok()) return Fail(spec.status());
  spec->mutable_process()->set_terminal(false);
  spec->mutable_process()->clear_args();
  for (const char* arg : {"/bin/sh", "-c", "echo hello from $(hostname), pid $$"}) {
    spec->mutable_process()->add_args(arg);
  }

  hull::runtime::Runtime runtime(argv[2]);
  absl::StatusOr<hull::runtime::Container> container =
      runtime.Create("consumer", *std::move(spec), {.bundle = bundle});
  if (!container.ok()) return Fail(container.status());
  std::cout << "created\n" << std::flush;
  if (absl::Status started = container->Start(); !started.ok()) return Fail(started);
  absl::StatusOr<hull::nsenter::ExitStatus> exit = container->Wait();
  if (!exit.ok()) return Fail(exit.status());
  std::cout << "container " << exit->ToString() << "\n";
  if (absl::Status deleted = container->Delete(/*force=*/false); !deleted.ok()) return Fail(deleted);
  std::cout << "deleted: " << runtime.Load("consumer").status().message() << "\n";
  return 0;
}
