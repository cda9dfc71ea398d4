#include "config/default_spec.h"

#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "config/json.h"
#include "config/validator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/files.h"

namespace hull::config {
namespace {

using ::hull::testing::ReadFile;

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;
using ::testing::ElementsAre;

std::vector<std::string> NamespaceTypes(const Spec& spec) {
  std::vector<std::string> types;
  for (const Namespace& ns : spec.linux().namespaces()) types.push_back(ns.type());
  return types;
}

// The golden file is `runc spec` (runc 1.1.5) output with 2-space indent,
// hostname "hull" and ociVersion "1.2.0".
TEST(DefaultSpecTest, WritesWhatRuncSpecWrites) {
  const std::string golden = ReadFile("config/testdata/default_spec.json").value_or("");
  ASSERT_FALSE(golden.empty());
  EXPECT_THAT(ConfigToJson(DefaultSpec(false)), IsOkAndHolds(golden));
}

TEST(DefaultSpecTest, RootlessMapsRootToTheCallingUser) {
  const Spec spec = DefaultSpec(true);
  EXPECT_THAT(ValidateSpec(spec), IsOk());
  EXPECT_THAT(NamespaceTypes(spec), ElementsAre("pid", "ipc", "uts", "mount", "user"));
  ASSERT_EQ(spec.linux().uid_mappings_size(), 1);
  EXPECT_EQ(spec.linux().uid_mappings(0).container_id(), 0u);
  EXPECT_EQ(spec.linux().uid_mappings(0).host_id(), ::geteuid());
  EXPECT_EQ(spec.linux().uid_mappings(0).size(), 1u);
  ASSERT_EQ(spec.linux().gid_mappings_size(), 1);
  EXPECT_EQ(spec.linux().gid_mappings(0).host_id(), ::getegid());
  EXPECT_FALSE(spec.linux().has_resources());
  const Mount& sys = spec.mounts(5);
  EXPECT_EQ(sys.destination(), "/sys");
  EXPECT_EQ(sys.source(), "/sys");
  EXPECT_THAT(sys.options(), ElementsAre("rbind", "nosuid", "noexec", "nodev", "ro"));
  EXPECT_THAT(spec.mounts(2).options(),
              ElementsAre("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"));
}

}  // namespace
}  // namespace hull::config
