#include "tools/launcher/version.h"

#include "absl/strings/str_cat.h"
#include "runtime/oci_state.h"
// kBuildCommit, written by the :build_commit genrule.
#include "tools/launcher/build_commit.inc"

namespace hull::launcher {

const char* BuildCommit() { return kBuildCommit; }

std::string VersionText() {
  return absl::StrCat("hull version ", kHullVersion, "\ncommit: ", BuildCommit(),
                      "\nspec: ", runtime::kOciVersion, "\n");
}

}  // namespace hull::launcher
