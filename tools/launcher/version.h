// What `hull --version` prints: the release, the commit it was built from
// (with --config=stamped; "unknown" otherwise) and the runtime-spec version.
#ifndef HULL_TOOLS_LAUNCHER_VERSION_H_
#define HULL_TOOLS_LAUNCHER_VERSION_H_

#include <string>

namespace hull::launcher {

inline constexpr char kHullVersion[] = "0.1.0";

// The git commit of a --config=stamped build ("-dirty" with uncommitted changes);
// "unknown (unstamped build)" otherwise.
const char* BuildCommit();

// "hull version 0.1.0\ncommit: ...\nspec: 1.2.0\n", runc's lines.
std::string VersionText();

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_VERSION_H_
