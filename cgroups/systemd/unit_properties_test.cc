#include "cgroups/systemd/unit_properties.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "config/runtime_spec.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace hull::cgroups::systemd {
namespace {

using ::hull::testing::IsOkAndHolds;
using ::hull::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kProcDevices[] =
    "Character devices:\n  1 mem\n  4 /dev/vc/0\n136 pts\n\nBlock devices:\n  7 loop\n  8 sd\n";

config::Resources Parse(const std::string& text) {
  config::Resources resources;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &resources)) << text;
  return resources;
}

UnitProperty P(std::string name, PropertyValue value) {
  return {std::move(name), std::move(value)};
}

TEST(ScopePropertiesTest, DelegatedScopeHoldingThePid) {
  EXPECT_THAT(ScopeProperties("machine.slice", "hull container web", 1234, /*unified=*/true),
              ElementsAre(P("Description", std::string("hull container web")),
                          P("Slice", std::string("machine.slice")), P("Delegate", true),
                          P("PIDs", std::vector<uint32_t>{1234}), P("MemoryAccounting", true),
                          P("CPUAccounting", true), P("IOAccounting", true),
                          P("TasksAccounting", true), P("DefaultDependencies", false)));
}

TEST(ScopePropertiesTest, V1AccountsBlockIo) {
  EXPECT_THAT(ScopeProperties("machine.slice", "hull container web", 1234, /*unified=*/false),
              ::testing::Contains(P("BlockIOAccounting", true)));
}

TEST(CpuQuotaPerSecUSecTest, RoundsUpToTenMilliseconds) {
  EXPECT_EQ(CpuQuotaPerSecUSec(50000, 100000), 500000u);  // half a CPU
  EXPECT_EQ(CpuQuotaPerSecUSec(12345, 100000), 130000u);  // 123450 µs/s -> 130 ms
  EXPECT_EQ(CpuQuotaPerSecUSec(100000, 0), 1000000u);     // default period
  EXPECT_EQ(CpuQuotaPerSecUSec(1000, 300000), 10000u);    // 3333 µs/s -> 10 ms
  EXPECT_EQ(CpuQuotaPerSecUSec(-1, 100000), kInfinity);
  EXPECT_EQ(CpuQuotaPerSecUSec(0, 100000), kInfinity);
}

