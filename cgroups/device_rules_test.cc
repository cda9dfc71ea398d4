#include "cgroups/device_rules.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(DefaultDeviceRulesTest, AreRuncsAllowedDevicesInOrder) {
  std::vector<std::string> texts;
  for (const config::DeviceCgroup& rule : DefaultDeviceRules()) {
    EXPECT_TRUE(rule.allow()) << DeviceRuleText(rule);
    texts.push_back(DeviceRuleText(rule));
  }
  EXPECT_THAT(texts, ElementsAre("c *:* m", "b *:* m", "c 1:3 rwm", "c 1:8 rwm", "c 1:7 rwm",
                                 "c 5:0 rwm", "c 1:5 rwm", "c 1:9 rwm", "c 136:* rwm",
                                 "c 5:2 rwm", "c 10:200 rwm"));
}

TEST(DeviceRuleTextTest, AbsentAndMinusOneAreAny) {
  config::DeviceCgroup rule;
  rule.set_access("rwm");
  EXPECT_EQ(DeviceRuleText(rule), "a *:* rwm");
  rule.set_type("b");
  rule.set_major(8);
  rule.set_minor(-1);
  EXPECT_EQ(DeviceRuleText(rule), "b 8:* rwm");
}

TEST(ValidateDeviceRuleTest, ChecksTypeAccessAndNumbers) {
  config::DeviceCgroup rule;
  rule.set_type("c");
  rule.set_access("rw");
  EXPECT_THAT(ValidateDeviceRule(rule, 0), IsOk());
  rule.set_type("p");
  EXPECT_THAT(ValidateDeviceRule(rule, 2),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.resources.devices[2].type")));
  rule.set_type("c");
  rule.set_access("");
  EXPECT_THAT(ValidateDeviceRule(rule, 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(".access: empty")));
  // Letters other than r, w, m are ignored (runc's permission sets drop
  // them); none of the three is no access at all.
  rule.set_access("xrr");
  EXPECT_THAT(ValidateDeviceRule(rule, 0), IsOk());
  EXPECT_EQ(DeviceRuleText(rule), "c *:* r");
  rule.set_access("mwr");
  EXPECT_EQ(DeviceRuleText(rule), "c *:* rwm");
  rule.set_access("xy");
  EXPECT_THAT(ValidateDeviceRule(rule, 0), StatusIs(absl::StatusCode::kInvalidArgument,
                                                    HasSubstr("\"xy\" has none of")));
  rule.set_access("m");
  rule.set_major(-2);
  EXPECT_THAT(ValidateDeviceRule(rule, 0), StatusIs(absl::StatusCode::kInvalidArgument,
                                                    HasSubstr("negative device number")));
}

}  // namespace
}  // namespace hull::cgroups
