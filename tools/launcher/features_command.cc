#include "tools/launcher/features_command.h"

#include <iostream>
#include <string>

#include "base/status_macros.h"
#include "runtime/features/features.h"
#include "tools/launcher/version.h"

namespace hull::launcher {
namespace {

absl::StatusOr<int> RunFeatures(const GlobalOptions&, const ParsedFlags&) {
  ASSIGN_OR_RETURN(const runtime::HostSupport host, runtime::ProbeHost());
  runtime::Features features = runtime::FeaturesOf(host);
  auto& annotations = *features.mutable_annotations();
  annotations["org.hull.version"] = kHullVersion;
  annotations["org.hull.commit"] = BuildCommit();
  annotations["org.hull.checkpoint.enabled"] = "true";
  ASSIGN_OR_RETURN(const std::string json, runtime::FeaturesToJson(features));
  std::cout << json << "\n";
  return 0;
}

}  // namespace

Command FeaturesCommand() {
  return {.name = "features",
          .summary = "show the enabled features",
          .description = "Show the features Hull implements, as the OCI runtime-spec's Features "
                         "structure\n(features.md). The result is parsable as a JSON.",
          .run = RunFeatures};
}

}  // namespace hull::launcher