TEST(CpuListBytesTest, LittleEndianBitsPerByte) {
  EXPECT_THAT(CpuListBytes("0-2,9"), IsOkAndHolds(std::vector<uint8_t>{0x07, 0x02}));
  EXPECT_THAT(CpuListBytes("0"), IsOkAndHolds(std::vector<uint8_t>{0x01}));
  EXPECT_THAT(CpuListBytes("3-2"), StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
}

TEST(ResourcePropertiesTest, V2Properties) {
  const config::Resources resources = Parse(R"pb(
    memory { limit: 268435456 reservation: 1048576 swap: 536870912 }
    pids { limit: 64 }
    cpu { shares: 1024 quota: 50000 period: 100000 cpus: "0-1" mems: "0" }
    block_io { weight: 500 }
  )pb");
  EXPECT_THAT(
      ResourceProperties(resources, /*unified=*/true, kProcDevices),
      IsOkAndHolds(ElementsAre(
          P("MemoryMax", uint64_t{268435456}), P("MemoryLow", uint64_t{1048576}),
          P("MemorySwapMax", uint64_t{268435456}), P("TasksMax", uint64_t{64}),
          // runc's shares -> weight: 1 + (1024 - 2) * 9999 / 262142 = 39.
          P("CPUWeight", uint64_t{39}), P("CPUQuotaPeriodUSec", uint64_t{100000}),
          P("CPUQuotaPerSecUSec", uint64_t{500000}), P("AllowedCPUs", std::vector<uint8_t>{0x03}),
          P("AllowedMemoryNodes", std::vector<uint8_t>{0x01}),
          // 1 + (500 - 10) * 9999 / 990 = 4950.
          P("IOWeight", uint64_t{4950}))));
}

TEST(ResourcePropertiesTest, V1Properties) {
  const config::Resources resources = Parse(R"pb(
    memory { limit: 268435456 reservation: 1048576 }
    pids { limit: -1 }
    cpu { shares: 512 quota: 20000 cpus: "0" }
    block_io { weight: 500 }
  )pb");
  EXPECT_THAT(ResourceProperties(resources, /*unified=*/false, kProcDevices),
              IsOkAndHolds(ElementsAre(P("MemoryLimit", uint64_t{268435456}),
                                       P("TasksMax", kInfinity), P("CPUShares", uint64_t{512}),
                                       P("CPUQuotaPerSecUSec", uint64_t{200000}),
                                       P("BlockIOWeight", uint64_t{500}))));
}

TEST(ResourcePropertiesTest, UnlimitedAndUnset) {
  EXPECT_THAT(ResourceProperties(Parse("memory { limit: -1 }"), true, kProcDevices),
              IsOkAndHolds(ElementsAre(P("MemoryMax", kInfinity), P("MemorySwapMax", kInfinity))));
  EXPECT_THAT(ResourceProperties(config::Resources(), true, kProcDevices), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(ResourceProperties(Parse("cpu { quota: -1 }"), true, kProcDevices),
              IsOkAndHolds(ElementsAre(P("CPUQuotaPerSecUSec", kInfinity))));
}

TEST(ResourcePropertiesTest, SwapBelowTheLimitIsRefused) {
  EXPECT_THAT(
      ResourceProperties(Parse("memory { limit: 1000000 swap: 500000 }"), true, kProcDevices),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("memory.swap")));
}

TEST(DevicePropertiesTest, AllowListIsStrict) {
  const config::Resources resources = Parse(R"pb(
    devices { allow: false access: "rwm" }
    devices { allow: true type: "c" access: "m" }
    devices { allow: true type: "c" major: 1 minor: 3 access: "rw" }
    devices { allow: true type: "c" major: 1 minor: 3 access: "m" }
    devices { allow: true type: "c" major: 136 access: "rwm" }
    devices { allow: true type: "b" major: 250 access: "r" }
    devices { allow: true type: "c" minor: 7 access: "r" }
    devices { allow: true type: "b" major: 8 minor: 0 access: "rw" }
    devices { allow: false type: "b" major: 8 minor: 0 access: "w" }
  )pb");
  EXPECT_THAT(DeviceProperties(resources.devices(), kProcDevices),
              ElementsAre(P("DevicePolicy", std::string("strict")),
                          P("DeviceAllow", std::vector<DeviceAllow>{
                                               {"char-*", "m"},
                                               {"/dev/char/1:3", "rwm"},
                                               {"char-pts", "rwm"},
                                               {"/dev/block/8:0", "r"},
                                           })));
}

TEST(DevicePropertiesTest, AllowAllIsAuto) {
  const config::Resources resources = Parse(R"pb(
    devices { allow: false access: "rwm" }
    devices { allow: true type: "c" major: 1 minor: 3 access: "rw" }
    devices { allow: true access: "rwm" }
    devices { allow: false type: "c" major: 1 minor: 5 access: "rwm" }
  )pb");
  EXPECT_THAT(DeviceProperties(resources.devices(), kProcDevices),
              ElementsAre(P("DevicePolicy", std::string("auto")),
                          P("DeviceAllow", std::vector<DeviceAllow>{})));
}

TEST(ResourcePropertiesTest, DevicesOnlyWhenThereAreRules) {
  EXPECT_THAT(
      ResourceProperties(Parse("devices { allow: false access: \"rwm\" }"), true, kProcDevices),
      IsOkAndHolds(ElementsAre(P("DevicePolicy", std::string("strict")),
                               P("DeviceAllow", std::vector<DeviceAllow>{}))));
}

}  // namespace
}  // namespace hull::cgroups::systemd
