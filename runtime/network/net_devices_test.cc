#include "runtime/network/net_devices.h"

#include <sys/socket.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/network/rtnetlink.h"
#include "testing/status_matchers.h"

namespace hull::network {
namespace {

using ::hull::testing::IsOk;
using ::hull::testing::StatusIs;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::InSequence;
using ::testing::Return;
using ::testing::StrictMock;

class MockRtnetlink : public Rtnetlink {
 public:
  MOCK_METHOD(absl::StatusOr<int>, InterfaceIndex, (absl::string_view name), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<std::string>>, InterfaceNames, (), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<InterfaceAddress>>, PermanentGlobalAddresses,
              (int index), (override));
  MOCK_METHOD(absl::Status, MoveToNamespace, (int index, int netns_fd, absl::string_view name),
              (override));
  MOCK_METHOD(absl::Status, AddAddress, (int index, const InterfaceAddress& address),
              (override));
  MOCK_METHOD(absl::Status, SetUp, (int index), (override));
};

constexpr int kNetns = 42;

// gmock matches an absl::string_view argument against one, not a literal.
absl::string_view Name(const char* name) { return name; }

const InterfaceAddress kAddress{.family = AF_INET,
                                .prefix_length = 24,
                                .local = std::string("\x0a\x4d\x00\x01", 4),
                                .address = std::string("\x0a\x4d\x00\x01", 4),
                                .broadcast = std::string("\x0a\x4d\x00\xff", 4)};

NetDevices Devices(std::initializer_list<std::pair<std::string, std::string>> entries) {
  NetDevices devices;
  for (const auto& [host_name, name] : entries) devices[host_name].set_name(name);
  return devices;
}

TEST(MoveNetDevicesTest, NothingToMoveAsksNothing) {
  StrictMock<MockRtnetlink> host, container;
  EXPECT_THAT(MoveNetDevices({}, host, container, kNetns), IsOk());
}

TEST(MoveNetDevicesTest, MovesRenamedWithItsAddressesThenSetsItUp) {
  StrictMock<MockRtnetlink> host, container;
  InSequence order;
  EXPECT_CALL(container, InterfaceNames()).WillOnce(Return(std::vector<std::string>{"lo"}));
  EXPECT_CALL(host, InterfaceIndex(Name("eth1"))).WillOnce(Return(7));
  EXPECT_CALL(host, PermanentGlobalAddresses(7))
      .WillOnce(Return(std::vector<InterfaceAddress>{kAddress}));
  EXPECT_CALL(host, MoveToNamespace(7, kNetns, Name("ctr0"))).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(container, InterfaceIndex(Name("ctr0"))).WillOnce(Return(2));
  EXPECT_CALL(container, AddAddress(2, kAddress)).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(container, SetUp(2)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(MoveNetDevices(Devices({{"eth1", "ctr0"}}), host, container, kNetns), IsOk());
}

TEST(MoveNetDevicesTest, WithoutANameTheHostsIsKept) {
  StrictMock<MockRtnetlink> host, container;
  EXPECT_CALL(container, InterfaceNames()).WillOnce(Return(std::vector<std::string>{"lo"}));
  EXPECT_CALL(host, InterfaceIndex(Name("eth1"))).WillOnce(Return(7));
  EXPECT_CALL(host, PermanentGlobalAddresses(7)).WillOnce(Return(std::vector<InterfaceAddress>{}));
  EXPECT_CALL(host, MoveToNamespace(7, kNetns, Name("eth1"))).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(container, InterfaceIndex(Name("eth1"))).WillOnce(Return(3));
  EXPECT_CALL(container, SetUp(3)).WillOnce(Return(absl::OkStatus()));
  EXPECT_THAT(MoveNetDevices(Devices({{"eth1", ""}}), host, container, kNetns), IsOk());
}

TEST(MoveNetDevicesTest, TemplatesTakeTheFirstFreeNumbersInTurn) {
  StrictMock<MockRtnetlink> host, container;
  EXPECT_CALL(container, InterfaceNames())
      .WillOnce(Return(std::vector<std::string>{"lo", "net0", "net2"}));
  EXPECT_CALL(host, InterfaceIndex(Name("a"))).WillOnce(Return(5));
  EXPECT_CALL(host, InterfaceIndex(Name("b"))).WillOnce(Return(6));
  EXPECT_CALL(host, PermanentGlobalAddresses(_)).WillRepeatedly(Return(std::vector<InterfaceAddress>{}));
  EXPECT_CALL(host, MoveToNamespace(5, kNetns, Name("net1"))).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(host, MoveToNamespace(6, kNetns, Name("net3"))).WillOnce(Return(absl::OkStatus()));
  EXPECT_CALL(container, InterfaceIndex(Name("net1"))).WillOnce(Return(8));
  EXPECT_CALL(container, InterfaceIndex(Name("net3"))).WillOnce(Return(9));
  EXPECT_CALL(container, SetUp(_)).Times(2).WillRepeatedly(Return(absl::OkStatus()));
  EXPECT_THAT(MoveNetDevices(Devices({{"a", "net%d"}, {"b", "net%d"}}), host, container, kNetns),
              IsOk());
}

TEST(MoveNetDevicesTest, ANameTakenInTheContainerIsRefusedBeforeAnyMove) {
  StrictMock<MockRtnetlink> host, container;
  EXPECT_CALL(container, InterfaceNames())
      .WillOnce(Return(std::vector<std::string>{"lo", "eth0"}));
  EXPECT_CALL(host, InterfaceIndex(Name("a"))).WillOnce(Return(5));
  EXPECT_CALL(host, InterfaceIndex(Name("b"))).WillOnce(Return(6));
  EXPECT_CALL(host, PermanentGlobalAddresses(_)).WillRepeatedly(Return(std::vector<InterfaceAddress>{}));
  // "a" would move, but "b" is refused first.
  EXPECT_THAT(MoveNetDevices(Devices({{"a", "ctr0"}, {"b", "eth0"}}), host, container, kNetns),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       HasSubstr("linux.netDevices[\"b\"]: the container's network namespace "
                                 "has a device \"eth0\" already")));
}

TEST(MoveNetDevicesTest, AMissingHostDeviceIsRefusedByNameBeforeAnyMove) {
  StrictMock<MockRtnetlink> host, container;
  EXPECT_CALL(container, InterfaceNames()).WillOnce(Return(std::vector<std::string>{"lo"}));
  EXPECT_CALL(host, InterfaceIndex(Name("a"))).WillOnce(Return(5));
  EXPECT_CALL(host, PermanentGlobalAddresses(5)).WillOnce(Return(std::vector<InterfaceAddress>{}));
  EXPECT_CALL(host, InterfaceIndex(Name("b")))
      .WillOnce(Return(absl::NotFoundError("no network interface \"b\"")));
  EXPECT_THAT(MoveNetDevices(Devices({{"a", ""}, {"b", ""}}), host, container, kNetns),
              StatusIs(absl::StatusCode::kNotFound,
                       "linux.netDevices[\"b\"]: the host has no network device \"b\""));
}

TEST(MoveNetDevicesTest, AFailedMoveNamesTheEntryAndStops) {
  StrictMock<MockRtnetlink> host, container;
  EXPECT_CALL(container, InterfaceNames()).WillOnce(Return(std::vector<std::string>{"lo"}));
  EXPECT_CALL(host, InterfaceIndex(_)).WillOnce(Return(5)).WillOnce(Return(6));
  EXPECT_CALL(host, PermanentGlobalAddresses(_)).WillRepeatedly(Return(std::vector<InterfaceAddress>{}));
  EXPECT_CALL(host, MoveToNamespace(5, kNetns, Name("a")))
      .WillOnce(Return(absl::InvalidArgumentError("move network interface 5 (the device is "
                                                  "local to its namespace)")));
  EXPECT_THAT(MoveNetDevices(Devices({{"a", ""}, {"b", ""}}), host, container, kNetns),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("linux.netDevices[\"a\"]: move network interface 5")));
}

TEST(DescribeAddressTest, PrintsTheAddressAndItsPrefix) {
  EXPECT_EQ(DescribeAddress(kAddress), "10.77.0.1/24");
  InterfaceAddress v6{.family = AF_INET6, .prefix_length = 64};
  v6.address = std::string("\xfd\x00", 2) + std::string(13, '\0') + "\x01";
  EXPECT_EQ(DescribeAddress(v6), "fd00::1/64");
}

}  // namespace
}  // namespace hull::network
