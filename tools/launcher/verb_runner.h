// Running one `hull` verb in a test as main does: its arguments parsed with
// the verb's flags (their count checked), run under a fresh --root, what it
// prints captured. No container is made unless the verb makes one.
#ifndef HULL_TOOLS_LAUNCHER_VERB_RUNNER_H_
#define HULL_TOOLS_LAUNCHER_VERB_RUNNER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "config/runtime_spec.pb.h"
#include "gtest/gtest.h"
#include "tools/launcher/command.h"

namespace hull::launcher {

struct VerbResult {
  // The parse error or what the verb returned (main prints the message of
  // an error, nothing else).
  absl::StatusOr<int> exit_code;
  std::string out;  // stdout
  std::string err;  // stderr
};

class VerbTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // `hull --root root() NAME ARGS...`, where `command` is NAME's; with
  // --help, main would print the usage and exit 0.
  VerbResult Run(const Command& command, const std::vector<std::string>& args) const {
    return RunUnder(root_, command, args);
  }
  // The same under another --root.
  VerbResult RunUnder(const std::string& root, const Command& command,
                      const std::vector<std::string>& args) const;

  // The state root, empty at first.
  const std::string& root() const { return root_; }
  // An empty directory for the test's files (bundles, pid files).
  const std::string& dir() const { return dir_; }

  // A bundle dir()/NAME whose config.json holds `spec`; its path.
  std::string WriteBundle(const std::string& name, const config::Spec& spec) const;

 private:
  std::string root_;
  std::string dir_;
};

}  // namespace hull::launcher

#endif  // HULL_TOOLS_LAUNCHER_VERB_RUNNER_H_
