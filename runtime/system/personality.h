// linux.personality: the execution domain of the container's processes
// (personality(2)): LINUX32 makes `uname -m` report a 32-bit machine.
// Inherited across fork and execve; set by the init and by exec'd processes.
#ifndef HULL_RUNTIME_SYSTEM_PERSONALITY_H_
#define HULL_RUNTIME_SYSTEM_PERSONALITY_H_

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"

namespace hull::system {

// personality(2) of the calling process.
class PersonalityControl {
 public:
  virtual ~PersonalityControl() = default;
  virtual absl::Status Set(unsigned long persona) = 0;
};

class LinuxPersonalityControl final : public PersonalityControl {
 public:
  absl::Status Set(unsigned long persona) override;
};

// Sets `spec.linux.personality` when the config has one. The spec defines
// no flags (the validator refuses any).
absl::Status ApplyPersonality(const config::Spec& spec, PersonalityControl& control);

}  // namespace hull::system

#endif  // HULL_RUNTIME_SYSTEM_PERSONALITY_H_
