// Compares Hull with the runc installed on the machine (/usr/sbin/runc):
// runc's `runc spec` output loads, passes Hull's validator, equals Hull's
// default modulo hostname and ociVersion, and Hull writes it back in the same
// layout. Fails (never skips) without runc: tools/bootstrap.sh installs it.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "config/default_spec.h"
#include "config/json.h"
#include "config/validator.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"
#include "testing/files.h"

namespace hull::config {
namespace {

using ::hull::testing::ReadFile;

using ::hull::testing::IsOk;
using ::hull::testing::IsOkAndHolds;

constexpr char kRunc[] = "/usr/sbin/runc";

// Runs `runc spec [--rootless]` in a fresh directory; returns config.json's path.
std::string RuncSpec(bool rootless) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/runc-spec",
                                       rootless ? "-rootless" : "", "-", ::getpid());
  EXPECT_EQ(::mkdir(dir.c_str(), 0700), 0) << dir;
  const std::string command =
      absl::StrCat("cd '", dir, "' && ", kRunc, " spec", rootless ? " --rootless" : "");
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return absl::StrCat(dir, "/config.json");
}

class RuncCompatTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    ASSERT_EQ(::access(kRunc, X_OK), 0)
        << kRunc << " is missing: this test compares Hull with runc; install it "
        << "(tools/bootstrap.sh) or exclude the tag requires-runc";
  }
};

TEST_P(RuncCompatTest, RuncSpecIsValidAndEqualsHullsDefault) {
  const bool rootless = GetParam();
  const std::string path = RuncSpec(rootless);
  absl::StatusOr<Spec> runc = LoadConfigFile(path);
  ASSERT_THAT(runc, IsOk());
  EXPECT_THAT(ValidateSpec(*runc), IsOk());

  Spec hull = DefaultSpec(rootless);
  hull.set_oci_version(runc->oci_version());
  hull.set_hostname(runc->hostname());
  std::string differences;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(*runc, hull)) << differences;

  // Go's json.MarshalIndent with tabs, no final newline; Hull indents by two.
  EXPECT_THAT(ConfigToJson(*runc),
              IsOkAndHolds(absl::StrReplaceAll(ReadFile(path).value_or(""), {{"\t", "  "}})));
}

INSTANTIATE_TEST_SUITE_P(DefaultAndRootless, RuncCompatTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Rootless" : "Default";
                         });

}  // namespace
}  // namespace hull::config
