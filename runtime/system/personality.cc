#include "runtime/system/personality.h"

#include <sys/personality.h>

#include "absl/strings/str_cat.h"
#include "base/status_util.h"
#include "config/process_kernel_names.h"

namespace hull::system {

absl::Status LinuxPersonalityControl::Set(unsigned long persona) {
  if (personality(persona) == -1) return ErrnoStatus("personality(0x", absl::Hex(persona), ")");
  return absl::OkStatus();
}

absl::Status ApplyPersonality(const config::Spec& spec, PersonalityControl& control) {
  if (!spec.linux().has_personality()) return absl::OkStatus();
  const config::Personality& personality = spec.linux().personality();
  const absl::optional<unsigned long> domain = config::PersonalityDomain(personality.domain());
  if (!domain) {
    return absl::InvalidArgumentError(
        absl::StrCat("linux.personality.domain: unknown domain \"", personality.domain(), "\""));
  }
  if (!personality.flags().empty()) {
    return absl::InvalidArgumentError("linux.personality.flags: the spec defines none");
  }
  return Annotate(control.Set(*domain),
                  absl::StrCat("linux.personality ", personality.domain()));
}

}  // namespace hull::system
